from auditlog.registry import auditlog

from .models import Absence, Appointment, DiarySettings, OpeningHours, Room, WorkingHours

for model in (Appointment, Room, OpeningHours, WorkingHours, Absence, DiarySettings):
    auditlog.register(model)
