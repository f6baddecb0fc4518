"""What the engine takes in. These are the JSON contract's request shapes.

Checks that need no protocol live here (types, signs, required fields); checks against the loaded
protocol's vocabularies (screening codes, regions, symptom codes, products) happen in the engine.
Both report through :class:`InputError`, which names the field at fault.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from .vocabulary import (
    Agent,
    CeapSign,
    Depth,
    Form,
    Mobility,
    NamedVein,
    Procedure,
    Sex,
    Side,
    VcssItemId,
    VcssLevel,
    VesselClass,
)
from .wording import field_path

_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_UNION_TAGS = frozenset({"int", "float", "str", "bool", "list", "dict"})


def _is_field_name(part: str) -> bool:
    """Whether a part of pydantic's error location names a field, not the union member it tried."""
    return bool(_FIELD_NAME.fullmatch(part)) and part not in _UNION_TAGS


class InputError(ValueError):
    """Bad input. ``errors`` lists ``{"field": "findings[2].diameter_mm", "message": ...}``."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        super().__init__(
            "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        )

    @classmethod
    def single(cls, field: str, message: str) -> InputError:
        return cls([{"field": field, "message": message}])

    @classmethod
    def from_validation(cls, exc: ValidationError) -> InputError:
        """Pydantic's errors with their field paths, without the union-member tags pydantic adds
        (``constrained-int``, ``literal[...]``), one entry per field."""
        merged: dict[str, list[str]] = {}
        for err in exc.errors():
            loc = field_path(err["loc"], keep=_is_field_name)
            messages = merged.setdefault(loc, [])
            if err["msg"] not in messages:
                messages.append(err["msg"])
        return cls([{"field": field, "message": " or ".join(msgs)} for field, msgs in merged.items()])


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


R = TypeVar("R", bound=Request)


def parse(model: type[R], data: R | Mapping[str, Any]) -> R:
    """``data`` as ``model``, raising :class:`InputError` (never another exception) when it is bad."""
    if isinstance(data, model):
        return data
    if not isinstance(data, Mapping):
        raise InputError.single("", f"expected a JSON object, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError.from_validation(exc) from None


Text = Annotated[str, Field(min_length=1, max_length=200)]


def _not_a_boolean(value: Any) -> Any:
    # pydantic's lax mode reads JSON true/false as 1/0; a 1 mm diameter or 1 kg weight guessed from a
    # boolean would be a silent misreading, so a boolean where a number belongs is refused.
    if isinstance(value, bool):
        raise ValueError("Input should be a number, not true or false")
    return value


NotBool = BeforeValidator(_not_a_boolean)


class Patient(Request):
    age_years: Annotated[int, Field(ge=0, le=130), NotBool] | None = None
    sex: Sex = "unknown"
    weight_kg: Annotated[float, Field(gt=0, le=400), NotBool] | None = None
    pregnant: bool = False
    breastfeeding: bool = False
    allergies: list[Text] = []
    conditions: list[Text] = []
    mobility: Mobility = "ambulant"


class Finding(Request):
    id: Text
    side: Side
    region: Text | None = None
    diameter_mm: Annotated[float, Field(gt=0, le=60), NotBool] | None = None
    depth: Depth | None = None
    vessel: VesselClass | None = Field(
        default=None, description="class set by the clinician; wins over diameter"
    )
    named_vein: NamedVein | None = None
    reflux: bool | None = None
    recurrent: bool = False
    visible: bool = True
    bleeding: bool = False

    @model_validator(mode="after")
    def _classifiable(self) -> Finding:
        if self.diameter_mm is None and self.vessel is None and self.named_vein in (None, "other"):
            raise ValueError("a finding needs diameter_mm, vessel or named_vein to be classified")
        return self


class Planned(Request):
    agent: Agent | None = None
    product: Text | None = None
    form: Form | None = None
    concentration_percent: Annotated[float, Field(gt=0, le=100), NotBool] | None = None
    session_number: Annotated[int, Field(ge=1, le=1000), NotBool] = 1


class Assessment(Request):
    """The input of ``plan`` and ``screen``."""

    patient: Patient
    findings: list[Finding] = []
    planned: Planned | None = None

    @model_validator(mode="after")
    def _unique_ids(self) -> Assessment:
        seen: set[str] = set()
        for f in self.findings:
            if f.id in seen:
                raise ValueError(f"finding id {f.id!r} is used twice")
            seen.add(f.id)
        return self


class Injection(Request):
    agent: Agent
    form: Form
    concentration_percent: Annotated[float, Field(gt=0, le=100), NotBool]
    volume_ml: Annotated[float, Field(gt=0, le=100), NotBool]
    product: Text | None = None
    foam_gas_parts: Annotated[float, Field(gt=0, le=20), NotBool] | None = Field(
        default=None, description="gas parts per liquid part of the foam (4 for 1 + 4)"
    )
    finding_id: Text | None = None


class SessionCheck(Request):
    """The input of ``check-session``."""

    patient: Patient
    product: Text | None = None
    planned_products: list[Text] = Field(
        default=[],
        description="products the session's plan may use: their limits are listed from the start, "
        "before any injection of them",
    )
    session_number: Annotated[int, Field(ge=1, le=1000), NotBool] = 1
    injections: list[Injection] = []
    earlier_today: list[Injection] = Field(
        default=[],
        description="injections given to the patient earlier the same day in other sessions; "
        "they count toward the daily dose limits only",
    )


class TreatmentGiven(Request):
    agent: Agent | None = None
    form: Form | None = None
    procedure: Procedure | None = None


class TriageRequest(Request):
    symptom: Text
    days_since_treatment: Annotated[float, Field(ge=0, le=3650), NotBool]
    treatment: TreatmentGiven = TreatmentGiven()


class CeapRequest(Request):
    signs: list[CeapSign] = []


class CeapSuggestionRequest(Request):
    findings: list[Finding] = []


class VcssRequest(Request):
    items: dict[VcssItemId, Annotated[int, Field(ge=0, le=3), NotBool] | VcssLevel]
