"""Geometry of the leg map: the lower body seen from the front and from the back, the protocol's
regions drawn on it, and where a marker sits.

Positions are stored normalised (0-1) on a named view (x across the view, y from the groin to the
floor), so the drawing can change without moving any record. This module is the one source of
the drawing: the outlines, the regions (the page draws them, the script guesses a clicked region
from the drawn shapes, and `place` puts a finding without a position at its region's centre) and
the legend. These are drawing conventions, not clinical rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, get_args

from scleropath.protocol.vocabulary import VesselClass
from scleropath.protocol.wording import words

Point = tuple[float, float]

PANEL_W = 260
PANEL_H = 520
TOP = 110  # room above the legs for the view's name, R and L, and the hips
BOTTOM = 8
VIEWS = ("front", "back")
SIDES = ("right", "left")
# Front view: the patient faces us, so their right leg is on the viewer's left; back view: reversed.
VIEWER_LEFT = {"front": "right", "back": "left"}

# One leg, the one on the viewer's left, its outer (lateral) edge towards x = 0, in panel units.
# Clockwise from the crotch: up the groin crease (front) or the buttock fold (back), down the
# outer edge, round the foot, up the inner edge. The leg on the viewer's right is its mirror.
# A point written twice is a corner: the smoothed curve meets it without overshooting.
_OUTLINE: dict[str, list[Point]] = {
    "front": [
        (127, 42), (127, 42), (80, 24), (30, 6), (30, 6), (24, 30), (23, 60), (28, 110), (40, 165), (55, 212),
        (66, 240), (68, 262), (65, 282), (63, 305), (66, 350), (72, 400), (78, 440), (77, 462),
        (80, 476), (74, 490), (70, 504), (75, 516), (92, 520), (108, 517), (114, 506), (112, 492),
        (108, 478), (111, 458), (108, 442), (110, 400), (118, 345), (124, 318), (123, 296),
        (119, 282), (121, 262), (123, 238), (123, 190), (125, 130), (126, 82),
    ],
    "back": [
        (127, 46), (127, 46), (100, 52), (64, 46), (28, 24), (28, 24), (24, 60), (28, 110), (40, 165), (55, 212),
        (66, 240), (68, 262), (65, 284), (61, 316), (65, 360), (72, 404), (78, 440), (77, 462),
        (80, 480), (81, 500), (86, 512), (97, 515), (106, 510), (110, 496), (109, 476), (111, 458),
        (108, 442), (111, 398), (119, 342), (125, 316), (123, 296), (119, 282), (121, 262),
        (123, 238), (123, 190), (125, 130), (126, 82),
    ],
}  # fmt: skip

# The hips above the legs, both sides at once (drawn under the legs, not a place to click).
_HIPS: dict[str, list[Point]] = {
    "front": [
        (54, -46), (130, -48), (206, -46), (224, -26), (236, 2), (234, 20), (234, 20), (133, 48),
        (127, 48), (26, 20), (26, 20), (24, 2), (36, -26),
    ],
    "back": [
        (54, -46), (130, -48), (206, -46), (224, -26), (237, 4), (233, 28), (233, 28), (196, 50),
        (160, 56), (133, 52), (127, 52), (100, 56), (64, 50), (27, 28), (27, 28), (23, 4), (36, -26),
    ],
}  # fmt: skip

# Regions as bands of the leg: from y0 to y1 (panel units; None for the top or the bottom of the
# leg) and from f0 to f1 of the leg's width at that height, 0 its outer edge and 1 its inner
# edge. A region may take more than one band. The first view that draws a region is its home.
_BANDS: dict[str, list[tuple[str, float | None, float | None, float, float]]] = {
    "front": [
        ("thigh_lateral", None, 18, 0, 1),
        ("thigh_lateral", 18, 222, 0, 0.3),
        ("groin", 18, 62, 0.3, 1),
        ("thigh_anterior", 62, 222, 0.3, 0.68),
        ("thigh_medial", 62, 222, 0.68, 1),
        ("knee_lateral", 222, 282, 0, 0.3),
        ("knee_anterior", 222, 282, 0.3, 0.7),
        ("knee_medial", 222, 282, 0.7, 1),
        ("calf_lateral", 282, 440, 0, 0.3),
        ("calf_anterior", 282, 440, 0.3, 0.65),
        ("calf_medial", 282, 440, 0.65, 1),
        ("ankle_lateral", 440, 484, 0, 0.5),
        ("ankle_medial", 440, 484, 0.5, 1),
        ("foot", 484, None, 0, 1),
    ],
    "back": [
        ("thigh_posterior", None, 222, 0, 1),
        ("popliteal_fossa", 222, 282, 0, 1),
        ("calf_posterior", 282, 440, 0, 1),
        ("ankle_lateral", 440, 484, 0, 0.5),
        ("ankle_medial", 440, 484, 0.5, 1),
        ("foot", 484, None, 0, 1),
    ],
}

# A marker's shape for each vessel class, so classes differ by shape as well as by colour.
# Paths centred on 0,0, about 16 units across.
SHAPES: dict[str, str] = {
    "circle": "M8 0A8 8 0 1 1 -8 0A8 8 0 1 1 8 0Z",
    "square": "M-7 -7H7V7H-7Z",
    "diamond": "M0 -9L9 0L0 9L-9 0Z",
    "triangle": "M0 -9L8.5 6.5H-8.5Z",
    "triangle-down": "M0 9L8.5 -6.5H-8.5Z",
    "hexagon": "M8.5 0L4.25 7.4H-4.25L-8.5 0L-4.25 -7.4H4.25Z",
    "pentagon": "M0 -9L8.6 -2.8L5.3 7.3H-5.3L-8.6 -2.8Z",
    "cross": "M-3 -9H3V-3H9V3H3V9H-3V3H-9V-3H-3Z",
    "ring": "M11 0A11 11 0 1 1 -11 0A11 11 0 1 1 11 0ZM6 0A6 6 0 1 0 -6 0A6 6 0 1 0 6 0Z",
}
CLASS_SHAPES: dict[str, str] = {
    "telangiectasia": "circle",
    "reticular": "square",
    "varicose": "diamond",
    "recurrent_varicose": "triangle-down",
    "truncal": "triangle",
    "perforator": "hexagon",
    "venous_malformation": "pentagon",
}
VESSEL_CLASSES: tuple[str, ...] = get_args(VesselClass)


# --- outlines ------------------------------------------------------------------------------------


def _smooth(points: list[Point], steps: int = 5) -> list[Point]:
    """A closed Catmull-Rom curve through ``points``, as a polygon of ``steps`` points a segment."""
    out: list[Point] = []
    n = len(points)
    for i in range(n):
        p0, p1, p2, p3 = points[i - 1], points[i], points[(i + 1) % n], points[(i + 2) % n]
        if p1 == p2:  # a corner
            continue
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            out.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * p1[k]
                        + (-p0[k] + p2[k]) * t
                        + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                        + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3
                    )
                    for k in (0, 1)
                )
            )
    return out


def _mirror(points: list[Point]) -> list[Point]:
    return [(PANEL_W - x, y) for x, y in points]


def _span(outline: list[Point], y: float) -> tuple[float, float] | None:
    """Where a level line crosses the outline: its outermost crossings, or None above or below it."""
    xs = []
    for (x1, y1), (x2, y2) in zip(outline, outline[1:] + outline[:1], strict=True):
        if (y1 <= y < y2) or (y2 <= y < y1):
            xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    return (min(xs), max(xs)) if len(xs) >= 2 else None


def _inside(outline: list[Point], x: float, y: float) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(outline, outline[1:] + outline[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def _distance(outline: list[Point], x: float, y: float) -> float:
    best = float("inf")
    for (x1, y1), (x2, y2) in zip(outline, outline[1:] + outline[:1], strict=True):
        dx, dy = x2 - x1, y2 - y1
        t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy or 1)))
        best = min(best, ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5)
    return best


def _centroid(polygon: list[Point]) -> Point:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-9:
        return polygon[0]
    return cx / (3 * area), cy / (3 * area)


def _band(outline: list[Point], y0: float | None, y1: float | None, f0: float, f1: float) -> list[Point]:
    """The part of a (viewer's left) leg between two heights and two fractions of its width."""
    top = min(y for _, y in outline) + 0.5
    bottom = max(y for _, y in outline) - 0.5
    lo, hi = max(top, y0 if y0 is not None else top), min(bottom, y1 if y1 is not None else bottom)
    steps = max(2, round((hi - lo) / 12))
    outer, inner = [], []
    for i in range(steps + 1):
        y = lo + (hi - lo) * i / steps
        span = _span(outline, y)
        if span is None:
            continue
        a, b = span
        outer.append((a + f0 * (b - a), y))
        inner.append((a + f1 * (b - a), y))
    return outer + inner[::-1]


@dataclass(frozen=True)
class RegionShape:
    """One region of one leg on one view: its outline and centre, in panel units."""

    region: str
    view: str
    side: str
    polygons: tuple[tuple[Point, ...], ...]
    centre: Point


@dataclass(frozen=True)
class Leg:
    view: str
    side: str
    outline: tuple[Point, ...]
    regions: tuple[RegionShape, ...]


def _build() -> dict[tuple[str, str], Leg]:
    legs = {}
    for view in VIEWS:
        base = _smooth(_OUTLINE[view])
        grouped: dict[str, list[list[Point]]] = {}
        for region, y0, y1, f0, f1 in _BANDS[view]:
            grouped.setdefault(region, []).append(_band(base, y0, y1, f0, f1))
        for side in SIDES:
            mirrored = side != VIEWER_LEFT[view]
            outline = _mirror(base) if mirrored else base
            regions = []
            for region, polygons in grouped.items():
                shapes = [_mirror(p) if mirrored else p for p in polygons]
                # The centre of the region's largest band keeps a two-band region's centre on the leg.
                centre = _centroid(max(shapes, key=lambda p: abs(_area(p))))
                regions.append(RegionShape(region, view, side, tuple(map(tuple, shapes)), centre))
            legs[(view, side)] = Leg(view, side, tuple(outline), tuple(regions))
    return legs


def _area(polygon: list[Point]) -> float:
    return (
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True))
        / 2
    )


LEGS = _build()


def region_shape(view: str, side: str, region: str) -> RegionShape | None:
    leg = LEGS.get((view, side))
    return next((r for r in leg.regions if r.region == region), None) if leg else None


def home_view(region: str) -> str | None:
    """The first view that draws ``region``, or None for a region the drawing does not know."""
    return next((v for v in VIEWS if any(b[0] == region for b in _BANDS[v])), None)


def drawn_regions() -> set[str]:
    return {b[0] for v in VIEWS for b in _BANDS[v]}


def on_leg(view: str, side: str, x: float, y: float, tolerance: float = 6) -> bool:
    """Whether a normalised point lies on (or within ``tolerance`` units of) the leg of ``side``."""
    leg = LEGS.get((view, side))
    if leg is None:
        return False
    px, py = x * PANEL_W, y * PANEL_H
    return _inside(list(leg.outline), px, py) or _distance(list(leg.outline), px, py) <= tolerance


def region_at(view: str, side: str, x: float, y: float) -> str | None:
    """The region under a normalised point on a leg (what a click there guesses), or None."""
    leg = LEGS.get((view, side))
    if leg is None:
        return None
    px, py = x * PANEL_W, y * PANEL_H
    for r in leg.regions:
        if any(_inside(list(p), px, py) for p in r.polygons):
            return r.region
    return None


def place(
    view: str | None, x: float | None, y: float | None, side: str | None, region: str | None
) -> tuple[str, float, float] | None:
    """Where to draw a marker, as (view, x, y) normalised.

    Its own point when it lies on the leg of its side; otherwise (no point, or a point off that
    leg such as the form's untouched default between the legs) the centre of its region on its
    side, on the view that draws the region; for a region the drawing does not know, the middle of
    the leg at the point's height. None when there is neither a point nor a side to go by.
    """
    view = view if view in VIEWS else "front"
    if side not in SIDES:
        return (view, x, y) if x is not None and y is not None else None
    if x is not None and y is not None and on_leg(view, side, x, y):
        return view, x, y
    if region:
        shape_view = view if region_shape(view, side, region) else home_view(region)
        shape = region_shape(shape_view, side, region) if shape_view else None
        if shape is not None:
            return shape.view, shape.centre[0] / PANEL_W, shape.centre[1] / PANEL_H
    level = min(max(y, 0.05), 0.95) * PANEL_H if x is not None and y is not None else 0.35 * PANEL_H
    span = _span(list(LEGS[(view, side)].outline), level)
    assert span is not None
    return view, (span[0] + span[1]) / 2 / PANEL_W, level / PANEL_H


# --- markers -------------------------------------------------------------------------------------


@dataclass
class Marker:
    """A finding or an injection on the map; ``cx``/``cy`` in its view's panel units."""

    label: str
    css: str
    view: str
    cx: float
    cy: float
    title: str
    url: str = ""
    kind: str = "finding"
    shape: str = "circle"
    # Where its label goes (set by svg_context so labels do not collide).
    lx: float = 0
    ly: float = 0
    anchor: str = "start"
    finding: str = ""  # a finding's id, for a script that fills a form from its marker

    @property
    def d(self) -> str:
        """The marker's symbol, as an SVG path centred on 0,0."""
        return SHAPES[self.shape]


def marker(
    label: str,
    css: str,
    view: str | None,
    x: float | None,
    y: float | None,
    title: str,
    url: str = "",
    *,
    side: str = "",
    region: str = "",
    finding: str = "",
) -> Marker:
    """A marker for the map. ``css`` is ``m-<vessel class>`` for a finding or ``m-injection``;
    ``title`` is its accessible name ("Finding L1: varicose, thigh medial"). With ``side`` (and
    ``region``) a marker without a point on its leg is drawn at its region's centre (see `place`)."""
    at = place(view, x, y, side, region) if side else None
    if at is None:
        if x is None or y is None:
            raise ValueError("a marker needs a point on the map or a side")
        at = (view if view in VIEWS else "front", x, y)
    kind = "injection" if css == "m-injection" else "finding"
    shape = "cross" if kind == "injection" else CLASS_SHAPES.get(css.removeprefix("m-"), "circle")
    return Marker(
        label, css, at[0], at[1] * PANEL_W, at[2] * PANEL_H, title, url, kind, shape, finding=finding
    )


def _label_box(m: Marker, lx: float, ly: float, anchor: str) -> tuple[float, float, float, float]:
    width = 8.5 * len(m.label) + 4
    left = lx if anchor == "start" else lx - width if anchor == "end" else lx - width / 2
    return left, ly - 12, left + width, ly + 3


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


# Label positions tried in turn, relative to the marker's centre: right, left, above, below, then
# further out. The first that touches no marker and no earlier label wins.
_SPOTS = [
    (12, 5, "start"), (-12, 5, "end"), (0, -13, "middle"), (0, 23, "middle"),
    (11, -9, "start"), (-11, -9, "end"), (11, 19, "start"), (-11, 19, "end"),
    (24, 5, "start"), (-24, 5, "end"), (0, -27, "middle"), (0, 37, "middle"),
]  # fmt: skip


def _spread(markers: list[Marker], apart: float = 17) -> None:
    """Move a marker that would hide an earlier one (two findings without a point in one region,
    an injection drawn at its finding) to the nearest free spot on a ring around it."""
    done: list[Marker] = []
    for m in markers:
        x, y = m.cx, m.cy
        spots = [(x, y)] + [
            (x + r * math.cos(a * math.pi / 4), y + r * math.sin(a * math.pi / 4))
            for r in (apart, 2 * apart)
            for a in range(8)
        ]
        for sx, sy in spots:
            if all((sx - o.cx) ** 2 + (sy - o.cy) ** 2 >= apart**2 for o in done):
                m.cx, m.cy = sx, sy
                break
        done.append(m)


def _place_labels(markers: list[Marker]) -> None:
    symbols = [(m.cx - 10, m.cy - 10, m.cx + 10, m.cy + 10) for m in markers]
    taken: list[tuple[float, float, float, float]] = []
    bounds = (0, -TOP, PANEL_W, PANEL_H + BOTTOM)
    for m in markers:
        best: tuple[float, float, float, str, tuple[float, float, float, float]] | None = None
        for dx, dy, anchor in _SPOTS:
            box = _label_box(m, m.cx + dx, m.cy + dy, anchor)
            clash = sum(_overlap(box, o) for o in symbols + taken)
            outside = box[0] < bounds[0] or box[2] > bounds[2] or box[3] > bounds[3]
            score = clash + (10_000 if outside else 0)
            if best is None or score < best[0]:
                best = (score, m.cx + dx, m.cy + dy, anchor, box)
            if score == 0:
                break
        assert best is not None
        _, m.lx, m.ly, m.anchor, box = best
        taken.append(box)


# --- the drawing ---------------------------------------------------------------------------------


def _points(points: tuple[Point, ...] | list[Point]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _path(points: list[Point]) -> str:
    smooth = _smooth(points, 4)
    return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in smooth) + "Z"


def legend() -> list[dict[str, str]]:
    """What each marker means: the vessel classes (colour and shape), injections, a new marker."""
    items = [
        {"css": f"m-{c}", "shape": SHAPES[CLASS_SHAPES[c]], "name": words(c, capital=True), "kind": "finding"}
        for c in VESSEL_CLASSES
    ]
    items.append({"css": "m-injection", "shape": SHAPES["cross"], "name": "Injection", "kind": "injection"})
    items.append(
        {"css": "m-pending", "shape": SHAPES["ring"], "name": "New, not yet saved", "kind": "pending"}
    )
    return items


def svg_context(markers: list[Marker]) -> dict[str, Any]:
    """Everything `web/_legmap.html` draws: both views with their legs, regions and markers."""
    views = []
    for view in VIEWS:
        on_view = [m for m in markers if m.view == view]
        _spread(on_view)
        _place_labels(on_view)
        left, right = VIEWER_LEFT[view], "left" if VIEWER_LEFT[view] == "right" else "right"
        views.append(
            {
                "view": view,
                "label": f"{words(view, capital=True)} view",
                "sides": [
                    {"side": left, "letter": left[0].upper(), "x": PANEL_W * 0.27},
                    {"side": right, "letter": right[0].upper(), "x": PANEL_W * 0.73},
                ],
                "hips": _path(_HIPS[view]),
                "legs": [
                    {
                        "side": side,
                        "points": _points(LEGS[(view, side)].outline),
                        "regions": [
                            {
                                "region": r.region,
                                "name": words(r.region),
                                "polygons": [_points(p) for p in r.polygons],
                                "cx": f"{r.centre[0]:.1f}",
                                "cy": f"{r.centre[1]:.1f}",
                            }
                            for r in LEGS[(view, side)].regions
                        ],
                    }
                    for side in (left, right)
                ],
                "markers": on_view,
            }
        )
    return {
        "views": views,
        "viewbox": f"0 {-TOP} {PANEL_W} {PANEL_H + TOP + BOTTOM}",
        "panel_w": PANEL_W,
        "panel_h": PANEL_H,
        "mid": PANEL_W // 2,
        "top": -TOP,
        "markers": markers,
        "legend": legend(),
        "shapes": SHAPES,
    }
