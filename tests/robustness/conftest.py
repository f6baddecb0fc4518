"""Robustness fixtures: clinic A's pathway with a record of every kind, and clinic B's other roles
beside Bob, so every door can be tried by every outsider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from scleropath.accounts.models import Role, User
from scleropath.api.tokens import create_token
from scleropath.checkins.models import CheckIn, Flag
from scleropath.checkins.services import mark_missed_check_ins
from scleropath.followup import services as followup
from scleropath.followup.models import FollowUp
from scleropath.photos import services as photos
from tests.pathway import PASSWORD, Clinics, Pathway
from tests.photos.conftest import jpeg_with_gps


@pytest.fixture(autouse=True)
def quick_password_hashing(settings: Any) -> None:
    """The personas' passwords are never checked here; hashing them with Argon2 only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Records:
    """Clinic A's records of every kind, by the URL keyword that names each."""

    pathway: Pathway
    token: str  # the patient's link token
    ids: dict[str, int]


@pytest.fixture
def records(clinics: Clinics, treated: Pathway, link: Any) -> Records:
    sent, _url, path = link
    event = followup.log_adverse_event(
        clinics.alice,
        treated.patient,
        symptom="hyperpigmentation",
        onset_on=date.today(),
        severity="mild",
        notes="Brown mark on the thigh",
    )
    outcome = followup.record_outcome(
        clinics.alice, treated.plan, clearance_percent=80, area="left lateral thigh", finding=treated.spider
    )
    mark_missed_check_ins(date.today() + timedelta(days=2))
    note = followup.add_note(clinics.nora, treated.session, "Tolerated well.")
    api_token, _ = create_token(clinics.alice, "Alice's script")
    photos.record_photo_consent(clinics.alice, treated.patient, "record", patient_confirmed=True)
    photo = photos.add_photo(clinics.alice, treated.patient, jpeg_with_gps(), "front", "left")
    ids = {
        "patient_id": treated.patient.pk,
        "assessment_id": treated.assessment.pk,
        "finding_id": treated.spider.pk,
        "plan_id": treated.plan.pk,
        "session_id": treated.session.pk,
        "follow_up_id": FollowUp.objects.filter(patient=treated.patient).first().pk,
        "event_id": event.pk,
        "outcome_id": outcome.pk,
        "flag_id": Flag.objects.filter(patient=treated.patient).first().pk,
        "link_id": sent.pk,
        "check_in_id": CheckIn.objects.filter(session=treated.session).first().pk,
        "token_id": api_token.pk,
        "lot_id": treated.lot.pk,
        "screening_id": treated.patient.current_screening().pk,
        "consent_id": treated.plan.consents.get().pk,
        "aftercare_id": treated.session.aftercare.pk,
        "note_id": note.pk,
        "photo_id": photo.pk,
    }
    return Records(treated, path.strip("/").split("/")[-1], ids)


@pytest.fixture
def clinic_b_staff(clinics: Clinics) -> dict[str, User]:
    """Every role of clinic B: Bob and a nurse, a receptionist and a manager beside him."""

    def user(name: str, role: str) -> User:
        return User.objects.create_user(
            name, password=PASSWORD, clinic=clinics.b, role=role, is_staff=role == Role.MANAGER
        )

    return {
        "bob": clinics.bob,
        "nina": user("nina", Role.NURSE),
        "ray": user("ray", Role.RECEPTION),
        "max": user("max", Role.MANAGER),
    }
