from auditlog.registry import auditlog

from .models import CheckIn, Flag, PatientLink

auditlog.register(PatientLink, exclude_fields=["nonce"])
auditlog.register(CheckIn)
auditlog.register(Flag)
