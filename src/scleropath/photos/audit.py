from auditlog.registry import auditlog

from .models import Photo, PhotoConsent

for model in (PhotoConsent, Photo):
    auditlog.register(model)
