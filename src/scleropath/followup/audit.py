from auditlog.registry import auditlog

from .models import AdverseEvent, AftercarePlan, FollowUp, Outcome

for model in (AftercarePlan, FollowUp, AdverseEvent, Outcome):
    auditlog.register(model)
