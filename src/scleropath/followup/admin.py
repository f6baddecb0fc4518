from django.contrib import admin

from scleropath.core.admin import ReadOnlyClinicalAdmin

from .models import AdverseEvent, FollowUp, Outcome


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "purpose", "due_on", "status"]
    list_filter = ["status"]


@admin.register(AdverseEvent)
class AdverseEventAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "symptom", "triage_level", "onset_on", "resolved_on"]
    list_filter = ["triage_level", "symptom"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "area", "clearance_percent", "satisfaction", "assessed_on"]
