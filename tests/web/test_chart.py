"""The patient chart: a summary of what to know first, what is coming apart from what is done, and
every finding and injection of the patient on one leg map, filtered by visit and kind."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape as html_unescape

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scleropath.checkins.models import CheckIn
from scleropath.followup.models import FollowUp
from scleropath.patients import services as patients
from tests.pathway import Clinics, Pathway, inject_spider

from .test_query_counts import queries_for


def chart(client: Client, pathway: Pathway, **params: str) -> str:
    response = client.get(reverse("web:chart", args=[pathway.patient.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    """The text of the chart's section whose heading has ``heading_id``, up to the next heading."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h", start + 10)
    return html[start : end if end != -1 else None]


def map_titles(html: str) -> list[str]:
    svg = html[html.index('aria-labelledby="visit-map-h"') :]
    svg = svg[: svg.index("</section>")]
    return [
        html_unescape(t)
        for t in re.findall(r'class="marker (?:finding|injection)"[^>]*aria-label="([^"]+)"', svg)
    ]


def test_the_summary_shows_allergies_conditions_and_the_screenings_flagged_items_in_words(
    client: Client, clinics: Clinics, pathway: Pathway
):
    patients.record_screening(
        clinics.alice,
        pathway.patient,
        conditions=["thrombophilia", "migraine_after_foam"],
        allergies=["sodium tetradecyl sulfate"],
    )
    client.force_login(clinics.alice)
    html = chart(client, pathway)
    summary = html[html.index('class="summary-list"') : html.index("</dl>")]
    assert "sodium tetradecyl sulfate" in summary
    assert (
        "<dd>Thrombophilia or high thrombosis risk, Migraine or visual disturbance after foam, or migraine with aura</dd>"
        in summary
    )
    flagged = summary[summary.index('class="flagged"') :]
    assert "Absolute contraindication</span> Allergy to agent" in flagged
    assert "Absolute contraindication</span> Thrombophilia" in flagged
    assert "Relative contraindication</span> Migraine after foam" in flagged
    assert flagged.index("Thrombophilia") < flagged.index("Migraine after foam")  # most serious first
    assert "thrombophilia" not in summary and "allergy_to_agent" not in summary
    assert "70.0 kg on" in html
    assert "NHS 9434765919" in html


def test_the_summary_links_the_open_session_and_names_the_next_review(
    client: Client, clinics: Clinics, treated: Pathway
):
    client.force_login(clinics.alice)
    html = chart(client, treated)
    summary = html[html.index('class="summary-list"') : html.index("</dl>")]
    review = FollowUp.objects.filter(patient=treated.patient).order_by("due_on").first()
    assert review is not None
    assert "Next review" in summary
    assert reverse("web:follow_up", args=[review.pk]) in summary and review.purpose in summary
    assert "Open session</dt>\n      <dd>none" in summary


def test_the_summary_links_a_session_still_open(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    summary = chart(client, pathway)
    assert reverse("web:session", args=[pathway.session.pk]) in summary[: summary.index("</dl>")]


def test_a_receptionist_sees_no_clinical_summary_or_map(client: Client, clinics: Clinics, pathway: Pathway):
    patients.record_screening(clinics.alice, pathway.patient, conditions=[], allergies=["latex"])
    client.force_login(clinics.rita)
    html = chart(client, pathway)
    assert "Born 4 March 1975" in html
    assert "summary-list" not in html and "latex" not in html and "visit-map-h" not in html


def test_booked_reviews_and_check_ins_are_upcoming_and_done_things_past_newest_first(
    client: Client, clinics: Clinics, link: tuple[object, str, str], treated: Pathway
):
    client.force_login(clinics.alice)
    html = chart(client, treated)
    upcoming, past = section(html, "upcoming-h"), section(html, "past-h")
    reviews = FollowUp.objects.filter(patient=treated.patient)
    check_ins = CheckIn.objects.filter(patient=treated.patient)
    assert reviews and check_ins
    for review in reviews:
        assert review.purpose in upcoming and review.purpose not in past
    assert "Day 7 check-in after session 1" in upcoming
    assert "Treatment session 1" in past and "Treatment session 1" not in upcoming
    assert "Assessment" in past
    # Upcoming soonest first, past newest first.
    due = re.findall(r"due (\d+ \w+ \d{4})", upcoming)
    assert due == sorted(due, key=lambda d: datetime.strptime(d, "%d %b %Y"))
    past_days = re.findall(r'<div class="small muted">(\d+ \w+ \d{4}) ·', past)
    parsed = [datetime.strptime(d, "%d %b %Y") for d in past_days]
    assert parsed == sorted(parsed, reverse=True)


def test_a_review_once_done_moves_to_the_past(client: Client, clinics: Clinics, treated: Pathway):
    review = FollowUp.objects.filter(patient=treated.patient).order_by("due_on").first()
    assert review is not None
    review.status = "done"
    review.done_at = timezone.now()
    review.save()
    client.force_login(clinics.alice)
    html = chart(client, treated)
    link = reverse("web:follow_up", args=[review.pk])
    assert link not in section(html, "upcoming-h") and link in section(html, "past-h")


def test_the_timeline_makes_the_same_queries_however_long_the_history(
    client: Client, clinics: Clinics, link: tuple[object, str, str], treated: Pathway
):
    client.force_login(clinics.alice)
    url = reverse("web:chart", args=[treated.patient.pk])
    few = queries_for(client, url)
    session = treated.session
    FollowUp.objects.create(
        clinic=clinics.a,
        patient=treated.patient,
        session=session,
        kind="manual",
        purpose="Extra look",
        due_on=timezone.localdate() + timedelta(days=3),
    )
    assessment = client.post(reverse("web:assessment_new", args=[treated.patient.pk]), {"start": "last"})
    assert assessment.status_code == 302
    assert queries_for(client, url) == few
    assert queries_for(client, url, visit=f"s{session.pk}", show="injections") <= few


def test_the_map_shows_every_finding_and_injection_with_its_date_and_session(
    client: Client, clinics: Clinics, pathway: Pathway
):
    inject_spider(clinics.alice, pathway)
    client.force_login(clinics.alice)
    titles = map_titles(chart(client, pathway))
    today = timezone.localdate()
    day = f"{today.day} {today:%b %Y}"
    assert f"{day}, assessment: L1 telangiectasia, 0.6 mm" in titles
    assert any(t.startswith(f"{day}, assessment: R2 varicose") for t in titles)
    assert f"Injection S1, {day}: 0.2 mL Aethoxysklerol 0.5% liquid into L1" in titles


def test_the_map_filters_by_visit_and_by_kind(client: Client, clinics: Clinics, pathway: Pathway):
    inject_spider(clinics.alice, pathway)
    client.force_login(clinics.alice)
    only_injections = map_titles(chart(client, pathway, show="injections"))
    assert len(only_injections) == 1 and "Injection S1," in only_injections[0]
    only_findings = map_titles(chart(client, pathway, show="findings"))
    assert len(only_findings) == 2 and all("assessment" in t for t in only_findings)
    by_assessment = map_titles(chart(client, pathway, visit=f"a{pathway.assessment.pk}", show="all"))
    assert len(by_assessment) == 2 and all("assessment" in t for t in by_assessment)
    by_session = map_titles(chart(client, pathway, visit=f"s{pathway.session.pk}", show="all"))
    assert len(by_session) == 1 and "Injection S1," in by_session[0]


def test_the_map_filter_keeps_its_choice_and_offers_every_visit(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.alice)
    html = chart(client, pathway, visit=f"s{pathway.session.pk}", show="injections")
    assert f'<option value="s{pathway.session.pk}" selected>Session 1 of' in html
    assert f'<option value="a{pathway.assessment.pk}">Assessment of' in html
    assert '<option value="injections" selected>' in html


def test_an_unknown_visit_is_refused_beside_its_field_and_the_whole_map_shown(
    client: Client, clinics: Clinics, pathway: Pathway, treated: Pathway
):
    client.force_login(clinics.alice)
    html = chart(client, pathway, visit="a999999", show="all")
    filter_form = html[
        html.index('aria-label="Filter the map"') : html.index(
            "</form>", html.index('aria-label="Filter the map"')
        )
    ]
    assert "Select a valid choice" in filter_form
    assert len(map_titles(html)) == 3  # two findings and the injection of the treated session
