"""Properties of check-session and of a plan's session limits, for any patient and any injections
drawn from the protocol's own formulary: the general foam limit, allergy names, screening, strengths
between the labelled ones, the day's earlier sessions and the words of a violation."""

from __future__ import annotations

import inspect

from hypothesis import assume, example, given
from hypothesis import strategies as st

from scleropath.protocol import Engine, session
from scleropath.protocol.answers import SessionCheckAnswer
from scleropath.protocol.schema import ProductDef, TotalVolumeLimit

from .support import PROPERTY_SETTINGS, Json
from .test_properties import CONDITIONS, PRODUCTS, assessment, findings, injections, patients, sessions

ENGINE = Engine()
P = ENGINE.protocol
GENERAL_FOAM = [g for g in P.formulary.general_limits if g.kind == "foam_volume_ml"]
FOAM_PRODUCTS = [p.id for p in PRODUCTS if "foam" in p.forms]


def foam_of(product_id: str) -> st.SearchStrategy[Json]:
    product = P.products[product_id]
    return st.fixed_dictionaries(
        {
            "agent": st.just(product.agent),
            "product": st.just(product.id),
            "form": st.just("foam"),
            "concentration_percent": st.sampled_from(
                product.foamable_strengths_percent or product.strengths_percent
            ),
            "volume_ml": st.floats(min_value=0.5, max_value=4),
            "foam_gas_parts": st.just(4.0),
        }
    )


foam_injections = st.sampled_from(FOAM_PRODUCTS).flatmap(foam_of)


def limit_status(answer: SessionCheckAnswer, limit_id: str) -> tuple[float, bool] | None:
    found = [(s.used, s.within) for s in answer.limits if s.id == limit_id]
    return found[0] if found else None


# --- the general foam limit ---------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(st.lists(foam_injections, min_size=1, max_size=10))
def test_the_general_foam_limit_counts_all_the_sessions_foam_whatever_the_products(
    foam: list[Json],
) -> None:
    assert GENERAL_FOAM, "the protocol has a general foam limit"
    answer = ENGINE.check_session({"patient": {"weight_kg": 200}, "injections": foam})
    total = sum(i["volume_ml"] for i in foam)
    for general in GENERAL_FOAM:
        found = limit_status(answer, general.id)
        assert found is not None, f"{general.id} is not checked for {sorted({i['product'] for i in foam})}"
        used, within = found
        assert abs(used - total) < 1e-3
        assert within == (total <= general.max + 1e-9)
        if total > general.max + 1e-9:
            assert general.id in {v.limit_id for v in answer.violations}
            assert not answer.within_limits


@PROPERTY_SETTINGS
@given(patients, st.lists(findings, min_size=1, max_size=6))
def test_a_plan_that_offers_foam_states_the_general_foam_limit_as_its_ceiling(
    patient: Json, fs: list[Json]
) -> None:
    limits = ENGINE.plan(assessment(patient, fs)).session_limits
    foam_products = {
        lim.product for lim in limits.limits if lim.product and "foam" in P.products[lim.product].forms
    }
    assume(foam_products)
    assert {g.id for g in GENERAL_FOAM} <= {lim.id for lim in limits.limits}
    assert limits.foam_max_ml is not None
    assert limits.foam_max_ml <= min(g.max for g in GENERAL_FOAM)


# --- what a plan's limits cover ------------------------------------------------------------------

REFLUXING_GSV = {"side": "left", "named_vein": "gsv", "reflux": True}
PERFORATOR = {"side": "left", "named_vein": "perforator", "reflux": True}


@PROPERTY_SETTINGS
@given(patients, st.lists(findings, min_size=1, max_size=6))
@example({"weight_kg": 70}, [REFLUXING_GSV, PERFORATOR])
def test_a_plans_session_limits_cover_every_product_it_offers_as_an_option_or_an_alternative(
    patient: Json, fs: list[Json]
) -> None:
    answer = ENGINE.plan(assessment(patient, fs))
    limits = answer.session_limits
    offered = {o.product for f in answer.findings for o in f.options}
    limited = {lim.product for lim in limits.limits}
    for pid in offered:
        product = P.products[pid]
        if any(not getattr(lim, "when_condition", None) for lim in product.limits):
            assert pid in limited, (pid, [f.procedure for f in answer.findings])
        if patient.get("weight_kg") is not None and P.agents[product.agent].daily_max_mg_per_kg:
            assert f"agent.{product.agent}.daily_max" in {lim.id for lim in limits.limits}
            if product.agent == "polidocanol":
                assert limits.polidocanol_max_mg is not None


# --- allergy names ------------------------------------------------------------------------------

FORMULARY_NAMES: list[tuple[str, str]] = [
    *((name, a.id) for a in P.formulary.agents for name in (a.id, a.display, *a.synonyms)),
    *((name, p.agent) for p in PRODUCTS for name in (p.id, p.display)),
]


@st.composite
def written_names(draw: st.DrawFn) -> tuple[str, str]:
    """A formulary name as a person might type it: any case, extra spaces, British spelling."""
    name, agent = draw(st.sampled_from(FORMULARY_NAMES))
    if draw(st.booleans()):
        name = name.replace("sulfate", "sulphate").replace("_", " ")
    cased = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in name)
    spaced = " ".join(cased.split(" ")) if not draw(st.booleans()) else "  ".join(cased.split(" "))
    return f"{' ' * draw(st.integers(0, 2))}{spaced}", agent


def one_injection_of(agent: str) -> Json:
    product = next(pid for a, pid in P.manifest.default_products.items() if a == agent)
    return {
        "agent": agent,
        "product": product,
        "form": "liquid",
        "concentration_percent": 1,
        "volume_ml": 0.2,
    }


@PROPERTY_SETTINGS
@given(written_names())
@example(("lauromacrogol 400", "polidocanol"))
@example(("sodium tetradecyl sulphate", "sodium_tetradecyl_sulfate"))
@example(("Sodium Tetradecyl  Sulfate", "sodium_tetradecyl_sulfate"))
@example(("POLIDOCANOL", "polidocanol"))
def test_an_allergy_written_as_any_name_the_formulary_uses_is_refused_by_check_session_and_screening(
    written: tuple[str, str],
) -> None:
    entry, agent = written
    patient = {"weight_kg": 70, "allergies": [entry]}
    check = ENGINE.check_session({"patient": patient, "injections": [one_injection_of(agent)]})
    assert [(v.code, v.injection_index) for v in check.violations] == [("allergy_to_agent", 0)]
    screening = ENGINE.screen({"patient": patient})
    assert "allergy_to_agent" in {f.code for f in screening.findings}
    assert "allergy_unrecognised" not in {f.code for f in screening.findings}
    plan = ENGINE.plan(assessment(patient, [{"side": "left", "diameter_mm": 4}]))
    assert agent not in {o.agent for f in plan.findings for o in f.options}


@PROPERTY_SETTINGS
@given(
    st.lists(
        written_names().map(lambda w: w[0])
        | st.sampled_from(["latex", "penicillin", "iodine", "poli docanol"]),
        min_size=1,
        max_size=3,
    )
)
def test_check_session_and_screening_agree_on_which_allergies_they_cannot_match(allergies: list[str]) -> None:
    patient = {"weight_kg": 70, "allergies": allergies}
    check = ENGINE.check_session({"patient": patient, "injections": []})
    screening = ENGINE.screen({"patient": patient})
    unmatched = [f.message for f in screening.findings if f.code == "allergy_unrecognised"]
    assert unmatched == [w for w in check.warnings if w.startswith("Allergy ")]
    for entry in ("latex", "penicillin", "iodine", "poli docanol"):
        assert any(repr(entry) in w for w in unmatched) == (entry in allergies)


# --- screening ----------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(
    st.lists(st.sampled_from(CONDITIONS), min_size=1, max_size=3, unique=True),
    st.booleans(),
    st.lists(injections, min_size=1, max_size=6),
)
def test_check_session_refuses_every_injection_whose_product_and_form_screening_blocks(
    conditions: list[str], pregnant: bool, given_injections: list[Json]
) -> None:
    patient = {"weight_kg": 70, "conditions": conditions, "pregnant": pregnant}
    answer = ENGINE.check_session({"patient": patient, "injections": given_injections})
    refused = {v.injection_index for v in answer.violations if v.code == "contraindicated_on_screening"}
    for i, inj in enumerate(given_injections):
        planned = {"product": inj["product"], "form": inj["form"]}
        blocked = ENGINE.screen({"patient": patient, "planned": planned}).blocked
        assert (i in refused) == bool(blocked), (inj, [b.codes for b in blocked])
    if refused:
        assert not answer.within_limits


# --- strengths between the labelled ones ---------------------------------------------------------

CAPPED = [p for p in PRODUCTS if any(getattr(lim, "at_concentration_percent", None) for lim in p.limits)]


def labelled_at_or_above(strengths: list[float], percent: float) -> float:
    return next((s for s in sorted(strengths) if s >= percent), max(strengths))


@PROPERTY_SETTINGS
@given(
    st.sampled_from(CAPPED),
    st.lists(
        st.tuples(st.floats(min_value=0.05, max_value=6), st.floats(min_value=0.1, max_value=2)),
        min_size=1,
        max_size=12,
    ),
)
@example(P.products["fibrovein"], [(2.0, 1.5)] * 4)
def test_an_unlabelled_strength_is_held_to_the_per_strength_limits_of_the_next_labelled_strength_up(
    prod: ProductDef, doses: list[tuple[float, float]]
) -> None:

    def check(strength_of: object) -> SessionCheckAnswer:
        return ENGINE.check_session(
            {
                "patient": {"weight_kg": 200},
                "product": prod.id,
                "injections": [
                    {
                        "agent": prod.agent,
                        "form": "liquid",
                        "concentration_percent": strength_of(c),  # type: ignore[operator]
                        "volume_ml": v,
                    }
                    for c, v in doses
                ],
            }
        )

    actual = check(lambda c: c)
    as_labelled = check(lambda c: labelled_at_or_above(prod.strengths_percent, c))
    per_strength = {lim.id for lim in prod.limits if getattr(lim, "at_concentration_percent", None)}
    for lim_id in per_strength:
        assert limit_status(actual, lim_id) == limit_status(as_labelled, lim_id), lim_id
    violated = {v.limit_id for v in actual.violations} & per_strength
    assert violated == {v.limit_id for v in as_labelled.violations} & per_strength
    for i, (c, _) in enumerate(doses):
        cap = labelled_at_or_above(prod.strengths_percent, c)
        said = [w for w in actual.warnings if w.startswith(f"Injection {i + 1}:") and "per-strength" in w]
        assert bool(said) == (abs(cap - c) > 1e-9), (c, actual.warnings)
        if said:
            assert f"those of {cap:g}%" in said[0]


def test_fibrovein_at_2_percent_is_held_to_the_3_percent_limit_of_4_ml() -> None:
    volume_cap = next(
        lim
        for lim in P.products["fibrovein"].limits
        if isinstance(lim, TotalVolumeLimit) and lim.at_concentration_percent == 3
    )
    two_percent = {
        "agent": "sodium_tetradecyl_sulfate",
        "form": "liquid",
        "concentration_percent": 2,
        "volume_ml": 1,
    }
    answer = ENGINE.check_session(
        {"patient": {"weight_kg": 70}, "product": "fibrovein", "injections": [two_percent] * 5}
    )
    assert volume_cap.id in {v.limit_id for v in answer.violations}
    assert any(
        "per-strength limits are those of 3%, the next labelled strength up" in w for w in answer.warnings
    )


# --- the day's earlier sessions -----------------------------------------------------------------


@PROPERTY_SETTINGS
@given(sessions, st.lists(injections, max_size=6))
def test_earlier_injections_of_the_day_count_toward_the_daily_dose_only(
    checked: Json, earlier: list[Json]
) -> None:
    alone = ENGINE.check_session(checked)
    with_day = ENGINE.check_session({**checked, "earlier_today": earlier})
    whole_day = ENGINE.check_session({**checked, "injections": [*earlier, *checked["injections"]]})
    assert with_day.totals.polidocanol_mg == alone.totals.polidocanol_mg
    assert abs(with_day.totals.polidocanol_mg_today - whole_day.totals.polidocanol_mg) < 1e-3
    for status in with_day.limits:
        if status.kind == "agent_dose_mg":
            assert abs(status.used - with_day.totals.polidocanol_mg_today) < 1e-3
        else:
            assert (status.used, status.within) == limit_status(alone, status.id)
    if not earlier:
        assert with_day == alone
        assert alone.totals.polidocanol_mg_today == alone.totals.polidocanol_mg


def test_a_dose_within_the_session_but_over_the_day_is_refused_and_says_so() -> None:
    seven_ml = {"agent": "polidocanol", "form": "liquid", "concentration_percent": 1, "volume_ml": 7}
    answer = ENGINE.check_session(
        {"patient": {"weight_kg": 70}, "injections": [seven_ml], "earlier_today": [seven_ml, seven_ml]}
    )
    assert answer.totals.polidocanol_mg == 70
    assert answer.totals.polidocanol_mg_today == 210
    [violation] = answer.violations
    assert (violation.code, violation.injection_index) == ("dose_limit_exceeded", 0)
    assert "140 mg of it in earlier sessions today" in violation.message


# --- words --------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(sessions)
def test_violation_messages_are_words_without_rule_ids(checked: Json) -> None:
    answer = ENGINE.check_session(checked)
    for violation in answer.violations:
        assert violation.rule_ids
        for rule_id in violation.rule_ids:
            assert rule_id not in violation.message


def test_the_session_check_does_not_depend_on_the_planner() -> None:
    assert "planning" not in inspect.getsource(session)
