"""Forms for the clinician pages. Clinical rules stay in the services; forms only parse input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

from django import forms
from django.urls import reverse

from scleropath.assessments.models import LegView, Side, TreatmentPlan, VeinFinding
from scleropath.core.validators import DIAMETER_MM, FOAM_GAS_PARTS, VOLUME_ML, WEIGHT_KG, parse_version
from scleropath.followup.models import NOTE_MAX_CHARS, Severity
from scleropath.messaging.models import Channel
from scleropath.patients.models import Mobility, Patient
from scleropath.protocol import Engine
from scleropath.protocol.vocabulary import VesselClass
from scleropath.protocol.wording import name_of, words
from scleropath.treatment.charting import Prefill, lot_label, usable_lots
from scleropath.treatment.models import SessionStatus, StockLot, TreatmentSession


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


class ScreeningForm(forms.Form):
    allergies = forms.CharField(
        label="Allergies (comma separated)",
        required=False,
        help_text="Name a sclerosant (polidocanol, sodium tetradecyl sulfate) or anything else the patient reports.",
    )
    pregnant = forms.BooleanField(label="Pregnant", required=False)
    breastfeeding = forms.BooleanField(label="Breastfeeding", required=False)
    mobility = forms.ChoiceField(label="Mobility", choices=Mobility.choices)

    def __init__(self, engine: Engine, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (i.code, i.question) for i in engine.protocol.screening.items if i.source_field == "conditions"
        ]
        self.fields["conditions"] = forms.MultipleChoiceField(
            label="Conditions", choices=choices, required=False, widget=forms.CheckboxSelectMultiple
        )

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "conditions": list(data["conditions"]),
            "allergies": [a.strip() for a in data["allergies"].split(",") if a.strip()],
            "pregnant": data["pregnant"],
            "breastfeeding": data["breastfeeding"],
            "mobility": data["mobility"],
        }


REFLUX = [("", "Not assessed"), ("yes", "Reflux present"), ("no", "No reflux")]


DEPTHS = [
    ("", "—"),
    ("intradermal", "Intradermal"),
    ("subcutaneous", "Subcutaneous"),
    ("subfascial", "Subfascial"),
]


NAMED = [
    ("", "—"),
    ("gsv", "Great saphenous (GSV)"),
    ("ssv", "Small saphenous (SSV)"),
    ("aasv", "Anterior accessory saphenous"),
    ("pasv", "Posterior accessory saphenous"),
    ("perforator", "Perforator"),
]


class FindingForm(forms.Form):
    side = forms.ChoiceField(choices=Side.choices)
    region = forms.ChoiceField(choices=[])
    view = forms.ChoiceField(choices=LegView.choices, initial="front")
    x = forms.FloatField(min_value=0, max_value=1, initial=0.5, widget=forms.HiddenInput)
    y = forms.FloatField(min_value=0, max_value=1, initial=0.5, widget=forms.HiddenInput)
    diameter_mm = forms.DecimalField(
        label="Diameter (mm, standing)",
        min_value=DIAMETER_MM[0],
        max_value=DIAMETER_MM[1],
        decimal_places=1,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    depth = forms.ChoiceField(choices=DEPTHS, required=False)
    named_vein = forms.ChoiceField(label="Named vein", choices=NAMED, required=False)
    reflux = forms.ChoiceField(label="Reflux on duplex", choices=REFLUX, required=False)
    recurrent = forms.BooleanField(label="Recurrent after earlier treatment", required=False)
    visible = forms.BooleanField(label="Visible (not only on ultrasound)", required=False, initial=True)
    bleeding = forms.BooleanField(label="Has bled", required=False)
    clinician_class = forms.ChoiceField(label="Class (override)", choices=[], required=False)
    override_reason = forms.CharField(label="Reason for a different class", required=False)

    def __init__(self, engine: Engine, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [(r.id, r.display) for r in engine.protocol.procedures.regions]
        vessel_class = self.fields["clinician_class"]
        assert isinstance(vessel_class, forms.ChoiceField)
        vessel_class.choices = [
            ("", "As the engine classes it"),
            *((c, name_of(engine.protocol, "vessel_class", c)) for c in get_args(VesselClass)),
        ]

    def finding_data(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d["reflux"] = {"yes": True, "no": False}.get(d.get("reflux") or "")
        return d


class LegScoreForm(forms.Form):
    side = forms.ChoiceField(choices=Side.choices, widget=forms.HiddenInput)

    def __init__(self, engine: Engine, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        signs = [s for c in engine.protocol.ceap.classes for s in c.signs]
        self.fields["signs"] = forms.MultipleChoiceField(
            label="CEAP signs",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(s, words(s, capital=True)) for s in signs],
        )
        for item in engine.protocol.vcss.items:
            self.fields[f"vcss_{item.id}"] = forms.TypedChoiceField(
                label=item.display,
                coerce=int,
                initial=0,
                choices=[
                    (a.score, f"{a.score} {a.level}" + (f": {a.text}" if a.text else ""))
                    for a in item.anchors
                ],
            )

    def vcss_items(self) -> dict[str, int]:
        return {k.removeprefix("vcss_"): v for k, v in self.cleaned_data.items() if k.startswith("vcss_")}


class ConsentForm(forms.Form):
    patient_confirmed = forms.BooleanField(
        label="The patient has read this, asked their questions and consents", required=True
    )


class LabelledChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A model choice whose options read as the form's ``label_for`` says."""

    label_for: Callable[[Any], str] | None = None

    def label_from_instance(self, obj: Any) -> str:
        return self.label_for(obj) if self.label_for is not None else super().label_from_instance(obj)


class InjectionForm(forms.Form):
    finding = LabelledChoiceField(
        queryset=VeinFinding.objects.none(), required=False, label="Finding treated"
    )
    lot = LabelledChoiceField(queryset=StockLot.objects.none(), label="Lot (product, strength, expiry)")
    form = forms.ChoiceField(choices=[("liquid", "Liquid"), ("foam", "Foam")], label="Form")
    volume_ml = forms.DecimalField(
        label="Volume (mL)",
        min_value=VOLUME_ML[0],
        max_value=VOLUME_ML[1],
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
    )
    foam_gas_parts = forms.DecimalField(
        label="Foam: gas parts per liquid part (4 for 1 + 4)",
        required=False,
        min_value=FOAM_GAS_PARTS[0],
        max_value=FOAM_GAS_PARTS[1],
        decimal_places=1,
    )
    needle_gauge = forms.IntegerField(label="Needle gauge", required=False, min_value=10, max_value=40)
    override_reason = forms.CharField(
        label="Override reason (only to pass a limit)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    off_plan_reason = forms.CharField(
        label="Off-plan reason (only for a product, form or strength the plan does not offer here)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    view = forms.CharField(required=False, widget=forms.HiddenInput)
    x = forms.FloatField(required=False, min_value=0, max_value=1, widget=forms.HiddenInput)
    y = forms.FloatField(required=False, min_value=0, max_value=1, widget=forms.HiddenInput)

    def __init__(
        self,
        session: TreatmentSession,
        *args: Any,
        engine: Engine | None = None,
        prefill: Prefill | None = None,
        **kwargs: Any,
    ) -> None:
        """``prefill`` fills the form (from the plan or the last injection) and puts the lots that
        fit it first; ``engine`` names the products in the lot list."""
        if prefill is not None and "initial" not in kwargs:
            kwargs["initial"] = prefill.initial
        super().__init__(*args, **kwargs)
        finding = self.fields["finding"]
        assert isinstance(finding, LabelledChoiceField)
        finding.queryset = VeinFinding.objects.active().filter(assessment_id=session.plan.assessment_id)
        finding.label_for = lambda f: f"{f.label} · {f.side} {words(f.region)} · {words(f.vessel_class)}"
        # Choosing a finding asks for the form filled from the plan (the page's fragment, with htmx);
        # ``consume`` keeps the change from also posting the whole form for the tally.
        finding.widget.attrs.update(
            {
                "hx-get": reverse("web:session", args=[session.pk]),
                "hx-trigger": "change consume",
                "hx-target": "#finding-form",
                "hx-swap": "innerHTML",
                "hx-include": "#id_view, #id_x, #id_y",
            }
        )
        # Expired and voided lots, and other clinics', are not offered at all; the service refuses
        # them too.
        lot = self.fields["lot"]
        assert isinstance(lot, LabelledChoiceField)
        lot.queryset = usable_lots(session)
        if engine is not None:
            lot.label_for = lambda x: lot_label(engine, x)
        first = prefill.lots if prefill is not None else None
        if first is not None and engine is not None:
            # The lots that fit the plan (or the last injection) first; the rest stay choosable, as
            # off-plan here.
            ids = {x.pk for x in first}
            rest = [x for x in lot.queryset if x.pk not in ids]
            groups: list[Any] = [("", "Choose a lot")]
            fits = "Same product and strength" if prefill and prefill.source == "again" else "Fits the plan"
            if first:
                groups.append((fits, [(x.pk, lot_label(engine, x)) for x in first]))
            if rest:
                groups.append(
                    (
                        "Other lots (off-plan unless the plan offers them here)",
                        [(x.pk, lot_label(engine, x)) for x in rest],
                    )
                )
            lot.choices = groups
        for name, hint in (prefill.hints if prefill is not None else {}).items():
            self.fields[name].help_text = hint


class VisitForm(forms.Form):
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class EventForm(forms.Form):
    symptom = forms.ChoiceField(label="What the patient reports")
    onset_on = forms.DateField(
        label="Started on", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    # Both start blank, so that no side effect is logged (or triaged) until someone chooses one.
    severity = forms.ChoiceField(choices=[("", "Choose how severe"), *Severity.choices])
    session = forms.ModelChoiceField(
        queryset=TreatmentSession.objects.none(), required=False, label="After session (latest if blank)"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, engine: Any, patient: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        symptom = self.fields["symptom"]
        assert isinstance(symptom, forms.ChoiceField)
        symptom.choices = [
            ("", "Choose what the patient reports"),
            *((s.code, f"{s.display}: {s.patient_wording}") for s in engine.protocol.complications.symptoms),
        ]
        self.fields["session"].queryset = TreatmentSession.objects.active().filter(  # type: ignore[attr-defined]
            patient=patient, status=SessionStatus.COMPLETED
        )


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(
        label="Resolved on", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OutcomeForm(forms.Form):
    finding = forms.ModelChoiceField(
        queryset=VeinFinding.objects.none(), required=False, label="Treated finding"
    )
    area = forms.CharField(label="Treated area", max_length=100)
    clearance_percent = forms.IntegerField(label="Clearance (%)", min_value=0, max_value=100)
    satisfaction = forms.TypedChoiceField(
        label="Patient satisfaction",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Not asked"), (1, "1 (poor)"), (2, "2"), (3, "3"), (4, "4"), (5, "5 (excellent)")],
    )
    recurrence = forms.BooleanField(label="Recurrence or new veins", required=False)
    retreatment_needed = forms.BooleanField(label="Retreatment needed", required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, plan: TreatmentPlan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = VeinFinding.objects.active().filter(  # type: ignore[attr-defined]
            assessment_id=plan.assessment_id
        )


LONGEST_PERIOD_DAYS = 366 * 5


class PeriodForm(forms.Form):
    start = forms.DateField(label="From")
    end = forms.DateField(label="To (included)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError("The period must start before it ends.")
            if (end - start).days > LONGEST_PERIOD_DAYS:
                raise forms.ValidationError("Choose a period of five years or less.")
        return data


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=100, help_text="What the token is for, so you can tell your tokens apart."
    )
    expires_on = forms.DateField(
        label="Expires on (optional)",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class VisitMapForm(forms.Form):
    """The chart's leg map across visits: which visit and what kind of mark (GET, so it works without JS)."""

    KINDS = [
        ("all", "Findings and injections"),
        ("findings", "Findings only"),
        ("injections", "Injections only"),
    ]

    visit = forms.ChoiceField(label="Visit", required=False)
    show = forms.ChoiceField(label="Show", required=False, choices=KINDS)

    def __init__(self, visits: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visit = self.fields["visit"]
        assert isinstance(visit, forms.ChoiceField)
        visit.choices = [("", "Every visit"), *visits]


# --- clinical notes ---------------------------------------------------------------------------


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note",
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write the note before saving it.",
            "max_length": f"A note can be at most {NOTE_MAX_CHARS} characters (this one has %(show_value)d).",
        },
    )


class VoidNoteForm(forms.Form):
    reason = forms.CharField(
        label="Reason for voiding",
        max_length=1000,
        widget=forms.TextInput(),
        error_messages={"required": "Give a reason for voiding the note."},
    )
    version = forms.CharField(widget=forms.HiddenInput(), required=False)

    def clean_version(self) -> int:
        try:
            return parse_version(self.cleaned_data.get("version"))
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


# --- the diary ----------------------------------------------------------------------------------


class PractitionerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


# The years the diary books in: a bound on input, so a mistyped year is an error and not an overflow.
DIARY_YEARS = (2000, 2100)


def _diary_day(value: Any) -> Any:
    if value is not None and not DIARY_YEARS[0] <= value.year <= DIARY_YEARS[1]:
        raise forms.ValidationError(f"Choose a day between {DIARY_YEARS[0]} and {DIARY_YEARS[1]}.")
    return value


def _limit(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class AppointmentForm(forms.Form):
    """Book a patient: found by name in the same form (its Find button sends it back with the matches)."""

    q = forms.CharField(label="Find the patient by name", required=False, max_length=100)
    patient = forms.ModelChoiceField(
        label="Patient",
        queryset=Patient.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Find the patient and choose them.",
            "invalid_choice": "Choose a patient from the list.",
        },
    )
    kind = forms.ChoiceField(label="Kind")
    practitioner = PractitionerField(label="With", queryset=Patient.objects.none())
    room = forms.ModelChoiceField(
        label="Room", queryset=Patient.objects.none(), required=False, empty_label="No room"
    )
    day = forms.DateField(
        label="Day",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        validators=[_diary_day],
    )
    starts = forms.TimeField(
        label="Starts at", widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    minutes = forms.IntegerField(
        label="Length (minutes)",
        min_value=5,
        max_value=600,
        required=False,
        help_text="Empty: the clinic's usual length for the kind.",
    )
    reason = forms.CharField(label="What for", max_length=300, required=False)

    def __init__(self, patients: Any, staff: Any, rooms: Any, kinds: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "patient", patients)
        _limit(self, "practitioner", staff)
        _limit(self, "room", rooms)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = kinds


class MoveForm(forms.Form):
    practitioner = PractitionerField(label="With", queryset=Patient.objects.none())
    room = forms.ModelChoiceField(
        label="Room", queryset=Patient.objects.none(), required=False, empty_label="No room"
    )
    day = forms.DateField(
        label="Day",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        validators=[_diary_day],
    )
    starts = forms.TimeField(
        label="Starts at", widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    minutes = forms.IntegerField(label="Length (minutes)", min_value=5, max_value=600)
    version = forms.CharField(widget=forms.HiddenInput(), required=False)

    def __init__(self, staff: Any, rooms: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "practitioner", staff)
        _limit(self, "room", rooms)

    def clean_version(self) -> int:
        try:
            return parse_version(self.cleaned_data.get("version"))
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(
        label="Why is it cancelled?",
        max_length=300,
        error_messages={"required": "Say why the appointment is cancelled."},
    )
    version = forms.CharField(widget=forms.HiddenInput(), required=False)

    def clean_version(self) -> int:
        try:
            return parse_version(self.cleaned_data.get("version"))
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class ChannelChoiceForm(forms.Form):
    """Allow or stop a patient's email or text messages, with the reason."""

    channel = forms.ChoiceField(label="Channel", choices=Channel.choices)
    allowed = forms.TypedChoiceField(
        label="Messages on it",
        choices=[("yes", "Allow"), ("no", "Stop")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        help_text="For example: asked on the phone, the texts reach another person.",
    )


class PhotoConsentForm(forms.Form):
    tier = forms.ChoiceField(
        label="The photographs may be used for",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the photographs may be used for."},
    )
    patient_confirmed = forms.BooleanField(
        label="The patient has read the text and agrees",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from scleropath.photos.models import PhotoConsentTier

        super().__init__(*args, **kwargs)
        tier = self.fields["tier"]
        assert isinstance(tier, forms.ChoiceField)
        tier.choices = PhotoConsentTier.choices


class PhotoForm(forms.Form):
    """A photo from the camera or a file, with its standard view and leg."""

    photo = forms.FileField(
        label="Photo",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        error_messages={"required": "Take or choose a photo.", "empty": "The file is empty."},
        help_text="JPEG, PNG or HEIC. On a phone or tablet this opens the camera.",
    )
    view = forms.ChoiceField(label="View", error_messages={"required": "Choose the view."})
    side = forms.ChoiceField(
        label="Leg",
        choices=Side.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the leg."},
    )

    def __init__(self, *args: Any, engine: Engine, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        view = self.fields["view"]
        assert isinstance(view, forms.ChoiceField)
        view.choices = [("", "—"), *((v.code, v.display) for v in engine.protocol.photography.views)]
