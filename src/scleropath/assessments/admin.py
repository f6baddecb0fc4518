from django.contrib import admin

from scleropath.core.admin import ReadOnlyClinicalAdmin

from .models import Assessment, Consent, TreatmentPlan


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "assessed_at", "clinician"]


@admin.register(TreatmentPlan)
class TreatmentPlanAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "status", "protocol_id", "protocol_version", "approved_by", "created_at"]
    list_filter = ["status"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "plan", "text_version", "consented_at", "taken_by"]
