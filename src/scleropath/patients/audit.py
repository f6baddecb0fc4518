from auditlog.registry import auditlog

from .models import Patient, ScreeningRecord, WeightMeasurement

auditlog.register(Patient)
auditlog.register(WeightMeasurement)
auditlog.register(ScreeningRecord)
