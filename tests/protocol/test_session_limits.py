"""The session limits a plan states for the products it may use (reference 3.5, 4.2; key facts,
polidocanol and sodium tetradecyl sulfate)."""

from __future__ import annotations

import pytest

from scleropath.protocol import Engine, InputError
from scleropath.protocol.answers import Limit, SessionLimits

from .support import AssessmentFactory, Json, assert_cited


def limits_of(engine: Engine, request: Json) -> SessionLimits:
    return engine.plan(request).session_limits


def limit(limits: SessionLimits, limit_id: str) -> Limit:
    found = [lim for lim in limits.limits if lim.id == limit_id]
    assert len(found) == 1, [lim.id for lim in limits.limits]
    return found[0]


@pytest.mark.parametrize(("weight_kg", "max_mg"), [(50, 100), (70, 140), (100, 200)])
def test_polidocanol_is_limited_to_2_mg_per_kg_a_day(
    engine: Engine, make_assessment: AssessmentFactory, weight_kg: float, max_mg: float
) -> None:
    limits = limits_of(engine, make_assessment({"diameter_mm": 0.5}, weight_kg=weight_kg))
    assert limits.polidocanol_max_mg == max_mg
    dose = limit(limits, "agent.polidocanol.daily_max")
    assert (dose.max, dose.unit) == (max_mg, "mg")
    assert "AETH-DE" in dose.citations


def test_without_a_weight_the_dose_limit_is_missing_and_the_plan_says_so(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    answer = engine.plan(make_assessment({"diameter_mm": 0.5}, weight_kg=None))
    assert answer.session_limits.polidocanol_max_mg is None
    assert any("Weight is needed" in w for w in answer.warnings)


@pytest.mark.parametrize("weight_kg", [40, 70, 160])
def test_aethoxysklerol_foam_is_limited_to_10_ml_a_session_whatever_the_weight(
    engine: Engine, make_assessment: AssessmentFactory, weight_kg: float
) -> None:
    limits = limits_of(
        engine,
        make_assessment({"diameter_mm": 5}, planned={"product": "aethoxysklerol"}, weight_kg=weight_kg),
    )
    assert limits.foam_max_ml == 10
    assert limit(limits, "aethoxysklerol.foam_per_session").citations == ["AETH-DE"]


def test_an_allergy_prone_patient_may_have_one_aethoxysklerol_injection_at_the_first_session(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    first = limits_of(
        engine,
        make_assessment(
            {"diameter_mm": 0.5}, planned={"product": "aethoxysklerol"}, conditions=["allergic_diathesis"]
        ),
    )
    assert first.max_injections == 1
    assert {"AETH-CH", "AETH-AT"} <= set(limit(first, "aethoxysklerol.first_session_allergy").citations)


def test_the_single_injection_limit_is_lifted_at_the_second_session(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    second = limits_of(
        engine,
        make_assessment(
            {"diameter_mm": 0.5},
            planned={"product": "aethoxysklerol", "session_number": 2},
            conditions=["allergic_diathesis"],
        ),
    )
    assert second.max_injections is None
    assert "aethoxysklerol.first_session_allergy" not in {lim.id for lim in second.limits}


def test_a_patient_without_an_allergic_tendency_has_no_first_session_injection_limit(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    limits = limits_of(engine, make_assessment({"diameter_mm": 0.5}, planned={"product": "aethoxysklerol"}))
    assert limits.max_injections is None


def test_fibrovein_3_percent_is_limited_to_4_ml_and_4_sites_a_session(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    limits = limits_of(engine, make_assessment({"diameter_mm": 5}, planned={"product": "fibrovein"}))
    volume = limit(limits, "fibrovein.volume_at_3pct")
    assert (volume.kind, volume.max, volume.at_concentration_percent) == ("total_volume_ml", 4, 3)
    sites = limit(limits, "fibrovein.sites_at_3pct")
    assert (sites.kind, sites.max) == ("injection_count", 4)
    assert volume.citations == ["FIBR06"]


def test_fibrovein_foam_falls_under_the_consensus_10_ml_of_foam_a_session(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    limits = limits_of(engine, make_assessment({"diameter_mm": 5}, planned={"product": "fibrovein"}))
    foam = limit(limits, "consensus.foam_per_session")
    assert (foam.max, foam.form) == (10, "foam")
    assert "FOAM2008" in foam.citations


def test_a_plan_states_the_limits_of_the_products_its_options_use(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    limits = limits_of(engine, make_assessment({"diameter_mm": 0.5}, allergies=["polidocanol"]))
    assert limits.polidocanol_max_mg is None
    assert {lim.product for lim in limits.limits if lim.product} == {"fibrovein"}


def test_every_limit_in_a_plan_names_its_rule_and_cites_sources(
    engine: Engine, make_assessment: AssessmentFactory
) -> None:
    limits = limits_of(
        engine, make_assessment({"diameter_mm": 0.5}, {"diameter_mm": 5}, conditions=["allergic_diathesis"])
    )
    assert limits.limits
    for lim in limits.limits:
        assert_cited(lim, engine.protocol, lim.id)
    assert_cited(limits, engine.protocol)


def test_the_limits_of_one_product_are_the_ones_check_session_holds_its_session_to(
    engine: Engine, typical_patient: Json
) -> None:
    limits = engine.session_limits(typical_patient, "fibrovein", session_number=2)
    checked = engine.check_session(
        {
            "patient": typical_patient,
            "product": "fibrovein",
            "session_number": 2,
            "injections": [
                {
                    "agent": "sodium_tetradecyl_sulfate",
                    "product": "fibrovein",
                    "form": "foam",
                    "concentration_percent": 1,
                    "volume_ml": 2,
                },
                {
                    "agent": "sodium_tetradecyl_sulfate",
                    "product": "fibrovein",
                    "form": "liquid",
                    "concentration_percent": 3,
                    "volume_ml": 1,
                },
            ],
        }
    )
    assert {lim.id for lim in limits.limits if not lim.advisory} == {
        s.id for s in checked.limits if not s.advisory
    }
    assert {"fibrovein.volume_at_3pct", "consensus.foam_per_session"} <= {lim.id for lim in limits.limits}


def test_the_limits_of_one_product_follow_the_patient_and_the_session_number(engine: Engine) -> None:
    prone = {"weight_kg": 50, "conditions": ["allergic_diathesis"]}
    first = engine.session_limits(prone, "aethoxysklerol")
    second = engine.session_limits(prone, "aethoxysklerol", session_number=2)
    assert (first.max_injections, second.max_injections) == (1, None)
    assert first.polidocanol_max_mg == 100


@pytest.mark.parametrize(
    ("product", "session_number", "field"),
    [
        ("no-such-product", 1, "product"),
        ("fibrovein", 0, "session_number"),
        ("fibrovein", True, "session_number"),
    ],
)
def test_the_limits_of_one_product_refuse_an_unknown_product_or_a_session_number_below_1(
    engine: Engine, typical_patient: Json, product: str, session_number: int, field: str
) -> None:
    with pytest.raises(InputError) as raised:
        engine.session_limits(typical_patient, product, session_number)
    assert [e["field"] for e in raised.value.errors] == [field]
