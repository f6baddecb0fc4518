"""Importing a Bundle that ScleroPath exported into an empty clinic.

The bundle is checked first (a FHIR R4 Bundle; every resource ours, by profile, code systems and
extensions; every reference inside the bundle) and the clinic must hold no clinical records.
Records are then written in one transaction, straight to the models rather than through the
services: the services would re-run the engine, and an import must restore each frozen engine
answer exactly as it was recorded. Anything refused is reported as a list of reasons and nothing
is written.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from scleropath.accounts.models import Clinic, Role, User
from scleropath.assessments.models import Assessment, Consent, LegScore, TreatmentPlan, VeinFinding
from scleropath.checkins.models import CheckIn
from scleropath.core.models import ClinicalRecord
from scleropath.followup.models import AdverseEvent, AftercarePlan, FollowUp, Outcome
from scleropath.patients.models import Patient, ScreeningRecord, WeightMeasurement
from scleropath.treatment.models import Injection, SessionStatus, StockLot, TreatmentSession

from . import codes
from .map_aftercare import APPOINTMENT_STATUS, CHECK_IN_STATUS
from .map_assessments import PLAN_STATUS
from .reading import (
    Bad,
    answer,
    answers,
    code,
    codes_in,
    decimal,
    get,
    laterality,
    maybe_on,
    maybe_when,
    need,
    on,
    opt,
    parts,
    reference,
    when,
)
from .resources import bundle_problems, problems

BUNDLE_TYPES = ("searchset", "collection")
KNOWN_SYSTEMS = codes.OUR_CODE_SYSTEMS | codes.SHARED_SYSTEMS
MAX_REASONS = 50


class ImportRefused(Exception):
    """The bundle was not imported; ``reasons`` says why, one line each."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class ImportResult:
    counts: Counter[str] = field(default_factory=Counter)  # records written, by model
    patients: list[int] = field(default_factory=list)
    staff_added: list[str] = field(default_factory=list)


def _codings(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "system" in node and "code" in node:
            yield node
        for v in node.values():
            yield from _codings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _codings(v)


def _extension_urls(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for e in node.get("extension", []) if isinstance(node.get("extension"), list) else []:
            if isinstance(e, dict) and isinstance(e.get("url"), str):
                yield e["url"]
        for k, v in node.items():
            if k != "extension":
                yield from _extension_urls(v)
    elif isinstance(node, list):
        for v in node:
            yield from _extension_urls(v)


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("reference"), str):
            yield node["reference"]
        for v in node.values():
            yield from _references(v)
    elif isinstance(node, list):
        for v in node:
            yield from _references(v)


def check_bundle(bundle: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The bundle's resources and everything that makes it unimportable."""
    reasons = bundle_problems(bundle)
    if reasons:
        return [], reasons
    if bundle.get("type") not in BUNDLE_TYPES:
        reasons.append(f"Bundle.type is {bundle.get('type')!r}; expected one of {', '.join(BUNDLE_TYPES)}")
    entries = bundle.get("entry")
    if not isinstance(entries, list) or not entries:
        return [], [*reasons, "the Bundle has no entries"]
    found: list[dict[str, Any]] = []
    keys: set[str] = set()
    profile_of = codes.EXT + "/"
    for n, entry in enumerate(entries):
        r = entry.get("resource") if isinstance(entry, dict) else None
        where = f"entry[{n}]"
        if not isinstance(r, dict):
            reasons.append(f"{where} has no resource")
            continue
        where = f"{where} {r.get('resourceType')}/{r.get('id')}"
        bad = problems(r)
        if bad:
            reasons.extend(f"{where}: {b}" for b in bad)
            continue
        if f"{profile_of}{r['resourceType']}" not in (r.get("meta") or {}).get("profile", []):
            reasons.append(
                f"{where}: not exported by ScleroPath (no {profile_of}{r['resourceType']} profile)"
            )
        for c in _codings(r):
            if c["system"] not in KNOWN_SYSTEMS:
                reasons.append(f"{where}: unknown code system {c['system']}")
        for url in _extension_urls(r):
            if url.startswith(("http:", "https:", "urn:")) and not url.startswith(codes.EXT + "/"):
                reasons.append(f"{where}: unknown extension {url}")
        key = f"{r['resourceType']}/{r.get('id')}"
        if key in keys:
            reasons.append(f"{where}: appears twice")
        keys.add(key)
        found.append(r)
    for r in found:
        for target in _references(r):
            if target not in keys:
                reasons.append(
                    f"{r['resourceType']}/{r['id']}: refers to {target}, which is not in the bundle"
                )
    if found and not any(r["resourceType"] == "Patient" for r in found):
        reasons.append("the Bundle has no Patient")
    return found, list(dict.fromkeys(reasons))


def clinic_is_empty(clinic: Clinic) -> bool:
    clinical = [m for m in apps.get_models() if issubclass(m, ClinicalRecord)]
    return not any(m._default_manager.filter(clinic_id=clinic.pk).exists() for m in clinical)


def import_bundle(bundle: Any, clinic: Clinic, by: User | None = None) -> ImportResult:
    """Write the records of an exported Bundle into ``clinic``, which must have no clinical
    records; raises :class:`ImportRefused` with the reasons (and writes nothing) otherwise."""
    found, reasons = check_bundle(bundle)
    if not clinic_is_empty(clinic):
        reasons.append(f"{clinic.name} already has clinical records; import only into an empty clinic")
    if reasons:
        raise ImportRefused(reasons[:MAX_REASONS])
    with transaction.atomic():
        builder = _Builder(clinic, by, found)
        builder.run()
        if builder.reasons:
            transaction.set_rollback(True)
            raise ImportRefused(builder.reasons[:MAX_REASONS])
    return builder.result


def _kind(r: dict[str, Any]) -> str:
    """Which of our record kinds a resource is, from its standard elements."""
    t = r["resourceType"]
    if t == "Observation":
        return "Observation:" + (codes.code_of(r.get("code"), codes.OBSERVATION) or "?")
    if t == "QuestionnaireResponse":
        return "QuestionnaireResponse:" + str(r.get("questionnaire", "?")).rsplit("/", 1)[-1]
    if t == "Encounter":
        return "Encounter:" + (codes.code_of(opt(r, "type", 0), codes.ENCOUNTER) or "?")
    if t == "Condition":
        return "Condition:" + (codes.code_of(opt(r, "category", 0), codes.CONDITION) or "?")
    if t == "CarePlan":
        return "CarePlan:" + (codes.code_of(opt(r, "category", 0), codes.CARE_PLAN) or "?")
    return str(t)


class _Builder:
    def __init__(self, clinic: Clinic, by: User | None, found: list[dict[str, Any]]) -> None:
        self.clinic = clinic
        self.by = by
        self.made: dict[str, Any] = {}
        self.by_id = {f"{r['resourceType']}/{r['id']}": r for r in found}
        self.found = found
        self.reasons: list[str] = []
        self.result = ImportResult()

    # --- plumbing ----------------------------------------------------------------------------

    def obj(self, element: Any, what: str) -> Any:
        target = reference(element, what)
        if target not in self.made:
            raise Bad(f"{what} refers to {target}, which was not imported")
        return self.made[target]

    def maybe_obj(self, element: Any, what: str) -> Any:
        return None if element is None else self.obj(element, what)

    def save(self, key: str, record: models.Model) -> models.Model:
        if isinstance(record, ClinicalRecord):
            record.clinic = self.clinic
            record.created_by = self.by
        try:
            # Empty JSON lists and dicts are valid records here; model validation would call them blank.
            json_fields = [f.name for f in record._meta.fields if isinstance(f, models.JSONField)]
            record.full_clean(exclude=json_fields, validate_unique=False)
        except ValidationError as exc:
            raise Bad("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        record.save()
        self.made[key] = record
        self.result.counts[type(record).__name__] += 1
        return record

    def run(self) -> None:
        steps: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
            ("Patient", self.patient),
            ("Practitioner", self.practitioner),
            ("Medication", self.lot),
            ("Observation:body-weight", self.weight),
            ("QuestionnaireResponse:screening", self.screening),
            ("Encounter:assessment", self.assessment),
            ("Observation:vein-diameter", lambda r: None),  # read with its finding
            ("Condition:vein-finding", self.finding),
            ("Observation:ceap-clinical-class", lambda r: None),  # read with the VCSS of its leg
            ("Observation:vcss-total", self.leg_score),
            ("Condition:leg-venous-disease", lambda r: None),  # derived from the leg's CEAP
            ("CarePlan:treatment", self.plan),
            ("Consent", self.consent),
            ("Encounter:treatment-session", lambda r: None),  # read with its Procedure
            ("Procedure", self.session),
            ("MedicationAdministration", self.injection),
            ("CarePlan:aftercare", self.aftercare),
            ("Appointment", self.follow_up),
            ("AdverseEvent", self.adverse_event),
            ("Observation:treatment-outcome", self.outcome),
            ("QuestionnaireResponse:satisfaction", self.satisfaction),
            ("QuestionnaireResponse:check-in", self.check_in),
        ]
        handled = {name for name, _ in steps}
        for r in self.found:
            if _kind(r) not in handled:
                self.reasons.append(
                    f"{r['resourceType']}/{r['id']}: not a kind of resource ScleroPath exports"
                )
        for name, step in steps:
            for r in self.found:
                if _kind(r) != name:
                    continue
                try:
                    step(r)
                except Bad as exc:
                    self.reasons.append(f"{r['resourceType']}/{r['id']}: {exc}")

    def key(self, r: dict[str, Any]) -> str:
        return f"{r['resourceType']}/{r['id']}"

    # --- people ------------------------------------------------------------------------------

    def patient(self, r: dict[str, Any]) -> None:
        name = get(r, "name", 0)
        telecom = {t.get("system"): t.get("value", "") for t in r.get("telecom", [])}
        nhs = [i["value"] for i in r.get("identifier", []) if i.get("system") == codes.NHS_NUMBER]
        p = Patient(
            given_name=" ".join(get(name, "given")),
            family_name=get(name, "family"),
            date_of_birth=on(get(r, "birthDate"), "birthDate"),
            sex=r.get("gender", "unknown"),
            nhs_number=nhs[0] if nhs else "",
            email=telecom.get("email", ""),
            phone=telecom.get("phone", ""),
            address=opt(r, "address", 0, "text") or "",
        )
        self.save(self.key(r), p)
        self.result.patients.append(p.pk)

    def practitioner(self, r: dict[str, Any]) -> None:
        """Staff are matched to the clinic's by professional registration, then by name; anyone
        not found is added as an inactive account without a password, so records keep their author."""
        name = opt(r, "name", 0) or {}
        text = name.get("text") or " ".join([*name.get("given", []), name.get("family", "")]).strip()
        registration = next(
            (i["value"] for i in r.get("identifier", []) if i.get("system") == codes.STAFF_REGISTRATION), ""
        )
        staff = list(User.objects.filter(clinic=self.clinic))
        match = next((u for u in staff if registration and u.professional_registration == registration), None)
        match = match or next((u for u in staff if u.display_name == text), None)
        if match is None:
            base = f"{self.clinic.slug}.{slugify(text) or 'staff'}"
            username, n = base, 1
            while User.objects.filter(username=username).exists():
                n += 1
                username = f"{base}-{n}"
            match = User(
                username=username,
                first_name=" ".join(name.get("given", [])),
                last_name=name.get("family", ""),
                clinic=self.clinic,
                role=Role.CLINICIAN,
                is_active=False,
                professional_registration=registration,
            )
            match.set_unusable_password()
            match.save()
            self.result.staff_added.append(username)
        self.made[self.key(r)] = match

    def weight(self, r: dict[str, Any]) -> None:
        w = WeightMeasurement(
            patient=self.obj(r.get("subject"), "subject"),
            weight_kg=decimal(get(r, "valueQuantity", "value"), "valueQuantity"),
            measured_on=on(get(r, "effectiveDateTime"), "effectiveDateTime"),
        )
        self.save(self.key(r), w)

    def screening(self, r: dict[str, Any]) -> None:
        p = parts(r, "screening")
        s = ScreeningRecord(
            patient=self.obj(r.get("subject"), "subject"),
            number=need(p, "number", "screening"),
            conditions=[
                code({"coding": [a.get("valueCoding")]}, codes.SCREENING_CODE, "conditions")
                for a in answers(r, "conditions")
            ],
            allergies=[a.get("valueString", "") for a in answers(r, "allergies")],
            pregnant=bool(answer(r, "pregnant", "valueBoolean")),
            breastfeeding=bool(answer(r, "breastfeeding", "valueBoolean")),
            mobility=code({"coding": [answer(r, "mobility", "valueCoding")]}, codes.MOBILITY, "mobility"),
            verdict=need(p, "verdict", "screening"),
            result=need(p, "result", "screening"),
            protocol_id=need(p, "protocol_id", "screening"),
            protocol_version=need(p, "protocol_version", "screening"),
            screened_at=when(get(r, "authored"), "authored"),
        )
        self.save(self.key(r), s)

    # --- assessments -------------------------------------------------------------------------

    def assessment(self, r: dict[str, Any]) -> None:
        a = Assessment(
            patient=self.obj(r.get("subject"), "subject"),
            assessed_at=when(get(r, "period", "start"), "period.start"),
            clinician=self.obj(opt(r, "participant", 0, "individual"), "participant"),
            notes=parts(r, "assessment", required=False).get("notes", ""),
        )
        self.save(self.key(r), a)

    def finding(self, r: dict[str, Any]) -> None:
        p = parts(r, "vein-finding")
        site = get(r, "bodySite", 0)
        diameter = None
        for detail in opt(r, "evidence", 0, "detail") or []:
            obs = self.by_id.get(reference(detail, "evidence"))
            if obs is not None and _kind(obs) == "Observation:vein-diameter":
                diameter = decimal(get(obs, "valueQuantity", "value"), "diameter")
        f = VeinFinding(
            assessment=self.obj(r.get("encounter"), "encounter"),
            label=need(p, "label", "vein-finding"),
            side=laterality(site, "bodySite"),
            region=code(site, codes.REGION, "bodySite"),
            view=need(p, "view", "vein-finding"),
            x=need(p, "x", "vein-finding"),
            y=need(p, "y", "vein-finding"),
            diameter_mm=diameter,
            depth=p.get("depth", ""),
            named_vein=p.get("named_vein", ""),
            reflux=p.get("reflux"),
            recurrent=p.get("recurrent", False),
            visible=p.get("visible", True),
            bleeding=p.get("bleeding", False),
            engine_class=need(p, "engine_class", "vein-finding"),
            clinician_class=p.get("clinician_class", ""),
            override_reason=p.get("override_reason", ""),
        )
        self.save(self.key(r), f)

    def leg_score(self, vcss: dict[str, Any]) -> None:
        side = laterality(vcss.get("bodySite"), "bodySite")
        encounter = reference(vcss.get("encounter"), "encounter")
        ceap = next(
            (
                o
                for o in self.found
                if _kind(o) == "Observation:ceap-clinical-class"
                and opt(o, "encounter", "reference") == encounter
                and laterality(o.get("bodySite"), "bodySite") == side
            ),
            None,
        )
        if ceap is None:
            raise Bad(f"no CEAP Observation for the {side} leg at {encounter}")
        components = ceap.get("component", [])

        def present(kind: str, system: str) -> list[str]:
            return [
                code(c.get("valueCodeableConcept"), system, "component")
                for c in components
                if codes.code_of(c.get("code"), codes.OBSERVATION) == kind
            ]

        s = LegScore(
            assessment=self.obj(vcss.get("encounter"), "encounter"),
            side=side,
            ceap_signs=present("ceap-sign", codes.CEAP_SIGN),
            ceap_classes=present("ceap-class-present", codes.CEAP_CLASS),
            ceap_highest=code(ceap.get("valueCodeableConcept"), codes.CEAP_CLASS, "valueCodeableConcept"),
            vcss_items={
                code(c.get("code"), codes.VCSS_ITEM, "component"): get(c, "valueInteger")
                for c in vcss.get("component", [])
            },
            vcss_total=get(vcss, "valueInteger"),
        )
        self.save(self.key(vcss), s)
        self.made[self.key(ceap)] = s

    def plan(self, r: dict[str, Any]) -> None:
        p = parts(r, "treatment-plan")
        status = {v: k for k, v in PLAN_STATUS.items()}.get(str(r.get("status")))
        if status is None:
            raise Bad(f"status {r.get('status')!r} is not one a treatment plan has")
        t = TreatmentPlan(
            assessment=self.obj(r.get("encounter"), "encounter"),
            patient=self.obj(r.get("subject"), "subject"),
            status=status,
            engine_answer=need(p, "engine_answer", "treatment-plan"),
            protocol_id=need(p, "protocol_id", "treatment-plan"),
            protocol_version=need(p, "protocol_version", "treatment-plan"),
            clinic_protocol_id=p.get("clinic_protocol_id", ""),
            clinic_protocol_version=p.get("clinic_protocol_version", ""),
            overrides=p.get("overrides", {}),
            approved_by=self.maybe_obj(r.get("author"), "author"),
            approved_at=maybe_when(p.get("approved_at"), "approved_at"),
        )
        self.save(self.key(r), t)

    def consent(self, r: dict[str, Any]) -> None:
        p = parts(r, "consent")
        try:
            text = base64.b64decode(get(r, "sourceAttachment", "data"), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            raise Bad("sourceAttachment.data is not base64 UTF-8 text") from None
        c = Consent(
            plan=self.obj(opt(r, "provision", "data", 0, "reference"), "provision.data"),
            patient=self.obj(r.get("patient"), "patient"),
            text_version=need(p, "text_version", "consent"),
            text=text,
            text_sha256=need(p, "text_sha256", "consent"),
            procedures=codes_in(opt(r, "provision", "code"), codes.PROCEDURE),
            consented_at=when(get(r, "dateTime"), "dateTime"),
            taken_by=self.obj(need(p, "taken_by", "consent"), "taken_by"),
            patient_confirmed=bool(opt(r, "verification", 0, "verified")),
        )
        self.save(self.key(r), c)

    # --- treatment ---------------------------------------------------------------------------

    def lot(self, r: dict[str, Any]) -> None:
        p = parts(r, "stock-lot")
        s = StockLot(
            product=code(r.get("code"), codes.PRODUCT, "code"),
            agent=code(opt(r, "ingredient", 0, "itemCodeableConcept"), codes.AGENT, "ingredient"),
            concentration_percent=decimal(
                get(r, "ingredient", 0, "strength", "numerator", "value"), "ingredient.strength"
            ),
            lot_number=get(r, "batch", "lotNumber"),
            expiry_date=on(get(r, "batch", "expirationDate"), "batch.expirationDate"),
            quantity=need(p, "quantity", "stock-lot"),
            received_on=on(need(p, "received_on", "stock-lot"), "received_on"),
        )
        self.save(self.key(r), s)

    def session(self, r: dict[str, Any]) -> None:
        p = parts(r, "session")
        encounter = reference(r.get("encounter"), "encounter")
        if encounter not in self.by_id:
            raise Bad(f"encounter {encounter} is not in the bundle")
        s = TreatmentSession(
            plan=self.obj(opt(r, "basedOn", 0), "basedOn"),
            patient=self.obj(r.get("subject"), "subject"),
            number=need(p, "number", "session"),
            scheduled_for=maybe_when(p.get("scheduled_for"), "scheduled_for"),
            started_at=when(get(r, "performedPeriod", "start"), "performedPeriod.start"),
            completed_at=maybe_when(opt(r, "performedPeriod", "end"), "performedPeriod.end"),
            status=SessionStatus.COMPLETED if r.get("status") == "completed" else SessionStatus.OPEN,
            practitioner=self.obj(opt(r, "performer", 0, "actor"), "performer"),
            weight_kg=decimal(need(p, "weight_kg", "session"), "weight_kg"),
            notes=opt(r, "note", 0, "text") or "",
        )
        self.save(self.key(r), s)
        self.made[encounter] = s

    def injection(self, r: dict[str, Any]) -> None:
        p = parts(r, "injection")
        i = Injection(
            session=self.obj(opt(r, "partOf", 0), "partOf"),
            finding=self.maybe_obj(opt(r, "reasonReference", 0), "reasonReference"),
            view=p.get("view", ""),
            x=p.get("x"),
            y=p.get("y"),
            side=p.get("side", ""),
            procedure=need(p, "procedure", "injection"),
            agent=need(p, "agent", "injection"),
            product=need(p, "product", "injection"),
            form=code(opt(r, "dosage", "method"), codes.FORM, "dosage.method"),
            concentration_percent=decimal(
                need(p, "concentration_percent", "injection"), "concentration_percent"
            ),
            volume_ml=decimal(get(r, "dosage", "dose", "value"), "dosage.dose"),
            foam_gas_parts=None
            if p.get("foam_gas_parts") is None
            else decimal(p["foam_gas_parts"], "foam_gas_parts"),
            needle_gauge=p.get("needle_gauge"),
            lot=self.obj(r.get("medicationReference"), "medicationReference"),
            given_at=when(get(r, "effectiveDateTime"), "effectiveDateTime"),
            given_by=self.obj(opt(r, "performer", 0, "actor"), "performer"),
            override_reason=p.get("override_reason", ""),
            limit_check=p.get("limit_check", {}),
        )
        self.save(self.key(r), i)

    # --- after treatment ---------------------------------------------------------------------

    def aftercare(self, r: dict[str, Any]) -> None:
        p = parts(r, "aftercare")
        a = AftercarePlan(
            session=self.obj(r.get("encounter"), "encounter"),
            patient=self.obj(r.get("subject"), "subject"),
            content=need(p, "content", "aftercare"),
            protocol_id=need(p, "protocol_id", "aftercare"),
            protocol_version=need(p, "protocol_version", "aftercare"),
            handed_over_at=maybe_when(p.get("handed_over_at"), "handed_over_at"),
        )
        self.save(self.key(r), a)

    def follow_up(self, r: dict[str, Any]) -> None:
        p = parts(r, "follow-up", required=False)
        status = {v: k for k, v in APPOINTMENT_STATUS.items()}.get(str(r.get("status")))
        if status is None:
            raise Bad(f"status {r.get('status')!r} is not one a follow-up has")
        actors = [reference(get(x, "actor"), "participant") for x in r.get("participant", [])]
        patient = next((a for a in actors if a.startswith("Patient/")), None)
        staff = next((a for a in actors if a.startswith("Practitioner/")), None)
        f = FollowUp(
            patient=self.obj({"reference": patient} if patient else None, "participant (the patient)"),
            session=self.maybe_obj(opt(r, "supportingInformation", 0), "supportingInformation"),
            kind=code(opt(r, "serviceType", 0), codes.FOLLOW_UP, "serviceType"),
            purpose=r.get("description", ""),
            due_on=on(get(r, "requestedPeriod", 0, "start"), "requestedPeriod.start"),
            window_end=maybe_on(opt(r, "requestedPeriod", 0, "end"), "requestedPeriod.end"),
            status=status,
            done_at=maybe_when(p.get("done_at"), "done_at"),
            done_by=self.maybe_obj({"reference": staff} if staff else None, "participant"),
            notes=r.get("comment", ""),
        )
        self.save(self.key(r), f)

    def adverse_event(self, r: dict[str, Any]) -> None:
        p = parts(r, "adverse-event")
        suspect = opt(r, "suspectEntity", 0, "instance")
        injection = None
        if suspect is not None and reference(suspect, "suspectEntity").startswith(
            "MedicationAdministration/"
        ):
            injection = self.obj(suspect, "suspectEntity")
        e = AdverseEvent(
            patient=self.obj(r.get("subject"), "subject"),
            session=self.maybe_obj(r.get("encounter"), "encounter"),
            injection=injection,
            symptom=code(r.get("event"), codes.SYMPTOM, "event"),
            onset_on=on(get(r, "date"), "date"),
            severity=code(r.get("severity"), codes.AE_SEVERITY, "severity"),
            triage_level=need(p, "triage_level", "adverse-event"),
            triage=need(p, "triage", "adverse-event"),
            management=p.get("management", ""),
            resolved_on=maybe_on(p.get("resolved_on"), "resolved_on"),
            is_draft=p.get("is_draft", False),
            notes=p.get("notes", ""),
        )
        self.save(self.key(r), e)

    def outcome(self, r: dict[str, Any]) -> None:
        p = parts(r, "outcome")
        values: dict[str, Any] = {}
        for c in r.get("component", []):
            name = codes.code_of(c.get("code"), codes.OBSERVATION)
            values[str(name)] = c.get("valueBoolean", c.get("valueInteger", opt(c, "valueQuantity", "value")))
        o = Outcome(
            patient=self.obj(r.get("subject"), "subject"),
            plan=self.obj(opt(r, "basedOn", 0), "basedOn"),
            finding=self.maybe_obj(opt(r, "focus", 0), "focus"),
            area=need(p, "area", "outcome"),
            assessed_on=on(get(r, "effectiveDateTime"), "effectiveDateTime"),
            clearance_percent=values.get("clearance"),
            reported_by_patient=False,
            satisfaction=values.get("satisfaction"),
            recurrence=bool(values.get("recurrence")),
            retreatment_needed=bool(need(p, "retreatment_needed", "outcome")),
            notes=opt(r, "note", 0, "text") or "",
        )
        self.save(self.key(r), o)

    def satisfaction(self, r: dict[str, Any]) -> None:
        p = parts(r, "outcome")
        o = Outcome(
            patient=self.obj(r.get("subject"), "subject"),
            plan=self.obj(opt(r, "basedOn", 0), "basedOn"),
            area=need(p, "area", "outcome"),
            assessed_on=on(get(r, "authored"), "authored"),
            reported_by_patient=True,
            satisfaction=answer(r, "satisfaction", "valueInteger"),
            recurrence=bool(answer(r, "recurrence", "valueBoolean")),
            retreatment_needed=bool(need(p, "retreatment_needed", "outcome")),
            notes=answer(r, "comment", "valueString") or "",
        )
        self.save(self.key(r), o)

    def check_in(self, r: dict[str, Any]) -> None:
        p = parts(r, "check-in")
        status = {v: k for k, v in CHECK_IN_STATUS.items()}.get(str(r.get("status")))
        if status is None:
            raise Bad(f"status {r.get('status')!r} is not one a check-in has")
        c = CheckIn(
            patient=self.obj(r.get("subject"), "subject"),
            session=self.obj(opt(r, "partOf", 0), "partOf"),
            day=need(p, "day", "check-in"),
            purpose=need(p, "purpose", "check-in"),
            due_on=on(need(p, "due_on", "check-in"), "due_on"),
            status=status,
            answered_at=maybe_when(r.get("authored"), "authored"),
            answers=p.get("answers", []),
            worst_level=p.get("worst_level", ""),
            comment=answer(r, "comment", "valueString") or "",
        )
        self.save(self.key(r), c)
