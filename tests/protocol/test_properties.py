"""Properties that hold for any patient and any findings, drawn from the protocol's own vocabularies.

That bad input of any shape is refused as InputError is in test_input_properties.py.
"""

from __future__ import annotations

from typing import get_args

from hypothesis import assume, given
from hypothesis import strategies as st

from scleropath.protocol import Engine
from scleropath.protocol.vocabulary import (
    TREATING_PROCEDURES,
    Depth,
    Mobility,
    NamedVein,
    Sex,
    VesselClass,
)

from .support import PROPERTY_SETTINGS, Json

# Hypothesis runs each example many times in one test call, so these tests build their own engine
# instead of using the function-scoped fixtures.
ENGINE = Engine()
P = ENGINE.protocol

CONDITIONS = sorted(P.condition_codes)
REGIONS = [r.id for r in P.procedures.regions]
PRODUCTS = list(P.formulary.products)
IN_USE = [(p.id, form) for p in P.products_in_use for form in p.forms]
# How an allergy entry names an agent (None: free text the engine keeps for a clinician).
ALLERGY_NAMES: dict[str, str | None] = {
    "polidocanol": "polidocanol",
    "Polidocanol": "polidocanol",
    "lauromacrogol": "polidocanol",
    "sodium_tetradecyl_sulfate": "sodium_tetradecyl_sulfate",
    "STS": "sodium_tetradecyl_sulfate",
    "sodium tetradecyl sulfate": "sodium_tetradecyl_sulfate",
    **{p.id: p.agent for p in PRODUCTS},
    "latex": None,
    "penicillin": None,
}
# Conditions a guideline grades absolute for every form: each rules out every product on its own.
RULE_OUT_ALL = sorted(
    i.code
    for i in P.screening.items
    if i.source_field == "conditions"
    and any(
        g.kind == "guideline" and g.severity == "absolute" and set(g.forms) == {"liquid", "foam"}
        for g in i.gradings
    )
)

patients = st.fixed_dictionaries(
    {},
    optional={
        "age_years": st.integers(min_value=16, max_value=100),
        "sex": st.sampled_from(get_args(Sex)),
        "weight_kg": st.none() | st.floats(min_value=35, max_value=200),
        "pregnant": st.booleans(),
        "breastfeeding": st.booleans(),
        "allergies": st.lists(st.sampled_from(sorted(ALLERGY_NAMES)), max_size=3, unique=True),
        "conditions": st.lists(st.sampled_from(CONDITIONS), max_size=4, unique=True),
        "mobility": st.sampled_from(get_args(Mobility)),
    },
)


def classifiable(f: Json) -> bool:
    return "diameter_mm" in f or "vessel" in f or f.get("named_vein", "other") != "other"


findings = st.fixed_dictionaries(
    {"side": st.sampled_from(["left", "right"])},
    optional={
        "region": st.sampled_from(REGIONS),
        "diameter_mm": st.floats(min_value=0.05, max_value=20),
        "depth": st.sampled_from(get_args(Depth)),
        "vessel": st.sampled_from(get_args(VesselClass)),
        "named_vein": st.sampled_from(get_args(NamedVein)),
        "reflux": st.sampled_from([True, False, None]),
        "recurrent": st.booleans(),
        "visible": st.booleans(),
        "bleeding": st.booleans(),
    },
).filter(classifiable)


def assessment(patient: Json, fs: list[Json], planned: Json | None = None) -> Json:
    request: Json = {"patient": patient, "findings": [{"id": f"f{i}", **f} for i, f in enumerate(fs)]}
    if planned is not None:
        request["planned"] = planned
    return request


@PROPERTY_SETTINGS
@given(patients, st.lists(findings, min_size=1, max_size=6))
def test_the_engine_never_offers_an_option_whose_agent_the_patient_is_allergic_to(
    patient: Json, fs: list[Json]
) -> None:
    answer = ENGINE.plan(assessment(patient, fs))
    allergic = {ALLERGY_NAMES[a] for a in patient.get("allergies", [])} - {None}
    for plan in answer.findings:
        assert not {o.agent for o in plan.options} & allergic


@PROPERTY_SETTINGS
@given(patients, st.lists(findings, min_size=1, max_size=6))
def test_no_option_uses_a_product_and_form_that_screening_blocked(patient: Json, fs: list[Json]) -> None:
    answer = ENGINE.plan(assessment(patient, fs))
    blocked = {(b.product, b.form) for b in answer.screening.blocked}
    for plan in answer.findings:
        assert not {(o.product, o.form) for o in plan.options} & blocked
        if plan.procedure in TREATING_PROCEDURES:
            assert plan.options, "a treating procedure is only chosen with something to treat with"


ruled_out_patients = st.tuples(
    patients,
    st.sampled_from([*RULE_OUT_ALL, "allergic to both agents"]),
).map(
    lambda pair: {
        **pair[0],
        **(
            {"allergies": ["polidocanol", "sts"]}
            if pair[1] == "allergic to both agents"
            else {"conditions": sorted({*pair[0].get("conditions", []), pair[1]})}
        ),
    }
)


@PROPERTY_SETTINGS
@given(ruled_out_patients, st.lists(findings, min_size=1, max_size=6))
def test_where_every_product_and_form_is_absolutely_contraindicated_nothing_is_offered(
    patient: Json, fs: list[Json]
) -> None:
    answer = ENGINE.plan(assessment(patient, fs))
    assert {(b.product, b.form) for b in answer.screening.blocked} >= set(IN_USE)
    for plan in answer.findings:
        assert plan.procedure in {"referral", "defer"}
        assert plan.options == []
        assert not set(plan.alternatives) & TREATING_PROCEDURES
    assert answer.treatment_order == []


@PROPERTY_SETTINGS
@given(patients, st.lists(findings, min_size=1, max_size=6))
def test_whenever_screening_blocks_everything_in_use_only_referral_or_deferral_remains(
    patient: Json, fs: list[Json]
) -> None:
    answer = ENGINE.plan(assessment(patient, fs))
    assume({(b.product, b.form) for b in answer.screening.blocked} >= set(IN_USE))
    for plan in answer.findings:
        assert plan.procedure in {"referral", "defer"} and plan.options == []


def injections_of(product_id: str) -> st.SearchStrategy[Json]:
    product = P.products[product_id]
    return st.fixed_dictionaries(
        {
            "agent": st.just(product.agent),
            "product": st.just(product.id),
            "form": st.sampled_from(product.forms),
            "concentration_percent": st.sampled_from(product.strengths_percent),
            "volume_ml": st.floats(min_value=0.05, max_value=6),
        },
        optional={"foam_gas_parts": st.sampled_from([3.0, 4.0])},
    )


injections = st.sampled_from([p.id for p in PRODUCTS]).flatmap(injections_of)
sessions = st.fixed_dictionaries(
    {
        "patient": patients,
        "session_number": st.integers(min_value=1, max_value=3),
        "injections": st.lists(injections, max_size=12),
    },
    optional={"product": st.sampled_from([p.id for p in P.products_in_use])},
)


@PROPERTY_SETTINGS
@given(sessions)
def test_a_session_reported_within_limits_exceeds_none_of_its_hard_limits(session: Json) -> None:
    answer = ENGINE.check_session(session)
    if answer.within_limits:
        assert answer.violations == []
        for status in answer.limits:
            assert status.advisory or status.used <= status.max + 1e-9, status
    else:
        assert answer.violations


@PROPERTY_SETTINGS
@given(sessions, st.lists(injections, min_size=1, max_size=4))
def test_adding_injections_never_turns_a_violating_session_back_into_a_passing_one(
    session: Json, extra: list[Json]
) -> None:
    answer = ENGINE.check_session(session)
    assume(not answer.within_limits)
    more = ENGINE.check_session({**session, "injections": [*session["injections"], *extra]})
    assert not more.within_limits
    assert {v.limit_id for v in answer.violations} <= {v.limit_id for v in more.violations}


@PROPERTY_SETTINGS
@given(
    st.sampled_from([(p.id, form) for p in PRODUCTS for form in p.forms]),
    st.floats(min_value=0.05, max_value=20),
    st.floats(min_value=0.05, max_value=20),
)
def test_concentration_never_decreases_as_the_vein_grows_within_one_product_and_form(
    product_form: tuple[str, str], d1: float, d2: float
) -> None:
    product, form = product_form
    small, large = sorted((d1, d2))

    def strengths(diameter: float) -> list[list[float | None]]:
        plan = ENGINE.plan(
            assessment(
                {"weight_kg": 70},
                [{"side": "left", "diameter_mm": diameter, "reflux": False}],
                {"product": product, "form": form},
            )
        ).findings[0]
        return [o.concentration_percent for o in plan.options]

    for lo_small, hi_small in strengths(small):
        for lo_large, hi_large in strengths(large):
            assert None not in (lo_small, hi_small, lo_large, hi_large)
            assert lo_large >= lo_small and hi_large >= hi_small  # type: ignore[operator]
