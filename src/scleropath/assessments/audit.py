from auditlog.registry import auditlog

from .models import Assessment, Consent, LegScore, TreatmentPlan, VeinFinding

for model in (Assessment, VeinFinding, LegScore, TreatmentPlan, Consent):
    auditlog.register(model)
