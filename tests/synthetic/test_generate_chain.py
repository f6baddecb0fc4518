"""``generate_chain`` at a tiny scale: the counts asked for, only values the protocol allows, the
same chain for the same seed, and no mixing with a real clinic's records."""

from __future__ import annotations

import hashlib
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from scleropath.accounts.models import Clinic, User
from scleropath.assessments.models import LegScore, VeinFinding
from scleropath.checkins.models import CheckIn
from scleropath.core.engine import engine_for
from scleropath.followup.models import AdverseEvent, FollowUp, Outcome
from scleropath.patients.models import Patient
from scleropath.patients.nhs import nhs_number_is_valid
from scleropath.synthetic.chain import ChainSize, generate_chain
from scleropath.treatment.models import Injection, StockLot, TreatmentSession

UNTIL = date(2026, 11, 30)
TINY = {"clinics": 2, "practitioners": 3, "patients": 12, "sessions": 40, "injections": 300}

pytestmark = pytest.mark.django_db


def generate(**options: Any) -> str:
    err = StringIO()
    out = StringIO()
    call_command("generate_chain", stdout=out, stderr=err, **{"until": UNTIL, "seed": 7, **TINY, **options})
    return err.getvalue()


@pytest.fixture
def chain() -> None:
    generate()


@pytest.mark.usefixtures("chain")
def test_it_writes_the_clinics_patients_sessions_and_injections_asked_for() -> None:
    assert Clinic.objects.count() == 2
    assert Patient.objects.count() == 12
    assert TreatmentSession.objects.count() == 40
    assert Injection.objects.count() == 300
    # three practitioners, a receptionist and a manager in each clinic
    assert User.objects.filter(clinic__isnull=False).count() == 2 * 5


@pytest.mark.usefixtures("chain")
def test_every_session_has_its_injections_aftercare_appointments_and_a_plan() -> None:
    for session in TreatmentSession.objects.select_related("plan"):
        assert session.injections.exists()
        assert session.plan.patient_id == session.patient_id
        assert FollowUp.objects.filter(session=session).exists()
        assert CheckIn.objects.filter(session=session).exists()
    assert VeinFinding.objects.exists()
    assert LegScore.objects.count() == 2 * VeinFinding.objects.values("assessment").distinct().count()
    assert Outcome.objects.exists()


@pytest.mark.usefixtures("chain")
def test_every_injection_is_a_product_form_strength_and_volume_the_protocol_allows() -> None:
    protocol = engine_for(None).protocol
    in_use = {p.id: p for p in protocol.products_in_use}
    for inj in Injection.objects.select_related("finding", "lot"):
        product = in_use[inj.product]
        conc, volume = float(inj.concentration_percent), float(inj.volume_ml)
        assert inj.agent == product.agent
        labelled = (
            product.foamable_strengths_percent
            if inj.form == "foam" and product.foamable_strengths_percent
            else product.strengths_percent
        )
        assert conc in labelled
        uses = [
            u
            for u in product.uses
            if inj.finding.engine_class in u.vessel_classes
            and u.form == inj.form
            and (u.concentration_percent.min or 0) <= conc <= (u.concentration_percent.max or conc)
        ]
        assert uses, f"{inj.product} {inj.form} {conc}% is not allowed for {inj.finding.engine_class}"
        per_site = [u.volume_per_site_ml for u in uses if u.volume_per_site_ml is not None]
        if per_site:
            assert any((r.min or 0) <= volume <= (r.max or volume) for r in per_site)
        # the lot is the clinic's own, of the same product and strength, in date when used
        assert (inj.lot.product, float(inj.lot.concentration_percent)) == (inj.product, conc)
        assert inj.lot.clinic_id == inj.clinic_id
        assert inj.lot.expiry_date >= inj.given_at.date()


@pytest.mark.usefixtures("chain")
def test_no_session_passes_a_limit_the_engine_sets() -> None:
    engine = engine_for(None)
    for session in TreatmentSession.objects.prefetch_related("injections"):
        injections = list(session.injections.all())
        check = engine.check_session(
            {
                "patient": {"weight_kg": float(session.weight_kg)},
                "session_number": session.number,
                "product": injections[0].product,
                "injections": [
                    {
                        "agent": i.agent,
                        "product": i.product,
                        "form": i.form,
                        "concentration_percent": float(i.concentration_percent),
                        "volume_ml": float(i.volume_ml),
                        "foam_gas_parts": float(i.foam_gas_parts) if i.foam_gas_parts is not None else None,
                    }
                    for i in injections
                ],
            }
        )
        assert check.within_limits, check.violations
        assert not check.warnings
        assert all(not i.override_reason for i in injections)


@pytest.mark.usefixtures("chain")
def test_scores_and_triage_are_the_engines_own() -> None:
    engine = engine_for(None)
    for score in LegScore.objects.all():
        ceap = engine.ceap({"signs": score.ceap_signs})
        assert (score.ceap_classes, score.ceap_highest) == (ceap.c_classes, ceap.highest)
        assert score.vcss_total == engine.vcss({"items": score.vcss_items}).total
    events = AdverseEvent.objects.select_related("session")
    assert events.exists()
    for event in events:
        days = (event.onset_on - event.session.started_at.date()).days
        answer = engine.triage({"symptom": event.symptom, "days_since_treatment": days})
        assert event.triage_level == answer.level
    assert all(nhs_number_is_valid(n) for n in Patient.objects.values_list("nhs_number", flat=True))


def digest() -> str:
    """The chain's content by natural keys (database ids may differ between runs)."""
    h = hashlib.sha256()
    for row in Patient.objects.order_by("email").values_list(
        "clinic__slug", "given_name", "family_name", "date_of_birth", "nhs_number", "email", "created_at"
    ):
        h.update(repr(row).encode())
    for row in Injection.objects.order_by("session__patient__email", "given_at", "volume_ml").values_list(
        "session__patient__email",
        "session__number",
        "finding__label",
        "product",
        "form",
        "concentration_percent",
        "volume_ml",
        "given_at",
        "given_by__username",
        "lot__lot_number",
    ):
        h.update(repr(row).encode())
    for model in (FollowUp, CheckIn, AdverseEvent, Outcome, StockLot):
        h.update(f"{model.__name__} {model.objects.count()}".encode())
    return h.hexdigest()


class Rollback(Exception):
    pass


def digest_of(**options: Any) -> str:
    """Generate into the empty database, take the digest, and undo the generation."""
    found = ""
    try:
        with transaction.atomic():
            generate(**options)
            found = digest()
            raise Rollback
    except Rollback:
        pass
    assert not Clinic.objects.exists()
    return found


def test_the_same_seed_makes_the_same_chain_and_another_seed_a_different_one() -> None:
    first = digest_of()
    assert digest_of() == first
    assert digest_of(seed=8) != first


def test_it_refuses_a_database_with_a_real_clinic(clinics: Any) -> None:
    with pytest.raises(CommandError, match="real clinic"):
        generate()
    assert not TreatmentSession.objects.exists()


def test_it_generates_beside_a_real_clinic_when_forced(clinics: Any) -> None:
    generate(force=True)
    assert TreatmentSession.objects.count() == TINY["sessions"]
    assert not TreatmentSession.objects.filter(clinic__in=[clinics.a, clinics.b]).exists()


@pytest.mark.usefixtures("chain")
def test_it_refuses_to_add_a_second_chain() -> None:
    with pytest.raises(CommandError, match="already holds a generated chain"):
        generate()


def test_it_reports_progress_with_rows_per_second() -> None:
    assert "rows/s" in generate()


def test_scale_multiplies_the_default_chain() -> None:
    size = ChainSize().scaled(0.001)
    assert (size.patients, size.sessions, size.injections) == (100, 1_000, 10_000)


def test_it_refuses_fewer_injections_than_sessions() -> None:
    with pytest.raises(CommandError, match="at least one injection"):
        generate(sessions=40, injections=39)


def test_the_generator_function_returns_rows_written_per_model() -> None:
    counts = generate_chain(ChainSize(1, 2, 3, 6, 20, 1), seed=1, until=UNTIL, progress=StringIO())
    assert counts["treatment.Injection"] == 20
    assert counts["treatment.TreatmentSession"] == 6
