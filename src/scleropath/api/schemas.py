"""Shapes shared by the record endpoints: the error body, pages, and constrained input types."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, Field, StringConstraints, ValidationInfo, model_validator
from pydantic.functional_validators import ModelWrapValidatorHandler
from pydantic_core import PydanticCustomError

from scleropath.core.validators import normalise_phone, validate_date_of_birth
from scleropath.followup.models import NOTE_MAX_CHARS

T = TypeVar("T")

# Database ids: BigAutoField, so anything larger cannot exist (and would overflow a query).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Text never contains NUL (PostgreSQL cannot store it); lengths match the model fields.
_NO_NUL = r"^[^\x00]*$"


Text = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=10_000)]
Text20 = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=20)]
Text30 = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=30)]
Text50 = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=50)]
Name = Annotated[str, StringConstraints(pattern=_NO_NUL, min_length=1, max_length=100)]
Reason = Annotated[str, StringConstraints(pattern=_NO_NUL, min_length=1, max_length=1000)]
NoteText = Annotated[str, StringConstraints(pattern=_NO_NUL, min_length=1, max_length=NOTE_MAX_CHARS)]


# Dates a clinic can record: the API refuses years a calendar calculation could overflow on.
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


def _sensible_date(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"Give a date between {EARLIEST:%Y} and {LATEST:%Y}.")
    return value


ClinicDate = Annotated[date, AfterValidator(_sensible_date)]


def _rule(check: Callable[[Any], None]) -> AfterValidator:
    """One of ``core/validators.py``'s checks as a pydantic validator, its message unchanged."""

    def run(value: Any) -> Any:
        try:
            check(value)
        except ValidationError as exc:
            raise PydanticCustomError("invalid", exc.messages[0]) from None
        return value

    return AfterValidator(run)


# The same rule as the registration form and the model: 1900 or later, not in the future.
BirthDate = Annotated[date, _rule(validate_date_of_birth)]

# The same rule as the form and the model: a valid number, stored in E.164 (blank allowed).
Phone = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=50), _rule(normalise_phone)]


class InputSchema(Schema):
    """A request body: a JSON object. A list or a bare value is refused (422), never read as an
    object with every field left at its default (``[]`` once made an empty assessment)."""

    # Replaces ninja's own root validator of the same name, which reads anything as an object (so
    # that a response can be built from a model instance): the check must come before it.
    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if not isinstance(values, dict):
            raise PydanticCustomError(
                "object_expected", "Send a JSON object ({...}) as the request body, not a list or a value."
            )
        return handler(DjangoGetter(values, cls, info.context))


class FieldError(Schema):
    field: str = Field(description="The field at fault as a path (`findings[0].diameter_mm`), or empty.")
    message: str


class LimitBreach(Schema):
    code: str
    limit_id: str | None = None
    message: str


class ErrorBody(Schema):
    errors: list[FieldError]
    limits: list[LimitBreach] | None = Field(
        default=None, description="On a refused injection: each session limit it would pass."
    )


class Page(Schema, Generic[T]):
    count: int = Field(description="How many records match the filters in all.")
    limit: int
    offset: int
    items: list[T]


ERRORS = {400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody}
WRITE_ERRORS = {**ERRORS, 409: ErrorBody}
