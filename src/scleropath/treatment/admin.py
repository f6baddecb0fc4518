"""Stock in the admin (kept by managers), and read-only sessions and injections."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from scleropath.accounts.admin_access import staff_user
from scleropath.accounts.models import Clinic
from scleropath.accounts.permissions import Action
from scleropath.core.engine import engine_for
from scleropath.patients.access import record_listing
from scleropath.patients.clinical_admin import ClinicScopedAdmin, ReadOnlyClinicalAdmin

from .models import Injection, StockLot, TreatmentSession
from .services import check_lot_product, patients_for_lot, patients_given_lot


class ExpiredFilter(admin.SimpleListFilter):
    title = "expiry"
    parameter_name = "expired"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", "In date"), ("yes", "Expired")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(expiry_date__lt=today)
        if self.value() == "no":
            return queryset.filter(expiry_date__gte=today)
        return queryset


class StockLotForm(forms.ModelForm):  # type: ignore[type-arg]
    """A lot's product must be in the formulary and come in the labelled strength: the same check
    the stock service makes (``check_lot_product``), against the clinic's own protocol."""

    clinic_for_check: Clinic | None = None  # the signed-in user's clinic, set per request

    class Meta:
        model = StockLot
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        clinic = data.get("clinic") or (self.instance.clinic if self.instance.clinic_id else None)
        clinic = clinic or self.clinic_for_check
        product, strength = data.get("product"), data.get("concentration_percent")
        if product is not None and strength is not None:
            try:
                self.instance.agent = check_lot_product(engine_for(clinic), product, strength)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict) from None
        # The clinic is not on the form, so Django's own check of the unique constraint skips it.
        lot_number = data.get("lot_number")
        if clinic is not None and product and lot_number:
            twin = StockLot.objects.filter(clinic=clinic, product=product, lot_number=lot_number)
            if twin.exclude(pk=self.instance.pk).exists():
                raise ValidationError({"lot_number": f"Lot {lot_number} of {product} is already in stock."})
        return data


@admin.register(StockLot)
class StockLotAdmin(ClinicScopedAdmin):
    """The clinic's sclerosant stock. Once a lot has been given to a patient, what it is stays fixed,
    so the record of every injection keeps pointing at the right product for a recall."""

    form = StockLotForm
    view_action = Action.MANAGE_STOCK
    change_action = Action.MANAGE_STOCK
    list_display = [
        "product",
        "concentration_percent",
        "lot_number",
        "expiry_date",
        "expired",
        "quantity",
        "voided_at",
    ]
    list_filter = [ExpiredFilter, "product"]
    search_fields = ["lot_number", "product"]
    fields = [
        "product",
        "concentration_percent",
        "lot_number",
        "expiry_date",
        "quantity",
        "received_on",
        "patients_who_received_it",
    ]

    @admin.display(boolean=True, description="Expired")
    def expired(self, obj: StockLot) -> bool:
        return obj.is_expired()

    @admin.display(description="Patients who received this lot")
    def patients_who_received_it(self, obj: StockLot) -> str:
        if not obj.pk:
            return "—"
        count = len(patients_given_lot(obj))
        url = reverse("admin:treatment_stocklot_patients", args=[obj.pk])
        return format_html('<a href="{}">{} patient{}</a>', url, count, "" if count == 1 else "s")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fields = list(super().get_fields(request, obj))
        user = staff_user(request)
        if user is not None and user.is_superuser and obj is None:
            fields.insert(0, "clinic")  # a platform admin has no clinic of their own to add to
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["product", "concentration_percent", "lot_number"] if obj and obj.injections.exists() else []
        return [*fixed, "patients_who_received_it"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        user = staff_user(request)
        return type(form.__name__, (form,), {"clinic_for_check": user.clinic if user else None})

    def get_urls(self) -> list[URLPattern]:
        patients = path(
            "<path:object_id>/patients/",
            self.admin_site.admin_view(self.patients_view),
            name="treatment_stocklot_patients",
        )
        return [patients, *super().get_urls()]

    def patients_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Every patient who received the lot, with when, for a recall."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        lot = self.get_object(request, object_id)
        user = staff_user(request)
        if lot is None or user is None:
            raise Http404("No such lot in your clinic")
        # A platform admin has no clinic, so the clinic check of patients_for_lot does not apply.
        patients = patients_given_lot(lot) if user.is_superuser else patients_for_lot(user, lot)
        given: dict[int, list[Any]] = {}
        for patient_id, when in (
            Injection.objects.active()
            .filter(lot=lot)
            .order_by("given_at")
            .values_list("session__patient_id", "given_at")
        ):
            day = timezone.localdate(when)
            if day not in given.setdefault(patient_id, []):
                given[patient_id].append(day)
        record_listing(user, patients, f"Recall: patients who received lot {lot.lot_number} of {lot.product}")
        return render(
            request,
            "admin/treatment/stocklot/patients.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "lot": lot,
                "title": f"Patients who received lot {lot.lot_number}",
                "rows": [(p, given.get(p.pk, [])) for p in patients],
            },
        )


@admin.register(TreatmentSession)
class TreatmentSessionAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "number", "status", "started_at", "practitioner", "voided_at"]
    list_filter = ["status"]
    list_select_related = ["patient", "practitioner"]
    search_fields = ["patient__family_name", "patient__nhs_number"]


@admin.register(Injection)
class InjectionAdmin(ReadOnlyClinicalAdmin):
    list_display = [
        "patient",
        "product",
        "concentration_percent",
        "form",
        "volume_ml",
        "lot",
        "given_at",
        "overridden",
        "voided_at",
    ]
    list_filter = ["product", "form"]
    list_select_related = ["session__patient", "lot"]
    search_fields = ["lot__lot_number", "session__patient__family_name"]

    def listed_patients(self, rows: Iterable[Any]) -> Iterable[Any]:
        return [row.session.patient_id for row in rows]

    @admin.display(ordering="session__patient__family_name")
    def patient(self, obj: Injection) -> str:
        return str(obj.session.patient)

    @admin.display(boolean=True, description="Limit overridden")
    def overridden(self, obj: Injection) -> bool:
        return bool(obj.override_reason)
