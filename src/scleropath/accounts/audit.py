from auditlog.registry import auditlog

from .models import Clinic, User

auditlog.register(Clinic)
auditlog.register(User, exclude_fields=["password", "last_login"])
