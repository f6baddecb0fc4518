"""Patients' phone numbers in E.164, the form they are now stored in.

Each number that parses as a valid number (read as one of the PHONE_REGION setting's country when it
has no country code) is rewritten; one that does not is left exactly as it was, for staff to correct.
The reverse is a no-op: E.164 is a valid way to write every number.
"""

from django.core.exceptions import ValidationError
from django.db import migrations, models

from scleropath.core.validators import normalise_phone


def to_e164(apps, schema_editor):
    Patient = apps.get_model("patients", "Patient")
    for patient in Patient.objects.exclude(phone="").only("pk", "phone").iterator():
        try:
            e164 = normalise_phone(patient.phone)
        except ValidationError:
            continue
        if e164 != patient.phone:
            Patient.objects.filter(pk=patient.pk).update(phone=e164)


class Migration(migrations.Migration):

    dependencies = [
        ("patients", "0002_plausible_date_of_birth"),
    ]

    operations = [
        migrations.AlterField(
            model_name="patient",
            name="phone",
            field=models.CharField(
                blank=True, help_text="Optional; with its area code, or +country code for abroad.", max_length=30
            ),
        ),
        migrations.RunPython(to_e164, migrations.RunPython.noop),
    ]
