"""Screening shows its verdict as it is answered; the assessment classifies findings at once."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from scleropath.assessments.models import VeinFinding
from scleropath.protocol import Engine
from scleropath.protocol.vocabulary import VCSS_ITEMS
from tests.pathway import Clinics, Pathway


def test_screening_preview_shows_the_verdict_without_saving(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.nora)
    before = pathway.patient.screenings.count()
    response = client.post(
        reverse("web:screening", args=[pathway.patient.pk]),
        {"conditions": ["acute_vte"], "allergies": "", "mobility": "ambulant", "preview": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert b"Absolute" in response.content
    assert b"Acute venous thromboembolism" in response.content
    assert pathway.patient.screenings.count() == before


def test_recording_screening_makes_a_new_version(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.nora)
    client.post(
        reverse("web:screening", args=[pathway.patient.pk]),
        {"conditions": ["thrombophilia"], "allergies": "latex", "mobility": "ambulant"},
    )
    current = pathway.patient.current_screening()
    assert current.number == 2
    assert current.conditions == ["thrombophilia"]
    assert current.allergies == ["latex"]


def test_the_questionnaire_lists_the_engines_screening_questions(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    content = client.get(reverse("web:screening", args=[pathway.patient.pk])).content.decode()
    assert "Known symptomatic right-to-left shunt" in content
    assert "Hormonal contraception or hormone replacement therapy?" in content


def test_classify_preview_shows_the_engines_class_and_its_sources(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    response = client.post(
        reverse("web:classify_preview", args=[pathway.assessment.pk]),
        {
            "side": "left",
            "region": "thigh_lateral",
            "view": "front",
            "x": "0.5",
            "y": "0.3",
            "diameter_mm": "2.0",
        },
        HTTP_HX_REQUEST="true",
    )
    assert b"class-reticular" in response.content
    # Sources are listed as the CLI and the rendered protocol list them.
    citations = Engine().classify({"id": "a", "side": "left", "diameter_mm": 2.0}).citations
    assert len(citations) > 1
    assert f"Sources: {'; '.join(citations)}</p>" in response.content.decode()


def test_adding_a_finding_stores_the_engines_class_and_position(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    client.post(
        reverse("web:assessment", args=[pathway.assessment.pk]),
        {
            "side": "left",
            "region": "calf_posterior",
            "view": "back",
            "x": "0.25",
            "y": "0.65",
            "diameter_mm": "2.4",
            "depth": "subcutaneous",
            "visible": "on",
        },
    )
    finding = VeinFinding.objects.get(assessment=pathway.assessment, region="calf_posterior")
    assert finding.engine_class == "reticular"
    assert (finding.view, finding.x, finding.y) == ("back", 0.25, 0.65)


def test_a_bad_diameter_is_refused_beside_its_field(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    response = client.post(
        reverse("web:assessment", args=[pathway.assessment.pk]),
        {
            "side": "left",
            "region": "calf_posterior",
            "view": "back",
            "x": "0.25",
            "y": "0.65",
            "diameter_mm": "-2",
        },
    )
    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert not VeinFinding.objects.filter(region="calf_posterior").exists()


def test_a_class_override_without_a_reason_is_refused(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    response = client.post(
        reverse("web:assessment", args=[pathway.assessment.pk]),
        {
            "side": "left",
            "region": "knee_medial",
            "view": "front",
            "x": "0.7",
            "y": "0.5",
            "diameter_mm": "2.0",
            "clinician_class": "varicose",
        },
    )
    assert response.status_code == 400
    assert b"Give a reason" in response.content


def test_leg_scores_are_computed_by_the_engine(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    data = {
        "side": "right",
        "signs": ["varicose_veins", "edema"],
        **{f"vcss_{k}": "0" for k in VCSS_ITEMS},
        "vcss_pain": "2",
    }
    client.post(reverse("web:leg_score", args=[pathway.assessment.pk]), data)
    score = pathway.assessment.leg_scores.get(side="right")
    assert score.ceap_highest == "C3"
    assert score.vcss_total == 2


def test_the_leg_map_draws_every_finding(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    content = client.get(reverse("web:assessment", args=[pathway.assessment.pk])).content.decode()
    assert content.count('class="marker finding"') == 2
    assert 'aria-label="Finding L1: telangiectasia' in content
    assert 'aria-label="Finding R2: varicose' in content
