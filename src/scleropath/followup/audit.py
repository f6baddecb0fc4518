from auditlog.registry import auditlog

from .models import AdverseEvent, AftercarePlan, ClinicalNote, FollowUp, Outcome

for model in (AftercarePlan, FollowUp, AdverseEvent, Outcome, ClinicalNote):
    auditlog.register(model)
