"""Bad input, however it is made, is refused as InputError and never raises anything else: random junk,
valid requests mutated at a random place, negative numbers, wrong types and unknown codes."""

from __future__ import annotations

import copy
import string
from typing import Any, get_args

from hypothesis import given
from hypothesis import strategies as st

from scleropath.protocol import Engine, InputError
from scleropath.protocol.vocabulary import (
    CeapSign,
    Depth,
    Form,
    Mobility,
    NamedVein,
    Procedure,
    Sex,
    VcssItemId,
    VcssLevel,
    VesselClass,
)

from .support import PROPERTY_SETTINGS, Json

ENGINE = Engine()  # hypothesis calls a test many times; function-scoped fixtures would be shared
P = ENGINE.protocol
CONDITIONS = sorted(P.condition_codes)
REGIONS = [r.id for r in P.procedures.regions]


junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "patient",
        "findings",
        "planned",
        "injections",
        "symptom",
        "days_since_treatment",
        "signs",
        "items",
        "id",
        "side",
    ]
)
junk_requests = st.dictionaries(KEYS, junk, max_size=4) | junk

VALID_REQUESTS: dict[str, Json] = {
    "plan": {
        "patient": {
            "weight_kg": 70,
            "conditions": ["hormonal_therapy"],
            "allergies": ["latex"],
            "mobility": "reduced",
        },
        "findings": [
            {"id": "a", "side": "left", "region": "calf_medial", "diameter_mm": 4, "depth": "subcutaneous"},
            {"id": "b", "side": "right", "named_vein": "gsv", "reflux": True, "vessel": "truncal"},
        ],
        "planned": {
            "agent": "polidocanol",
            "product": "aethoxysklerol",
            "form": "foam",
            "concentration_percent": 1,
        },
    },
    "check_session": {
        "patient": {"weight_kg": 70, "conditions": ["allergic_diathesis"]},
        "product": "aethoxysklerol",
        "session_number": 1,
        "injections": [
            {
                "agent": "polidocanol",
                "form": "foam",
                "concentration_percent": 1,
                "volume_ml": 2,
                "foam_gas_parts": 4,
            },
            {
                "agent": "sodium_tetradecyl_sulfate",
                "product": "fibrovein",
                "form": "liquid",
                "concentration_percent": 0.2,
                "volume_ml": 0.5,
                "finding_id": "a",
            },
        ],
    },
    "triage": {
        "symptom": "pain_tenderness",
        "days_since_treatment": 9,
        "treatment": {"agent": "polidocanol", "form": "foam", "procedure": "foam_sclerotherapy"},
    },
    "ceap": {"signs": ["varicose_veins", "corona_phlebectatica"]},
    "vcss": {"items": dict.fromkeys(get_args(VcssItemId), "mild")},
    "classify": {"id": "a", "side": "left", "diameter_mm": 2, "depth": "subcutaneous", "recurrent": True},
}
METHODS = {name: getattr(ENGINE, name) for name in VALID_REQUESTS} | {"screen": ENGINE.screen}


def refuses_or_answers(method: str, request: Any) -> InputError | None:
    """Call the engine; an InputError is returned, any other exception fails the test."""
    error: InputError | None = None
    try:
        METHODS[method](request)
    except InputError as exc:
        error = exc
    if error is not None:
        assert error.errors and all(set(e) == {"field", "message"} for e in error.errors)
    return error


def paths(node: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every path to a value inside a JSON-like request."""
    out: list[tuple[str | int, ...]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        out.append((*prefix, key))
        out.extend(paths(value, (*prefix, key)))
    return out


def mutate(request: Json, path: tuple[str | int, ...], how: str, value: Any) -> tuple[Json, bool]:
    """``request`` with the value at ``path`` replaced or deleted, or an unknown key added beside it;
    and whether an unknown key was added (only possible where the parent is a mapping)."""
    out = copy.deepcopy(request)
    node: Any = out
    for step in path[:-1]:
        node = node[step]
    last = path[-1]
    if how == "delete":
        del node[last]
    elif how == "add_key" and isinstance(node, dict):
        node["not_a_field"] = value
        return out, True
    else:
        node[last] = value
    return out, False


def replaced(method: str, path: tuple[str | int, ...], value: Any) -> Json:
    return mutate(VALID_REQUESTS[method], path, "replace", value)[0]


@PROPERTY_SETTINGS
@given(st.sampled_from(sorted(METHODS)), junk_requests)
def test_junk_input_raises_input_error_and_never_another_exception(method: str, request: Any) -> None:
    refuses_or_answers(method, request)


@PROPERTY_SETTINGS
@given(
    st.data(),
    st.sampled_from(sorted(VALID_REQUESTS)),
    st.sampled_from(["replace", "delete", "add_key"]),
    junk,
)
def test_a_mutated_valid_request_is_answered_or_refused_as_input_error(
    data: st.DataObject, method: str, how: str, value: Any
) -> None:
    request = VALID_REQUESTS[method]
    assert refuses_or_answers(method, request) is None, "the unmutated request is valid"
    path = data.draw(st.sampled_from(paths(request)))
    mutated, added_key = mutate(request, path, how, value)
    error = refuses_or_answers(method, mutated)
    if added_key:
        assert error is not None, "an unknown key is refused"


NUMBER_PATHS: dict[str, list[tuple[str | int, ...]]] = {
    "plan": [
        ("patient", "weight_kg"),
        ("findings", 0, "diameter_mm"),
        ("planned", "concentration_percent"),
    ],
    "check_session": [
        ("patient", "weight_kg"),
        ("session_number",),
        ("injections", 0, "volume_ml"),
        ("injections", 0, "concentration_percent"),
        ("injections", 0, "foam_gas_parts"),
    ],
    "triage": [("days_since_treatment",)],
    "classify": [("diameter_mm",)],
}


@PROPERTY_SETTINGS
@given(
    st.sampled_from([(m, p) for m, ps in NUMBER_PATHS.items() for p in ps]),
    st.floats(max_value=-1e-6, allow_nan=False) | st.integers(max_value=-1),
)
def test_a_negative_number_is_refused_naming_its_field(
    method_path: tuple[str, tuple[str | int, ...]], value: float
) -> None:
    method, path = method_path
    error = refuses_or_answers(method, replaced(method, path, value))
    assert error is not None
    assert error.errors[0]["field"] == ".".join(str(p) for p in path).replace(".0.", "[0].")


@PROPERTY_SETTINGS
@given(
    st.sampled_from([(m, p) for m, ps in NUMBER_PATHS.items() for p in ps]),
    st.booleans()
    | st.lists(st.integers(), max_size=2)
    | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
    | st.text(alphabet="abcxyz ", max_size=6),
)
def test_a_value_of_the_wrong_type_for_a_number_is_refused(
    method_path: tuple[str, tuple[str | int, ...]], value: Any
) -> None:
    method, path = method_path
    assert refuses_or_answers(method, replaced(method, path, value)) is not None


CODE_PATHS: dict[str, list[tuple[str | int, ...]]] = {
    "plan": [
        ("patient", "conditions", 0),
        ("patient", "mobility"),
        ("findings", 0, "side"),
        ("findings", 0, "region"),
        ("findings", 0, "depth"),
        ("findings", 1, "vessel"),
        ("findings", 1, "named_vein"),
        ("planned", "agent"),
        ("planned", "product"),
        ("planned", "form"),
    ],
    "check_session": [
        ("product",),
        ("injections", 0, "agent"),
        ("injections", 0, "form"),
        ("injections", 1, "product"),
    ],
    "triage": [("symptom",), ("treatment", "form"), ("treatment", "procedure")],
    "ceap": [("signs", 0)],
    "vcss": [("items", "pain")],
}
KNOWN_CODES = (
    set(CONDITIONS)
    | set(REGIONS)
    | set(P.products)
    | set(P.symptoms)
    | {*get_args(Mobility), *get_args(Sex), *get_args(Depth), *get_args(VesselClass), *get_args(NamedVein)}
    | {
        *get_args(Form),
        *get_args(Procedure),
        *get_args(CeapSign),
        *get_args(VcssLevel),
        *P.agents,
        "left",
        "right",
    }
)


@PROPERTY_SETTINGS
@given(
    st.sampled_from([(m, p) for m, ps in CODE_PATHS.items() for p in ps]),
    st.text(alphabet=string.ascii_letters + "_ -", min_size=1, max_size=12).filter(
        lambda t: t not in KNOWN_CODES
    ),
)
def test_an_unknown_code_is_refused(method_path: tuple[str, tuple[str | int, ...]], code: str) -> None:
    method, path = method_path
    assert refuses_or_answers(method, replaced(method, path, code)) is not None
