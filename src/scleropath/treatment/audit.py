from auditlog.registry import auditlog

from .models import Injection, StockLot, TreatmentSession

for model in (StockLot, TreatmentSession, Injection):
    auditlog.register(model)
