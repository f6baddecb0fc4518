from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "scleropath.fhir"
    label = "fhir"
    verbose_name = "FHIR R4 export and import"
