"""Every clinical record is reached through helpers that scope it to the user's clinic."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from scleropath.accounts.access import get_for_user, scoped
from scleropath.accounts.permissions import Action
from scleropath.assessments.models import Assessment, Consent, LegScore, TreatmentPlan, VeinFinding
from scleropath.patients.access import get_patient_for_user
from scleropath.patients.models import Patient, ScreeningRecord, WeightMeasurement
from scleropath.treatment.models import StockLot, TreatmentSession
from tests.pathway import Clinics, Pathway

MODELS = [
    Patient,
    WeightMeasurement,
    ScreeningRecord,
    Assessment,
    VeinFinding,
    LegScore,
    TreatmentPlan,
    Consent,
    StockLot,
    TreatmentSession,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_of_another_clinic_get_404_for_each_record(clinics: Clinics, pathway: Pathway, model):
    record = model.objects.filter(clinic=clinics.a).first()
    assert record is not None
    assert get_for_user(clinics.alice, model, record.pk) == record
    with pytest.raises(Http404):
        get_for_user(clinics.bob, model, record.pk)
    assert not scoped(clinics.bob, model).filter(pk=record.pk).exists()


def test_a_missing_record_and_another_clinics_record_look_the_same(clinics: Clinics, pathway: Pathway):
    with pytest.raises(Http404) as missing:
        get_patient_for_user(clinics.bob, 999_999)
    with pytest.raises(Http404) as other:
        get_patient_for_user(clinics.bob, pathway.patient.pk)
    assert type(missing.value) is type(other.value)


def test_a_receptionist_sees_patients_but_not_clinical_records(clinics: Clinics, pathway: Pathway):
    assert get_patient_for_user(clinics.rita, pathway.patient.pk) == pathway.patient
    with pytest.raises(PermissionDenied):
        scoped(clinics.rita, TreatmentPlan)
    with pytest.raises(PermissionDenied):
        get_for_user(clinics.rita, Assessment, pathway.assessment.pk)


def test_a_nurse_may_inject_only_where_the_clinic_allows_it(clinics: Clinics, pathway: Pathway):
    from scleropath.accounts.permissions import can

    assert can(clinics.nora, Action.INJECT)
    clinics.a.nurses_may_inject = False
    clinics.a.save()
    clinics.nora.refresh_from_db()
    assert not can(clinics.nora, Action.INJECT)
    assert not can(clinics.nora, Action.PLAN)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_restrict_gives_the_live_records_of_the_users_own_clinic(clinics: Clinics, pathway: Pathway, model):
    record = model.objects.filter(clinic=clinics.a).first()
    assert record is not None
    assert model.objects.restrict(clinics.alice).filter(pk=record.pk).exists()
    assert not model.objects.restrict(clinics.bob).filter(pk=record.pk).exists()
    model.objects.filter(pk=record.pk).update(voided_at=timezone.now(), void_reason="Entered in error")
    assert not model.objects.restrict(clinics.alice).filter(pk=record.pk).exists()
    assert scoped(clinics.alice, model).filter(pk=record.pk).exists(), "the access helpers still reach it"


def test_restrict_refuses_a_role_without_the_right(clinics: Clinics, pathway: Pathway):
    assert Patient.objects.restrict(clinics.rita, Action.VIEW_PATIENT).filter(pk=pathway.patient.pk).exists()
    with pytest.raises(PermissionDenied):
        TreatmentSession.objects.restrict(clinics.rita)
