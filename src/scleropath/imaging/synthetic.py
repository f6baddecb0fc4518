"""Synthetic photographs of leg skin with known vessels, to validate the clearance measure.

A photograph is drawn from a scene: a skin tone, a fixed texture (pores, freckles, moles) that
moves with the leg, vessels as smooth curved lines of a stated width in millimetres, uneven
lighting and sensor noise. A pair is the same scene photographed twice: the after photograph loses
a chosen share of the vessels (so the true clearance is known from the masks) and is taken from a
slightly different position (shift, rotation, scale), under different lighting, optionally too dark
or blurred. Everything is drawn from one seed, so a pair is the same on every machine.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage
from skimage.draw import line as draw_line
from skimage.transform import SimilarityTransform, warp

from .measure import polygon_mask

Image = NDArray[np.uint8]
Mask = NDArray[np.bool_]

# Base skin colours (sRGB) from very light to very dark, roughly Fitzpatrick types I to VI.
SKIN_TONES: tuple[tuple[int, int, int], ...] = (
    (241, 204, 181),
    (226, 185, 152),
    (205, 158, 120),
    (170, 120, 86),
    (124, 84, 58),
    (88, 58, 42),
)
# Telangiectasias are red to purple, reticular veins blue-green; drawn as a blend over the skin.
VESSEL_COLOURS: tuple[tuple[int, int, int], ...] = (
    (170, 40, 55),
    (150, 45, 90),
    (110, 60, 120),
    (70, 80, 140),
    (60, 95, 130),
)
MIN_WIDTH_MM = 0.1
MAX_WIDTH_MM = 3.0


@dataclass(frozen=True)
class Vessel:
    """One vessel: its centreline in scene pixels (x, y), width in pixels, colour and opacity."""

    points: NDArray[np.float64]
    width_px: float
    colour: tuple[int, int, int]
    opacity: float


@dataclass(frozen=True)
class Scene:
    """What the camera sees, before lighting, noise and position are applied."""

    width: int
    height: int
    px_per_mm: float
    skin: NDArray[np.float64]  # H×W×3 in [0, 1]: skin tone with its fixed texture
    vessels: tuple[Vessel, ...]


@dataclass(frozen=True)
class Photo:
    image: Image
    vessel_mask: Mask  # the pixels where a vessel covers at least half the pixel


@dataclass(frozen=True)
class PhotoPair:
    """A before and an after photograph of one area, and the truth about them.

    ``after_mask_in_before`` is the after scene's vessel mask in the before photograph's
    coordinates (the truth the measure aims at); ``transform`` maps before pixel coordinates (x, y)
    to after pixel coordinates.
    """

    before: Image
    after: Image
    before_mask: Mask
    after_mask_in_before: Mask
    area: tuple[tuple[float, float], ...]
    true_clearance_percent: float
    removed_fraction: float
    transform: SimilarityTransform
    degradation: str  # "none", "dark" or "blurred"


def make_scene(
    rng: np.random.Generator,
    *,
    width: int = 480,
    height: int = 360,
    px_per_mm: float = 4.0,
    tone: int | None = None,
    vessel_count: int | None = None,
) -> Scene:
    """Draw a skin scene: tone ``tone`` (index into SKIN_TONES, random if None) and its vessels."""
    tone_index = int(rng.integers(len(SKIN_TONES))) if tone is None else tone
    base = np.array(SKIN_TONES[tone_index], dtype=np.float64) / 255.0
    skin = np.empty((height, width, 3))
    skin[:] = base * rng.uniform(0.95, 1.05, size=3)
    # Mottling: low-frequency variation of the skin's own colour.
    mottle = ndimage.gaussian_filter(rng.normal(0, 1, (height, width)), sigma=6 * px_per_mm)
    mottle *= 0.04 / max(float(np.abs(mottle).max()), 1e-9)
    skin *= (1.0 + mottle)[..., None]
    # Fine texture: pores and creases, a few percent of brightness.
    grain = ndimage.gaussian_filter(rng.normal(0, 1, (height, width)), sigma=0.6)
    skin *= (1.0 + 0.03 * grain / max(float(grain.std()), 1e-9))[..., None]
    _add_spots(rng, skin, px_per_mm)
    vessels = tuple(
        _make_vessel(rng, width, height, px_per_mm)
        for _ in range(int(rng.integers(6, 14)) if vessel_count is None else vessel_count)
    )
    return Scene(width, height, px_per_mm, np.clip(skin, 0, 1), vessels)


def _add_spots(rng: np.random.Generator, skin: NDArray[np.float64], px_per_mm: float) -> None:
    """Freckles and small moles: the stable landmarks a registration can hold on to."""
    height, width = skin.shape[:2]
    yy, xx = np.mgrid[0:height, 0:width]
    count = int(rng.integers(60, 120) * width * height / (480 * 360))
    for _ in range(count):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        radius = rng.uniform(0.4, 2.0) * px_per_mm
        x0, x1 = max(int(cx - 3 * radius), 0), min(int(cx + 3 * radius) + 1, width)
        y0, y1 = max(int(cy - 3 * radius), 0), min(int(cy + 3 * radius) + 1, height)
        if x0 >= x1 or y0 >= y1:
            continue
        squash = rng.uniform(0.6, 1.0)
        d2 = ((xx[y0:y1, x0:x1] - cx) / radius) ** 2 + ((yy[y0:y1, x0:x1] - cy) / (radius * squash)) ** 2
        weight = np.exp(-d2 * 1.5) * rng.uniform(0.3, 0.7)
        brown = np.array([0.45, 0.30, 0.20]) * skin[y0:y1, x0:x1]
        skin[y0:y1, x0:x1] = skin[y0:y1, x0:x1] * (1 - weight[..., None]) + brown * weight[..., None]


def _make_vessel(rng: np.random.Generator, width: int, height: int, px_per_mm: float) -> Vessel:
    """A smooth meandering line, like a telangiectasia or a reticular vein, 0.1 to 3 mm wide."""
    # Thin vessels are far more common than wide ones: width drawn log-uniformly.
    width_mm = math.exp(rng.uniform(math.log(MIN_WIDTH_MM), math.log(MAX_WIDTH_MM)))
    length = rng.uniform(0.25, 0.7) * max(width, height)
    heading = rng.uniform(0, 2 * math.pi)
    x, y = rng.uniform(0.1 * width, 0.9 * width), rng.uniform(0.1 * height, 0.9 * height)
    step = 2.0
    turn = 0.0
    points = [(x, y)]
    for _ in range(int(length / step)):
        turn = 0.85 * turn + rng.normal(0, 0.06)
        heading += turn
        x += step * math.cos(heading)
        y += step * math.sin(heading)
        points.append((x, y))
    colour = VESSEL_COLOURS[int(rng.integers(len(VESSEL_COLOURS)))]
    opacity = rng.uniform(0.55, 0.9)
    return Vessel(np.array(points), width_mm * px_per_mm, colour, opacity)


def _coverage(
    vessels: tuple[Vessel, ...], height: int, width: int
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """The share of each pixel a vessel covers (0–1), and which vessel is nearest (-1 if none)."""
    centre = np.full((height, width), -1, dtype=np.intp)
    for index, vessel in enumerate(vessels):
        pts = np.round(vessel.points).astype(int)
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            rr, cc = draw_line(y0, x0, y1, x1)
            keep = (rr >= 0) & (rr < height) & (cc >= 0) & (cc < width)
            centre[rr[keep], cc[keep]] = index
    if not (centre >= 0).any():
        return np.zeros((height, width)), centre
    distance, (iy, ix) = ndimage.distance_transform_edt(centre < 0, return_indices=True)
    nearest = centre[iy, ix]
    half = np.array([v.width_px / 2 for v in vessels])[nearest]
    # A pixel is covered in proportion to how far the vessel's edge reaches past it (a 1-px ramp).
    coverage = np.clip(half + 0.5 - distance, 0.0, 1.0)
    # A vessel narrower than a pixel still darkens the pixel it crosses, by its width.
    coverage = np.minimum(coverage, np.maximum(2 * half, 0.0))
    return coverage, nearest


def render(
    scene: Scene,
    vessels: tuple[Vessel, ...],
    rng: np.random.Generator,
    *,
    transform: SimilarityTransform | None = None,
    exposure: float = 1.0,
    blur_sigma: float = 0.0,
) -> Photo:
    """Photograph ``scene`` showing ``vessels``; ``transform`` maps scene (x, y) to photo (x, y)."""
    h, w = scene.height, scene.width
    skin = scene.skin
    if transform is not None:
        # The skin (and its landmarks) moves with the camera; vessels are drawn in place, not resampled.
        skin = np.clip(warp(skin, transform.inverse, output_shape=(h, w), order=3, mode="reflect"), 0, 1)
        vessels = tuple(
            Vessel(transform(v.points), v.width_px * float(transform.scale), v.colour, v.opacity)
            for v in vessels
        )
    coverage, nearest = _coverage(vessels, h, w)
    colours = np.array([v.colour for v in vessels] or [(0, 0, 0)], dtype=np.float64) / 255.0
    opacity = np.array([v.opacity for v in vessels] or [0.0])
    alpha = (coverage * opacity[np.maximum(nearest, 0)])[..., None]
    # Blood seen through skin: the vessel colour multiplied into the skin, not painted over it.
    vessel_rgb = skin * colours[np.maximum(nearest, 0)] * 1.6
    picture = skin * (1 - alpha) + np.clip(vessel_rgb, 0, 1) * alpha
    mask = coverage >= 0.5
    # Uneven lighting: a tilted plane and a soft vignette, different at every visit.
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    tilt = 1 + rng.uniform(-0.2, 0.2) * (xx - 0.5) + rng.uniform(-0.2, 0.2) * (yy - 0.5)
    vignette = 1 - rng.uniform(0.05, 0.2) * (
        (xx - 0.5 * w / max(h, w)) ** 2 + (yy - 0.5 * h / max(h, w)) ** 2
    )
    picture = picture * (tilt * vignette * exposure * rng.uniform(0.9, 1.05))[..., None]
    if blur_sigma > 0:
        picture = ndimage.gaussian_filter(picture, sigma=(blur_sigma, blur_sigma, 0))
    picture = picture + rng.normal(0, 1.5 / 255, picture.shape)
    image = np.clip(np.round(picture * 255), 0, 255).astype(np.uint8)
    return Photo(image, mask)


def make_pair(
    seed: int,
    *,
    width: int = 480,
    height: int = 360,
    px_per_mm: float = 4.0,
    removed_fraction: float | None = None,
    tone: int | None = None,
    degradation: str = "none",
    max_shift_px: float = 12.0,
    max_rotation_deg: float = 4.0,
    max_scale_change: float = 0.05,
) -> PhotoPair:
    """A before/after pair from ``seed``: ``removed_fraction`` of the vessels gone (random if None)."""
    if degradation not in {"none", "dark", "blurred"}:
        raise ValueError(f"unknown degradation {degradation!r}")
    rng = np.random.default_rng(seed)
    scene = make_scene(rng, width=width, height=height, px_per_mm=px_per_mm, tone=tone)
    share = float(rng.uniform(0, 1)) if removed_fraction is None else removed_fraction
    removed = rng.permutation(len(scene.vessels))[: round(share * len(scene.vessels))]
    kept = tuple(v for i, v in enumerate(scene.vessels) if i not in set(removed.tolist()))
    before = render(scene, scene.vessels, rng)
    angle = math.radians(rng.uniform(-max_rotation_deg, max_rotation_deg))
    scale = 1 + rng.uniform(-max_scale_change, max_scale_change)
    centre = np.array([width / 2, height / 2])
    # Rotate and scale about the centre of the frame, then shift.
    to_centre = SimilarityTransform(translation=-centre)
    turn = SimilarityTransform(rotation=angle, scale=scale)
    back = SimilarityTransform(translation=centre + rng.uniform(-max_shift_px, max_shift_px, size=2))
    transform = SimilarityTransform(back.params @ turn.params @ to_centre.params)
    exposure = rng.uniform(0.08, 0.14) if degradation == "dark" else 1.0
    blur = rng.uniform(3.0, 5.0) if degradation == "blurred" else 0.0
    after = render(scene, kept, rng, transform=transform, exposure=exposure, blur_sigma=blur)
    truth_after = render(scene, kept, np.random.default_rng(0)).vessel_mask
    # The treated area: a polygon around the middle of the frame, well inside both photographs.
    area = _area_polygon(rng, width, height)
    inside = polygon_mask(area, height, width)
    before_area = int((before.vessel_mask & inside).sum())
    after_area = int((truth_after & inside).sum())
    true_clearance = 100.0 * (1 - after_area / before_area) if before_area else 0.0
    return PhotoPair(
        before=before.image,
        after=after.image,
        before_mask=before.vessel_mask,
        after_mask_in_before=truth_after,
        area=area,
        true_clearance_percent=true_clearance,
        removed_fraction=share,
        transform=transform,
        degradation=degradation,
    )


def _area_polygon(rng: np.random.Generator, width: int, height: int) -> tuple[tuple[float, float], ...]:
    """An irregular polygon covering the central part of the frame, as a clinician would mark it."""
    cx, cy = width / 2, height / 2
    corners = []
    for k in range(7):
        angle = 2 * math.pi * k / 7 + rng.uniform(-0.2, 0.2)
        reach = rng.uniform(0.28, 0.36)
        corners.append((cx + reach * width * math.cos(angle), cy + reach * height * math.sin(angle)))
    return tuple(corners)
