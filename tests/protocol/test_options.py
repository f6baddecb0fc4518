"""The options each product's label allows for each vessel class."""

from __future__ import annotations


def options(engine, assess, finding, **patient):
    return {(o.product, o.form): o for o in engine.plan(assess(finding, **patient)).findings[0].options}


def test_a_telangiectasia_takes_polidocanol_0_25_to_0_5_or_sts_0_2(engine, assess):
    opts = options(engine, assess, {"diameter_mm": 0.5})
    aeth, fibr = opts["aethoxysklerol", "liquid"], opts["fibrovein", "liquid"]
    assert aeth.concentration_percent == [0.25, 0.5]
    assert aeth.volume_per_site_ml == [0.1, 0.2]
    assert fibr.concentration_percent == [0.2, 0.2]
    assert fibr.needle_gauge == [30, 30]
    assert aeth.depth == "intradermal"


def test_a_reticular_vein_takes_sts_0_5_and_polidocanol_in_the_range_the_labels_disagree_on(engine, assess):
    opts = options(engine, assess, {"diameter_mm": 2})
    assert opts["fibrovein", "liquid"].concentration_percent == [0.5, 0.5]
    aeth = opts["aethoxysklerol", "liquid"]
    assert aeth.concentration_percent == [0.25, 1]
    assert any("Sources disagree" in n for n in aeth.notes)


def test_foam_for_a_trunk_allows_up_to_4_ml_a_puncture_of_polidocanol(engine, assess):
    opts = options(engine, assess, {"named_vein": "gsv", "reflux": True})
    assert opts["aethoxysklerol", "foam"].volume_per_site_ml == [None, 4]
    assert opts["aethoxysklerol", "foam"].concentration_percent == [1, 3]


def test_every_option_says_to_choose_the_lower_strength_when_unsure_if_it_offers_a_range(engine, assess):
    for opt in options(engine, assess, {"diameter_mm": 4}).values():
        assert "formulary.lower_when_unsure" in opt.rule_ids


def test_every_part_of_a_plan_cites_sources_that_resolve(engine, assess):
    answer = engine.plan(
        assess(
            {"diameter_mm": 0.5},
            {"diameter_mm": 2},
            {"diameter_mm": 4},
            {"named_vein": "gsv", "reflux": True},
            conditions=["thrombophilia"],
        )
    )
    refs = engine.protocol.refs
    parts = [
        *answer.findings,
        *(o for f in answer.findings for o in f.options),
        *answer.session_limits.limits,
        *answer.screening.findings,
    ]
    for part in parts:
        assert part.citations, part
        assert all(c in refs for c in part.citations)
