"""Properties that hold for any patient and any findings (hypothesis)."""

from __future__ import annotations

import contextlib
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scleropath.protocol import Engine, InputError
from scleropath.protocol.vocabulary import TREATING_PROCEDURES

ENGINE = Engine()
P = ENGINE.protocol
CONDITIONS = sorted(P.condition_codes)
REGIONS = [r.id for r in P.procedures.regions]
AGENTS = sorted(P.agents)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

patients = st.fixed_dictionaries(
    {
        "weight_kg": st.floats(min_value=35, max_value=160),
        "conditions": st.lists(st.sampled_from(CONDITIONS), max_size=3, unique=True),
        "allergies": st.lists(st.sampled_from([*AGENTS, "fibrovein", "latex"]), max_size=2, unique=True),
        "pregnant": st.booleans(),
        "mobility": st.sampled_from(["ambulant", "reduced", "bedridden"]),
    }
)
findings = st.fixed_dictionaries(
    {
        "side": st.sampled_from(["left", "right"]),
        "region": st.sampled_from(REGIONS),
        "diameter_mm": st.floats(min_value=0.1, max_value=12),
        "reflux": st.sampled_from([True, False, None]),
        "recurrent": st.booleans(),
        "visible": st.booleans(),
    },
    optional={
        "named_vein": st.sampled_from(["gsv", "ssv", "aasv", "perforator"]),
        "depth": st.sampled_from(["intradermal", "subcutaneous", "subfascial"]),
    },
)


def assessment(patient: dict[str, Any], fs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"patient": patient, "findings": [{"id": f"f{i}", **f} for i, f in enumerate(fs)]}


@SETTINGS
@given(patients, st.lists(findings, min_size=1, max_size=6))
def test_no_option_ever_uses_an_agent_the_patient_is_allergic_to(patient, fs):
    answer = ENGINE.plan(assessment(patient, fs))
    allergic = {P.products[a].agent if a in P.products else a for a in patient["allergies"]}
    for f in answer.findings:
        assert not {o.agent for o in f.options} & allergic


@SETTINGS
@given(patients, st.lists(findings, min_size=1, max_size=6))
def test_where_every_product_and_form_is_absolutely_contraindicated_only_referral_or_deferral_is_offered(
    patient, fs
):
    answer = ENGINE.plan(assessment(patient, fs))
    in_use = {(p.id, form) for p in P.products_in_use for form in p.forms}
    if {(b.product, b.form) for b in answer.screening.blocked} >= in_use:
        for f in answer.findings:
            assert f.procedure in {"referral", "defer"}
            assert not f.options
            assert not set(f.alternatives) & TREATING_PROCEDURES


@SETTINGS
@given(patients, st.lists(findings, min_size=1, max_size=6))
def test_no_offered_option_uses_a_product_and_form_screening_blocked(patient, fs):
    answer = ENGINE.plan(assessment(patient, fs))
    blocked = {(b.product, b.form) for b in answer.screening.blocked}
    for f in answer.findings:
        assert not {(o.product, o.form) for o in f.options} & blocked


injections = st.fixed_dictionaries(
    {
        "agent": st.just("polidocanol"),
        "form": st.sampled_from(["liquid", "foam"]),
        "concentration_percent": st.sampled_from([0.25, 0.5, 1.0, 2.0, 3.0]),
        "volume_ml": st.floats(min_value=0.05, max_value=6),
    },
    optional={"foam_gas_parts": st.sampled_from([3.0, 4.0])},
)


@SETTINGS
@given(st.floats(min_value=35, max_value=160), st.lists(injections, max_size=12), injections)
def test_a_session_that_passes_the_check_is_within_every_hard_limit_and_more_never_helps(
    weight, given_injections, extra
):
    request = {"patient": {"weight_kg": weight}, "product": "aethoxysklerol", "injections": given_injections}
    answer = ENGINE.check_session(request)
    if answer.within_limits:
        for s in answer.limits:
            assert s.advisory or s.used <= s.max + 1e-9
    else:
        more = ENGINE.check_session({**request, "injections": [*given_injections, extra]})
        assert not more.within_limits


def _ranges(product: str, form: str) -> list[tuple[float | None, float | None]]:
    out = []
    for d in (0.5, 2.0, 5.0):  # telangiectasia, reticular, varicose
        for f in ENGINE.plan(
            {
                "patient": {"weight_kg": 70},
                "findings": [{"id": "a", "side": "left", "diameter_mm": d, "reflux": False}],
                "planned": {"product": product, "form": form},
            }
        ).findings:
            for o in f.options:
                out.append((o.concentration_percent[0], o.concentration_percent[1]))
    return out


@pytest.mark.parametrize(
    ("product", "form"), [("aethoxysklerol", "liquid"), ("fibrovein", "liquid"), ("asclera", "liquid")]
)
def test_concentration_never_decreases_as_the_vein_grows_within_one_product_and_form(product, form):
    ranges = _ranges(product, form)
    assert len(ranges) >= 2
    for (lo1, hi1), (lo2, hi2) in itertools.pairwise(ranges):
        assert lo1 is not None and lo2 is not None and hi1 is not None and hi2 is not None
        assert lo2 >= lo1 and hi2 >= hi1


junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


@SETTINGS
@given(junk)
def test_junk_input_raises_input_error_and_nothing_else(data):
    for method in (ENGINE.plan, ENGINE.screen, ENGINE.check_session, ENGINE.triage, ENGINE.ceap, ENGINE.vcss):
        with contextlib.suppress(InputError):
            method(data)


@SETTINGS
@given(
    patients,
    findings,
    st.sampled_from(["weight_kg", "diameter_mm", "side", "region", "conditions", "reflux"]),
    st.one_of(st.just(-1), st.just("nonsense"), st.just([None]), st.just({}), st.floats(allow_nan=True)),
)
def test_a_mutated_valid_request_raises_input_error_or_plans(patient, finding, key, value):
    request = assessment(patient, [finding])
    if key in patient:
        request["patient"][key] = value
    else:
        request["findings"][0][key] = value
    errors: list[dict[str, str]] = []
    try:
        ENGINE.plan(request)
    except InputError as exc:
        errors = exc.errors
        assert errors, "an InputError always names what is wrong"
