"""The options each product's label allows for a vein: strengths, volumes, needles (reference 3.2-3.4, 3.7)."""

from __future__ import annotations

from collections.abc import Callable

from scleropath.protocol.answers import FindingPlan, Option

FirstPlan = Callable[..., FindingPlan]


def by_product(plan: FindingPlan) -> dict[tuple[str, str], Option]:
    options: dict[tuple[str, str], Option] = {(o.product, o.form): o for o in plan.options}
    assert len(options) == len(plan.options), "one option per product and form"
    return options


def test_a_telangiectasia_is_offered_microsclerotherapy_with_low_strength_polidocanol(
    first_plan: FirstPlan,
) -> None:
    option = by_product(first_plan({"diameter_mm": 0.5}))["aethoxysklerol", "liquid"]
    assert option.procedure == "microsclerotherapy"
    assert option.concentration_percent == [0.25, 0.5]  # Aethoxysklerol: spider veins 0.25-0.5 %
    assert option.volume_per_site_ml == [0.1, 0.2]  # Swiss text: 0.1-0.2 mL an injection
    assert option.depth == "intradermal"
    assert "AETH-DE" in option.citations


def test_a_telangiectasia_is_offered_sodium_tetradecyl_sulfate_at_0_2_percent_with_a_30_gauge_needle(
    first_plan: FirstPlan,
) -> None:
    option = by_product(first_plan({"diameter_mm": 0.5}))["fibrovein", "liquid"]
    assert option.concentration_percent == [0.2, 0.2]  # Fibrovein SmPC: 0.2 % for spider veins
    assert option.needle_gauge == [30, 30]
    assert "FIBR" in option.citations


def test_a_reticular_vein_is_offered_sodium_tetradecyl_sulfate_at_0_5_percent(first_plan: FirstPlan) -> None:
    assert by_product(first_plan({"diameter_mm": 2}))["fibrovein", "liquid"].concentration_percent == [
        0.5,
        0.5,
    ]


def test_a_reticular_vein_is_offered_polidocanol_across_the_range_the_labels_disagree_on(
    first_plan: FirstPlan,
) -> None:
    option = by_product(first_plan({"diameter_mm": 2}))["aethoxysklerol", "liquid"]
    assert option.concentration_percent == [0.25, 1]  # Swiss text 0.25-0.5 %, German grid 1 %
    assert any("Sources disagree" in note for note in option.notes)
    assert option.depth == "subcutaneous"


def test_a_varicose_vein_is_offered_1_to_3_percent_foam_of_either_agent(first_plan: FirstPlan) -> None:
    options = by_product(first_plan({"diameter_mm": 5, "reflux": False}))
    assert set(options) == {("aethoxysklerol", "foam"), ("fibrovein", "foam")}
    assert all(o.concentration_percent == [1, 3] for o in options.values())


def test_foam_for_a_trunk_allows_up_to_4_ml_a_puncture_of_polidocanol(first_plan: FirstPlan) -> None:
    option = by_product(first_plan({"named_vein": "gsv", "reflux": True}))["aethoxysklerol", "foam"]
    assert option.volume_per_site_ml == [None, 4]
    assert option.concentration_percent == [1, 3]
    assert option.procedure == "ultrasound_guided_foam_sclerotherapy"


def test_microsclerotherapy_without_a_labelled_needle_uses_the_techniques_26_to_30_gauge(
    first_plan: FirstPlan,
) -> None:
    option = by_product(first_plan({"diameter_mm": 0.5}))["aethoxysklerol", "liquid"]
    assert option.needle_gauge == [26, 30]
    assert option.technique is not None and "parallel to the skin" in option.technique


def test_a_range_of_strengths_carries_the_labels_advice_to_choose_the_lower_when_unsure(
    first_plan: FirstPlan,
) -> None:
    options = by_product(first_plan({"diameter_mm": 0.5}))
    assert "formulary.lower_when_unsure" in options["aethoxysklerol", "liquid"].rule_ids
    assert "formulary.lower_when_unsure" not in options["fibrovein", "liquid"].rule_ids  # a single strength


def test_an_allergy_to_polidocanol_removes_polidocanol_options_but_keeps_sodium_tetradecyl_sulfate(
    first_plan: FirstPlan,
) -> None:
    for finding in ({"diameter_mm": 0.5}, {"diameter_mm": 2}, {"diameter_mm": 5}):
        plan = first_plan(finding, allergies=["polidocanol"])
        assert plan.options, finding
        assert {o.agent for o in plan.options} == {"sodium_tetradecyl_sulfate"}
        assert plan.procedure != "defer"


def test_an_allergy_to_both_agents_leaves_nothing_to_offer(first_plan: FirstPlan) -> None:
    plan = first_plan({"diameter_mm": 0.5}, allergies=["polidocanol", "fibrovein"])
    assert (plan.procedure, plan.options) == ("defer", [])
    assert any("allergic" in w for w in plan.warnings)


def test_an_allergic_tendency_withholds_fibrovein_whose_label_grades_it_absolute(
    first_plan: FirstPlan,
) -> None:
    plan = first_plan({"diameter_mm": 0.5}, conditions=["allergic_diathesis"])
    assert {o.product for o in plan.options} == {"aethoxysklerol"}


def test_a_planned_product_restricts_the_options_to_it(first_plan: FirstPlan) -> None:
    plan = first_plan({"diameter_mm": 0.5}, planned={"product": "fibrovein"})
    assert {o.product for o in plan.options} == {"fibrovein"}


def test_a_planned_liquid_form_makes_a_varicose_vein_a_liquid_sclerotherapy(first_plan: FirstPlan) -> None:
    plan = first_plan({"diameter_mm": 5, "reflux": False}, planned={"form": "liquid"})
    assert plan.procedure == "liquid_sclerotherapy"
    assert {o.form for o in plan.options} == {"liquid"}


def test_a_planned_strength_outside_every_option_is_warned(first_plan: FirstPlan) -> None:
    assert any(
        "outside every option" in w
        for w in first_plan({"diameter_mm": 0.5}, planned={"concentration_percent": 3}).warnings
    )
    assert not any(
        "outside every option" in w
        for w in first_plan({"diameter_mm": 0.5}, planned={"concentration_percent": 0.5}).warnings
    )


def test_an_option_for_a_referral_is_the_treating_alternatives(first_plan: FirstPlan) -> None:
    plan = first_plan({"named_vein": "gsv", "reflux": True})
    assert plan.procedure == "referral"
    assert {o.procedure for o in plan.options} <= set(plan.alternatives)
