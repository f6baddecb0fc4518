"""Personas the admin tests add to the shared ones: a platform administrator, a member of staff with
no clinic, and a lot of the other clinic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scleropath.accounts.models import Role, User
from scleropath.treatment.models import StockLot
from tests.pathway import PASSWORD, Clinics


@pytest.fixture
def platform_admin(db) -> User:
    return User.objects.create_superuser("root", password=PASSWORD, role=Role.ADMIN)


@pytest.fixture
def clinicless(db) -> User:
    """A manager-role account with admin access but no clinic: it must see nothing."""
    return User.objects.create_user("drifter", password=PASSWORD, role=Role.MANAGER, is_staff=True)


@pytest.fixture
def other_lot(clinics: Clinics) -> StockLot:
    return StockLot.objects.create(
        clinic=clinics.b,
        product="fibrovein",
        agent="sodium_tetradecyl_sulfate",
        concentration_percent=1,
        lot_number="HV-1",
        expiry_date=date.today() + timedelta(days=100),
        quantity=1,
    )


def staff(user: User) -> User:
    """``user`` with access to the admin site (managers have it already)."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user
