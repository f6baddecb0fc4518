"""Check-in services: the patient's link, their check-ins triaged by the engine, flags for the
clinic, and reminder emails that are never sent twice (through ``messaging.services.send_once``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from scleropath.accounts.permissions import Action, require
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.diary.models import Appointment
from scleropath.diary.reminders import PURPOSES as APPOINTMENT_PURPOSES
from scleropath.diary.reminders import send_appointment_messages
from scleropath.followup.models import FollowUp, FollowUpStatus, Outcome
from scleropath.followup.services import record_adverse_event
from scleropath.messaging.models import Channel, Message
from scleropath.messaging.services import retry_failed, send_once
from scleropath.patients.models import Patient
from scleropath.protocol import InputError
from scleropath.protocol.vocabulary import TRIAGE_RANK
from scleropath.treatment.models import SessionStatus, TreatmentSession

from .models import CheckIn, CheckInStatus, Flag, FlagKind, PatientLink

if TYPE_CHECKING:
    from scleropath.accounts.models import User

SALT = "scleropath.patient-link"
URGENT = ("prompt_review", "emergency")


# --- the link -----------------------------------------------------------------------------------


def token_for(link: PatientLink) -> str:
    return signing.Signer(salt=SALT).sign_object({"l": link.pk, "n": link.nonce}, compress=True)


def link_url(link: PatientLink) -> str:
    return f"{settings.SCLEROPATH_BASE_URL.rstrip('/')}/p/{token_for(link)}/"


def link_for_token(token: str) -> PatientLink | None:
    """The usable link a token names, or None for a forged, altered, revoked or expired one."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        link = PatientLink.objects.select_related("patient", "session", "clinic").get(pk=int(data["l"]))
    except (signing.BadSignature, PatientLink.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    if not constant_time_compare(str(data.get("n", "")), link.nonce) or not link.is_usable():
        return None
    found: PatientLink = link
    return found


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@transaction.atomic
def issue_link(
    user: User, session: TreatmentSession, email: str | None = None, send: bool = True
) -> tuple[PatientLink, str]:
    """Create the patient's link for a completed session, schedule its check-ins, and email it.

    The link lives until the last check-in or follow-up of the session has passed; issuing a new
    link for the session revokes the old one.
    """
    require(user, Action.AFTERCARE)
    if session.status != SessionStatus.COMPLETED:
        raise RecordError("Send the patient their link once the session is completed.")
    patient = session.patient
    to = (email or patient.email or "").strip()
    if send and not to:
        raise ValidationError({"email": "The patient has no email address; add one or give it here."})
    day = timezone.localdate(session.completed_at)
    care = session.aftercare.content
    for check in care.get("check_ins", []):
        CheckIn.objects.get_or_create(
            session=session,
            day=check["day"],
            defaults={
                "clinic_id": session.clinic_id,
                "created_by": user,
                "patient": patient,
                "purpose": check["purpose"],
                "due_on": day + timedelta(days=check["day"]),
            },
        )
    # One more before each review the session booked, so the clinic hears how the patient is first.
    for follow_up in FollowUp.objects.active().filter(session=session):
        before = (follow_up.due_on - day).days - 1
        if before > 0:
            CheckIn.objects.get_or_create(
                session=session,
                day=before,
                defaults={
                    "clinic_id": session.clinic_id,
                    "created_by": user,
                    "patient": patient,
                    "purpose": f"Before your review: {follow_up.purpose.lower()}",
                    "due_on": follow_up.due_on - timedelta(days=1),
                },
            )
    last = (
        [day]
        + [c.due_on for c in session.check_ins.all()]
        + [f.window_end or f.due_on for f in FollowUp.objects.filter(session=session)]
    )
    PatientLink.objects.filter(session=session, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user
    )
    link = PatientLink.objects.create(
        clinic_id=session.clinic_id,
        created_by=user,
        patient=patient,
        session=session,
        nonce=secrets.token_urlsafe(24),
        expires_at=_end_of(max(last) + timedelta(days=1)),
        sent_to=to,
    )
    url = link_url(link)
    if send:
        _remind(
            f"patient_link:{link.pk}",
            patient,
            to,
            "Your aftercare and check-ins",
            "checkins/email_link.txt",
            {"patient": patient, "clinic": patient.clinic, "url": url, "link": link},
            link.expires_at,
        )
    return link, url


def link_message_status(link: PatientLink) -> str | None:
    """How the email carrying ``link`` went: sent, failed (retried by ``send_reminders`` until the
    link expires), withheld (the patient stopped email); None when it was never sent."""
    found = (
        Message.objects.filter(dedupe_key=f"patient_link:{link.pk}").values_list("status", flat=True).first()
    )
    return str(found) if found is not None else None


@transaction.atomic
def revoke_link(user: User, link: PatientLink) -> None:
    require(user, Action.AFTERCARE)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = user
        link.save(update_fields=["revoked_at", "revoked_by"])


# --- check-ins ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnsweredSymptom:
    code: str
    display: str
    level: str
    advice: str
    expected_resolution_days: list[float | None] | None


def reportable_symptoms(link: PatientLink) -> list[Any]:
    return [
        s for s in engine_for(link.patient.clinic).protocol.complications.symptoms if s.reportable_by_patient
    ]


@transaction.atomic
def answer_check_in(
    link: PatientLink, check_in: CheckIn, symptoms: list[str], comment: str = "", photo: Any = None
) -> list[AnsweredSymptom]:
    """Triage each reported symptom by the days since treatment; flag urgent answers for the clinic
    and draft an adverse event for anything that is not an expected after-effect."""
    if check_in.session_id != link.session_id or check_in.status == CheckInStatus.ANSWERED:
        raise RecordError("This check-in is not open.")
    known = {s.code for s in reportable_symptoms(link)}
    unknown = [s for s in symptoms if s not in known]
    if unknown:
        raise ValidationError({"symptoms": f"Unknown answer: {', '.join(unknown)}"})
    session = link.session
    treated_on = timezone.localdate(session.completed_at)
    today = timezone.localdate()
    engine = engine_for(link.patient.clinic)
    answered: list[AnsweredSymptom] = []
    for code in symptoms:
        try:
            triage = engine.triage({"symptom": code, "days_since_treatment": (today - treated_on).days})
        except InputError as exc:
            raise ValidationError({"symptoms": str(exc)}) from None
        answered.append(
            AnsweredSymptom(
                code, triage.display, triage.level, triage.advice, triage.expected_resolution_days
            )
        )
        if triage.level != "expected":
            record_adverse_event(
                link.patient,
                symptom=code,
                onset_on=today,
                severity="mild",
                session=session,
                notes=f"Reported by the patient at the day {check_in.day} check-in.",
                is_draft=True,
            )
    worst = max((a.level for a in answered), key=lambda lv: TRIAGE_RANK[lv], default="")
    check_in.status = CheckInStatus.ANSWERED
    check_in.answered_at = timezone.now()
    check_in.answers = [a.__dict__ for a in answered]
    check_in.worst_level = worst
    check_in.comment = comment.strip()
    if photo is not None:
        check_in.photo = photo
    check_in.save()
    if worst in URGENT:
        names = ", ".join(a.display for a in answered if a.level in URGENT)
        Flag.objects.create(
            clinic_id=check_in.clinic_id,
            patient=check_in.patient,
            check_in=check_in,
            kind=FlagKind.ANSWER,
            level=worst,
            summary=f"Day {check_in.day} check-in: {names}",
        )
    return answered


def mark_missed_check_ins(today: date | None = None) -> int:
    """Check-ins whose day has passed unanswered become missed, each with a flag for the clinic."""
    today = today or timezone.localdate()
    count = 0
    for check_in in CheckIn.objects.active().filter(status=CheckInStatus.SCHEDULED, due_on__lt=today):
        with transaction.atomic():
            updated = CheckIn.objects.filter(pk=check_in.pk, status=CheckInStatus.SCHEDULED).update(
                status=CheckInStatus.MISSED
            )
            if updated:
                Flag.objects.create(
                    clinic_id=check_in.clinic_id,
                    patient_id=check_in.patient_id,
                    check_in=check_in,
                    kind=FlagKind.MISSED,
                    level="missed",
                    summary=f"Day {check_in.day} check-in not answered (due {check_in.due_on:%d %b})",
                )
                count += 1
    return count


@transaction.atomic
def acknowledge_flag(user: User, flag: Flag, note: str) -> Flag:
    require(user, Action.AFTERCARE)
    if not note.strip():
        raise ValidationError({"note": "Say what was done about it."})
    if flag.acknowledged_at is not None:
        raise RecordError("This flag was already acknowledged.")
    flag.acknowledged_at = timezone.now()
    flag.acknowledged_by = user
    flag.acknowledgement = note.strip()
    flag.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement"])
    return flag


@transaction.atomic
def record_patient_satisfaction(
    link: PatientLink, satisfaction: int, recurrence: bool, comment: str = ""
) -> Outcome:
    """The patient's own satisfaction and recurrence answers, kept as a patient-reported outcome."""
    if not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": "Choose 1 to 5."})
    outcome = Outcome(
        clinic_id=link.clinic_id,
        patient=link.patient,
        plan=link.session.plan,
        area="Treated areas (patient's view)",
        clearance_percent=None,
        satisfaction=satisfaction,
        recurrence=recurrence,
        reported_by_patient=True,
        notes=comment.strip(),
    )
    outcome.full_clean()
    outcome.save()
    return outcome


# --- reminders ----------------------------------------------------------------------------------


def _remind(
    key: str,
    patient: Patient,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    expires_at: datetime,
) -> bool:
    """Email the patient through the one send-once path (a reminder, or their link); True when this
    call sent it."""
    message = send_once(
        key,
        clinic=patient.clinic_id,
        patient=patient,
        channel=Channel.EMAIL,
        to=to,
        purpose=key.split(":", 1)[0],
        subject=subject,
        body=render_to_string(template, context),
        expires_at=expires_at,
    )
    return message.just_sent


def send_reminders(today: date | None = None) -> dict[str, int]:
    """Mark missed check-ins, email today's check-in reminders and tomorrow's follow-up reminders,
    send the diary's confirmations and reminders, and retry what failed before. Safe to run as often
    as you like: each message is sent at most once (``messaging.services.send_once``)."""
    today = today or timezone.localdate()
    sent = {"missed": mark_missed_check_ins(today), "check_in": 0, "follow_up": 0}
    for check_in in CheckIn.objects.active().filter(status=CheckInStatus.SCHEDULED, due_on=today):
        link = (
            PatientLink.objects.filter(
                session_id=check_in.session_id, revoked_at__isnull=True, expires_at__gt=timezone.now()
            )
            .order_by("-created_at")
            .first()
        )
        if link is None or not link.sent_to:
            continue
        if _remind(
            f"check_in:{check_in.pk}",
            check_in.patient,
            link.sent_to,
            f"Day {check_in.day} check-in after your treatment",
            "checkins/email_check_in.txt",
            {
                "patient": check_in.patient,
                "check_in": check_in,
                "url": link_url(link),
                "clinic": check_in.patient.clinic,
            },
            _end_of(check_in.due_on),
        ):
            sent["check_in"] += 1
    # A review booked in the diary is reminded of by the diary's own reminders, not again here.
    booked = set(
        Appointment.objects.taking_time()
        .filter(follow_up__isnull=False, starts_at__gte=timezone.now())
        .values_list("follow_up_id", flat=True)
    )
    for follow_up in (
        FollowUp.objects.active()
        .filter(status=FollowUpStatus.SCHEDULED, due_on=today + timedelta(days=1))
        .select_related("patient", "patient__clinic")
    ):
        if not follow_up.patient.email or follow_up.pk in booked:
            continue
        if _remind(
            f"follow_up:{follow_up.pk}",
            follow_up.patient,
            follow_up.patient.email,
            "Your appointment tomorrow",
            "checkins/email_follow_up.txt",
            {"patient": follow_up.patient, "follow_up": follow_up, "clinic": follow_up.patient.clinic},
            timezone.make_aware(datetime.combine(follow_up.due_on, time(0))),
        ):
            sent["follow_up"] += 1
    sent.update(send_appointment_messages())
    sent["retried"] = retry_failed(exclude_purposes=APPOINTMENT_PURPOSES)
    return sent
