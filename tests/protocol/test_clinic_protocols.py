"""A clinic's own protocol file: what it may narrow, what it must mark as a deviation, what it may not do."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest

from scleropath.protocol import Engine, ProtocolError, load_clinic_protocol
from scleropath.protocol.answers import FindingPlan
from scleropath.protocol.model import Protocol

from .support import AssessmentFactory

FIXTURES = Path(__file__).parent.parent / "fixtures" / "broken_clinic_protocols"
BROKEN = sorted(FIXTURES.glob("*.yaml"))
ERROR_LINE = "# error: "

ClinicEngine = Callable[..., Engine]


def expected_error(fixture: Path) -> str:
    """The error a broken clinic file must raise, from its ``# error: ...`` comment line."""
    lines = [line for line in fixture.read_text(encoding="utf-8").splitlines() if line.startswith(ERROR_LINE)]
    assert len(lines) == 1, f"{fixture.name} needs exactly one '{ERROR_LINE}...' line"
    return lines[0].removeprefix(ERROR_LINE)


@pytest.mark.parametrize("fixture", BROKEN, ids=lambda p: p.name)
def test_a_broken_clinic_protocol_fails_to_load_with_its_error(fixture: Path, protocol: Protocol) -> None:
    with pytest.raises(ProtocolError) as raised:
        load_clinic_protocol(fixture, protocol)
    assert str(raised.value).startswith(f"{fixture.name}: {expected_error(fixture)}")


def test_the_example_clinic_file_loads_on_the_bundled_protocol(protocol: Protocol) -> None:
    example = files("scleropath") / "examples" / "clinic.yaml"
    clinic = load_clinic_protocol(Path(str(example)), protocol)
    assert (clinic.id, clinic.version) == (protocol.id, protocol.version)
    assert clinic.clinic_id == "example-vein-clinic"


def test_a_deviation_with_a_reason_loads_and_every_option_using_it_reports_it(
    clinic_engine: ClinicEngine, make_assessment: AssessmentFactory
) -> None:
    engine = clinic_engine(
        concentrations=[
            {
                "product": "fibrovein",
                "vessel_class": "telangiectasia",
                "form": "liquid",
                "percent": {"min": 0.5, "max": 0.5},
                "deviation": {"reason": "Audit of local outcomes", "approved_by": "Dr A. Clinician"},
            }
        ]
    )
    answer = engine.plan(make_assessment({"diameter_mm": 0.4}, {"diameter_mm": 0.8}, {"diameter_mm": 2.0}))
    spiders = [f for f in answer.findings if f.vessel_class == "telangiectasia"]
    assert len(spiders) == 2
    for plan in spiders:
        for option in plan.options:
            if option.product == "fibrovein":
                assert option.concentration_percent == [0.5, 0.5]
                assert option.local_deviation is not None
                assert "Audit of local outcomes" in option.local_deviation
                assert "Dr A. Clinician" in option.local_deviation
            else:
                assert option.local_deviation is None
    reticular = next(f for f in answer.findings if f.vessel_class == "reticular")
    assert all(o.local_deviation is None and not o.local_choice for o in reticular.options)


def test_a_strength_the_product_is_not_made_in_loads_only_as_a_reported_deviation(
    clinic_engine: ClinicEngine, make_assessment: AssessmentFactory
) -> None:
    engine = clinic_engine(
        concentrations=[
            {
                "product": "aethoxysklerol",
                "vessel_class": "telangiectasia",
                "form": "liquid",
                "percent": {"min": 0.3, "max": 0.3},
                "deviation": {"reason": "Diluted in clinic", "approved_by": "Dr A. Clinician"},
            }
        ]
    )
    plan = engine.plan(make_assessment({"diameter_mm": 0.4})).findings[0]
    option = next(o for o in plan.options if o.product == "aethoxysklerol")
    assert option.concentration_percent == [0.3, 0.3]
    assert option.local_deviation is not None
    assert "Diluted in clinic" in option.local_deviation


def test_a_point_choice_inside_the_label_range_narrows_the_option_to_that_point(
    clinic_engine: ClinicEngine, first_plan: Callable[..., FindingPlan], make_assessment: AssessmentFactory
) -> None:
    engine = clinic_engine(
        concentrations=[
            {
                "product": "aethoxysklerol",
                "vessel_class": "reticular",
                "form": "liquid",
                "percent": {"min": 0.5, "max": 0.5},
            }
        ]
    )
    plan = engine.plan(make_assessment({"diameter_mm": 2})).findings[0]
    option = next(o for o in plan.options if o.product == "aethoxysklerol")
    assert option.concentration_percent == [0.5, 0.5]
    assert option.local_choice and option.local_deviation is None
    assert "clinic.test-clinic.concentrations[0]" in option.rule_ids
    assert "formulary.lower_when_unsure" not in option.rule_ids  # a single strength needs no tie-break
    default = next(o for o in first_plan({"diameter_mm": 2}).options if o.product == "aethoxysklerol")
    assert default.concentration_percent == [0.25, 1] and not default.local_choice


def test_a_clinic_following_s2k_is_named_in_every_answer(
    clinic_engine: ClinicEngine, make_assessment: AssessmentFactory
) -> None:
    engine = clinic_engine(truncal_reflux="s2k_2020")
    answer = engine.plan(make_assessment({"diameter_mm": 0.5}))
    assert (answer.protocol.clinic_id, answer.protocol.clinic_version) == ("test-clinic", "1.0.0")
    assert engine.triage({"symptom": "bruising", "days_since_treatment": 1}).protocol.clinic_id == (
        "test-clinic"
    )


def test_a_clinic_choosing_its_products_is_offered_only_those(
    clinic_engine: ClinicEngine, make_assessment: AssessmentFactory
) -> None:
    engine = clinic_engine(products_in_use=["asclera"])
    plan = engine.plan(make_assessment({"diameter_mm": 0.5})).findings[0]
    assert {(o.product, o.form) for o in plan.options} == {("asclera", "liquid")}
    assert plan.options[0].concentration_percent == [0.5, 0.5]  # Asclera label: 0.5 % for spider veins


def test_a_preferred_agent_puts_its_products_options_first(
    clinic_engine: ClinicEngine, make_assessment: AssessmentFactory
) -> None:
    for agent in ("sodium_tetradecyl_sulfate", "polidocanol"):
        plan = clinic_engine(preferred_agent=agent).plan(make_assessment({"diameter_mm": 0.5})).findings[0]
        assert len({o.agent for o in plan.options}) == 2
        assert plan.options[0].agent == agent


def test_the_clinic_file_leaves_the_base_protocol_untouched(
    clinic_engine: ClinicEngine, engine: Engine, make_assessment: AssessmentFactory
) -> None:
    clinic_engine(truncal_reflux="s2k_2020", products_in_use=["asclera"])
    assert engine.protocol.manifest.policies.truncal_reflux == "nice_cg168"
    assert engine.protocol.manifest.products_in_use == ["aethoxysklerol", "fibrovein"]
    assert engine.plan(make_assessment({"diameter_mm": 0.5})).protocol.clinic_id is None


def test_a_one_sided_clinic_range_keeps_the_labels_other_bound(
    clinic_engine: ClinicEngine, make_assessment: AssessmentFactory
) -> None:
    engine = clinic_engine(
        concentrations=[
            {
                "product": "aethoxysklerol",
                "vessel_class": "telangiectasia",
                "form": "liquid",
                "percent": {"min": 0.5},
            },
            {"product": "fibrovein", "vessel_class": "varicose", "form": "foam", "percent": {"max": 1}},
        ]
    )
    plans = engine.plan(make_assessment({"diameter_mm": 0.5}, {"diameter_mm": 5, "reflux": False})).findings
    spider = next(o for o in plans[0].options if o.product == "aethoxysklerol")
    assert spider.concentration_percent == [0.5, 0.5]  # label 0.25-0.5 %
    assert spider.local_deviation is None
    varicose = next(o for o in plans[1].options if o.product == "fibrovein")
    assert varicose.concentration_percent == [1, 1]  # label 1-3 %


def test_a_one_sided_deviation_beyond_the_label_keeps_its_open_side(
    clinic_engine: ClinicEngine, make_assessment: AssessmentFactory
) -> None:
    engine = clinic_engine(
        concentrations=[
            {
                "product": "aethoxysklerol",
                "vessel_class": "telangiectasia",
                "form": "liquid",
                "percent": {"min": 1},
                "deviation": {"reason": "Resistant spider veins", "approved_by": "Dr B"},
            }
        ]
    )
    option = next(
        o
        for o in engine.plan(make_assessment({"diameter_mm": 0.5})).findings[0].options
        if o.product == "aethoxysklerol"
    )
    assert option.concentration_percent == [1, None]
    assert option.local_deviation is not None and "Resistant spider veins" in option.local_deviation
