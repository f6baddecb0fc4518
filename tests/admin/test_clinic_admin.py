"""A manager sees and edits only their own clinic's settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client

from scleropath.accounts.models import Clinic
from tests.admin.conftest import staff
from tests.pathway import Clinics

CLINICS = "/admin/accounts/clinic/"


def settings_form(clinic: Clinic, **changes: Any) -> dict[str, Any]:
    return {
        "name": clinic.name,
        "nurses_may_inject": "on" if clinic.nurses_may_inject else "",
        "require_mfa": "on" if clinic.require_mfa else "",
        "screening_valid_days": clinic.screening_valid_days,
        "weight_check_percent": clinic.weight_check_percent,
        "phone": clinic.phone,
        "emergency_number": clinic.emergency_number,
        "clinic_protocol": clinic.clinic_protocol,
        **changes,
    }


def test_a_manager_sees_only_their_own_clinic(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    page = client.get(CLINICS).content.decode()
    assert "Riverside Vein Clinic" in page
    assert "Hillview Vein Centre" not in page
    assert client.get(f"{CLINICS}{clinics.b.pk}/change/").status_code == 302


def test_a_manager_edits_their_clinics_settings(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    response = client.post(
        f"{CLINICS}{clinics.a.pk}/change/",
        settings_form(clinics.a, nurses_may_inject="", require_mfa="on", screening_valid_days=60),
    )
    assert response.status_code == 302
    clinics.a.refresh_from_db()
    assert (clinics.a.nurses_may_inject, clinics.a.require_mfa, clinics.a.screening_valid_days) == (
        False,
        True,
        60,
    )


def test_a_manager_cannot_change_another_clinic(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    client.post(f"{CLINICS}{clinics.b.pk}/change/", settings_form(clinics.b, name="Taken over"))
    clinics.b.refresh_from_db()
    assert clinics.b.name == "Hillview Vein Centre"


def test_a_clinic_protocol_file_that_does_not_load_is_refused(
    client: Client, clinics: Clinics, tmp_path: Path
):
    (tmp_path / "wrong_version.yaml").write_text("format_version: 999\n")
    (tmp_path / "not_yaml.yaml").write_text("secret: [unclosed\n")
    client.force_login(clinics.mark)
    for path in (
        tmp_path / "wrong_version.yaml",
        tmp_path / "not_yaml.yaml",
        tmp_path / "missing.yaml",
        tmp_path,
    ):
        response = client.post(
            f"{CLINICS}{clinics.a.pk}/change/", settings_form(clinics.a, clinic_protocol=str(path))
        )
        assert response.status_code == 200, path
        page = response.content.decode()
        assert "This protocol file" in page, path
        assert "unclosed" not in page  # the refusal does not quote the file
    clinics.a.refresh_from_db()
    assert clinics.a.clinic_protocol == ""


def test_a_manager_can_neither_add_nor_delete_a_clinic(client: Client, clinics: Clinics):
    client.force_login(clinics.mark)
    assert client.get(f"{CLINICS}add/").status_code == 403
    assert client.get(f"{CLINICS}{clinics.a.pk}/delete/").status_code == 403


def test_clinical_staff_are_refused_the_clinic_settings(client: Client, clinics: Clinics):
    for user in (staff(clinics.alice), staff(clinics.nora)):
        client.force_login(user)
        assert client.get(CLINICS).status_code == 403
        assert client.get(f"{CLINICS}{clinics.a.pk}/change/").status_code == 403


def test_a_clinic_protocol_file_that_loads_is_kept(client: Client, clinics: Clinics):
    import scleropath

    example = Path(scleropath.__file__).parent / "examples" / "clinic.yaml"
    client.force_login(clinics.mark)
    response = client.post(
        f"{CLINICS}{clinics.a.pk}/change/", settings_form(clinics.a, clinic_protocol=str(example))
    )
    assert response.status_code == 302
    clinics.a.refresh_from_db()
    assert clinics.a.clinic_protocol == str(example)
