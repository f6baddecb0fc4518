"""The whole pathway for a new patient in a real browser, as a clinician walks it."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from scleropath.assessments.models import VeinFinding
from scleropath.followup.models import AdverseEvent, Outcome
from scleropath.treatment import services as treatment
from scleropath.treatment.models import Injection
from tests.pathway import PASSWORD, Clinics

pytestmark = pytest.mark.django_db(transaction=True)


def click_leg(page: Any, side: str, view: str, fraction_down: float) -> None:
    """Click a point on a leg of the map, ``fraction_down`` of the way from its top."""
    leg = page.locator(f'polygon.leg-target[data-side="{side}"][data-view="{view}"]')
    box = leg.bounding_box()
    # The map is taller than a laptop's window: bring the point to the middle of the window first.
    page.evaluate(f"window.scrollBy(0, {box['y'] + box['height'] * fraction_down - 450})")
    box = leg.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * fraction_down)


class Actions:
    """Counts what a person does on the page: each click or submit is one action."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.count = 0

    def click(self, selector: str) -> None:
        self.page.click(selector)
        self.count += 1

    def click_leg(self, side: str, view: str, fraction_down: float) -> None:
        click_leg(self.page, side, view, fraction_down)
        self.count += 1

    def record_injection(self) -> None:
        record_injection(self.page)
        self.count += 1


def record_injection(page: Any) -> None:
    """Submit the injection form once the live tally has settled (as a person would), and on a
    refusal fail with what the page said instead of a bare timeout."""
    page.wait_for_load_state("networkidle")
    page.click("button:has-text('Record injection')")
    try:
        page.wait_for_selector("text=Injection recorded.")
    except Exception as exc:
        errors = page.locator(".errorlist, .refusal, .messages").all_inner_texts()
        raise AssertionError(f"the injection was not recorded; the page said: {errors}") from exc


def test_a_clinician_walks_a_new_patient_through_the_whole_pathway(
    browser: Any, live_server: Any, clinics: Clinics, shoot: Any, axe: Any
) -> None:
    treatment.add_stock_lot(
        clinics.mark,
        product="aethoxysklerol",
        concentration_percent="3",
        lot_number="AE-301",
        expiry_date=date.today() + timedelta(days=200),
        quantity=20,
    )
    treatment.add_stock_lot(
        clinics.mark,
        product="aethoxysklerol",
        concentration_percent="0.5",
        lot_number="AE-051",
        expiry_date=date.today() + timedelta(days=200),
        quantity=20,
    )
    context = browser.new_context(viewport={"width": 1024, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    base = live_server.url

    # Sign in.
    page.goto(f"{base}/accounts/login/")
    shoot(page, "01-sign-in")
    axe(page)
    page.fill("#id_login", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Today')")
    shoot(page, "02-today")
    axe(page)

    # Register a new patient.
    page.click("text=Patients")
    axe(page)
    page.click("text=Register a patient")
    axe(page)
    page.fill("#id_given_name", "Grace")
    page.fill("#id_family_name", "Hopper")
    page.fill("#id_date_of_birth", "1968-12-09")
    page.select_option("#id_sex", "female")
    page.fill("#id_nhs_number", "943 476 5919")
    page.click("button:has-text('Register')")
    page.wait_for_selector("h1:has-text('HOPPER, Grace')")
    axe(page)
    page.fill("#id_weight_kg", "70")
    page.click("button:has-text('Record weight')")
    page.wait_for_selector("text=Weight 70.0 kg")

    # Screening: the verdict updates as the answers change.
    page.click("text=Screening questionnaire")
    page.check("input[value=hormonal_therapy]")
    page.wait_for_selector("#verdict :text('Hormonal therapy is a precaution')")
    shoot(page, "03-screening")
    axe(page)
    page.click("button:has-text('Record screening')")
    page.wait_for_selector("text=Screening recorded.")

    # Assessment: place two findings on the leg map; the engine's class shows before saving.
    page.click("button:has-text('New assessment')")
    page.wait_for_selector("#finding-form")  # the chart has a leg map too: wait for the assessment's
    axe(page)
    click_leg(page, "left", "front", 0.25)
    page.fill("#id_diameter_mm", "0.6")
    page.select_option("#id_depth", "intradermal")
    page.wait_for_selector("#preview .class-telangiectasia")
    page.click("button:has-text('Add finding')")
    page.wait_for_selector("text=added: telangiectasia")
    click_leg(page, "right", "front", 0.65)
    page.fill("#id_diameter_mm", "4.5")
    page.select_option("#id_depth", "subcutaneous")
    page.select_option("#id_reflux", "no")
    page.wait_for_selector("#preview .class-varicose")
    page.click("button:has-text('Add finding')")
    page.wait_for_selector("text=added: varicose")
    page.check("#id_left_signs_0")
    page.click("button:has-text('Save left leg scores')")
    page.wait_for_selector("text=Left leg: C1, VCSS 0.")
    shoot(page, "04-assessment-leg-map")
    axe(page)

    # Plan, with reasons and sources, approved.
    page.click("button:has-text('Plan treatment')")
    page.wait_for_selector("h1:has-text('Treatment plan')")
    page.locator("details.why summary").first.click()
    shoot(page, "05-plan")
    axe(page)
    page.click("button:has-text('Approve plan')")
    page.wait_for_selector("text=Plan approved.")

    # Consent.
    page.click("text=Take consent")
    page.wait_for_selector("h1:has-text('Consent')")
    axe(page)
    page.check("#id_patient_confirmed")
    page.click("button:has-text('Record consent')")
    page.wait_for_selector("text=Consent recorded.")

    # Session. The common case is two actions an injection: the finding's marker (the form fills
    # from the plan), then Record; the next one is a site on the map (same again), then Record.
    page.click("button:has-text('Start a session')")
    page.wait_for_selector("#tally")
    page.wait_for_load_state("networkidle")
    axe(page)
    spider = VeinFinding.objects.get(label="L1")
    actions = Actions(page)
    actions.click(f'#legmap [data-finding="{spider.pk}"] circle')
    page.wait_for_selector("text=Filled from the plan for")
    actions.record_injection()
    assert actions.count == 2
    first = Injection.objects.get()
    assert (first.finding, first.lot.lot_number, first.form) == (spider, "AE-051", "liquid")
    page.wait_for_selector("text=Same as injection 1")
    actions = Actions(page)
    actions.click_leg("left", "front", 0.3)
    actions.record_injection()
    assert actions.count == 2
    second = Injection.objects.order_by("id").last()
    assert (second.finding, second.lot, second.volume_ml) == (spider, first.lot, first.volume_ml)
    shoot(page, "14-session-charting")
    axe(page)

    # The tally refuses the injection that would pass the daily polidocanol maximum.
    page.select_option("#id_lot", label=page.locator("#id_lot option", has_text="AE-301").inner_text())
    page.fill("#id_volume_ml", "4")
    page.fill("#id_off_plan_reason", "Large tributary beside the assessed veins")
    record_injection(page)
    page.select_option("#id_lot", label=page.locator("#id_lot option", has_text="AE-301").inner_text())
    page.fill("#id_volume_ml", "1")
    page.fill("#id_off_plan_reason", "Large tributary beside the assessed veins")
    page.locator("#id_volume_ml").dispatch_event("change")
    page.wait_for_selector("#tally .refusal")
    page.click("button:has-text('Record injection')")
    page.wait_for_selector("text=would pass a limit")
    shoot(page, "06-session-refused-injection")
    axe(page)
    assert Injection.objects.count() == 3
    page.click("button:has-text('Complete session')")
    page.wait_for_selector("h1:has-text('Aftercare')")
    shoot(page, "07-aftercare")
    axe(page)

    # The PDF leaflet downloads and says what the patient needs to know.
    with page.expect_download() as download_info:
        page.click("text=Download PDF leaflet")
    pdf = download_info.value.path().read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Aftercare after your vein treatment" in text
    assert "Grace Hopper" in text
    assert "Walk for 10–20 minutes" in text
    assert "When to get help" in text

    # A side effect is triaged as soon as it is chosen.
    page.click("a:has-text('HOPPER, Grace')")
    page.click("text=Log a side effect")
    page.select_option("#id_symptom", "dvt_symptoms")
    page.select_option("#id_severity", "mild")
    page.wait_for_selector("#triage .level-prompt_review")
    shoot(page, "08-side-effect-triage")
    axe(page)
    page.click("button:has-text('Log and triage')")
    page.wait_for_selector("text=Logged and triaged: prompt review")
    axe(page)
    assert AdverseEvent.objects.get().triage_level == "prompt_review"

    # The outcome is recorded.
    page.click("a:has-text('HOPPER, Grace')")
    page.click("text=Record an outcome")
    page.wait_for_selector("h1:has-text('Outcome')")
    axe(page)
    page.fill("#id_area", "Left outer thigh")
    page.fill("#id_clearance_percent", "80")
    page.select_option("#id_satisfaction", "5")
    page.click("button:has-text('Record outcome')")
    page.wait_for_selector("text=Outcome recorded.")
    shoot(page, "09-chart")
    axe(page)
    outcome = Outcome.objects.get()
    assert (outcome.clearance_percent, outcome.satisfaction) == (80, 5)
    context.close()
