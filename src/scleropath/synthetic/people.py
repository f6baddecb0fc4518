"""The made-up people of the synthetic data, shared by the demo clinics and the generated chain:
their names, NHS numbers and phone numbers, and where their findings sit on the leg map.

Nothing here is real. NHS numbers come from the 999 range, which is kept for testing and never
issued; mobile numbers from Ofcom's drama range (07700 900000 to 900999), never allocated.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from scleropath.patients.nhs import check_digit

# Given names by sex, and family names, common in the UK.
# fmt: off
FEMALE_GIVEN = [
    "Amelia", "Olivia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Mia", "Poppy", "Ella", "Lily", "Evie",
    "Jessica", "Ruby", "Chloe", "Sienna", "Freya", "Daisy", "Harriet", "Margaret", "Susan", "Linda",
    "Janet", "Helen", "Priya", "Aisha", "Fatima", "Zara"
]
MALE_GIVEN = [
    "Oliver", "George", "Harry", "Jack", "Thomas", "James", "David", "Robert", "Mohammed", "Arjun", "Sean",
    "Callum"
]
FAMILY = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
    "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
    "Patel", "Khan", "Lewis", "James", "Phillips", "Mason", "Mitchell", "Rose", "Davis", "Rodriguez", "Cox",
    "Alexander", "Morgan", "Bell", "Murphy", "Kelly", "Hughes", "Edwards", "Turner", "Cooper"
]
# fmt: on
GIVEN = FEMALE_GIVEN + MALE_GIVEN

# Where on the map a finding in each region sits: (view, height range as a fraction of the leg).
REGION_SPOTS = {
    "thigh_lateral": ("front", (0.15, 0.38)),
    "thigh_medial": ("front", (0.15, 0.38)),
    "thigh_posterior": ("back", (0.15, 0.38)),
    "knee_medial": ("front", (0.45, 0.5)),
    "popliteal_fossa": ("back", (0.45, 0.5)),
    "calf_medial": ("front", (0.55, 0.82)),
    "calf_lateral": ("front", (0.55, 0.82)),
    "calf_posterior": ("back", (0.55, 0.82)),
    "ankle_medial": ("front", (0.88, 0.92)),
}
# A finding in a region with no spot above (the groin, the front of the knee, the foot...) is drawn
# on the inner calf.
OTHER_REGIONS_SPOT = "calf_medial"
# Where each leg's centre line is on each view (the patient's right leg is on the left of the front view).
LEG_CENTRE = {
    ("front", "right"): 0.31,
    ("front", "left"): 0.69,
    ("back", "left"): 0.31,
    ("back", "right"): 0.69,
}


def nhs_number(rng: random.Random) -> str:
    """A valid (modulus 11) NHS number in the 999 range, which is kept for testing and never issued."""
    while True:
        first_nine = "999" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        check = check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def counted_nhs_numbers() -> Iterator[str]:
    """Every valid NHS number of the 999 range in order, so none repeats however many are drawn
    (about 900,000 before the range runs out)."""
    for n in range(1_000_000):
        first_nine = f"999{n:06d}"
        check = check_digit(first_nine)
        if check is not None:
            yield first_nine + str(check)


def mobile(n: int) -> str:
    """Mobile number ``n`` (0 to 999) of Ofcom's drama range (07700 900000 to 07700 900999), in the
    E.164 form patients' numbers are stored in."""
    return f"+447700900{n:03d}"


def place(rng: random.Random, side: str, region: str) -> dict[str, Any]:
    """A point on the leg map for a finding in ``region``: the right view, leg and height."""
    if region not in REGION_SPOTS:
        region = OTHER_REGIONS_SPOT
    view, (top, bottom) = REGION_SPOTS[region]
    medial = 1 if (view == "front") == (side == "right") else -1  # which way is towards the other leg
    if "medial" in region:
        offset = 0.06 * medial
    elif "lateral" in region:
        offset = -0.06 * medial
    else:
        offset = 0.06 * rng.uniform(-1, 1)
    return {
        "view": view,
        "x": round(LEG_CENTRE[view, side] + offset, 3),
        "y": round(rng.uniform(top, bottom), 3),
    }
