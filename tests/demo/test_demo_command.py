"""The demo command and the demo's determinism (each loads the demo into its own database)."""

from __future__ import annotations

import io

import pytest

from scleropath.core.demo import load_demo
from scleropath.followup.models import AdverseEvent
from scleropath.patients.models import Patient
from scleropath.treatment.models import Injection, TreatmentSession


def test_the_command_prints_how_to_sign_in(db):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert "http://127.0.0.1:8000/" in printed
    assert "alice" in printed and "Clinician" in printed


@pytest.mark.django_db(transaction=True)
def test_the_demo_is_the_same_every_time():
    load_demo(io.StringIO())
    first = sorted(Patient.objects.values_list("family_name", "given_name", "nhs_number"))
    counts = (TreatmentSession.objects.count(), Injection.objects.count(), AdverseEvent.objects.count())
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    load_demo(io.StringIO())
    assert sorted(Patient.objects.values_list("family_name", "given_name", "nhs_number")) == first
    assert (
        TreatmentSession.objects.count(),
        Injection.objects.count(),
        AdverseEvent.objects.count(),
    ) == counts
