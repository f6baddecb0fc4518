"""Every URI ScleroPath's FHIR resources use: our own code systems, extensions, identifier systems
and questionnaires, all under one base, plus the few HL7 and UCUM systems we rely on.

Our code systems carry the protocol's own ids (vessel classes, regions, procedures, products,
symptoms, VCSS items, CEAP classes) as codes, so a code never changes meaning between releases.
No SNOMED CT, ICD-10, OPCS-4, dm+d or RxNorm codes are used: the clinical reference confirms none.
"""

from __future__ import annotations

from typing import Any, Final

BASE: Final = "https://scleropath.org/fhir"
CS: Final = f"{BASE}/CodeSystem"
EXT: Final = f"{BASE}/StructureDefinition"
SID: Final = f"{BASE}/sid"
QUESTIONNAIRE: Final = f"{BASE}/Questionnaire"
# Marks every resource we export; the importer refuses resources without it.
PROFILE_TAG: Final = f"{BASE}/export"

# --- our code systems (codes are protocol ids) ----------------------------------------------
VESSEL_CLASS: Final = f"{CS}/vessel-class"
REGION: Final = f"{CS}/region"
LATERALITY: Final = f"{CS}/laterality"
LEG_VIEW: Final = f"{CS}/leg-view"
PROCEDURE: Final = f"{CS}/procedure"
PRODUCT: Final = f"{CS}/product"
AGENT: Final = f"{CS}/agent"
FORM: Final = f"{CS}/form"
ROUTE: Final = f"{CS}/route"
SYMPTOM: Final = f"{CS}/symptom"
TRIAGE_LEVEL: Final = f"{CS}/triage-level"
VCSS_ITEM: Final = f"{CS}/vcss-item"
CEAP_CLASS: Final = f"{CS}/ceap-class"
CEAP_SIGN: Final = f"{CS}/ceap-sign"
OBSERVATION: Final = f"{CS}/observation"
CONDITION: Final = f"{CS}/condition"
CARE_PLAN: Final = f"{CS}/care-plan"
ENCOUNTER: Final = f"{CS}/encounter"
FOLLOW_UP: Final = f"{CS}/follow-up"
SCREENING_CODE: Final = f"{CS}/screening"
CONSENT_CATEGORY: Final = f"{CS}/consent-category"
MOBILITY: Final = f"{CS}/mobility"
APPOINTMENT_KIND: Final = f"{CS}/appointment-kind"

OUR_CODE_SYSTEMS: Final = frozenset(
    {
        VESSEL_CLASS,
        REGION,
        LATERALITY,
        LEG_VIEW,
        PROCEDURE,
        PRODUCT,
        AGENT,
        FORM,
        ROUTE,
        SYMPTOM,
        TRIAGE_LEVEL,
        VCSS_ITEM,
        CEAP_CLASS,
        CEAP_SIGN,
        OBSERVATION,
        CONDITION,
        CARE_PLAN,
        ENCOUNTER,
        FOLLOW_UP,
        SCREENING_CODE,
        CONSENT_CATEGORY,
        MOBILITY,
        APPOINTMENT_KIND,
    }
)

# --- HL7 and other shared systems --------------------------------------------------------------
UCUM: Final = "http://unitsofmeasure.org"
NHS_NUMBER: Final = "https://fhir.nhs.uk/Id/nhs-number"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/condition-category"
CONSENT_SCOPE: Final = "http://terminology.hl7.org/CodeSystem/consentscope"
ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
AE_SEVERITY: Final = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
AE_OUTCOME: Final = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
CONSENT_ACTION: Final = "http://terminology.hl7.org/CodeSystem/consentaction"

SHARED_SYSTEMS: Final = frozenset(
    {
        UCUM,
        NHS_NUMBER,
        OBSERVATION_CATEGORY,
        CONDITION_CLINICAL,
        CONDITION_VERIFICATION,
        CONDITION_CATEGORY,
        CONSENT_SCOPE,
        ACT_CODE,
        AE_SEVERITY,
        AE_OUTCOME,
        CONSENT_ACTION,
    }
)
# Systems ScleroPath never uses; a bundle coded with one of them is not one of ours.
FOREIGN_CLINICAL_SYSTEMS: Final = frozenset(
    {
        "http://snomed.info/sct",
        "http://hl7.org/fhir/sid/icd-10",
        "http://hl7.org/fhir/sid/icd-10-cm",
        "http://www.nlm.nih.gov/research/umls/rxnorm",
        "https://fhir.nhs.uk/Id/opcs-4",
        "https://dmd.nhs.uk",
    }
)

# --- identifier systems -----------------------------------------------------------------------
STAFF_REGISTRATION: Final = f"{SID}/professional-registration"
LOT_NUMBER: Final = f"{SID}/lot"

# --- questionnaires ---------------------------------------------------------------------------
SCREENING_QUESTIONNAIRE: Final = f"{QUESTIONNAIRE}/screening"
CHECK_IN_QUESTIONNAIRE: Final = f"{QUESTIONNAIRE}/check-in"
SATISFACTION_QUESTIONNAIRE: Final = f"{QUESTIONNAIRE}/satisfaction"


# --- extensions -------------------------------------------------------------------------------
def ext(name: str) -> str:
    """The URL of one of our extensions."""
    return f"{EXT}/{name}"


X_LATERALITY: Final = ext("laterality")
# Each record kind has one extension for the fields standard elements do not carry; its
# sub-extensions are named after the fields (see docs/fhir.md).
RECORD_KINDS: Final = (
    "screening",
    "assessment",
    "vein-finding",
    "treatment-plan",
    "consent",
    "stock-lot",
    "session",
    "injection",
    "aftercare",
    "follow-up",
    "adverse-event",
    "outcome",
    "check-in",
    "appointment",
)


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(system: str, code: str, display: str | None = None, text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [coding(system, code, display)]}
    if text:
        out["text"] = text
    return out


def code_of(concept_: dict[str, Any] | None, system: str) -> str | None:
    """The code of ``system`` in a CodeableConcept, or None."""
    for c in (concept_ or {}).get("coding", []):
        if c.get("system") == system:
            return str(c.get("code"))
    return None
