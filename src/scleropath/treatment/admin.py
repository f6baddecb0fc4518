from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html_join

from scleropath.accounts.permissions import Action
from scleropath.core.admin import ClinicScopedAdmin, ReadOnlyClinicalAdmin
from scleropath.core.engine import engine_for

from .models import Injection, StockLot, TreatmentSession
from .services import check_lot_product, patients_given_lot


class ExpiredFilter(admin.SimpleListFilter):
    title = "expiry"
    parameter_name = "expired"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Expired"), ("no", "In date")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(expiry_date__lt=today)
        if self.value() == "no":
            return queryset.filter(expiry_date__gte=today)
        return queryset


@admin.register(StockLot)
class StockLotAdmin(ClinicScopedAdmin):
    view_action = Action.MANAGE_STOCK
    change_action = Action.MANAGE_STOCK
    list_display = ["product", "concentration_percent", "lot_number", "expiry_date", "expired", "quantity"]
    list_filter = ["product", ExpiredFilter]
    fields = [
        "product",
        "concentration_percent",
        "lot_number",
        "expiry_date",
        "quantity",
        "received_on",
        "patients_who_received_it",
    ]
    readonly_fields = ["patients_who_received_it"]

    @admin.display(boolean=True)
    def expired(self, obj: StockLot) -> bool:
        return obj.is_expired()

    @admin.display(description="Patients who received this lot")
    def patients_who_received_it(self, obj: StockLot) -> str:
        if not obj.pk:
            return "—"
        patients = patients_given_lot(obj)
        return format_html_join(", ", "{}", ((str(p),) for p in patients)) or "None"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        clinic = getattr(request.user, "clinic", None)

        class LotForm(form):  # type: ignore[misc, valid-type]
            def clean(self) -> Any:
                data = super().clean()
                if data.get("product") and data.get("concentration_percent") is not None:
                    try:
                        data["agent"] = check_lot_product(
                            engine_for(clinic), data["product"], data["concentration_percent"]
                        )
                    except ValidationError as exc:
                        raise ValidationError(exc.message_dict) from None
                return data

            def save(self, commit: bool = True) -> Any:
                self.instance.agent = self.cleaned_data["agent"]
                return super().save(commit)

        return LotForm


@admin.register(TreatmentSession)
class TreatmentSessionAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "number", "status", "started_at", "practitioner"]
    list_filter = ["status"]


@admin.register(Injection)
class InjectionAdmin(ReadOnlyClinicalAdmin):
    list_display = ["session", "product", "concentration_percent", "form", "volume_ml", "lot", "given_at"]
    list_filter = ["product", "form"]
