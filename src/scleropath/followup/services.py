"""After-treatment services: completing a session with its aftercare and follow-ups, adverse events
triaged by the engine, outcomes; clinical notes on an assessment, a session or a follow-up."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scleropath.accounts.permissions import Action, can, require
from scleropath.assessments.models import Assessment, TreatmentPlan, VeinFinding
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.core.services import validation_error_from
from scleropath.core.validators import check_event_date
from scleropath.patients.models import Patient
from scleropath.protocol import InputError
from scleropath.treatment.models import Injection, SessionStatus, TreatmentSession

from .models import AdverseEvent, AftercarePlan, ClinicalNote, FollowUp, FollowUpStatus, Outcome

if TYPE_CHECKING:
    from scleropath.accounts.models import User


@transaction.atomic
def complete_session(
    user: User, session: TreatmentSession, expected_version: int, at: datetime | None = None
) -> TreatmentSession:
    """Close a session: needs consent for its plan and a recent enough screening; then the engine's
    aftercare for what was done is frozen and the follow-ups it schedules are booked."""
    require(user, Action.INJECT)
    if session.status != SessionStatus.OPEN or session.is_voided:
        raise RecordError("This session is not open.")
    if not session.plan.consents.active().exists():
        raise RecordError("Consent for this plan must be recorded before the session is completed.")
    clinic = session.patient.clinic
    screening = session.patient.current_screening()
    when = at or timezone.now()
    if screening is None or screening.screened_at < when - timedelta(days=clinic.screening_valid_days):
        raise RecordError(
            f"Screening must be no older than {clinic.screening_valid_days} days when a session is completed; "
            "screen the patient again."
        )
    injections = list(session.injections.active().select_related("finding"))
    if not injections:
        raise RecordError("Record at least one injection, or void the session.")
    session.status = SessionStatus.COMPLETED
    session.completed_at = when
    session.save_checked(expected_version, update_fields=["status", "completed_at"])
    create_aftercare_and_follow_ups(user, session, injections, when)
    return session


def create_aftercare_and_follow_ups(
    user: User, session: TreatmentSession, injections: list[Injection], when: datetime
) -> AftercarePlan:
    """Freeze the engine's aftercare for what was done and book the follow-ups it schedules."""
    engine = engine_for(session.patient.clinic)
    # An injection charted without a finding has no vessel class; only class-free aftercare rules match it.
    treated = [(i.procedure, i.finding.vessel_class if i.finding else "") for i in injections]
    products = sorted({i.product for i in injections})
    aftercare = engine.aftercare(treated, products)
    plan = AftercarePlan.objects.create(
        clinic_id=session.clinic_id,
        created_by=user,
        session=session,
        patient=session.patient,
        content=aftercare.model_dump(mode="json"),
        protocol_id=engine.protocol.id,
        protocol_version=engine.protocol.version,
    )
    day = timezone.localdate(when)
    for fu in aftercare.follow_up:
        window_end = day + timedelta(days=fu.window_days[1]) if fu.window_days and fu.window_days[1] else None
        FollowUp.objects.create(
            clinic_id=session.clinic_id,
            created_by=user,
            patient=session.patient,
            session=session,
            kind=fu.id,
            purpose=fu.purpose,
            due_on=day + timedelta(days=round(fu.after_days)),
            window_end=window_end,
        )
    return plan


@transaction.atomic
def log_adverse_event(
    user: User,
    patient: Patient,
    *,
    symptom: str,
    onset_on: date,
    severity: str,
    session: TreatmentSession | None = None,
    injection: Injection | None = None,
    notes: str = "",
) -> AdverseEvent:
    """Log a side effect or complication; the engine triages it by the days since the session."""
    require(user, Action.AFTERCARE)
    return record_adverse_event(
        patient,
        symptom=symptom,
        onset_on=onset_on,
        severity=severity,
        session=session,
        injection=injection,
        notes=notes,
        created_by=user,
    )


def record_adverse_event(
    patient: Patient,
    *,
    symptom: str,
    onset_on: date,
    severity: str,
    session: TreatmentSession | None = None,
    injection: Injection | None = None,
    notes: str = "",
    created_by: User | None = None,
    is_draft: bool = False,
) -> AdverseEvent:
    """Write an adverse event triaged by the engine (callers check who may). A patient's own report
    makes a draft a clinician confirms."""
    check_event_date(onset_on, patient.date_of_birth, "onset_on", "The onset")
    if session is None:
        session = (
            TreatmentSession.objects.active()
            .filter(patient=patient, status=SessionStatus.COMPLETED)
            .order_by("-completed_at")
            .first()
        )
    if session is not None and session.patient_id != patient.pk:
        raise ValidationError({"session": "That session belongs to another patient."})
    if injection is not None and (session is None or injection.session_id != session.pk):
        raise ValidationError({"injection": "That injection is not part of the session."})
    treated_on = timezone.localdate(session.completed_at or session.started_at) if session else None
    days = (onset_on - treated_on).days if treated_on else 0
    if days < 0:
        raise ValidationError({"onset_on": "The onset is before the treatment session."})
    engine = engine_for(patient.clinic)
    treatment: dict[str, Any] = {}
    if injection is not None:
        treatment = {"agent": injection.agent, "form": injection.form, "procedure": injection.procedure}
    try:
        triage = engine.triage({"symptom": symptom, "days_since_treatment": days, "treatment": treatment})
    except InputError as exc:
        raise validation_error_from(exc) from None
    event = AdverseEvent(
        clinic_id=patient.clinic_id,
        created_by=created_by,
        patient=patient,
        session=session,
        injection=injection,
        symptom=symptom,
        onset_on=onset_on,
        severity=severity,
        triage_level=triage.level,
        triage=triage.model_dump(mode="json"),
        management=triage.management or "",
        notes=notes,
        is_draft=is_draft,
    )
    event.full_clean()
    event.save()
    if triage.follow_up is not None:
        FollowUp.objects.create(
            clinic_id=patient.clinic_id,
            created_by=created_by,
            patient=patient,
            session=session,
            kind=triage.follow_up.id,
            purpose=triage.follow_up.purpose,
            due_on=onset_on + timedelta(days=round(triage.follow_up.after_days)),
            window_end=(
                treated_on + timedelta(days=triage.follow_up.window_days[1])
                if treated_on and triage.follow_up.window_days and triage.follow_up.window_days[1]
                else None
            ),
        )
    return event


@transaction.atomic
def resolve_adverse_event(
    user: User, event: AdverseEvent, resolved_on: date, notes: str = ""
) -> AdverseEvent:
    require(user, Action.AFTERCARE)
    check_event_date(resolved_on, event.patient.date_of_birth, "resolved_on", "The resolution")
    if resolved_on < event.onset_on:
        raise ValidationError({"resolved_on": "Resolution cannot be before the onset."})
    event.resolved_on = resolved_on
    if notes:
        event.notes = f"{event.notes}\n{notes}".strip()
    event.save(update_fields=["resolved_on", "notes"])
    return event


@transaction.atomic
def record_follow_up_visit(
    user: User, follow_up: FollowUp, notes: str = "", at: datetime | None = None
) -> FollowUp:
    require(user, Action.AFTERCARE)
    if follow_up.status != FollowUpStatus.SCHEDULED:
        raise RecordError(f"This follow-up is already {follow_up.get_status_display().lower()}.")
    follow_up.status = FollowUpStatus.DONE
    follow_up.done_at = at or timezone.now()
    follow_up.done_by = user
    follow_up.notes = notes
    follow_up.save(update_fields=["status", "done_at", "done_by", "notes"])
    return follow_up


@transaction.atomic
def record_outcome(
    user: User,
    plan: TreatmentPlan,
    *,
    clearance_percent: int | None,
    area: str,
    finding: VeinFinding | None = None,
    satisfaction: int | None = None,
    recurrence: bool = False,
    retreatment_needed: bool = False,
    assessed_on: date | None = None,
    notes: str = "",
) -> Outcome:
    require(user, Action.AFTERCARE)
    if finding is not None and finding.assessment_id != plan.assessment_id:
        raise ValidationError({"finding": "That finding is not part of this plan."})
    if assessed_on is not None:
        check_event_date(assessed_on, plan.patient.date_of_birth, "assessed_on", "The review")
    outcome = Outcome(
        clinic_id=plan.clinic_id,
        created_by=user,
        patient=plan.patient,
        plan=plan,
        finding=finding,
        area=area,
        clearance_percent=clearance_percent,
        satisfaction=satisfaction,
        recurrence=recurrence,
        retreatment_needed=retreatment_needed,
        assessed_on=assessed_on or timezone.localdate(),
        notes=notes,
    )
    outcome.full_clean()
    outcome.save()
    return outcome


NoteParent = Assessment | TreatmentSession | FollowUp


@transaction.atomic
def add_note(user: User, parent: NoteParent, text: str, at: datetime | None = None) -> ClinicalNote:
    """Write a note by ``user`` on an assessment, a session or a follow-up visit of their clinic,
    written now unless ``at`` says otherwise. The text is kept as typed, without its surrounding
    blank space; blank or too long is refused."""
    require(user, Action.WRITE_NOTE)
    if parent.clinic_id != user.clinic_id:
        raise RecordError("That record is not in your clinic.")
    if parent.is_voided:
        raise RecordError(f"This {parent._meta.verbose_name} is void; notes cannot be added to it.")
    note = ClinicalNote(
        clinic_id=parent.clinic_id,
        created_by=user,
        author=user,
        written_at=at or timezone.now(),
        patient_id=parent.patient_id,
        text=text.strip(),
        **{_parent_field(parent): parent},
    )
    note.full_clean()
    note.save()
    return note


def _parent_field(parent: NoteParent) -> str:
    if isinstance(parent, Assessment):
        return "assessment"
    if isinstance(parent, TreatmentSession):
        return "session"
    return "follow_up"


@transaction.atomic
def void_note(user: User, note: ClinicalNote, reason: str, expected_version: int) -> ClinicalNote:
    """Void a note with a reason (it stays, struck through, for those who may see voided records).
    Its author may void their own note; anyone else needs the right to void records. A note
    changed since ``expected_version`` was read is refused (StaleWrite)."""
    if note.author_id != user.pk or not can(user, Action.WRITE_NOTE):
        require(user, Action.VOID)
    if note.clinic_id != user.clinic_id:
        raise RecordError("That note is not in your clinic.")
    if note.is_voided:
        raise RecordError("This note is already void.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason for voiding the note."})
    note.voided_at = timezone.now()
    note.voided_by = user
    note.void_reason = reason
    note.save_checked(expected_version, update_fields=["voided_at", "voided_by", "void_reason"])
    return note


def may_void_note(user: User, note: ClinicalNote) -> bool:
    """Whether ``user`` may void ``note``: its author, or anyone with the right to void records."""
    return can(user, Action.VOID) or (note.author_id == user.pk and can(user, Action.WRITE_NOTE))
