"""Clinical photographs: the chart's Photos card, photo consent, the upload page, and the one way a
photo's bytes leave the server (the clinic and role checked, the read audited, never cached)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action, can
from scleropath.core.engine import engine_for
from scleropath.core.middleware import PRIVATE_NO_STORE
from scleropath.core.models import RecordError
from scleropath.patients.access import get_patient_for_user
from scleropath.patients.models import Patient
from scleropath.photos.consent import photo_consent_text
from scleropath.photos.models import Photo, PhotoConsentTier
from scleropath.photos.services import add_photo, current_photo_consent, record_photo_consent

from ..forms import PhotoConsentForm, PhotoForm
from ..shortcuts import add_service_errors, page, staff


def photos_card(user: Any, patient: Patient, consent_form: PhotoConsentForm | None = None) -> dict[str, Any]:
    """The chart's Photos card: the live photos by view, newest first, and the photo consent."""
    if not can(user, Action.VIEW_PHOTO):
        return {}
    by_view: dict[str, list[Photo]] = defaultdict(list)
    for photo in Photo.objects.filter(patient=patient).active().order_by("-taken_at", "-pk"):
        by_view[photo.view_name].append(photo)
    return {
        "photos_by_view": dict(by_view),
        "photo_consent": current_photo_consent(patient),
        "photo_consent_form": consent_form or PhotoConsentForm(),
        "may_take_photos": can(user, Action.TAKE_PHOTO),
    }


def _send(request: HttpRequest, photo_id: int, thumbnail: bool) -> FileResponse:
    photo = get_for_user(staff(request), Photo, photo_id, Action.VIEW_PHOTO)
    stored: FieldFile = photo.thumbnail if thumbnail else photo.file
    try:
        handle = stored.storage.open(stored.name or "", "rb")
    except FileNotFoundError:
        raise Http404("The photo's file is missing.") from None
    response = FileResponse(handle, content_type="image/jpeg" if thumbnail else photo.content_type)
    response["Cache-Control"] = PRIVATE_NO_STORE
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@login_required
def photo_file(request: HttpRequest, photo_id: int) -> FileResponse:
    return _send(request, photo_id, thumbnail=False)


@login_required
def photo_thumbnail(request: HttpRequest, photo_id: int) -> FileResponse:
    return _send(request, photo_id, thumbnail=True)


@login_required
def photo_consent(request: HttpRequest, patient_id: int) -> HttpResponse:
    """GET: the consent texts; POST: record the patient's photo consent."""
    user = staff(request)
    patient = get_patient_for_user(user, patient_id, Action.TAKE_PHOTO)
    form = PhotoConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_photo_consent(
                user,
                patient,
                form.cleaned_data["tier"],
                patient_confirmed=form.cleaned_data["patient_confirmed"],
            )
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Photo consent recorded.")
            return redirect("web:chart", patient.pk)
    context = {
        "patient": patient,
        "form": form,
        "texts": [(label, photo_consent_text(tier)) for tier, label in PhotoConsentTier.choices],
        "existing": current_photo_consent(patient),
    }
    return page(request, "web/photo_consent.html", context, status=400 if form.errors else 200)


@login_required
def photo_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Take or upload a photo in a standard view; a refusal keeps the view and leg chosen."""
    user = staff(request)
    patient = get_patient_for_user(user, patient_id, Action.TAKE_PHOTO)
    form = PhotoForm(request.POST or None, request.FILES or None, engine=engine_for(patient.clinic))
    if request.method == "POST" and form.is_valid():
        try:
            add_photo(
                user,
                patient,
                form.cleaned_data["photo"],
                form.cleaned_data["view"],
                form.cleaned_data["side"],
            )
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Photo saved.")
            if "another" in request.POST:
                return redirect("web:photo_new", patient.pk)
            return redirect("web:chart", patient.pk)
    context = {"patient": patient, "form": form, "photo_consent": current_photo_consent(patient)}
    return page(request, "web/photo_new.html", context, status=400 if form.errors else 200)
