"""Follow-ups, adverse events, outcomes and clinical notes, read-only in the admin."""

from django.contrib import admin

from scleropath.patients.clinical_admin import ReadOnlyClinicalAdmin

from .models import AdverseEvent, ClinicalNote, FollowUp, Outcome


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "purpose", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["patient"]
    search_fields = ["patient__family_name", "patient__nhs_number"]


@admin.register(AdverseEvent)
class AdverseEventAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "symptom", "severity", "triage_level", "onset_on", "resolved_on"]
    list_filter = ["triage_level", "symptom"]
    list_select_related = ["patient"]
    search_fields = ["patient__family_name", "patient__nhs_number"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "area", "clearance_percent", "satisfaction", "recurrence", "assessed_on"]
    list_filter = ["recurrence", "retreatment_needed"]
    list_select_related = ["patient"]
    search_fields = ["patient__family_name", "patient__nhs_number"]


@admin.register(ClinicalNote)
class ClinicalNoteAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "written_at", "author", "first_line"]
    list_select_related = ["patient", "author"]
    search_fields = ["patient__family_name", "patient__nhs_number"]
