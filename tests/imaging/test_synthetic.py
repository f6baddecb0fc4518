"""The synthetic photographs the clearance measure is validated on: seeded, and true to their masks."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from scleropath.imaging.synthetic import make_pair, make_scene, render


def test_the_same_seed_gives_the_same_pair() -> None:
    first, second = make_pair(7), make_pair(7)
    assert np.array_equal(first.before, second.before)
    assert np.array_equal(first.after, second.after)
    assert np.array_equal(first.before_mask, second.before_mask)
    assert first.true_clearance_percent == second.true_clearance_percent
    assert not np.array_equal(first.before, make_pair(8).before)


def test_the_vessel_mask_is_where_the_vessels_were_drawn() -> None:
    scene = make_scene(np.random.default_rng(3), width=320, height=240)
    # Same lighting and noise (same seed), with and without the vessels: they differ only at vessels.
    with_vessels = render(scene, scene.vessels, np.random.default_rng(5))
    without = render(scene, (), np.random.default_rng(5))
    darker = without.image[..., 1].astype(int) - with_vessels.image[..., 1].astype(int)
    mask = with_vessels.vessel_mask
    assert mask.sum() > 200
    assert (darker[mask] > 0).mean() > 0.95  # the masked pixels are darker in green
    far = ~ndimage.binary_dilation(mask, iterations=2)
    assert (darker[far] == 0).mean() > 0.99  # away from the mask, nothing was drawn
    assert not without.vessel_mask.any()


def test_removing_no_vessels_or_all_of_them_gives_a_true_clearance_of_0_or_100() -> None:
    assert make_pair(11, removed_fraction=0.0).true_clearance_percent == 0.0
    assert make_pair(11, removed_fraction=1.0).true_clearance_percent == 100.0
    half = make_pair(11, removed_fraction=0.5)
    assert 0 < half.true_clearance_percent < 100
    assert not half.after_mask_in_before[half.before_mask == 0].any()


def test_an_unknown_degradation_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown degradation"):
        make_pair(1, degradation="foggy")
