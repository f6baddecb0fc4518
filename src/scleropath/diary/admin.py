"""The diary's set-up in the admin (rooms, hours, absences, settings: kept by managers), and
appointments and invitations read-only: they are written through the diary's services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from scleropath.accounts.admin_access import staff_user
from scleropath.accounts.permissions import Action
from scleropath.patients.clinical_admin import ClinicScopedAdmin, ReadOnlyClinicalAdmin

from .models import Absence, Appointment, DiarySettings, Invitation, OpeningHours, Room, WorkingHours


class DiarySetupAdmin(ClinicScopedAdmin):
    view_action = Action.MANAGE_CLINIC
    change_action = Action.MANAGE_CLINIC
    actions: list[Any] = []


class PractitionerScopedAdmin(DiarySetupAdmin):
    """Rows that belong to a practitioner rather than to a clinic: scoped through the practitioner."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs: QuerySet[Any] = self.model._default_manager.select_related("practitioner")
        user = staff_user(request)
        if user is not None and user.is_superuser:
            return qs
        if user is None or user.clinic_id is None:
            return qs.none()
        return qs.filter(practitioner__clinic_id=user.clinic_id)


@admin.register(Room)
class RoomAdmin(DiarySetupAdmin):
    list_display = ["name", "active"]
    fields = ["name", "active"]


@admin.register(OpeningHours)
class OpeningHoursAdmin(DiarySetupAdmin):
    list_display = ["weekday", "opens", "closes"]
    fields = ["weekday", "opens", "closes"]


@admin.register(DiarySettings)
class DiarySettingsAdmin(DiarySetupAdmin):
    exclude = ["clinic"]


@admin.register(WorkingHours)
class WorkingHoursAdmin(PractitionerScopedAdmin):
    list_display = ["practitioner", "weekday", "starts", "ends", "room"]
    list_filter = ["weekday"]


@admin.register(Absence)
class AbsenceAdmin(PractitionerScopedAdmin):
    list_display = ["practitioner", "starts_at", "ends_at", "reason"]
    exclude = ["created_by"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyClinicalAdmin):
    list_display = ["starts_at", "patient", "practitioner", "room", "kind", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["patient", "practitioner", "room"]
    search_fields = ["patient__family_name", "patient__nhs_number"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyClinicalAdmin):
    list_display = ["created_at", "patient", "reason", "created_by"]
    list_filter = ["reason"]
    list_select_related = ["patient", "created_by"]
