from auditlog.registry import auditlog

from .models import CallbackRequest, OnlineBooking

for model in (OnlineBooking, CallbackRequest):
    auditlog.register(model)
