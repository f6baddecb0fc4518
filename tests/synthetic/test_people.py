"""The made-up people shared by the demo and the chain: valid, never-issued NHS numbers, and findings
placed on the right leg of the map."""

from __future__ import annotations

import random
from itertools import islice

from scleropath.patients.nhs import nhs_number_is_valid
from scleropath.synthetic.people import LEG_CENTRE, REGION_SPOTS, counted_nhs_numbers, nhs_number, place


def test_nhs_numbers_are_valid_and_from_the_range_never_issued() -> None:
    rng = random.Random(1)
    drawn = [nhs_number(rng) for _ in range(50)]
    counted = list(islice(counted_nhs_numbers(), 500))
    for number in drawn + counted:
        assert nhs_number_is_valid(number)
        assert number.startswith("999")
    assert len(set(counted)) == len(counted)


def test_a_finding_is_placed_on_its_own_leg_within_its_regions_height() -> None:
    rng = random.Random(2)
    for region, (view, (top, bottom)) in REGION_SPOTS.items():
        for side in ("left", "right"):
            spot = place(rng, side, region)
            assert spot["view"] == view
            assert abs(spot["x"] - LEG_CENTRE[view, side]) <= 0.06 + 1e-9
            assert top <= spot["y"] <= bottom


def test_a_region_with_no_spot_of_its_own_is_drawn_on_the_inner_calf() -> None:
    foot = place(random.Random(3), "right", "foot")
    calf = place(random.Random(3), "right", "calf_medial")
    assert foot == calf
