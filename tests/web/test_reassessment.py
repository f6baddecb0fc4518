"""Re-assess, not retype: a new assessment starts from the last one's findings, each marked as carried
over, to be changed or removed; the clinician may start empty instead. The leg-score form proposes
the CEAP signs the findings imply, and saves nothing until the clinician confirms them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from scleropath.assessments import services as assessments
from scleropath.assessments.models import Assessment, LegScore, VeinFinding
from scleropath.patients import services as patients
from tests.concurrency import at_once
from tests.pathway import ZERO_VCSS, Clinics, Pathway


def new_assessment(client: Client, pathway: Pathway, **data: str) -> Assessment:
    response = client.post(reverse("web:assessment_new", args=[pathway.patient.pk]), data)
    assert response.status_code == 302
    return Assessment.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_a_new_assessment_starts_from_the_last_ones_findings_marked_as_carried(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    new = new_assessment(client, pathway, start="last")
    carried = list(new.findings.active().order_by("label"))
    assert [(f.label, f.side, f.region, f.diameter_mm, f.x, f.y) for f in carried] == [
        (f.label, f.side, f.region, f.diameter_mm, f.x, f.y) for f in (pathway.spider, pathway.varicose)
    ]
    assert [f.carried_from for f in carried] == [pathway.spider, pathway.varicose]
    assert {f.pk for f in carried}.isdisjoint({pathway.spider.pk, pathway.varicose.pk})
    assert pathway.assessment.findings.active().count() == 2  # the last assessment is untouched
    page = client.get(reverse("web:assessment", args=[new.pk])).content.decode()
    assert page.count('<span class="badge carried" title="Copied from the assessment of') == 2


def test_copying_is_audited_as_a_creation_of_each_finding(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    new = new_assessment(client, pathway, start="last")
    kind = ContentType.objects.get_for_model(VeinFinding)
    created = LogEntry.objects.filter(content_type=kind, action=LogEntry.Action.CREATE)
    ids = {str(f.pk) for f in new.findings.all()}
    assert ids <= {e.object_pk for e in created}


def test_the_clinician_may_start_an_empty_assessment_instead(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    new = new_assessment(client, pathway, start="empty")
    assert new.findings.count() == 0


def test_the_chart_offers_both_starts_only_when_there_is_a_last_assessment(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    html = client.get(reverse("web:chart", args=[pathway.patient.pk])).content.decode()
    assert 'name="start" value="last"' in html and 'name="start" value="empty"' in html
    fresh = patients.create_patient(
        clinics.alice, given_name="Bea", family_name="Fresh", date_of_birth=pathway.patient.date_of_birth
    )
    html = client.get(reverse("web:chart", args=[fresh.pk])).content.decode()
    assert 'name="start" value="last"' not in html and 'name="start" value="empty"' in html


def test_a_first_assessment_asked_to_start_from_the_last_starts_empty(
    client: Client, clinics: Clinics, pathway: Pathway
):
    pathway.assessment.void(clinics.alice, "Entered for the wrong patient")
    client.force_login(clinics.alice)
    assert new_assessment(client, pathway, start="last").findings.count() == 0


def test_an_unknown_start_is_refused_and_nothing_is_created(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    before = Assessment.objects.count()
    response = client.post(
        reverse("web:assessment_new", args=[pathway.patient.pk]), {"start": "twice"}, follow=True
    )
    assert "Start: choose" in response.content.decode()
    assert Assessment.objects.count() == before


def test_a_nurse_and_another_clinic_cannot_start_an_assessment(
    client: Client, clinics: Clinics, pathway: Pathway
):
    url = reverse("web:assessment_new", args=[pathway.patient.pk])
    client.force_login(clinics.nora)
    assert client.post(url, {"start": "last"}).status_code == 403
    client.force_login(clinics.bob)
    assert client.post(url, {"start": "last"}).status_code == 404
    assert Assessment.objects.filter(patient=pathway.patient).count() == 1


def test_a_carried_finding_can_be_changed_and_the_engine_classes_it_again(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    new = new_assessment(client, pathway, start="last")
    spider = new.findings.get(label="L1")
    url = reverse("web:finding_edit", args=[spider.pk])
    assert 'value="0.6"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "side": "left",
            "region": "thigh_lateral",
            "view": "front",
            "x": "0.7",
            "y": "0.3",
            "diameter_mm": "2.0",
            "depth": "subcutaneous",
            "visible": "on",
        },
    )
    assert response.status_code == 302
    spider.refresh_from_db()
    assert (spider.diameter_mm, spider.engine_class, spider.carried_from) == (
        Decimal("2.0"),
        "reticular",
        pathway.spider,
    )
    pathway.spider.refresh_from_db()
    assert pathway.spider.engine_class == "telangiectasia"  # the last assessment keeps what it found


def test_a_bad_change_is_refused_beside_its_field_keeping_what_was_typed(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    spider = new_assessment(client, pathway, start="last").findings.get(label="L1")
    response = client.post(
        reverse("web:finding_edit", args=[spider.pk]),
        {
            "side": "left",
            "region": "thigh_lateral",
            "view": "front",
            "x": "0.7",
            "y": "0.3",
            "diameter_mm": "-3",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_diameter_mm-errors"' in html and 'value="-3"' in html
    spider.refresh_from_db()
    assert spider.diameter_mm == Decimal("0.6")


def test_a_carried_finding_can_be_removed_with_a_reason(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    new = new_assessment(client, pathway, start="last")
    varicose = new.findings.get(label="R2")
    url = reverse("web:finding_remove", args=[varicose.pk])
    client.post(url, {"reason": ""})
    varicose.refresh_from_db()
    assert not varicose.is_voided
    client.post(url, {"reason": "Cleared after treatment"})
    varicose.refresh_from_db()
    assert varicose.is_voided and varicose.void_reason == "Cleared after treatment"
    assert [f.label for f in new.findings.active()] == ["L1"]


def test_findings_a_plan_rests_on_cannot_be_changed_or_removed(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    client.post(reverse("web:finding_remove", args=[pathway.spider.pk]), {"reason": "Gone"})
    pathway.spider.refresh_from_db()
    assert not pathway.spider.is_voided
    page = client.get(reverse("web:assessment", args=[pathway.assessment.pk])).content.decode()
    assert reverse("web:finding_edit", args=[pathway.spider.pk]) not in page


def test_another_clinic_cannot_change_or_remove_a_finding(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.bob)
    assert client.get(reverse("web:finding_edit", args=[pathway.spider.pk])).status_code == 404
    assert (
        client.post(reverse("web:finding_remove", args=[pathway.spider.pk]), {"reason": "x"}).status_code
        == 404
    )


# --- CEAP signs suggested from the findings ---------------------------------------------------------


def test_the_leg_scores_propose_the_signs_the_findings_imply_without_saving_them(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    new = new_assessment(client, pathway, start="last")
    html = client.get(reverse("web:assessment", args=[new.pk])).content.decode()
    right = html[html.index("Right leg: CEAP and VCSS") :]
    assert "C2 varicose veins, from the varicose vein finding R2" in right
    assert re.search(r'<input type="checkbox" name="signs" value="varicose_veins"[^>]*checked', right)
    left = html[html.index("Left leg: CEAP and VCSS") : html.index("Right leg: CEAP and VCSS")]
    assert "C1 telangiectasias or reticular veins, from the telangiectasia finding L1" in left
    assert "CEAP2020" in left
    assert not LegScore.objects.filter(assessment=new).exists()


def test_a_suggested_sign_is_saved_once_the_clinician_confirms_it(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    new = new_assessment(client, pathway, start="last")
    data = {"side": "right", "signs": ["varicose_veins"], **{f"vcss_{k}": "0" for k in ZERO_VCSS}}
    client.post(reverse("web:leg_score", args=[new.pk]), data)
    score = LegScore.objects.get(assessment=new, side="right")
    assert (score.ceap_signs, score.ceap_highest) == (["varicose_veins"], "C2")


def test_a_recorded_score_is_shown_as_recorded_with_the_suggestion_beside_it(
    client: Client, clinics: Clinics, pathway: Pathway
):
    # The pathway scored the left leg with telangiectasia only; a varicose finding is added after.
    assessments.add_finding(
        clinics.alice, pathway.assessment, side="left", region="calf_medial", diameter_mm=5
    )
    client.force_login(clinics.alice)
    html = client.get(reverse("web:assessment", args=[pathway.assessment.pk])).content.decode()
    left = html[html.index("Left leg: CEAP and VCSS") : html.index("Right leg: CEAP and VCSS")]
    assert "C2 varicose veins, from the varicose vein finding L3" in left
    assert not re.search(r'value="varicose_veins"[^>]*checked', left)
    assert re.search(r'value="telangiectasia"[^>]*checked', left)


# --- two clicks at once -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_new_assessments_started_at_once_each_copy_the_last_findings_once(
    clinics: Clinics, pathway: Pathway
):
    results = at_once(
        2, lambda: assessments.create_assessment(clinics.alice, pathway.patient, carry_forward=True)
    )
    created = [r for r in results if isinstance(r, Assessment)]
    assert len(created) == 2, results
    assert created[0].pk != created[1].pk
    for assessment in created:
        labels = sorted(assessment.findings.values_list("label", flat=True))
        assert labels == ["L1", "R2"], (assessment.pk, labels)
    assert VeinFinding.objects.filter(assessment__patient=pathway.patient).count() == 6
