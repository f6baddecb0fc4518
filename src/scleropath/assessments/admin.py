"""Assessments, plans and consent, read-only in the admin."""

from django.contrib import admin

from scleropath.patients.clinical_admin import ReadOnlyClinicalAdmin

from .models import Assessment, Consent, TreatmentPlan


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "assessed_at", "clinician", "voided_at"]
    list_select_related = ["patient", "clinician"]
    search_fields = ["patient__family_name", "patient__nhs_number"]


@admin.register(TreatmentPlan)
class TreatmentPlanAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "status", "protocol_id", "protocol_version", "approved_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["patient", "approved_by"]
    search_fields = ["patient__family_name", "patient__nhs_number"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "procedures", "text_version", "consented_at", "taken_by"]
    list_select_related = ["patient", "taken_by"]
    search_fields = ["patient__family_name", "patient__nhs_number"]
