"""The whole pathway for a new patient with the keyboard alone: Tab and Shift+Tab to move, typing,
Space for checkboxes and buttons, Enter to submit and follow links, arrow keys for selects and the
leg map. Nothing here clicks, fills or focuses for the user; the page is only read, to see where
focus is and what the fields hold."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from scleropath.assessments.models import Consent, PlanStatus, TreatmentPlan, VeinFinding
from scleropath.patients.models import Patient, ScreeningRecord
from scleropath.treatment import services as treatment
from scleropath.treatment.models import Injection, SessionStatus, TreatmentSession
from tests.pathway import PASSWORD, Clinics, Pathway

pytestmark = pytest.mark.django_db(transaction=True)

# The focused element, as a line of a focus path: tag, id, classes and the start of its text.
DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "(body)";
  const id = el.id ? "#" + el.id : "";
  const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "";
  const name = el.getAttribute("name") ? "[name=" + el.getAttribute("name") + "]" : "";
  const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
  const text = (el.getAttribute("aria-label") || label || el.textContent || "").trim().replace(/\\s+/g, " ");
  return el.tagName.toLowerCase() + id + cls + name + (text ? ' "' + text.slice(0, 40) + '"' : "");
}"""

FOCUS_MATCHES = """([selector, text]) => {
  const el = document.activeElement;
  if (!el || !el.matches(selector)) return false;
  return text === null || el.textContent.replace(/\\s+/g, " ").includes(text);
}"""

# A visible focus indicator: an outline or a box shadow, on the element or (for the map's markers,
# which draw a ring inside themselves) a stroked focus ring within it.
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) return true;
  if (style.boxShadow && style.boxShadow !== "none") return true;
  const ring = el.querySelector && el.querySelector(".focus-ring");
  return !!ring && getComputedStyle(ring).stroke !== "none";
}"""


def focused(page: Any) -> str:
    return str(page.evaluate(DESCRIBE_FOCUS))


def tab_to(
    page: Any,
    selector: str,
    limit: int = 150,
    *,
    text: str | None = None,
    backwards: bool = False,
    press: str | None = None,
) -> None:
    """Press Tab (Shift+Tab with ``backwards``) until the focused element matches ``selector`` (and
    holds ``text``), then press ``press`` if given. Never getting there is an accessibility bug: the
    failure lists every element focus passed through."""
    key = "Shift+Tab" if backwards else "Tab"
    path = [focused(page)]
    for _ in range(limit):
        if page.evaluate(FOCUS_MATCHES, [selector, text]):
            break
        page.keyboard.press(key)
        path.append(focused(page))
    else:
        wanted = selector + (f' with "{text}"' if text else "")
        steps = "\n  ".join(path)
        raise AssertionError(
            f"{limit} presses of {key} never reached {wanted} on {page.url}; focus went:\n  {steps}"
        )
    if press:
        page.keyboard.press(press)


def assert_focus_shown(page: Any) -> None:
    """The focused element shows that it has focus (outline, box shadow or a focus ring)."""
    assert page.evaluate(FOCUS_SHOWN), f"no visible focus indicator on {focused(page)} at {page.url}"


def choose(page: Any, value: str, limit: int = 30) -> None:
    """On the focused select, press ArrowDown until ``value`` is chosen (each press changes the value,
    as a person stepping through a closed select does), waiting for any htmx request it sets off."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
        page.wait_for_load_state("networkidle")
    raise AssertionError(f"ArrowDown on {focused(page)} never chose {value!r}")


def type_ahead(page: Any, text: str, value: str) -> None:
    """On the focused select, type an option's text (the browser's type-ahead) and check the value."""
    page.keyboard.type(text)
    page.wait_for_load_state("networkidle")
    chosen = page.evaluate("() => document.activeElement.value")
    assert chosen == value, f"typing {text!r} into {focused(page)} chose {chosen!r}, not {value!r}"


def type_date(page: Any, day: date) -> None:
    """Type a date into the focused date field, segment by segment. The segments' order follows the
    browser's own language (day first in en-GB, month first in en-US), which a page cannot set: when
    day first does not give the date, go back to the first segment and type month first."""
    page.keyboard.type(day.strftime("%d%m%Y"))
    if page.evaluate("() => document.activeElement.value") != day.isoformat():
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        page.keyboard.type(day.strftime("%m%d%Y"))
    typed = page.evaluate("() => document.activeElement.value")
    assert typed == day.isoformat(), f"typing {day} into {focused(page)} gave {typed!r}"


def submit_and_wait(page: Any, key: str, expect: str) -> None:
    """Press ``key`` on the focused control and wait for ``expect``; fail with what the page said."""
    page.keyboard.press(key)
    try:
        page.wait_for_selector(expect)
    except Exception as exc:
        said = page.locator(".errorlist, .refusal, .messages").all_inner_texts()
        raise AssertionError(f"after {key} on {page.url}, no {expect}; the page said: {said}") from exc


def sign_in(page: Any, base: str) -> None:
    """Alice signs in: Tab to each field, type, Enter in the password field submits."""
    page.goto(f"{base}/accounts/login/")
    tab_to(page, "#id_login")
    assert_focus_shown(page)
    page.keyboard.type("alice")
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    submit_and_wait(page, "Enter", "h1:has-text('Today')")


def test_a_clinician_walks_a_new_patient_through_the_pathway_with_the_keyboard_alone(
    browser: Any, live_server: Any, clinics: Clinics, axe: Any
) -> None:
    treatment.add_stock_lot(
        clinics.mark,
        product="aethoxysklerol",
        concentration_percent="0.5",
        lot_number="AE-051",
        expiry_date=date.today() + timedelta(days=200),
        quantity=20,
    )
    context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, live_server.url)

    # Patients, then Register a patient: links followed with Enter.
    tab_to(page, "nav[aria-label=Main] a", text="Patients")
    assert_focus_shown(page)
    submit_and_wait(page, "Enter", "h1:has-text('Patients')")
    tab_to(page, "a", text="Register a patient", press="Enter")
    page.wait_for_selector("h1:has-text('Register a patient')")
    tab_to(page, "#id_given_name")
    assert_focus_shown(page)
    page.keyboard.type("Grace")
    tab_to(page, "#id_family_name")
    page.keyboard.type("Hopper")
    tab_to(page, "#id_date_of_birth")
    type_date(page, date(1968, 12, 9))
    tab_to(page, "#id_sex")
    assert_focus_shown(page)
    type_ahead(page, "Female", "female")
    tab_to(page, "#id_nhs_number")
    page.keyboard.type("943 476 5919")
    tab_to(page, "button", text="Register")
    assert_focus_shown(page)
    submit_and_wait(page, "Enter", "h1:has-text('HOPPER, Grace')")
    axe(page)

    # A weight: Enter in the field records it.
    tab_to(page, "#id_weight_kg")
    page.keyboard.type("70")
    submit_and_wait(page, "Enter", "text=Weight 70.0 kg")

    # Screening: Space ticks a condition and the verdict follows; the focus stays on the box.
    tab_to(page, "a", text="Screening questionnaire", press="Enter")
    page.wait_for_selector("h1:has-text('Screening')")
    tab_to(page, "input[value=hormonal_therapy]")
    assert_focus_shown(page)
    page.keyboard.press("Space")
    page.wait_for_selector("#verdict :text('Hormonal therapy is a precaution')")
    assert page.evaluate("() => document.activeElement.checked") is True
    tab_to(page, "button", text="Record screening")
    submit_and_wait(page, "Space", "text=Screening recorded.")

    # A new assessment, from the chart.
    tab_to(page, "button[name=start]", text="New assessment")
    assert_focus_shown(page)
    submit_and_wait(page, "Enter", "#finding-form")
    axe(page)

    # The leg map: focus it, carry the new marker across to the left leg with Shift+arrows, Enter.
    tab_to(page, "#legmap")
    assert_focus_shown(page)
    status = page.locator("#legmap-status")
    assert status.inner_text() == "Front view, right leg, thigh anterior"
    for _ in range(20):
        if status.inner_text().startswith("Front view, left leg"):
            break
        page.keyboard.press("Shift+ArrowRight")
    else:
        raise AssertionError(
            f"the arrow keys never reached the left leg; the map said {status.inner_text()!r}"
        )
    page.keyboard.press("Enter")
    assert (page.input_value("#id_view"), page.input_value("#id_side")) == ("front", "left")
    assert page.input_value("#id_region") != ""
    assert "Placed" in status.inner_text()
    # The map hands focus to the first measurement, as a click does.
    assert page.evaluate("() => document.activeElement.id") == "id_diameter_mm"
    # Shift+Tab back to the region the map guessed, to read it, then on to the measurements.
    tab_to(page, "#id_region", limit=5, backwards=True)
    region = page.evaluate("() => document.activeElement.value")
    assert region, "the map placed the marker but chose no region"
    tab_to(page, "#id_diameter_mm", limit=5)
    page.keyboard.type("0.6")
    tab_to(page, "#id_depth")
    choose(page, "intradermal")
    page.wait_for_selector("#preview .class-telangiectasia")
    tab_to(page, "button", text="Add finding")
    submit_and_wait(page, "Enter", "text=added: telangiectasia")

    # The left leg's CEAP signs: the finding suggests C1, ticked for confirming; Space ticks it if not.
    tab_to(page, "#scores input[name=signs][value=telangiectasia]")
    assert page.evaluate("() => document.activeElement.id").startswith("id_left")
    if not page.evaluate("() => document.activeElement.checked"):
        page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked") is True
    tab_to(page, "button", text="Save left leg scores")
    submit_and_wait(page, "Space", "text=Left leg: C1, VCSS 0.")

    # Plan, its reasons opened with Enter on the summary, approved.
    tab_to(page, "button", text="Plan treatment", press="Enter")
    page.wait_for_selector("h1:has-text('Treatment plan')")
    tab_to(page, "details.why summary")
    assert_focus_shown(page)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.parentElement.open") is True
    axe(page)
    tab_to(page, "button", text="Approve plan")
    submit_and_wait(page, "Enter", "text=Plan approved.")

    # Consent: Space on the confirmation, Enter on Record.
    tab_to(page, "a", text="Take consent", press="Enter")
    page.wait_for_selector("h1:has-text('Consent')")
    tab_to(page, "#id_patient_confirmed")
    assert_focus_shown(page)
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked") is True
    tab_to(page, "button", text="Record consent")
    submit_and_wait(page, "Enter", "text=Consent recorded.")

    # Session: choosing the finding with ArrowDown fills the form from the plan (htmx), and focus
    # stays on the select through the swap.
    tab_to(page, "button", text="Start a session")
    submit_and_wait(page, "Enter", "#tally")
    axe(page)
    finding = VeinFinding.objects.get()
    # The finding's marker on the map is a tab stop with a focus ring of its own.
    tab_to(page, f'#legmap a.marker[data-finding="{finding.pk}"]')
    assert_focus_shown(page)
    tab_to(page, "#id_finding")
    assert_focus_shown(page)
    choose(page, str(finding.pk))
    page.wait_for_selector("text=Filled from the plan for")
    page.wait_for_selector("#tally :text('with the injection being entered')")
    assert page.evaluate("() => document.activeElement.id") == "id_finding", (
        f"focus left the finding select after the form was filled: it is on {focused(page)}"
    )
    assert page.input_value("#id_lot") != ""
    assert page.input_value("#id_volume_ml") != ""
    page.wait_for_load_state("networkidle")
    tab_to(page, "button", text="Record injection")
    assert_focus_shown(page)
    submit_and_wait(page, "Enter", "text=Injection recorded.")
    tab_to(page, "button", text="Complete session")
    submit_and_wait(page, "Enter", "h1:has-text('Aftercare')")
    axe(page)
    context.close()

    # Every record the walk made is in the database.
    patient = Patient.objects.get(family_name="Hopper", given_name="Grace")
    assert patient.date_of_birth == date(1968, 12, 9)
    assert ScreeningRecord.objects.get(patient=patient).conditions == ["hormonal_therapy"]
    assert (finding.side, finding.region, finding.vessel_class) == ("left", region, "telangiectasia")
    plan = TreatmentPlan.objects.get(patient=patient)
    assert plan.status == PlanStatus.APPROVED
    assert Consent.objects.get(plan=plan).patient_confirmed is True
    session = TreatmentSession.objects.get(plan=plan)
    assert session.status == SessionStatus.COMPLETED
    injection = Injection.objects.get(session=session)
    planned = next(f for f in plan.engine_answer["findings"] if f["id"] == finding.label)
    assert injection.finding == finding
    assert injection.product in {o["product"] for o in planned["options"]}
    assert injection.off_plan == []


def test_a_plan_link_followed_with_enter_leaves_focus_in_the_filled_form(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway
) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/sessions/{pathway.session.pk}/")
    page.wait_for_load_state("networkidle")
    # The link is swapped out with the form it fills; focus lands on the form's finding select, not
    # on the page, so the next Tabs go through the filled fields to Record.
    tab_to(page, "nav.fill-from a", text=pathway.spider.label, press="Enter")
    page.wait_for_selector("text=Filled from the plan for")
    page.wait_for_load_state("networkidle")
    # htmx moves the focus once the swap has settled, a moment after the new form appears.
    try:
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.id === 'id_finding'", timeout=5_000
        )
    except Exception:
        pytest.fail(f"focus is not on the finding select: {focused(page)}")
    assert page.input_value("#id_finding") == str(pathway.spider.pk)
    tab_to(page, "button", text="Record injection", limit=15)
    submit_and_wait(page, "Enter", "text=Injection recorded.")
    assert Injection.objects.get().finding == pathway.spider
    context.close()
