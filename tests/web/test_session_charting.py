"""Charting an injection in two actions: the form filled from the approved plan's option for a
finding, or as the last injection again ("same again"); the lots that fit offered first; a tally
that shows every limit of the plan's products in one row per kind, in plain words."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from scleropath.assessments import services as assessments
from scleropath.patients import services as patients
from scleropath.treatment import services as treatment
from scleropath.treatment.models import StockLot, TreatmentSession
from tests.pathway import ZERO_VCSS, Clinics, Pathway, inject_spider


def url(pathway: Pathway) -> str:
    return reverse("web:session", args=[pathway.session.pk])


def lot(clinics: Clinics, number: str, percent: str, days: int, product: str = "aethoxysklerol") -> StockLot:
    return treatment.add_stock_lot(
        clinics.mark,
        product=product,
        concentration_percent=percent,
        lot_number=number,
        expiry_date=date.today() + timedelta(days=days),
        quantity=10,
    )


def selected_lot(content: str) -> str | None:
    select = re.search(r'<select name="lot".*?</select>', content, re.S)
    assert select is not None
    chosen = re.search(r'<option value="(\d+)"[^>]*selected', select.group(0))
    return chosen.group(1) if chosen else None


def tally(content: str) -> str:
    found = re.search(r'<section id="tally".*?</section>', content, re.S)
    assert found is not None
    return found.group(0)


def test_choosing_a_finding_fills_the_form_from_the_plans_option(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    response = client.get(url(pathway), {"finding": pathway.spider.pk})
    assert response.status_code == 200
    form = response.context["form"]
    # The spider vein's first option: Aethoxysklerol 0.25-0.5 % liquid, 0.1-0.2 mL a site.
    assert form.initial["finding"] == pathway.spider.pk
    assert form.initial["lot"] == pathway.lot.pk
    assert form.initial["form"] == "liquid"
    assert form.initial["volume_ml"] == "0.1"
    content = response.content.decode()
    assert f"Filled from the plan for {pathway.spider.label}: Aethoxysklerol 0.25–0.5 % liquid" in content
    assert "The plan: 0.1–0.2 mL a site." in content
    assert selected_lot(content) == str(pathway.lot.pk)


def test_recording_the_filled_form_as_it_stands_takes_two_actions(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    # Action one: choose the finding. Action two: Record, with nothing typed.
    form = client.get(url(pathway), {"finding": pathway.spider.pk}).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    assert client.post(url(pathway), data).status_code == 302
    given = pathway.session.injections.get()
    assert (given.finding, given.lot, given.form) == (pathway.spider, pathway.lot, "liquid")
    assert given.volume_ml == Decimal("0.1")
    assert given.off_plan == []


def test_the_lot_of_the_lowest_strength_expiring_first_is_preselected(
    client: Client, clinics: Clinics, pathway: Pathway
):
    sooner = lot(clinics, "AE-299", "0.5", 30)
    client.force_login(clinics.alice)
    content = client.get(url(pathway), {"finding": pathway.spider.pk}).content.decode()
    assert selected_lot(content) == str(sooner.pk)
    weaker = lot(clinics, "AE-250", "0.25", 300)
    content = client.get(url(pathway), {"finding": pathway.spider.pk}).content.decode()
    assert selected_lot(content) == str(weaker.pk)


def test_expired_voided_and_other_clinics_lots_are_not_offered(
    client: Client, clinics: Clinics, pathway: Pathway
):
    voided = lot(clinics, "AE-VOID", "0.5", 100)
    voided.void(clinics.mark, "Damaged in transit")
    voided.save()
    elsewhere = StockLot.objects.create(
        clinic=clinics.b,
        product="aethoxysklerol",
        agent="polidocanol",
        concentration_percent="0.5",
        lot_number="HV-1",
        expiry_date=date.today() + timedelta(days=10),
        quantity=5,
    )
    client.force_login(clinics.alice)
    content = client.get(url(pathway), {"finding": pathway.spider.pk}).content.decode()
    assert "AE-301" in content
    for number in (pathway.expired_lot.lot_number, voided.lot_number, elsewhere.lot_number):
        assert number not in content
    assert selected_lot(content) == str(pathway.lot.pk)


def test_lots_are_named_by_the_products_display_name(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    content = client.get(url(pathway)).content.decode()
    assert "Aethoxysklerol 0.5 % · lot AE-301" in content
    assert ">aethoxysklerol" not in content


def test_without_a_lot_in_stock_the_page_says_so_and_other_lots_stay_choosable(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    # The spider vein's second option is Fibrovein 0.2 %, of which the clinic holds no lot.
    response = client.get(url(pathway), {"finding": pathway.spider.pk, "option": 1})
    content = response.content.decode()
    assert "No in-date lot of Fibrovein 0.2 % in stock" in content
    assert "lot" not in response.context["form"].initial
    assert selected_lot(content) is None
    assert "AE-301" in content and "Other lots" in content


def test_the_first_option_with_a_lot_in_stock_is_chosen_and_the_others_offered(
    client: Client, clinics: Clinics, pathway: Pathway
):
    fib = lot(clinics, "FB-02", "0.2", 100, product="fibrovein")
    pathway.lot.void(clinics.mark, "Recalled")
    pathway.lot.save()
    client.force_login(clinics.alice)
    response = client.get(url(pathway), {"finding": pathway.spider.pk})
    assert response.context["form"].initial["lot"] == fib.pk
    # Fibrovein's label gives one needle for spider veins: it is filled in.
    assert response.context["form"].initial["needle_gauge"] == 30
    content = response.content.decode()
    assert "Filled from the plan for" in content and "Fibrovein 0.2 % liquid" in content
    assert "Aethoxysklerol 0.25–0.5 % liquid" in content  # offered as the other option


def test_a_lot_the_plan_does_not_offer_here_still_goes_through_the_off_plan_path(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.nora)
    data = {"finding": pathway.spider.pk, "lot": pathway.strong_lot.pk, "form": "liquid", "volume_ml": "0.1"}
    response = client.post(url(pathway), data)
    assert response.status_code == 400
    assert "Off-plan" in response.content.decode()
    assert pathway.session.injections.count() == 0


def test_same_again_fills_the_form_as_the_last_injection(client: Client, clinics: Clinics, pathway: Pathway):
    inject_spider(clinics.alice, pathway, volume_ml="0.15", needle_gauge=30, x=0.71, y=0.31, view="front")
    client.force_login(clinics.alice)
    response = client.get(url(pathway), {"again": "1"})
    initial = response.context["form"].initial
    assert initial["finding"] == pathway.spider.pk
    assert initial["lot"] == pathway.lot.pk
    assert (initial["form"], initial["volume_ml"], initial["needle_gauge"]) == ("liquid", "0.15", 30)
    # Another site: the last one's position is not copied.
    assert "x" not in initial and "y" not in initial
    content = response.content.decode()
    assert "Same as injection 1: pick the new site on the map, then record." in content
    # Picking the site and recording makes the second injection, through the same service.
    data = {k: v for k, v in initial.items() if v is not None}
    assert client.post(url(pathway), {**data, "view": "front", "x": "0.72", "y": "0.35"}).status_code == 302
    second = pathway.session.injections.order_by("-id").first()
    assert (second.lot, second.needle_gauge, second.x) == (pathway.lot, 30, 0.72)
    assert second.volume_ml == Decimal("0.15")


def test_after_an_injection_the_form_starts_as_that_injection_again(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    assert client.get(url(pathway)).context["form"].initial == {}
    inject_spider(clinics.alice, pathway)
    initial = client.get(url(pathway)).context["form"].initial
    assert initial["lot"] == pathway.lot.pk and initial["volume_ml"] == "0.2"


def test_same_again_with_a_lot_no_longer_usable_asks_for_another(
    client: Client, clinics: Clinics, pathway: Pathway
):
    inject_spider(clinics.alice, pathway)
    pathway.lot.void(clinics.mark, "Recalled")
    pathway.lot.save()
    client.force_login(clinics.alice)
    response = client.get(url(pathway), {"again": "1"})
    assert "lot" not in response.context["form"].initial
    assert "No in-date lot of Aethoxysklerol 0.5 % in stock" in response.content.decode()


def test_choosing_a_finding_with_htmx_answers_the_form_and_the_tally(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    response = client.get(url(pathway), {"finding": pathway.spider.pk}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content and "<h2>Record an injection</h2>" in content
    assert 'id="tally"' in content and 'hx-swap-oob="true"' in content
    assert "with the injection being entered" in content


def test_a_finding_not_of_this_plan_is_refused_naming_the_field(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    response = client.get(url(pathway), {"finding": "999999"})
    assert response.status_code == 400
    assert "Finding: choose a finding of this session&#x27;s plan." in response.content.decode()


def test_a_clinician_of_another_clinic_cannot_fill_the_form(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.bob)
    assert client.get(url(pathway), {"finding": pathway.spider.pk}).status_code == 404


def test_finding_markers_fill_the_form_from_the_plan(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    content = client.get(url(pathway)).content.decode()
    assert (
        f'href="{url(pathway)}?finding={pathway.spider.pk}#finding-form" data-finding="{pathway.spider.pk}"'
        in content
    )


@pytest.fixture
def sts_session(clinics: Clinics, pathway: Pathway) -> TreatmentSession:
    """A patient allergic to polidocanol, whose plan offers only Fibrovein (STS), in an open session."""
    alice = clinics.alice
    patient = patients.create_patient(
        alice, given_name="Beth", family_name="Evans", date_of_birth=date(1980, 5, 6), sex="female"
    )
    patients.record_weight(alice, patient, 64)
    patients.record_screening(alice, patient, conditions=[], allergies=["polidocanol"])
    assessment = assessments.create_assessment(alice, patient)
    assessments.add_finding(
        alice, assessment, side="left", region="thigh_lateral", view="front", x=0.7, y=0.3, diameter_mm=0.6
    )
    assessments.score_leg(alice, assessment, "left", ["telangiectasia"], ZERO_VCSS)
    plan = assessments.plan_assessment(alice, assessment)
    plan = assessments.approve_plan(alice, plan, plan.version)
    return treatment.start_session(alice, plan)


def test_the_tally_of_an_sts_plan_shows_sts_limits_before_any_injection(
    client: Client, clinics: Clinics, sts_session: TreatmentSession
):
    client.force_login(clinics.alice)
    content = tally(client.get(reverse("web:session", args=[sts_session.pk])).content.decode())
    assert "<strong>Volume this session (3 %)</strong>: 0 of 4 mL · <em>closest limit</em>" in content
    assert "<strong>Injections this session (3 %)</strong>: 0 of 4 injections" in content
    assert "<strong>Largest single injection (liquid)</strong>: 0 of 1 mL" in content
    assert "olidocanol" not in content
    assert "FIBR06" in content and "<details" in content


def test_each_kind_of_limit_is_one_row(client: Client, clinics: Clinics, sts_session: TreatmentSession):
    client.force_login(clinics.alice)
    content = tally(client.get(reverse("web:session", args=[sts_session.pk])).content.decode())
    rows = re.findall(r'<div class="small"><strong>([^<]+)</strong>:', content)
    assert len(rows) == 4
    kinds = [r.split(" (")[0] for r in rows]
    assert len(kinds) == len(set(kinds))
    assert rows[0] == "Volume this session (3 %)"  # the binding row first


def test_no_rule_id_or_product_code_shows_in_the_page_after_a_refusal(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    data = {
        "lot": pathway.strong_lot.pk,
        "form": "foam",
        "foam_gas_parts": "1",
        "finding": pathway.varicose.pk,
    }
    assert client.post(url(pathway), {**data, "volume_ml": "8"}).status_code == 302
    refused = client.post(url(pathway), {**data, "volume_ml": "2"})
    assert refused.status_code == 400
    content = refused.content.decode()
    assert "over the limit of 140 mg" in content
    check: Any = refused.context["check"]
    ids = {r for limit in check["limits"] for r in limit["rule_ids"]}
    assert ids and not [i for i in ids if i in content]
    # Products by their names, not their codes.
    assert "Aethoxysklerol 3 %" in content and not re.search(r"\baethoxysklerol\b", content)
