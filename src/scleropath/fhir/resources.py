"""The one module that imports fhir.resources, and only its R4B models (R4B is wire-compatible
with FHIR R4 4.0.1 for every resource ScleroPath writes; the library's default is R5).

Resource classes come from an explicit registry, so a resource type we do not write is refused
by name instead of being looked up at run time.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.adverseevent import AdverseEvent
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.clinicalimpression import ClinicalImpression
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.medication import Medication
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot
from pydantic import ValidationError

FHIR_VERSION = "4.0.1"

RESOURCE_CLASSES: dict[str, Any] = {
    "AdverseEvent": AdverseEvent,
    "Appointment": Appointment,
    "CarePlan": CarePlan,
    "ClinicalImpression": ClinicalImpression,
    "Condition": Condition,
    "Consent": Consent,
    "Encounter": Encounter,
    "Location": Location,
    "Medication": Medication,
    "MedicationAdministration": MedicationAdministration,
    "Observation": Observation,
    "Patient": Patient,
    "Practitioner": Practitioner,
    "Procedure": Procedure,
    "QuestionnaireResponse": QuestionnaireResponse,
    "Schedule": Schedule,
    "Slot": Slot,
}
RESOURCE_TYPES = tuple(sorted(RESOURCE_CLASSES))


def problems(resource: Any) -> list[str]:
    """What is wrong with ``resource`` as an R4 resource of a type we write; empty when it parses."""
    if not isinstance(resource, dict):
        return ["not a JSON object"]
    kind = resource.get("resourceType")
    cls = RESOURCE_CLASSES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        return [f"resourceType {kind!r} is not one ScleroPath exports"]
    try:
        cls.model_validate(resource)
    except ValidationError as exc:
        return [f"{'.'.join(str(p) for p in err['loc']) or kind}: {err['msg']}" for err in exc.errors()[:5]]
    return []


def bundle_problems(bundle: Any) -> list[str]:
    """What is wrong with a Bundle's own elements (entries are checked one by one)."""
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return ["not a FHIR Bundle (resourceType must be 'Bundle')"]
    shell = {k: v for k, v in bundle.items() if k != "entry"}
    try:
        Bundle.model_validate(shell)
    except ValidationError as exc:
        return [f"Bundle.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]]
    return []
