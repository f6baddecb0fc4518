"""Requests that may write run in one transaction (committed when the view returns, rolled back when
it raises); reads and the views that opt out run in autocommit."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from scleropath.patients.models import Patient

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]


def _write(request: HttpRequest) -> None:
    Patient.objects.create(
        clinic_id=int(request.GET["clinic"]),
        given_name="Ann",
        family_name=request.method or "",
        date_of_birth=date(1970, 5, 1),
    )


def writes(request: HttpRequest) -> HttpResponse:
    _write(request)
    return HttpResponse("in a transaction" if connection.in_atomic_block else "autocommit")


def writes_then_fails(request: HttpRequest) -> HttpResponse:
    _write(request)
    raise RuntimeError("the view failed after writing")


@transaction.non_atomic_requests
def opted_out(request: HttpRequest) -> HttpResponse:
    return HttpResponse("in a transaction" if connection.in_atomic_block else "autocommit")


urlpatterns = [
    path("writes/", writes),
    path("fails/", writes_then_fails),
    path("opted-out/", opted_out),
]


def test_a_post_runs_in_a_transaction_and_is_committed(clinics, client):
    response = client.post(f"/writes/?clinic={clinics.a.pk}")
    assert response.content == b"in a transaction"
    assert Patient.objects.filter(family_name="POST").exists()


def test_a_post_whose_view_raises_is_rolled_back(clinics, client):
    client.raise_request_exception = False
    response = client.post(f"/fails/?clinic={clinics.a.pk}")
    assert response.status_code == 500
    assert not Patient.objects.filter(family_name="POST").exists()


def test_a_get_runs_in_autocommit(clinics, client):
    assert client.get(f"/writes/?clinic={clinics.a.pk}").content == b"autocommit"


def test_a_post_view_that_opts_out_runs_in_autocommit(clinics, client):
    assert client.post("/opted-out/").content == b"autocommit"


@pytest.mark.django_db  # the test's own transaction surrounds the requests
def test_a_failed_request_leaves_a_transaction_around_it_usable(clinics, client):
    client.raise_request_exception = False
    assert client.get(f"/fails/?clinic={clinics.a.pk}").status_code == 500
    assert client.post(f"/fails/?clinic={clinics.a.pk}").status_code == 500
    assert list(Patient.objects.values_list("family_name", flat=True)) == ["GET"]
