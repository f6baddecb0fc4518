"""No code reaches a person: the pages name regions, products, procedures and symptoms as the
protocol does, and repeat a screening caution about foam on the finding planned with foam."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from django.urls import reverse

from scleropath.assessments import services as assessments
from scleropath.followup import services as followup
from scleropath.patients import services as patients
from tests.pathway import Clinics, Pathway, inject_spider

CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # thigh_medial, foam_sclerotherapy, prompt_review


class _Text(HTMLParser):
    """The text a person reads on a page: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def codes_on(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return CODE.findall(visible_text(response.content.decode()))


def test_the_plan_names_regions_products_and_procedures_in_words(
    client: Client, clinics: Clinics, pathway: Pathway
) -> None:
    client.force_login(clinics.alice)
    text = visible_text(client.get(reverse("web:plan", args=[pathway.plan.pk])).content.decode())
    assert "Right inner calf" in text and "Left outer thigh" in text
    assert "Aethoxysklerol (polidocanol)" in text
    assert "Foam sclerotherapy" in text and "Before treatment: duplex ultrasound mapping" in text
    assert CODE.findall(text) == []
    assert "aethoxysklerol.total" not in text  # the limits are named, not given by rule id


def test_the_clinicians_pages_show_no_codes(client: Client, clinics: Clinics, pathway: Pathway) -> None:
    inject_spider(clinics.alice, pathway)
    pathway.session.refresh_from_db()
    followup.complete_session(clinics.alice, pathway.session, pathway.session.version)
    event = followup.log_adverse_event(
        clinics.alice,
        pathway.patient,
        symptom="dvt_symptoms",
        onset_on=pathway.session.started_at.date(),
        severity="mild",
        session=pathway.session,
        notes="",
    )
    client.force_login(clinics.alice)
    for url in [
        reverse("web:today"),
        reverse("web:flags"),
        reverse("web:screening", args=[pathway.patient.pk]),
        reverse("web:aftercare", args=[pathway.session.pk]),
        reverse("web:event", args=[event.pk]),
        reverse("web:event_new", args=[pathway.patient.pk]),
        reverse("web:outcome", args=[pathway.plan.pk]),
        reverse("web:consent", args=[pathway.plan.pk]),
    ]:
        assert codes_on(client, url) == [], url


def test_a_stock_lot_is_labelled_by_the_products_brand_name(pathway: Pathway) -> None:
    assert str(pathway.lot).startswith("Aethoxysklerol 0.5% lot AE-301")


def test_a_shunt_found_on_screening_is_repeated_on_the_finding_planned_with_foam(
    client: Client, clinics: Clinics, pathway: Pathway
) -> None:
    alice = clinics.alice
    patients.record_screening(
        alice, pathway.patient, conditions=["asymptomatic_right_to_left_shunt"], allergies=[]
    )
    assessment = assessments.create_assessment(alice, pathway.patient)
    assessments.add_finding(
        alice,
        assessment,
        side="right",
        region="calf_medial",
        view="front",
        x=0.35,
        y=0.6,
        diameter_mm=4.5,
        depth="subcutaneous",
        reflux=False,
    )
    plan = assessments.plan_assessment(alice, assessment)
    client.force_login(alice)
    html = client.get(reverse("web:plan", args=[plan.pk])).content.decode()
    finding = html[html.index('aria-labelledby="f-') :]
    finding = finding[: finding.index("</section>")]
    assert "Foam with right-to-left shunt without symptoms on screening" in visible_text(finding)
    assert "[UIP2023; AETH-AT; FIBR]" in finding


def test_favicon_ico_leads_to_the_svg_icon_the_pages_link(
    client: Client, clinics: Clinics, link: Any
) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/scleropath/favicon.svg"
    icon = '<link rel="icon" type="image/svg+xml" href="/static/scleropath/favicon.svg">'
    client.force_login(clinics.alice)
    assert icon in client.get(reverse("web:today")).content.decode()
    client.logout()
    assert icon in client.get(link[2]).content.decode()
