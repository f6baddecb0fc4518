"""Forms for the clinician pages. Clinical rules stay in the services; forms only parse input."""

from __future__ import annotations

from django import forms

from scleropath.core.validators import WEIGHT_KG
from scleropath.patients.models import Patient


class PatientForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Patient
        fields = [
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "nhs_number",
            "email",
            "phone",
            "address",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"nhs_number": "NHS number (optional)"}


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, date of birth (dd/mm/yyyy) or NHS number", required=False, max_length=100
    )


class WeightForm(forms.Form):
    weight_kg = forms.DecimalField(
        label="Weight (kg)", min_value=WEIGHT_KG[0], max_value=WEIGHT_KG[1], decimal_places=1
    )
    confirmed = forms.BooleanField(label="I have checked this weight", required=False)
