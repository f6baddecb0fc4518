"""The load_demo command: how to sign in, a polite refusal, a reset that reloads the same demo."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from scleropath.assessments.models import VeinFinding
from scleropath.core.models import ClinicalRecord
from scleropath.followup.models import AdverseEvent
from scleropath.patients.models import Patient
from scleropath.treatment.models import Injection


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def fingerprint() -> dict[str, Any]:
    """What two loads of the demo must share (ids, and times counted back from the moment of loading,
    aside)."""
    from django.apps import apps

    return {
        "counts": {
            m.__name__: m._default_manager.count() for m in apps.get_models() if issubclass(m, ClinicalRecord)
        },
        "patients": sorted(
            Patient.objects.values_list("family_name", "given_name", "date_of_birth", "nhs_number")
        ),
        "findings": sorted(VeinFinding.objects.values_list("label", "region", "x", "y", "diameter_mm")),
        "injections": sorted(
            Injection.objects.values_list(
                "session__patient__family_name",
                "product",
                "concentration_percent",
                "volume_ml",
                "override_reason",
            )
        ),
        "events": sorted(AdverseEvent.objects.values_list("symptom", "onset_on", "triage_level")),
    }


def test_the_command_prints_how_to_sign_in_and_refuses_a_second_load(db):
    printed = run()
    assert "Sign in at http://127.0.0.1:8000/" in printed
    assert "alice / vein-demo-2026" in printed
    assert "Clinician, Riverside Vein Clinic" in printed
    assert "mark  / vein-demo-2026   Manager, Riverside Vein Clinic" in printed
    with pytest.raises(CommandError, match="only into an empty database"):
        run()


@pytest.mark.django_db(transaction=True)
def test_a_reset_reloads_the_same_demo_into_the_emptied_database():
    run()
    first = fingerprint()
    printed = run("--reset", "--no-input")
    assert "Emptied the database" in printed
    assert fingerprint() == first


@pytest.mark.django_db
def test_a_reset_is_refused_outside_development(monkeypatch):
    with override_settings(DEVELOPMENT=False), pytest.raises(CommandError, match="only in development"):
        run("--reset", "--no-input")


@pytest.mark.django_db
def test_a_reset_asks_first_and_stops_unless_told_yes(monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        run("--reset")
    assert not Patient.objects.exists()
