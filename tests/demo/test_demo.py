"""The demo clinics: every role, every stage of the pathway, consistent and repeatable."""

from __future__ import annotations

import io

import pytest
from django.db.models import F

from scleropath.accounts.models import Clinic, Role, User
from scleropath.assessments.models import Consent, LegScore, TreatmentPlan, VeinFinding
from scleropath.core.demo import DemoExists, load_demo
from scleropath.followup.models import AdverseEvent, AftercarePlan, FollowUp, Outcome
from scleropath.patients.models import Patient, ScreeningRecord
from scleropath.treatment.models import Injection, StockLot, TreatmentSession


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module's read-only tests and flushed afterwards."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        out = io.StringIO()
        summary = load_demo(out)
        yield summary, out.getvalue()
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(loaded, db):
    return loaded


def test_the_demo_has_two_clinics_with_every_role_and_about_sixty_patients(demo):
    _summary, printed = demo
    assert Clinic.objects.count() == 2
    for clinic in Clinic.objects.all():
        assert set(User.objects.filter(clinic=clinic).values_list("role", flat=True)) == {
            Role.CLINICIAN,
            Role.NURSE,
            Role.RECEPTION,
            Role.MANAGER,
        }
    assert 55 <= Patient.objects.count() <= 65
    assert "Riverside Vein Clinic: 40 patients" in printed


def test_the_demo_has_records_of_every_clinical_model(demo):
    for model in (
        ScreeningRecord,
        VeinFinding,
        LegScore,
        TreatmentPlan,
        Consent,
        StockLot,
        TreatmentSession,
        Injection,
        AftercarePlan,
        FollowUp,
        AdverseEvent,
        Outcome,
    ):
        assert model.objects.exists(), model.__name__


def test_the_demo_spreads_events_over_triage_levels_and_has_a_limit_override(demo):
    levels = set(AdverseEvent.objects.values_list("triage_level", flat=True))
    assert {"expected", "routine_review", "prompt_review", "emergency"} <= levels
    override = Injection.objects.exclude(override_reason="").first()
    assert override is not None and override.limit_check["violations"]


def test_every_record_belongs_to_the_clinic_of_its_patient_and_lot(demo):
    assert not Injection.objects.exclude(lot__clinic=F("clinic")).exists()
    assert not Injection.objects.exclude(session__patient__clinic=F("clinic")).exists()
    assert not TreatmentPlan.objects.exclude(patient__clinic=F("clinic")).exists()
    assert not FollowUp.objects.exclude(patient__clinic=F("clinic")).exists()


def test_the_demo_refuses_to_load_twice(demo):
    with pytest.raises(DemoExists):
        load_demo(io.StringIO())
