"""The public booking page's forms, one per step. Nothing here decides anything clinical: the
questionnaire only collects yes and no, and the engine grades the answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from scleropath.core.validators import normalise_phone, validate_date_of_birth
from scleropath.patients.nhs import normalise_nhs_number, validate_nhs_number

from .models import Concern
from .questions import QUESTIONS

YES_NO = [("yes", "Yes"), ("no", "No")]


class ConcernForm(forms.Form):
    concern = forms.ChoiceField(
        label="What would you like to see us about?", widget=forms.RadioSelect, choices=Concern.choices
    )


class TimeForm(forms.Form):
    """One of the times offered, sent back as its ISO text; anything else is refused."""

    starts_at = forms.ChoiceField(label="Choose a time", widget=forms.RadioSelect)

    def __init__(self, times: list[datetime], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["starts_at"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t.isoformat(), f"{timezone.localtime(t):%H:%M}") for t in times]
        field.error_messages["invalid_choice"] = "Sorry, that time is no longer free. Please choose another."


class QuestionsForm(forms.Form):
    """A yes or no for every question of the questionnaire."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in QUESTIONS:
            self.fields[q.name] = forms.ChoiceField(
                label=q.text,
                help_text=q.hint,
                widget=forms.RadioSelect,
                choices=YES_NO,
                error_messages={"required": "Please answer yes or no."},
            )

    def yes(self) -> set[str]:
        return {name for name, answer in self.cleaned_data.items() if answer == "yes"}


class DetailsForm(forms.Form):
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = forms.DateField(
        label="Date of birth",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_of_birth],
        error_messages={"invalid": "Please enter a date, for example 1980-03-31."},
    )
    email = forms.EmailField(label="Email address", help_text="We send a link to confirm your booking.")
    phone = forms.CharField(label="Phone number", max_length=30)
    nhs_number = forms.CharField(
        label="NHS number (optional)", required=False, max_length=14, help_text="If you know it."
    )
    # A field people do not see: anything typed into it was typed by a program.
    website = forms.CharField(label="Leave this empty", required=False)

    def clean_phone(self) -> str:
        return normalise_phone(str(self.cleaned_data["phone"]))

    def clean_nhs_number(self) -> str:
        value = normalise_nhs_number(str(self.cleaned_data.get("nhs_number") or ""))
        if value:
            validate_nhs_number(value)
        return value

    def is_trap(self) -> bool:
        return bool(self.data.get("website"))

    def person(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "website"}
