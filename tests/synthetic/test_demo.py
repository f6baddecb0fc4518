"""The demo clinics: every role, every stage of the pathway, consistent with the rules and with
each other. The demo is loaded once for this module's read-only tests."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Count, F
from django.utils import timezone

from scleropath.accounts.models import Clinic, Role, User
from scleropath.assessments.models import Assessment, LegScore, PlanStatus, TreatmentPlan, VeinFinding
from scleropath.core.models import ClinicalRecord
from scleropath.followup.models import AdverseEvent, FollowUp, FollowUpStatus, Outcome
from scleropath.patients.models import Patient, ScreeningRecord
from scleropath.patients.nhs import nhs_number_is_valid
from scleropath.synthetic.demo import DemoExists, load_demo
from scleropath.treatment.models import Injection, SessionStatus, TreatmentSession


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once and committed for this module, and flushed afterwards."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        out = io.StringIO()
        summary = load_demo(out)
        yield summary, out.getvalue()
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(loaded, db):
    return loaded


def clinical_models() -> list[type[ClinicalRecord]]:
    return [m for m in apps.get_models() if issubclass(m, ClinicalRecord)]


def test_the_demo_has_two_clinics_with_staff_of_every_role_and_a_platform_admin(demo):
    assert sorted(Clinic.objects.values_list("name", flat=True)) == [
        "Hillview Vein Centre",
        "Riverside Vein Clinic",
    ]
    for clinic in Clinic.objects.all():
        roles = set(User.objects.filter(clinic=clinic).values_list("role", flat=True))
        assert roles == {Role.CLINICIAN, Role.NURSE, Role.RECEPTION, Role.MANAGER}
    assert set(User.objects.filter(is_staff=True, is_superuser=False).values_list("role", flat=True)) == {
        Role.MANAGER
    }
    admin = User.objects.get(is_superuser=True)
    assert admin.is_staff and admin.clinic is None


def test_everyone_signs_in_with_the_printed_password(demo):
    summary, printed = demo
    assert "Sign in at http://127.0.0.1:8000/" in printed
    assert len(summary.staff) == 9
    for username, role, clinic in summary.staff:
        assert User.objects.get(username=username).check_password("vein-demo-2026")
        line = rf"^ +{username} +/ vein-demo-2026 +{role}, {re.escape(clinic)}$"
        assert re.search(line, printed, re.MULTILINE), username


def test_the_demo_prints_its_progress_clinic_by_clinic(demo):
    _summary, printed = demo
    assert "Riverside Vein Clinic: 40 patients ... done" in printed
    assert "Hillview Vein Centre: 20 patients ... done" in printed


def test_the_demo_has_about_sixty_patients_with_valid_made_up_nhs_numbers(demo):
    per_clinic = dict(Patient.objects.values_list("clinic__name").annotate(n=Count("id")))
    assert per_clinic == {"Riverside Vein Clinic": 40, "Hillview Vein Centre": 20}
    numbers = [n for n in Patient.objects.values_list("nhs_number", flat=True) if n]
    assert len(numbers) > 40
    assert all(nhs_number_is_valid(n) and n.startswith("999") for n in numbers)
    assert len(set(Patient.objects.values_list("given_name", "family_name"))) == 60


def test_the_demo_has_records_of_every_clinical_model(demo):
    for model in clinical_models():
        assert model._default_manager.exists(), model.__name__


def test_patients_are_at_every_stage_of_the_pathway(demo):
    assert Patient.objects.filter(screenings__isnull=True).exists()  # registered only
    assert Patient.objects.filter(screenings__isnull=False, assessments__isnull=True).exists()
    assert Patient.objects.filter(assessments__isnull=False, plans__isnull=True).exists()
    assert TreatmentPlan.objects.filter(status=PlanStatus.DRAFT).exists()
    assert Patient.objects.filter(consents__isnull=False, sessions__isnull=True).exists()
    assert TreatmentSession.objects.filter(status=SessionStatus.OPEN).exists()
    completed = Patient.objects.filter(sessions__status=SessionStatus.COMPLETED).annotate(n=Count("sessions"))
    assert completed.filter(n=1).exists()
    assert completed.filter(n__gte=2).exists()


def test_screening_has_relative_and_absolute_contraindications_and_allergies(demo):
    verdicts = set(ScreeningRecord.objects.values_list("verdict", flat=True))
    assert {"none", "relative", "absolute"} <= verdicts
    assert ScreeningRecord.objects.exclude(allergies=[]).exists()


def test_findings_sit_on_the_leg_map_with_scores_for_each_leg(demo):
    per_assessment = Assessment.objects.annotate(n=Count("findings")).values_list("n", flat=True)
    assert min(per_assessment) >= 1 and max(per_assessment) <= 6
    assert not VeinFinding.objects.filter(
        models.Q(x__lt=0) | models.Q(x__gt=1) | models.Q(y__lt=0) | models.Q(y__gt=1)
    ).exists()
    assert set(VeinFinding.objects.values_list("view", flat=True)) == {"front", "back"}
    assert {"telangiectasia", "reticular", "varicose"} <= set(
        VeinFinding.objects.values_list("engine_class", flat=True)
    )
    assert LegScore.objects.count() == 2 * Assessment.objects.count()


def test_follow_ups_are_done_missed_and_due(demo):
    today = timezone.localdate()
    assert FollowUp.objects.filter(status=FollowUpStatus.DONE).exists()
    assert FollowUp.objects.filter(status=FollowUpStatus.MISSED).exists()
    assert FollowUp.objects.filter(status=FollowUpStatus.SCHEDULED, due_on__gte=today).exists()


def test_side_effects_span_the_triage_levels_with_one_or_two_emergencies(demo):
    levels = dict(AdverseEvent.objects.values_list("triage_level").annotate(n=Count("id")))
    assert {"expected", "routine_review", "prompt_review", "emergency"} <= set(levels)
    assert 1 <= levels["emergency"] <= 2
    assert levels["expected"] + levels["routine_review"] > levels["prompt_review"] + levels["emergency"]
    assert AdverseEvent.objects.filter(resolved_on__isnull=False).exists()
    assert AdverseEvent.objects.values("symptom").distinct().count() >= 6


def test_outcomes_record_clearance_satisfaction_recurrence_and_retreatment(demo):
    assert Outcome.objects.filter(clearance_percent__isnull=False, satisfaction__isnull=False).exists()
    assert Outcome.objects.filter(recurrence=True).exists()
    assert Outcome.objects.filter(retreatment_needed=True).exists()


def test_one_injection_passed_a_session_limit_with_a_reason(demo):
    override = Injection.objects.exclude(override_reason="").get()
    assert override.limit_check["violations"]
    assert override.given_by.role == Role.CLINICIAN


def test_both_products_are_used_from_in_date_lots(demo):
    assert set(Injection.objects.values_list("product", flat=True)) == {"aethoxysklerol", "fibrovein"}
    assert not Injection.objects.filter(lot__expiry_date__lt=F("given_at__date")).exists()


def test_every_record_points_only_at_records_and_staff_of_its_own_clinic(demo):
    for model in clinical_models():
        for fk in model._meta.fields:
            if not isinstance(fk, models.ForeignKey) or fk.name == "clinic":
                continue
            target = fk.related_model
            if target is User or (isinstance(target, type) and issubclass(target, ClinicalRecord)):
                linked = model._default_manager.filter(**{f"{fk.name}__isnull": False})
                stray = linked.exclude(**{f"{fk.name}__clinic": F("clinic")})
                assert not stray.exists(), f"{model.__name__}.{fk.name}"


def test_every_date_is_in_the_last_nine_months_and_none_in_the_future(demo):
    now = timezone.now()
    earliest = now - timedelta(days=280)
    for model, field in [
        (TreatmentSession, "started_at"),
        (Injection, "given_at"),
        (ScreeningRecord, "screened_at"),
        (Assessment, "assessed_at"),
        (TreatmentPlan, "created_at"),
    ]:
        values = list(model._default_manager.values_list(field, flat=True))
        assert min(values) >= earliest, f"{model.__name__}.{field}"
        assert max(values) <= now, f"{model.__name__}.{field}"
    assert max(AdverseEvent.objects.values_list("onset_on", flat=True)) <= timezone.localdate()


def test_the_demo_refuses_to_load_twice(demo):
    with pytest.raises(DemoExists, match="empty database"):
        load_demo(io.StringIO())


def test_each_demo_clinic_has_a_diary_with_a_week_of_appointments_around_today(demo):
    from scleropath.diary.models import Appointment, AppointmentStatus, OpeningHours, Room, WorkingHours

    today = timezone.localdate()
    for clinic in Clinic.objects.all():
        assert (
            Room.objects.filter(clinic=clinic).exists()
            and OpeningHours.objects.filter(clinic=clinic).exists()
        )
        assert WorkingHours.objects.filter(practitioner__clinic=clinic).exists()
        week = Appointment.objects.filter(clinic=clinic)
        days = {timezone.localdate(a.starts_at) for a in week}
        assert min(days) < today < max(days), clinic
        assert week.count() >= 20, clinic
        assert week.filter(status=AppointmentStatus.COMPLETED, ends_at__lte=timezone.now()).exists()
        assert week.filter(status=AppointmentStatus.BOOKED, starts_at__gt=timezone.now()).exists()
        assert week.filter(follow_up__isnull=False).exists() or clinic.slug == "hillview"
