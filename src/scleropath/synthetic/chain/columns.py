"""The columns the chain generator writes, table by table, in the order its rows give them.

Tables are listed parents first: each transaction's rows are flushed in this order. Every other
column of a table gets its field's default (see ``bulk.Table``).
"""

from __future__ import annotations

from django.db import models

from scleropath.assessments.models import Assessment, LegScore, TreatmentPlan, VeinFinding
from scleropath.checkins.models import CheckIn
from scleropath.followup.models import AdverseEvent, FollowUp, Outcome
from scleropath.patients.models import Patient
from scleropath.treatment.models import Injection, StockLot, TreatmentSession

COMMON = ["clinic_id", "created_at", "created_by_id"]

# One table a line, so the column lists read as the rows the generator builds.
# fmt: off
TABLES: dict[str, tuple[type[models.Model], list[str]]] = {
    "lot": (StockLot, ["id", "clinic_id", "created_at", "product", "agent", "concentration_percent", "lot_number", "expiry_date", "quantity", "received_on"]),
    "patient": (Patient, ["id", *COMMON, "given_name", "family_name", "date_of_birth", "sex", "nhs_number", "email", "phone"]),
    "assessment": (Assessment, ["id", *COMMON, "patient_id", "assessed_at", "clinician_id"]),
    "finding": (VeinFinding, ["id", *COMMON, "assessment_id", "label", "side", "region", "view", "x", "y", "diameter_mm", "depth", "named_vein", "reflux", "engine_class"]),
    "leg": (LegScore, [*COMMON, "assessment_id", "side", "ceap_signs", "ceap_classes", "ceap_highest", "vcss_items", "vcss_total"]),
    "plan": (TreatmentPlan, ["id", *COMMON, "assessment_id", "patient_id", "status", "engine_answer", "protocol_id", "protocol_version", "approved_by_id", "approved_at"]),
    "session": (TreatmentSession, ["id", *COMMON, "plan_id", "patient_id", "number", "started_at", "completed_at", "status", "practitioner_id", "weight_kg"]),
    "injection": (Injection, [*COMMON, "session_id", "finding_id", "view", "x", "y", "side", "procedure", "agent", "product", "form", "concentration_percent", "volume_ml", "foam_gas_parts", "needle_gauge", "lot_id", "given_at", "given_by_id"]),
    "follow_up": (FollowUp, [*COMMON, "patient_id", "session_id", "kind", "purpose", "due_on", "window_end", "status", "done_at", "done_by_id"]),
    "check_in": (CheckIn, [*COMMON, "patient_id", "session_id", "day", "purpose", "due_on", "status", "answered_at"]),
    "event": (AdverseEvent, [*COMMON, "patient_id", "session_id", "symptom", "onset_on", "severity", "triage_level", "triage", "resolved_on"]),
    "outcome": (Outcome, [*COMMON, "patient_id", "plan_id", "finding_id", "area", "assessed_on", "clearance_percent", "satisfaction", "reported_by_patient", "retreatment_needed"]),
}
# fmt: on
