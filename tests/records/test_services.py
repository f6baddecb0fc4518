"""Service rules not already proven through the pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from scleropath.core.models import RecordError
from scleropath.followup import services as followup
from scleropath.patients import services as patients
from scleropath.patients.nhs import nhs_number_is_valid
from scleropath.treatment import services as treatment
from scleropath.treatment.models import Injection
from tests.pathway import Clinics, Pathway, inject_spider


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),
        ("943 476 5919", True),
        ("9434765918", False),
        ("123456789", False),
        ("12345678901", False),
        ("abcdefghij", False),
        ("0000000000", True),
    ],
)
def test_nhs_numbers_are_checked_with_their_modulus_11_digit(number, valid):
    assert nhs_number_is_valid(number) is valid


def test_a_number_whose_check_digit_would_be_10_is_invalid():
    # 1x10 + 1x2 = 12 leaves a remainder of 1, so the check digit would be 10: no last digit is valid.
    assert not any(nhs_number_is_valid(f"100000001{d}") for d in range(10))


def test_screening_keeps_every_version_with_the_engines_verdict(clinics: Clinics, pathway: Pathway):
    second = patients.record_screening(clinics.nora, pathway.patient, conditions=["acute_vte"], allergies=[])
    assert second.number == 2
    assert second.verdict == "absolute"
    assert second.protocol_id == "scleropath-uk-default"
    assert pathway.patient.screenings.count() == 2


def test_an_unknown_screening_code_is_refused_naming_the_field(clinics: Clinics, pathway: Pathway):
    with pytest.raises(ValidationError) as raised:
        patients.record_screening(clinics.nora, pathway.patient, conditions=["gout"], allergies=[])
    assert "conditions[0]" in raised.value.message_dict


def test_an_expired_lot_is_refused_and_nothing_is_saved(clinics: Clinics, pathway: Pathway):
    with pytest.raises(ValidationError, match="expired"):
        treatment.record_injection(
            clinics.alice, pathway.session, lot=pathway.expired_lot, volume_ml="0.2", form="liquid"
        )
    assert not Injection.objects.exists()


def test_an_allergic_patient_is_refused_the_agent_but_not_another(clinics: Clinics, pathway: Pathway):
    patients.record_screening(clinics.nora, pathway.patient, conditions=[], allergies=["polidocanol"])
    with pytest.raises(RecordError, match="absolute contraindication"):
        treatment.record_injection(
            clinics.alice, pathway.session, lot=pathway.lot, volume_ml="0.2", form="liquid"
        )
    sts = treatment.add_stock_lot(
        clinics.mark,
        product="fibrovein",
        concentration_percent="0.2",
        lot_number="FV-2",
        expiry_date=date.today() + timedelta(days=30),
        quantity=2,
    )
    treatment.record_injection(clinics.alice, pathway.session, lot=sts, volume_ml="0.2", form="liquid")
    assert Injection.objects.count() == 1


def test_a_shunt_blocks_foam_but_not_liquid(clinics: Clinics, pathway: Pathway):
    patients.record_screening(
        clinics.nora, pathway.patient, conditions=["symptomatic_right_to_left_shunt"], allergies=[]
    )
    with pytest.raises(RecordError, match="foam"):
        treatment.record_injection(
            clinics.alice, pathway.session, lot=pathway.lot, volume_ml="2", form="foam", foam_gas_parts=4
        )
    treatment.record_injection(
        clinics.alice, pathway.session, lot=pathway.lot, volume_ml="0.2", form="liquid"
    )


def test_a_session_cannot_start_without_a_weight(clinics: Clinics, pathway: Pathway):
    pathway.patient.weights.update(voided_at=pathway.session.started_at)
    pathway.session.void(clinics.alice, "test")
    with pytest.raises(RecordError, match="weight"):
        treatment.start_session(clinics.alice, pathway.plan)


def test_completion_needs_a_recent_screening(clinics: Clinics, pathway: Pathway):
    treatment.record_injection(
        clinics.alice, pathway.session, lot=pathway.lot, volume_ml="0.2", form="liquid"
    )
    pathway.session.refresh_from_db()
    with (
        time_machine.travel(date.today() + timedelta(days=120)),
        pytest.raises(RecordError, match="no older than 90"),
    ):
        followup.complete_session(clinics.alice, pathway.session, pathway.session.version)


def test_completion_needs_an_injection(clinics: Clinics, pathway: Pathway):
    with pytest.raises(RecordError, match="at least one injection"):
        followup.complete_session(clinics.alice, pathway.session, pathway.session.version)


def test_completion_books_the_follow_ups_the_protocol_schedules(clinics: Clinics, pathway: Pathway):
    inject_spider(clinics.alice, pathway)
    pathway.session.refresh_from_db()
    followup.complete_session(clinics.alice, pathway.session, pathway.session.version)
    due = sorted((f.due_on - date.today()).days for f in pathway.session.follow_ups.all())
    assert due == [21, 42, 84, 182]
    assert pathway.session.aftercare.content["compression"]["days"] == [2, 21]


def test_an_adverse_event_before_the_session_is_refused(clinics: Clinics, pathway: Pathway):
    treatment.record_injection(
        clinics.alice, pathway.session, lot=pathway.lot, volume_ml="0.2", form="liquid"
    )
    pathway.session.refresh_from_db()
    followup.complete_session(clinics.alice, pathway.session, pathway.session.version)
    with pytest.raises(ValidationError, match="before the treatment"):
        followup.log_adverse_event(
            clinics.nora,
            pathway.patient,
            symptom="bruising",
            onset_on=date.today() - timedelta(days=3),
            severity="mild",
        )


def test_patients_given_a_lot_are_listed_for_a_recall(clinics: Clinics, pathway: Pathway):
    treatment.record_injection(
        clinics.alice, pathway.session, lot=pathway.lot, volume_ml="0.2", form="liquid"
    )
    assert treatment.patients_for_lot(clinics.alice, pathway.lot) == [pathway.patient]
    assert treatment.patients_for_lot(clinics.alice, pathway.expired_lot) == []


def test_finding_labels_never_repeat_even_after_one_is_voided(clinics: Clinics, pathway: Pathway):
    from scleropath.assessments import services as assessments

    pathway.varicose.void(clinics.alice, "Wrong leg")
    again = assessments.add_finding(
        clinics.alice, pathway.assessment, side="right", region="calf_medial", diameter_mm=4.0
    )
    assert again.label == "R3"
