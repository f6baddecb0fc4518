from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "fhir"

urlpatterns: list[URLPattern | URLResolver] = [
    path("Patient/<int:patient_id>/$everything", views.everything, name="everything"),
]
