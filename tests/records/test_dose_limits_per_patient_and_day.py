"""The dose limits hold per patient and per day, whatever the path: one open session at a time,
writes for one patient serialised, the daily maximum counted across the day's sessions, weights
never from the future, and treatment off the plan recorded with a clinician's reason.

The tests marked ``transaction=True`` run real transactions in parallel threads, each with its own
database connection, so they prove the locking on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from scleropath.core.models import RecordError
from scleropath.followup import services as followup
from scleropath.patients import services as patients
from scleropath.patients.models import WeightMeasurement
from scleropath.treatment import services as treatment
from scleropath.treatment.models import Injection, SessionStatus, StockLot, TreatmentSession
from tests.concurrency import at_once
from tests.pathway import Clinics, Pathway, inject_spider


def foam_lot(clinics: Clinics, strength: str) -> StockLot:
    return treatment.add_stock_lot(
        clinics.mark,
        product="aethoxysklerol",
        concentration_percent=strength,
        lot_number=f"AE-F{strength}",
        expiry_date=date.today() + timedelta(days=200),
        quantity=20,
    )


def foam(clinics: Clinics, session: TreatmentSession, pathway: Pathway, lot: StockLot, ml: str, **kw: Any):
    """Foam into the plan's varicose finding (the plan offers aethoxysklerol foam 1-3% for it)."""
    return treatment.record_injection(
        clinics.alice,
        session,
        lot=lot,
        volume_ml=ml,
        form="foam",
        foam_gas_parts=kw.pop("gas", 4),
        finding=pathway.varicose,
        **kw,
    )


# --- one open session per patient ------------------------------------------------------------------


def test_the_database_itself_refuses_a_second_open_session_for_a_patient(clinics: Clinics, pathway: Pathway):
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatmentSession.objects.create(
            clinic=clinics.a,
            plan=pathway.plan,
            patient=pathway.patient,
            number=2,
            practitioner=clinics.alice,
            weight_kg=70,
        )


def test_a_voided_or_completed_session_does_not_count_as_open(clinics: Clinics, pathway: Pathway):
    pathway.session.void(clinics.alice, "Opened by mistake")
    second = treatment.start_session(clinics.alice, pathway.plan)
    assert second.status == SessionStatus.OPEN


@pytest.mark.django_db(transaction=True)
def test_sessions_started_at_once_for_one_patient_open_only_one(clinics: Clinics, pathway: Pathway):
    pathway.session.void(clinics.alice, "Opened by mistake")
    results = at_once(8, lambda: treatment.start_session(clinics.alice, pathway.plan))
    opened = [r for r in results if isinstance(r, TreatmentSession)]
    refused = [r for r in results if isinstance(r, RecordError)]
    assert len(opened) == 1, results
    assert len(refused) == 7, results
    assert all("already has an open session" in str(r) for r in refused)
    assert (
        TreatmentSession.objects.filter(patient=pathway.patient, status="open", voided_at=None).count() == 1
    )


@pytest.mark.django_db(transaction=True)
def test_injections_recorded_at_once_never_pass_a_session_limit(clinics: Clinics, pathway: Pathway):
    lot = foam_lot(clinics, "1")
    # 6 mL of foam fits the 10 mL a session allows; two of them do not.
    results = at_once(6, lambda: foam(clinics, pathway.session, pathway, lot, "6"))
    given = [r for r in results if isinstance(r, Injection)]
    refused = [r for r in results if isinstance(r, treatment.LimitRefused)]
    assert len(given) == 1, results
    assert len(refused) == 5, results
    total = sum(i.volume_ml for i in Injection.objects.filter(session=pathway.session))
    assert total == Decimal("6")


# --- the daily maximum is per day ------------------------------------------------------------------


def complete(clinics: Clinics, session: TreatmentSession) -> None:
    session.refresh_from_db()
    followup.complete_session(clinics.alice, session, session.version)


def test_a_second_session_the_same_day_counts_the_first_against_the_daily_maximum(
    clinics: Clinics, pathway: Pathway
):
    lot = foam_lot(clinics, "3")
    # 70 kg: 140 mg of polidocanol a day. 8 mL of 3% foam at 1 + 1 carries 4 mL of liquid: 120 mg.
    foam(clinics, pathway.session, pathway, lot, "8", gas=1)
    complete(clinics, pathway.session)
    second = treatment.start_session(
        clinics.alice, pathway.plan, off_plan_reason="Finishing the tributary today"
    )
    # 2 mL more at 1 + 1 is 30 mg: within this session alone, 150 mg for the day.
    with pytest.raises(treatment.LimitRefused, match="Daily dose"):
        foam(clinics, second, pathway, lot, "2", gas=1)
    assert not second.injections.exists()
    check = treatment.session_check(second)
    assert check.totals.polidocanol_mg == 0
    assert check.totals.polidocanol_mg_today == pytest.approx(120)


def test_the_next_day_starts_a_fresh_daily_count(clinics: Clinics, pathway: Pathway):
    lot = foam_lot(clinics, "3")
    foam(clinics, pathway.session, pathway, lot, "8", gas=1)
    complete(clinics, pathway.session)
    tomorrow = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(10)))
    second = treatment.start_session(clinics.alice, pathway.plan, at=tomorrow, off_plan_reason="Review")
    injection = foam(clinics, second, pathway, lot, "2", gas=1, at=tomorrow)
    assert injection.limit_check["totals"]["polidocanol_mg_today"] == pytest.approx(30)


def test_the_session_page_shows_the_days_total_with_earlier_sessions(
    client, clinics: Clinics, pathway: Pathway
):
    lot = foam_lot(clinics, "3")
    foam(clinics, pathway.session, pathway, lot, "8", gas=1)
    complete(clinics, pathway.session)
    second = treatment.start_session(
        clinics.alice, pathway.plan, off_plan_reason="Finishing the tributary today"
    )
    client.force_login(clinics.alice)
    body = client.get(f"/sessions/{second.pk}/").content.decode()
    assert "120 mg today" in body


# --- weight -------------------------------------------------------------------------------------------


def test_a_weight_dated_in_the_future_is_refused(clinics: Clinics, pathway: Pathway):
    with pytest.raises(ValidationError) as raised:
        patients.record_weight(clinics.nora, pathway.patient, 70, measured_on=date(2200, 12, 31))
    assert "measured_on" in raised.value.message_dict
    assert pathway.patient.weights.count() == 1


def test_a_session_uses_the_latest_weight_measured_on_or_before_its_day(clinics: Clinics, pathway: Pathway):
    pathway.session.void(clinics.alice, "Opened by mistake")
    # A weight saved before this rule existed, dated ahead, must not become the session's weight.
    WeightMeasurement.objects.create(
        clinic=clinics.a,
        patient=pathway.patient,
        weight_kg=210,
        measured_on=date.today() + timedelta(days=30),
    )
    session = treatment.start_session(clinics.alice, pathway.plan)
    assert session.weight_kg == 70


def test_a_weight_far_from_the_previous_one_must_be_confirmed(clinics: Clinics, pathway: Pathway):
    with pytest.raises(patients.WeightNeedsConfirmation) as raised:
        patients.record_weight(clinics.nora, pathway.patient, 7)
    assert "70 kg" in raised.value.message_dict["weight_kg"][0]
    assert pathway.patient.weights.count() == 1
    patients.record_weight(clinics.nora, pathway.patient, 7, confirmed=True)
    assert pathway.patient.latest_weight().weight_kg == 7


def test_a_weight_within_the_clinics_threshold_needs_no_confirmation(clinics: Clinics, pathway: Pathway):
    clinics.a.weight_check_percent = 5
    clinics.a.save()
    pathway.patient.refresh_from_db()
    patients.record_weight(clinics.nora, pathway.patient, "73.5")  # 5% more
    with pytest.raises(patients.WeightNeedsConfirmation):
        patients.record_weight(clinics.nora, pathway.patient, "77.5")  # 5.4% more than 73.5


def test_the_chart_asks_to_confirm_a_far_weight_and_keeps_what_was_typed(
    client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.nora)
    url = f"/patients/{pathway.patient.pk}/"
    response = client.post(url, {"weight_kg": "17"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "confirm" in body
    assert 'value="17"' in body
    assert client.post(url, {"weight_kg": "17", "confirmed": "on"}).status_code == 302
    assert pathway.patient.latest_weight().weight_kg == 17


def test_the_api_refuses_a_future_weight_naming_the_field(client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.nora)
    response = client.post(
        f"/api/v1/patients/{pathway.patient.pk}/weights",
        {"weight_kg": 70, "measured_on": "2200-12-31"},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert "measured_on" in str(response.json())


# --- off-plan treatment ------------------------------------------------------------------------------


def test_a_strength_the_plan_does_not_offer_is_refused_without_a_reason(clinics: Clinics, pathway: Pathway):
    lot = foam_lot(clinics, "3")
    with pytest.raises(treatment.OffPlanRefused, match="not a strength the plan offers"):
        inject_spider(clinics.alice, pathway, lot=lot)
    assert not Injection.objects.exists()


def test_a_clinician_treats_off_plan_with_a_reason_kept_on_the_injection(clinics: Clinics, pathway: Pathway):
    lot = foam_lot(clinics, "3")
    injection = inject_spider(
        clinics.alice,
        pathway,
        lot=lot,
        off_plan_reason="Resistant vein after two sessions at the lower strength",
    )
    assert injection.off_plan and "0.25" in injection.off_plan[0]
    assert injection.off_plan_reason.startswith("Resistant")
    assert injection.override_reason == ""


def test_a_nurse_cannot_treat_off_plan_even_with_a_reason(clinics: Clinics, pathway: Pathway):
    lot = foam_lot(clinics, "3")
    with pytest.raises(RecordError, match="Only a clinician"):
        inject_spider(clinics.nora, pathway, lot=lot, off_plan_reason="I think it needs more")
    assert not Injection.objects.exists()


def test_an_injection_the_plan_offers_is_not_off_plan(clinics: Clinics, pathway: Pathway):
    injection = inject_spider(clinics.nora, pathway)
    assert injection.off_plan == []


def test_a_session_before_the_plans_interval_needs_a_clinicians_reason(clinics: Clinics, pathway: Pathway):
    inject_spider(clinics.alice, pathway)
    complete(clinics, pathway.session)
    with pytest.raises(treatment.OffPlanRefused, match="interval between sessions"):
        treatment.start_session(clinics.alice, pathway.plan)
    with pytest.raises(RecordError, match="Only a clinician"):
        treatment.start_session(clinics.nora, pathway.plan, off_plan_reason="Patient asked")
    session = treatment.start_session(clinics.alice, pathway.plan, off_plan_reason="Patient travels abroad")
    assert session.off_plan and session.off_plan_reason == "Patient travels abroad"


def test_a_session_after_the_plans_interval_is_on_plan(clinics: Clinics, pathway: Pathway):
    inject_spider(clinics.alice, pathway)
    complete(clinics, pathway.session)
    interval = pathway.plan.engine_answer["aftercare"]["next_session_interval_days"]
    with time_machine.travel(timezone.now() + timedelta(days=interval[0]), tick=False):
        session = treatment.start_session(clinics.nora, pathway.plan)
    assert session.off_plan == []


def test_the_session_page_shows_off_plan_treatment_and_its_reason(client, clinics: Clinics, pathway: Pathway):
    lot = foam_lot(clinics, "3")
    client.force_login(clinics.alice)
    url = f"/sessions/{pathway.session.pk}/"
    fields = {"lot": lot.pk, "form": "liquid", "volume_ml": "0.2", "finding": pathway.spider.pk}
    refused = client.post(url, fields)
    assert refused.status_code == 400
    assert "Off-plan" in refused.content.decode()
    assert client.post(url, {**fields, "off_plan_reason": "Resistant vein"}).status_code == 302
    assert "Resistant vein" in client.get(url).content.decode()


def test_the_api_records_an_off_plan_injection_only_with_a_reason(client, clinics: Clinics, pathway: Pathway):
    lot = foam_lot(clinics, "3")
    client.force_login(clinics.alice)
    url = f"/api/v1/sessions/{pathway.session.pk}/injections"
    body = {"lot": lot.pk, "form": "liquid", "volume_ml": 0.2, "finding": pathway.spider.pk}
    assert client.post(url, body, content_type="application/json").status_code == 409
    created = client.post(url, {**body, "off_plan_reason": "Resistant vein"}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["off_plan_reason"] == "Resistant vein"
