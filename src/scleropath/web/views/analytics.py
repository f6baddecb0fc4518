"""The analytics pages: the dashboard, the list behind each figure, CSV for every table and the
quarterly PDF report. Managers and clinicians only (``Action.VIEW_ANALYTICS``)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from scleropath.accounts.access import clinic_id_of
from scleropath.accounts.models import Clinic, User
from scleropath.accounts.permissions import Action, require
from scleropath.analytics import charts, drill, literature, queries
from scleropath.analytics.literature import Published
from scleropath.analytics.tables import table_named, tables
from scleropath.patients.access import record_listing

from ..forms import PeriodForm
from ..pdf import render_pdf
from ..shortcuts import staff

PAGE_SIZE = 25


def last_quarter(today: date) -> tuple[date, date]:
    """The last full calendar quarter before ``today``."""
    first_of_this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_this - timedelta(days=1)
    start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    return start, end


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    """The period asked for, or the last full quarter when none (or an invalid one) is given."""
    default_start, default_end = last_quarter(timezone.localdate())
    if "start" not in request.GET and "end" not in request.GET:
        form = PeriodForm(initial={"start": default_start, "end": default_end})
        return form, default_start, default_end
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default_start, default_end


def _clinic(user: User) -> Clinic:
    require(user, Action.VIEW_ANALYTICS)
    clinic_id_of(user)  # a member of staff with no clinic has no figures
    assert user.clinic is not None
    return user.clinic


def _query(start: date, end: date) -> str:
    return f"start={start.isoformat()}&end={end.isoformat()}"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    clinic = _clinic(user)
    form, start, end = _period(request)
    d = queries.dashboard(clinic, start, end)
    this_start, this_end = last_quarter(timezone.localdate())
    context = {
        "form": form,
        "d": d,
        "tables": tables(d),
        "charts": charts.dashboard_charts(d),
        "query": _query(start, end),
        "last_quarter_query": _query(this_start, this_end),
        "literature_refs": literature.cited_ids(),
    }
    return render(request, "web/analytics/dashboard.html", context, status=400 if form.errors else 200)


@login_required
def drill_down(request: HttpRequest, figure: str) -> HttpResponse:
    user = staff(request)
    clinic = _clinic(user)
    form, start, end = _period(request)
    key = request.GET.get("key", "")
    found = drill.build(figure, key, clinic, start, end)
    what = f"Analytics: {found.title}, {start.isoformat()} to {end.isoformat()}"
    if request.GET.get("format") == "csv":
        shown: list[int] = []
        rows = map(found.row, found.queryset.iterator(chunk_size=500))
        response = _csv(f"{figure}-{start}-{end}.csv", found.headers, _noting(rows, shown))
        record_listing(user, shown, f"{what} (CSV)")
        return response
    page = Paginator(found.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    drill_rows = [found.row(obj) for obj in page.object_list]
    record_listing(user, [r.patient_id for r in drill_rows], f"{what}, page {page.number}")
    context = {
        "form": form,
        "drill": found,
        "rows": drill_rows,
        "page": page,
        "figure": figure,
        "key": key,
        "query": _query(start, end),
        "start": start,
        "end": end,
    }
    return render(request, "web/analytics/drill.html", context)


def _noting(rows: Iterator[drill.DrillRow], patient_ids: list[int]) -> Iterator[list[str]]:
    """The rows' cells, noting in ``patient_ids`` each row's patient as it is written."""
    for row in rows:
        patient_ids.append(row.patient_id)
        yield row.cells


@login_required
def table_csv(request: HttpRequest, name: str) -> HttpResponse:
    user = staff(request)
    clinic = _clinic(user)
    _form, start, end = _period(request)
    table = table_named(queries.dashboard(clinic, start, end), name)
    if table is None:
        raise Http404("No such table")
    headers, rows = table.headers, [r.cells for r in table.rows]
    if table.has_row_literature:
        headers = [*headers, "Published"]
        rows = [[*r.cells, _published_text(r.published)] for r in table.rows]
    return _csv(f"{name}-{start}-{end}.csv", headers, rows)


def _published_text(published: list[Published]) -> str:
    return " ".join(f"{p.text} [{' '.join(p.cite)}]" for p in published)


def _csv(filename: str, headers: list[str], rows: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe_cell(c) for c in row])
    return response


def _safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") and not _is_number(value) else value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The period's figures, charts and published figures as a PDF for the governance meeting."""
    user = staff(request)
    clinic = _clinic(user)
    _form, start, end = _period(request)
    d = queries.dashboard(clinic, start, end)
    context = {
        "d": d,
        "tables": tables(d),
        "charts": charts.dashboard_charts(d),
        "printed": timezone.localdate(),
        "printed_by": user.display_name,
    }
    html = render_to_string("web/analytics/report.html", context, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="analytics-{clinic.slug}-{start}-{end}.pdf"'
    return response
