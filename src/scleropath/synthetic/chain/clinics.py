"""The chain's clinics, their staff and their stock: the clinics and staff through the ORM, a lot of
each product strength a year through the bulk loader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from scleropath.accounts.models import Clinic, Role, User

from .state import Chain

SLUG_PREFIX = "chain-"
NAME_SUFFIX = " (generated)"


def is_generated(clinic: Clinic) -> bool:
    """Whether the generator made ``clinic`` (by its slug and name)."""
    return clinic.slug.startswith(SLUG_PREFIX) and clinic.name.endswith(NAME_SUFFIX)


def real_clinics() -> list[Clinic]:
    """Clinics in the database that this generator did not make."""
    return [c for c in Clinic.objects.order_by("id") if not is_generated(c)]


@dataclass
class Staff:
    """A generated clinic's staff by user id, and the product it mostly uses."""

    clinic_id: int
    practitioners: list[int]
    clinicians: list[int]
    reception: int
    manager: int
    house_product: str


def make_clinics(chain: Chain) -> list[Staff]:
    """The chain's clinics, each with its practitioners (half clinicians, rounded up, the rest
    nurses who inject), a receptionist and a manager."""
    made: list[Staff] = []
    for n in range(1, chain.size.clinics + 1):
        clinic = Clinic.objects.create(
            name=f"Chain clinic {n:02d}{NAME_SUFFIX}",
            slug=f"{SLUG_PREFIX}{n:02d}",
            screening_valid_days=90,
            nurses_may_inject=True,
            phone=f"020 7946 0{n:03d}",
        )
        users: list[User] = []
        clinicians = (chain.size.practitioners + 1) // 2
        for i in range(chain.size.practitioners):
            role = Role.CLINICIAN if i < clinicians else Role.NURSE
            users.append(staff_user(clinic, f"{role.value}{i + 1}", role))
        users.append(staff_user(clinic, "reception1", Role.RECEPTION))
        users.append(staff_user(clinic, "manager1", Role.MANAGER))
        User.objects.bulk_create(users)
        ids = {u.username: u.id for u in User.objects.filter(clinic=clinic)}
        pract = [ids[u.username] for u in users[: chain.size.practitioners]]
        made.append(
            Staff(
                clinic_id=clinic.id,
                practitioners=pract,
                clinicians=pract[:clinicians],
                reception=ids[users[-2].username],
                manager=ids[users[-1].username],
                house_product=chain.product_ids[(n - 1) % len(chain.product_ids)],
            )
        )
    return made


def staff_user(clinic: Clinic, name: str, role: Role) -> User:
    return User(
        username=f"{clinic.slug}-{name}",
        password="!",  # unusable: generated staff never sign in with a password
        email=f"{name}@{clinic.slug}.example.com",
        clinic=clinic,
        role=role,
        first_name=name.rstrip("0123456789").capitalize(),
        last_name=f"Chain {clinic.slug[-2:]}",
        is_staff=role == Role.MANAGER,
    )


def lot(chain: Chain, clinic_id: int, product: str, conc: float, year: int) -> int:
    """The clinic's lot of a product strength for a year, received on 1 January and in date
    until the end of the next year, so every injection of that year uses an in-date lot."""
    key = (clinic_id, product, conc, year)
    lot_id = chain.lots.get(key)
    if lot_id is None:
        lot_id = chain.lots[key] = chain.ids["lot"]
        chain.ids["lot"] += 1
        agent = chain.catalogue.products[product].agent
        chain.t_lot.add(
            (
                lot_id,
                clinic_id,
                datetime(year, 1, 1),
                product,
                agent,
                conc,
                f"{product[:2].upper()}{year}-{conc:g}".replace(".", ""),
                date(year + 1, 12, 31),
                100,
                date(year, 1, 1),
            )
        )
    return lot_id
