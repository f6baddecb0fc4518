"""Measured clearance: the change in visible vessel area inside a treated area, from two photographs.

The after photograph is registered onto the before photograph (ORB features matched, a similarity
transform fitted with RANSAC), the lighting is flattened, vessels are enhanced with a Frangi
vesselness filter on the green channel (where both red and blue vessels are darker than skin) and
thresholded with one threshold for both photographs, and the vessel areas inside the area are
compared. When the photographs do not allow a number, the answer is a quality flag instead.

The result is an estimate that supports the clinician's own score; it does not replace it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage
from skimage.draw import polygon2mask
from skimage.feature import ORB, match_descriptors
from skimage.filters import frangi
from skimage.measure import ransac
from skimage.transform import SimilarityTransform, rescale

Floats = NDArray[np.float64]

# Image-quality settings, not clinical numbers. They were chosen on the synthetic photographs of
# synthetic.py (see docs/photos.md): each sits between what clean and degraded photographs give.
WORKING_SIZE = 640  # long side, in pixels, the photographs are reduced to before measuring
REGISTRATION_SIZE = 400  # long side for feature matching, which costs most of the time
TOO_DARK_LUMINANCE = 0.10  # mean luminance (0–1); properly exposed skin, even very dark skin, is above 0.15
BLURRED_SHARPNESS = 5.0e-5  # variance of the Laplacian of smoothed relative luminance, at the working size
MIN_INLIERS = 10  # matched features that agree on the transform (chance agreement of 10 is negligible)
MAX_ROTATION_DEG = 20.0  # a re-taken standard view is not turned further than this
MAX_SCALE_CHANGE = 0.25  # nor brought closer or further by more than this share
MIN_AREA_COVERED = 0.95  # share of the marked area the registered after photograph must cover
MIN_VESSEL_FRACTION = (
    0.01  # below this share of the area, there is nothing to clear: plain synthetic skin gives up to 0.7%
)
# Frangi settings on the lighting-flattened green channel: sigmas (working pixels) span vessels from
# about 2 to 16 pixels wide; a fixed gamma (rather than Frangi's default, half the image's strongest
# structure) keeps the response comparable between the two photographs. Gamma and the threshold
# below were chosen on synthetic pairs so that the segmented area roughly matched the true one.
FRANGI_SIGMAS = (1.0, 1.5, 2.0, 3.0, 4.5)
FRANGI_GAMMA = 0.02
VESSEL_RESPONSE = 0.7  # one fixed threshold for both photographs, so an area with no vessels stays empty
LIGHTING_SIGMA = 20.0  # working pixels: much wider than any vessel


@dataclass(frozen=True)
class Measurement:
    """The measured clearance of an area, or the reason there is none.

    ``clearance_percent`` is 100 × (1 − after vessel area / before vessel area). It is not clipped
    below zero: a negative value means more visible vessels after than before (new vessels or
    matting), which the clinician should see rather than a comforting 0.
    """

    clearance_percent: float | None
    quality: str  # "ok", "too_dark", "blurred", "registration_failed", "no_vessels_before"
    before_vessel_fraction: float | None
    after_vessel_fraction: float | None
    inliers: int
    note: str


def polygon_mask(area: Sequence[tuple[float, float]], height: int, width: int) -> NDArray[np.bool_]:
    """The pixels inside ``area``, a polygon of (x, y) points."""
    points = np.array([(y, x) for x, y in area], dtype=np.float64)
    return np.asarray(polygon2mask((height, width), points), dtype=np.bool_)


def measure_clearance(
    before: NDArray[np.uint8], after: NDArray[np.uint8], area: Sequence[tuple[float, float]]
) -> Measurement:
    """Measure the clearance of ``area`` (a polygon in ``before``'s pixels) between two RGB photos.

    Raises ValueError for input that is not two RGB images and a polygon inside the before photo.
    """
    _check_input(before, after, area)
    factor = min(1.0, WORKING_SIZE / max(before.shape[:2]))
    before_rgb = _working(before, factor)
    after_rgb = _working(after, min(1.0, WORKING_SIZE / max(after.shape[:2])))
    for label, rgb in (("before", before_rgb), ("after", after_rgb)):
        problem = _quality_problem(rgb)
        if problem == "too_dark":
            return _flag("too_dark", f"The {label} photograph is too dark to measure.")
        if problem == "blurred":
            return _flag("blurred", f"The {label} photograph is blurred; retake it in focus.")
    mask = polygon_mask([(x * factor, y * factor) for x, y in area], *before_rgb.shape[:2])
    if mask.sum() < 50:
        raise ValueError("The marked area is too small to measure.")
    transform, inliers = _register(before_rgb, after_rgb)
    if transform is None:
        return _flag(
            "registration_failed",
            "The after photograph could not be lined up with the before photograph "
            f"({inliers} matching features); retake the same view.",
            inliers,
        )
    # The area is measured in each photograph's own pixels: the polygon is carried over to the
    # after photograph, rather than the after photograph resampled, which would blur thin vessels.
    after_points = transform(np.array([(x * factor, y * factor) for x, y in area]))
    height, width = after_rgb.shape[:2]
    after_mask = polygon_mask([(float(x), float(y)) for x, y in after_points], height, width)
    inside = (after_points[:, 0] >= 0) & (after_points[:, 0] <= width)
    inside &= (after_points[:, 1] >= 0) & (after_points[:, 1] <= height)
    if not inside.all() or after_mask.sum() < MIN_AREA_COVERED * mask.sum() * float(transform.scale) ** 2:
        return _flag(
            "registration_failed", "The after photograph does not show the whole marked area.", inliers
        )
    before_response = _vesselness(before_rgb, mask)
    after_response = _vesselness(after_rgb, after_mask)
    before_fraction = float((before_response[mask] > VESSEL_RESPONSE).mean())
    after_fraction = float((after_response[after_mask] > VESSEL_RESPONSE).mean())
    if before_fraction < MIN_VESSEL_FRACTION:
        return Measurement(
            None,
            "no_vessels_before",
            before_fraction,
            after_fraction,
            inliers,
            "No visible vessels were found in the marked area of the before photograph.",
        )
    clearance = 100.0 * (1.0 - after_fraction / before_fraction)
    note = (
        f"Vessels covered {before_fraction:.1%} of the area before and {after_fraction:.1%} after: "
        f"an estimated clearance of {clearance:.0f}%."
    )
    if clearance < 0:
        note += " More vessels are visible after than before."
    return Measurement(round(clearance, 1), "ok", before_fraction, after_fraction, inliers, note)


def _check_input(
    before: NDArray[np.uint8], after: NDArray[np.uint8], area: Sequence[tuple[float, float]]
) -> None:
    for label, image in (("before", before), ("after", after)):
        if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
            raise ValueError(f"The {label} photograph must be an RGB image of 8-bit values.")
        if min(image.shape[:2]) < 64:
            raise ValueError(f"The {label} photograph is too small to measure.")
    if len(area) < 3:
        raise ValueError("The marked area needs at least three points.")
    height, width = before.shape[:2]
    for x, y in area:
        if not (math.isfinite(x) and math.isfinite(y)) or not (0 <= x <= width and 0 <= y <= height):
            raise ValueError(
                f"The marked area reaches outside the before photograph ({width}×{height}): point ({x}, {y})."
            )


def _working(image: NDArray[np.uint8], factor: float) -> Floats:
    rgb = image.astype(np.float64) / 255.0
    if factor < 1.0:
        rgb = rescale(rgb, factor, channel_axis=2, anti_aliasing=True, order=1)
    return rgb


def _luminance(rgb: Floats) -> Floats:
    return rgb[..., 0] * 0.2126 + rgb[..., 1] * 0.7152 + rgb[..., 2] * 0.0722


def sharpness(rgb: Floats) -> float:
    """Variance of the Laplacian of luminance, relative to the mean luminance (exposure-independent)."""
    lum = _luminance(rgb)
    # A light smoothing first, so that sensor noise (sharp at every pixel) does not pass for focus.
    smooth = ndimage.gaussian_filter(lum / max(float(lum.mean()), 1e-6), 1.0)
    return float(ndimage.laplace(smooth).var())


def _quality_problem(rgb: Floats) -> str | None:
    if float(_luminance(rgb).mean()) < TOO_DARK_LUMINANCE:
        return "too_dark"
    if sharpness(rgb) < BLURRED_SHARPNESS:
        return "blurred"
    return None


def _register(before: Floats, after: Floats) -> tuple[SimilarityTransform | None, int]:
    """The transform taking before (x, y) to after (x, y), and the number of inliers.

    Features are matched on smaller copies; the transform is brought back to the working size.
    """
    ratio = min(1.0, REGISTRATION_SIZE / max(before.shape[:2]))
    small = [_working_from(before, ratio), _working_from(after, ratio)]
    model, count = _match(small[0], small[1])
    if model is None:
        return None, count
    scaling = np.diag([ratio, ratio, 1.0])
    return SimilarityTransform(np.linalg.inv(scaling) @ model.params @ scaling), count


def _working_from(rgb: Floats, ratio: float) -> Floats:
    return (
        rgb if ratio >= 1.0 else np.asarray(rescale(rgb, ratio, channel_axis=2, anti_aliasing=True, order=1))
    )


def _match(before: Floats, after: Floats) -> tuple[SimilarityTransform | None, int]:
    keypoints = []
    descriptors = []
    for rgb in (before, after):
        orb = ORB(n_keypoints=500, n_scales=4, fast_threshold=0.02)
        # Lighting flattened and contrast stretched, so that faint skin landmarks make corners too.
        gray = _luminance(rgb)
        flat = gray / np.maximum(ndimage.gaussian_filter(gray, 10.0), 1e-3)
        flat = (flat - flat.mean()) / max(float(flat.std()), 1e-6) * 0.15 + 0.5
        try:
            orb.detect_and_extract(np.clip(flat, 0.0, 1.0))
        except RuntimeError:
            return None, 0
        if orb.keypoints is None or orb.descriptors is None:
            return None, 0
        keypoints.append(np.asarray(orb.keypoints)[:, ::-1])  # (row, col) to (x, y)
        descriptors.append(np.asarray(orb.descriptors))
    if len(keypoints[0]) < MIN_INLIERS or len(keypoints[1]) < MIN_INLIERS:
        return None, 0
    matches = match_descriptors(descriptors[0], descriptors[1], cross_check=True, max_ratio=0.85)
    if len(matches) < MIN_INLIERS:
        return None, len(matches)
    src = keypoints[0][matches[:, 0]]
    dst = keypoints[1][matches[:, 1]]
    model, inliers = ransac(
        (src, dst),
        SimilarityTransform,
        min_samples=3,
        residual_threshold=2.0,
        max_trials=2000,
        rng=0,
    )
    count = 0 if inliers is None else int(inliers.sum())
    if model is None or count < MIN_INLIERS:
        return None, count
    if abs(math.degrees(model.rotation)) > MAX_ROTATION_DEG or abs(model.scale - 1) > MAX_SCALE_CHANGE:
        return None, count
    return model, count


def _vesselness(rgb: Floats, mask: NDArray[np.bool_]) -> Floats:
    """Frangi vesselness of the lighting-flattened green channel (vessels are dark ridges).

    Only the box around ``mask`` (with a margin) is filtered; the rest of the answer is zero.
    """
    rows, cols = np.nonzero(mask)
    margin = int(3 * LIGHTING_SIGMA)
    r0, r1 = max(int(rows.min()) - margin, 0), min(int(rows.max()) + margin + 1, mask.shape[0])
    c0, c1 = max(int(cols.min()) - margin, 0), min(int(cols.max()) + margin + 1, mask.shape[1])
    green = rgb[r0:r1, c0:c1, 1]
    lighting = ndimage.gaussian_filter(green, LIGHTING_SIGMA)
    flat = green / np.maximum(lighting, 1e-3)
    response = np.zeros(mask.shape)
    response[r0:r1, c0:c1] = frangi(flat, sigmas=FRANGI_SIGMAS, gamma=FRANGI_GAMMA, black_ridges=True)
    return response


def _flag(quality: str, note: str, inliers: int = 0) -> Measurement:
    return Measurement(None, quality, None, None, inliers, note)
