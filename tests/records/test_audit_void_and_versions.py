"""Audit of writes and reads, voiding instead of deleting, and refusal of stale writes."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from scleropath.assessments import services as assessments
from scleropath.core.models import RecordError, RecordsAreNeverDeleted, StaleWrite
from scleropath.core.services import void_record
from scleropath.followup import services as followup
from scleropath.patients import services as patients
from scleropath.patients.access import get_patient_for_user
from scleropath.patients.models import Patient
from scleropath.treatment import services as treatment
from tests.pathway import Clinics, Pathway


def entries(obj, action):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk), action=action
    )


def test_creating_and_changing_a_patient_is_audited_with_the_actor(clinics: Clinics):
    with set_actor(clinics.rita):
        patient = patients.create_patient(
            clinics.rita, given_name="Ida", family_name="Lamb", date_of_birth=date(1970, 5, 5)
        )
        patient.phone = "07700 900123"
        patient.save()
    created = entries(patient, LogEntry.Action.CREATE).get()
    assert created.actor == clinics.rita
    changed = entries(patient, LogEntry.Action.UPDATE).get()
    assert "phone" in changed.changes_dict


def test_reading_a_patients_record_is_audited(clinics: Clinics, pathway: Pathway):
    with set_actor(clinics.alice):
        get_patient_for_user(clinics.alice, pathway.patient.pk)
    access = entries(pathway.patient, LogEntry.Action.ACCESS).get()
    assert access.actor == clinics.alice


def test_records_cannot_be_deleted_one_by_one_or_in_bulk(pathway: Pathway):
    with pytest.raises(RecordsAreNeverDeleted):
        pathway.patient.delete()
    with pytest.raises(RecordsAreNeverDeleted):
        Patient.objects.filter(pk=pathway.patient.pk).delete()
    assert Patient.objects.filter(pk=pathway.patient.pk).exists()


def test_voiding_needs_a_reason_and_the_permission_and_keeps_the_row(clinics: Clinics, pathway: Pathway):
    with pytest.raises(RecordError):
        void_record(clinics.alice, pathway.spider, "  ")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        void_record(clinics.rita, pathway.spider, "Wrong leg")
    void_record(clinics.alice, pathway.spider, "Recorded on the wrong leg")
    pathway.spider.refresh_from_db()
    assert pathway.spider.voided_by == clinics.alice
    assert pathway.spider.void_reason == "Recorded on the wrong leg"


def test_two_people_approving_the_same_plan_cannot_both_succeed(clinics: Clinics, pathway: Pathway):
    draft = assessments.plan_assessment(clinics.alice, pathway.assessment)
    first, second = type(draft).objects.get(pk=draft.pk), type(draft).objects.get(pk=draft.pk)
    assessments.approve_plan(clinics.alice, first, first.version)
    second.status = "draft"
    with pytest.raises(StaleWrite):
        second.save_checked(second.version, update_fields=["status"])
    draft.refresh_from_db()
    assert draft.status == "approved"
    assert draft.version == 2


def test_completing_a_session_with_a_stale_version_is_refused(clinics: Clinics, pathway: Pathway):
    treatment.record_injection(
        clinics.alice, pathway.session, lot=pathway.lot, volume_ml="0.2", form="liquid"
    )
    stale = pathway.session.version
    pathway.session.notes = "edited elsewhere"
    pathway.session.save_checked(stale, update_fields=["notes"])
    with pytest.raises(StaleWrite):
        followup.complete_session(clinics.alice, pathway.session, stale)
    pathway.session.refresh_from_db()
    assert pathway.session.status == "open"
    assert not hasattr(pathway.session, "aftercare_cache") and not pathway.session.follow_ups.exists()


def test_audit_entries_name_the_clinical_record_in_words(treated: Pathway):
    """An auditor reading the log sees what was written, not "Injection object (7)"."""
    injection = treated.session.injections.first()
    for record, words in [
        (treated.spider, f"Finding {treated.spider.label}"),
        (treated.session, "Session 1 of"),
        (injection, " mL Aethoxysklerol "),
    ]:
        created = entries(record, LogEntry.Action.CREATE).get()
        assert words in created.object_repr
        assert "object (" not in created.object_repr


def test_an_injection_read_back_names_its_volume_and_strength_without_trailing_zeros(treated: Pathway):
    from scleropath.treatment.models import Injection

    injection = Injection.objects.get(pk=treated.session.injections.first().pk)
    assert str(injection) == (
        f"{injection.volume_ml.normalize():f} mL Aethoxysklerol "
        f"{injection.concentration_percent.normalize():f}% {injection.form}"
    )
    assert ".00" not in str(injection)
