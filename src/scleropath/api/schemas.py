"""Shapes shared by the record endpoints: the error body, pages, and constrained input types."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Generic, TypeVar

from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints

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


# Dates a clinic can record: the API refuses years a calendar calculation could overflow on.
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


def _sensible_date(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"Give a date between {EARLIEST:%Y} and {LATEST:%Y}.")
    return value


ClinicDate = Annotated[date, AfterValidator(_sensible_date)]


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
