"""Patients and their screening, read-only in the admin (they are written through the clinic pages)."""

from django.contrib import admin

from scleropath.accounts.permissions import Action
from scleropath.patients.clinical_admin import ReadOnlyClinicalAdmin

from .models import Patient, ScreeningRecord


@admin.register(Patient)
class PatientAdmin(ReadOnlyClinicalAdmin):
    view_action = Action.VIEW_PATIENT
    list_display = ["family_name", "given_name", "date_of_birth", "nhs_number", "voided_at"]
    search_fields = ["family_name", "given_name", "nhs_number"]


@admin.register(ScreeningRecord)
class ScreeningRecordAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "number", "verdict", "screened_at", "voided_at"]
    list_filter = ["verdict"]
    list_select_related = ["patient"]
    search_fields = ["patient__family_name", "patient__nhs_number"]
