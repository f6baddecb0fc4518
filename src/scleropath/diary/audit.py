from auditlog.registry import auditlog

from .models import Absence, Appointment, DiarySettings, Invitation, OpeningHours, Room, WorkingHours

for model in (Appointment, Room, OpeningHours, WorkingHours, Absence, DiarySettings, Invitation):
    auditlog.register(model)
