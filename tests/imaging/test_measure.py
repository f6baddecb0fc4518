"""Measured clearance on synthetic pairs whose true clearance is known."""

from __future__ import annotations

import numpy as np
import pytest

from scleropath.imaging import measure_clearance
from scleropath.imaging.synthetic import make_pair

# On clean synthetic pairs the benchmark's 95% limits of agreement are about −29 to +18 points
# (docs/photos.md); each clean case here must come within 20 points of the truth.
TOLERANCE = 20.0


@pytest.mark.parametrize(("seed", "removed"), [(21, 0.0), (22, 0.5), (23, 1.0)])
def test_clearance_on_a_clean_pair_is_close_to_the_truth(seed: int, removed: float) -> None:
    pair = make_pair(seed, removed_fraction=removed)
    result = measure_clearance(pair.before, pair.after, pair.area)
    assert result.quality == "ok", result.note
    assert result.clearance_percent is not None
    assert abs(result.clearance_percent - pair.true_clearance_percent) <= TOLERANCE
    assert result.inliers >= 10
    assert result.before_vessel_fraction is not None
    assert result.before_vessel_fraction > 0


def test_a_dark_after_photo_is_flagged_too_dark_with_no_number() -> None:
    pair = make_pair(31, degradation="dark")
    result = measure_clearance(pair.before, pair.after, pair.area)
    assert (result.quality, result.clearance_percent) == ("too_dark", None)
    assert "too dark" in result.note


def test_a_blurred_after_photo_is_flagged_blurred_with_no_number() -> None:
    pair = make_pair(32, degradation="blurred")
    result = measure_clearance(pair.before, pair.after, pair.area)
    assert (result.quality, result.clearance_percent) == ("blurred", None)


def test_an_after_photo_of_noise_cannot_be_registered() -> None:
    pair = make_pair(33)
    noise = np.random.default_rng(0).integers(60, 200, size=pair.after.shape, dtype=np.uint8)
    result = measure_clearance(pair.before, noise, pair.area)
    assert (result.quality, result.clearance_percent) == ("registration_failed", None)


def test_an_after_photo_of_another_leg_cannot_be_registered() -> None:
    pair, other = make_pair(34), make_pair(35)
    result = measure_clearance(pair.before, other.after, pair.area)
    assert (result.quality, result.clearance_percent) == ("registration_failed", None)


def test_an_area_without_vessels_before_gives_no_number() -> None:
    cleared = make_pair(36, removed_fraction=1.0).after  # skin and its landmarks, no vessels
    result = measure_clearance(cleared, cleared, make_pair(36).area)
    assert (result.quality, result.clearance_percent) == ("no_vessels_before", None)
    assert "No visible vessels" in result.note


@pytest.mark.parametrize(
    "area",
    [
        [(10.0, 10.0), (900.0, 10.0), (900.0, 200.0)],
        [(-5.0, 10.0), (100.0, 10.0), (100.0, 100.0)],
        [(10.0, 10.0), (100.0, 100.0)],
    ],
)
def test_an_area_outside_the_photo_or_not_a_polygon_is_a_clear_error(area: list[tuple[float, float]]) -> None:
    pair = make_pair(37)
    with pytest.raises(ValueError, match="marked area"):
        measure_clearance(pair.before, pair.after, area)


def test_a_grey_image_is_refused() -> None:
    pair = make_pair(38)
    with pytest.raises(ValueError, match="RGB"):
        measure_clearance(pair.before[..., 0], pair.after, pair.area)


def test_negative_clearance_is_reported_when_more_vessels_are_visible_after() -> None:
    pair = make_pair(39, removed_fraction=0.6)
    # Swapped: the photo with fewer vessels comes first.
    result = measure_clearance(pair.after, pair.before, list(pair.area))
    assert result.quality == "ok", result.note
    assert result.clearance_percent is not None
    assert result.clearance_percent < 0
    assert "More vessels" in result.note
