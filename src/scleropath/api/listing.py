"""Lists: limit/offset pages with the total count, date-range filters, and an audited read of every
record returned (a list of patient data is read as surely as a detail page is), with one entry
naming the patients the page showed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import DateTimeField, Model, QuerySet
from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from scleropath.accounts.access import record_access
from scleropath.accounts.models import User
from scleropath.accounts.permissions import Action
from scleropath.core.models import ClinicalRecord
from scleropath.patients.access import record_listing

from .auth import caller

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


class ListQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Records per page (at most {MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many matching records to skip.")
    since: date | None = Field(None, description="Only records on or after this day.")
    until: date | None = Field(None, description="Only records on or before this day.")


def in_range(queryset: QuerySet[Any], field: str, query: ListQuery, is_datetime: bool) -> QuerySet[Any]:
    """Filter ``queryset`` to ``query``'s date range on ``field`` (a day, or the local day of a time)."""
    lookup = f"{field}__date" if is_datetime else field
    if query.since is not None:
        queryset = queryset.filter(**{f"{lookup}__gte": query.since})
    if query.until is not None:
        queryset = queryset.filter(**{f"{lookup}__lte": query.until})
    return queryset


def page(request: HttpRequest, queryset: QuerySet[Any], query: ListQuery) -> dict[str, Any]:
    """One page of ``queryset`` with the total count. Each record returned is written to the audit
    log, and so is the list itself with the patients whose records it returned."""
    total = queryset.count()
    rows: list[Model] = list(queryset[query.offset : query.offset + query.limit])
    record_access(*rows)
    if isinstance(request.user, User):
        record_listing(request.user, rows, f"API: {request.get_full_path()}")
    return {"count": total, "limit": query.limit, "offset": query.offset, "items": rows}


def listed(
    request: HttpRequest,
    model: type[ClinicalRecord],
    query: ListQuery,
    *,
    by: str,
    order: tuple[str, ...],
    action: Action = Action.VIEW_CLINICAL,
    **filters: Any,
) -> dict[str, Any]:
    """One audited page of the caller's live ``model`` records: those matching ``filters`` (a filter
    given as None is left out), in ``order``, within ``query``'s date range on the field ``by``."""
    queryset = model.objects.restrict(caller(request), action)
    queryset = queryset.filter(**{k: v for k, v in filters.items() if v is not None})
    is_datetime = isinstance(model._meta.get_field(by), DateTimeField)
    return page(request, in_range(queryset.order_by(*order), by, query, is_datetime), query)
