"""Forms for the patient's pages (the check-in and the satisfaction question)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

PHOTO_TYPES = {b"\xff\xd8\xff": "jpeg", b"\x89PNG": "png"}


class CheckInForm(forms.Form):
    comment = forms.CharField(
        label="Anything else you want to tell us",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    photo = forms.FileField(label="A photo, if it helps (optional)", required=False)

    def __init__(self, symptoms: list[Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["symptoms"] = forms.MultipleChoiceField(
            label="Since your treatment, have you had any of these?",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(s.code, s.patient_wording) for s in symptoms],
        )
        self.order_fields(["symptoms", "comment", "photo"])

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo:
            head = photo.read(4)
            photo.seek(0)
            if not any(head.startswith(magic) for magic in PHOTO_TYPES):
                raise ValidationError("Please choose a JPEG or PNG photo.")
            if photo.size > settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
                raise ValidationError("The photo is too large; please choose one under 5 MB.")
        return photo


class SatisfactionForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label="How satisfied are you with the result?",
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, "Very satisfied"),
            (4, "Satisfied"),
            (3, "Neither"),
            (2, "Dissatisfied"),
            (1, "Very dissatisfied"),
        ],
    )
    recurrence = forms.TypedChoiceField(
        label="Have treated veins come back, or new ones appeared?",
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("no", "No"), ("yes", "Yes")],
    )
    comment = forms.CharField(
        label="Anything else?", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
