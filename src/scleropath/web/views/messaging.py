"""The patient chart's Messages card: the latest messages sent to the patient with their status,
and the patient's choice of channels, which staff who edit patients may change with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from scleropath.accounts.models import User
from scleropath.accounts.permissions import Action, can
from scleropath.messaging.models import Channel
from scleropath.messaging.services import address_for, channel_choices, recent_messages, set_channel
from scleropath.patients.access import get_patient_for_user
from scleropath.patients.models import Patient

from ..forms import ChannelChoiceForm
from ..shortcuts import add_service_errors, page, staff


def messages_card(user: User, patient: Patient, form: ChannelChoiceForm | None = None) -> dict[str, Any]:
    """What the card shows: each channel with its address and the patient's choice, the last ten
    messages, and the form to change a choice for those allowed to."""
    choices = channel_choices(patient)
    channels = [
        {"code": c.value, "label": c.label, "to": address_for(patient, c.value), "choice": choices[c.value]}
        for c in Channel
    ]
    return {
        "message_channels": channels,
        "patient_messages": recent_messages(patient),
        "can_change_channels": can(user, Action.EDIT_PATIENT),
        "channel_form": form or ChannelChoiceForm(),
    }


@login_required
@require_POST
def channel_change(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = staff(request)
    patient = get_patient_for_user(user, patient_id, Action.EDIT_PATIENT)
    form = ChannelChoiceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            set_channel(user, patient, data["channel"], data["allowed"], data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            what = {Channel.EMAIL: "Emails", Channel.SMS: "Text messages"}[Channel(data["channel"])]
            messages.success(request, f"{what} to {patient} {'allowed' if data['allowed'] else 'stopped'}.")
            return redirect(reverse("web:chart", args=[patient.pk]) + "#messages")
    context = {"patient": patient, **messages_card(user, patient, form)}
    return page(request, "web/channels.html", context, status=400)
