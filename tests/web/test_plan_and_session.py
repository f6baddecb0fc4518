"""Plan, consent and session charting with the live tally that refuses an injection past a limit."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from scleropath.assessments import services as assessments
from scleropath.assessments.models import PlanStatus
from tests.pathway import Clinics, Pathway


def test_the_plan_shows_each_findings_procedure_reason_and_sources(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    content = client.get(reverse("web:plan", args=[pathway.plan.pk])).content.decode()
    assert "Microsclerotherapy" in content
    assert "Liquid sclerosant is the method of choice for telangiectasias" in content
    assert "AETH-DE" in content and "Aethoxysklerol (polidocanol 0.25/0.5/1/2/3%) Fachinformation" in content
    assert "Polidocanol at most <strong>140 mg</strong>" in content


def test_approving_with_an_override_needs_a_reason(client: Client, clinics: Clinics, pathway: Pathway):
    draft = assessments.plan_assessment(clinics.alice, pathway.assessment)
    client.force_login(clinics.alice)
    url = reverse("web:plan", args=[draft.pk])
    response = client.post(url, {"version": draft.version, f"override_{pathway.spider.label}": "defer"})
    assert response.status_code == 400
    assert b"Give a reason" in response.content
    client.post(
        url,
        {
            "version": draft.version,
            f"override_{pathway.spider.label}": "defer",
            f"reason_{pathway.spider.label}": "Patient prefers to wait",
        },
    )
    draft.refresh_from_db()
    assert draft.status == PlanStatus.APPROVED
    assert draft.overrides[pathway.spider.label]["reason"] == "Patient prefers to wait"


def test_a_stale_approval_is_refused(client: Client, clinics: Clinics, pathway: Pathway):
    draft = assessments.plan_assessment(clinics.alice, pathway.assessment)
    client.force_login(clinics.alice)
    url = reverse("web:plan", args=[draft.pk])
    assert client.post(url, {"version": draft.version}).status_code == 302
    response = client.post(url, {"version": draft.version})
    assert response.status_code == 400


def test_the_consent_page_shows_the_text_and_who_took_it(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    content = client.get(reverse("web:consent", args=[pathway.plan.pk])).content.decode()
    assert "microsclerotherapy" in content
    assert "Possible side effects and complications" in content
    assert "taken by Alice" in content


def test_the_session_offers_only_unexpired_lots(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    content = client.get(reverse("web:session", args=[pathway.session.pk])).content.decode()
    assert "AE-301" in content
    assert "AE-OLD" not in content


def test_the_tally_warns_before_an_injection_would_pass_a_limit(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    url = reverse("web:tally", args=[pathway.session.pk])
    strong = {"lot": pathway.strong_lot.pk, "form": "foam", "foam_gas_parts": "1"}
    ok = client.post(url, {**strong, "volume_ml": "8"}, HTTP_HX_REQUEST="true")
    assert b"refusal" not in ok.content
    over = client.post(url, {**strong, "volume_ml": "10"}, HTTP_HX_REQUEST="true")
    assert b"refusal" in over.content
    assert b"over the limit of 140 mg" in over.content
    assert pathway.session.injections.count() == 0


def test_an_injection_past_a_limit_is_refused_until_a_reason_is_given(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    url = reverse("web:session", args=[pathway.session.pk])
    # 3% foam at 1 + 1: 8 mL carries 120 mg of polidocanol; the 70 kg patient may have 140 mg a day.
    data = {
        "lot": pathway.strong_lot.pk,
        "form": "foam",
        "foam_gas_parts": "1",
        "finding": pathway.varicose.pk,
    }
    assert client.post(url, {**data, "volume_ml": "8"}).status_code == 302
    refused = client.post(url, {**data, "volume_ml": "2"})
    assert refused.status_code == 400
    assert b"would pass a limit" in refused.content
    assert pathway.session.injections.count() == 1
    client.post(url, {**data, "volume_ml": "2", "override_reason": "Large vein; benefit outweighs risk"})
    last = pathway.session.injections.order_by("-id").first()
    assert last.override_reason == "Large vein; benefit outweighs risk"


def test_a_nurse_cannot_pass_a_limit_even_with_a_reason(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.nora)
    url = reverse("web:session", args=[pathway.session.pk])
    data = {
        "lot": pathway.strong_lot.pk,
        "form": "foam",
        "foam_gas_parts": "1",
        "finding": pathway.varicose.pk,
    }
    client.post(url, {**data, "volume_ml": "8"})
    response = client.post(url, {**data, "volume_ml": "2", "override_reason": "Because"})
    assert response.status_code == 400
    assert b"Only a clinician may pass a session limit" in response.content
    assert pathway.session.injections.count() == 1


def test_completing_the_session_leads_to_the_aftercare(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    client.post(
        reverse("web:session", args=[pathway.session.pk]),
        {"lot": pathway.lot.pk, "form": "liquid", "volume_ml": "0.2", "finding": pathway.spider.pk},
    )
    response = client.post(
        reverse("web:session_complete", args=[pathway.session.pk]), {"version": pathway.session.version}
    )
    assert response["Location"] == reverse("web:aftercare", args=[pathway.session.pk])
    page = client.get(response["Location"]).content.decode()
    assert "compression stockings" in page
    assert 'call <a href="tel:999">999</a> now' in page


def test_today_lists_the_open_session_and_urgent_events(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    client.post(
        reverse("web:session", args=[pathway.session.pk]),
        {"lot": pathway.lot.pk, "form": "liquid", "volume_ml": "0.2", "finding": pathway.spider.pk},
    )
    client.post(
        reverse("web:session_complete", args=[pathway.session.pk]), {"version": pathway.session.version}
    )
    client.post(
        reverse("web:event_new", args=[pathway.patient.pk]),
        {"symptom": "dvt_symptoms", "onset_on": date.today().isoformat(), "severity": "moderate"},
    )
    content = client.get(reverse("web:today")).content.decode()
    assert "Suspected deep vein thrombosis" in content
    assert "level-prompt_review" in content
