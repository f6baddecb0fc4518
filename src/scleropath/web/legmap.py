"""Geometry of the leg map: two views (front, back) of both legs, and where a finding sits on them.

Positions are stored normalised (0-1) on a named view, so the drawing can change without moving
any record. These are drawing conventions, not clinical rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scleropath.protocol.wording import words

PANEL_W = 260
PANEL_H = 520
GAP = 20
VIEWS = ("front", "back")


def panel_x(view: str) -> int:
    return 0 if view == "front" else PANEL_W + GAP


def leg_points(cx: float) -> str:
    """A simple tapered outline of one leg centred on ``cx`` (thigh at the top, foot at the bottom)."""
    outline = [
        (-44, 12),
        (44, 12),
        (36, 150),
        (30, 235),
        (34, 300),
        (26, 400),
        (16, 462),
        (20, 500),
        (-20, 500),
        (-16, 462),
        (-26, 400),
        (-34, 300),
        (-30, 235),
        (-36, 150),
    ]
    return " ".join(f"{cx + dx:.0f},{dy}" for dx, dy in outline)


def legs() -> list[dict[str, Any]]:
    """Both legs on both views; in the front view the patient's right leg is on the viewer's left."""
    out = []
    for view in VIEWS:
        ox = panel_x(view)
        sides = ("right", "left") if view == "front" else ("left", "right")
        for i, side in enumerate(sides):
            cx = ox + (80 if i == 0 else 180)
            out.append({"view": view, "side": side, "points": leg_points(cx), "cx": cx})
    return out


@dataclass(frozen=True)
class Marker:
    label: str
    css: str
    cx: float
    cy: float
    title: str
    url: str = ""
    finding: str = ""  # a finding's id, for a script that fills a form from its marker


def marker(
    label: str, css: str, view: str, x: float, y: float, title: str, url: str = "", finding: str = ""
) -> Marker:
    return Marker(label, css, panel_x(view or "front") + x * PANEL_W, y * PANEL_H, title, url, finding)


def svg_context(markers: list[Marker]) -> dict[str, Any]:
    return {
        "legs": legs(),
        "markers": markers,
        "width": PANEL_W * 2 + GAP,
        "height": PANEL_H,
        "panels": [{"view": v, "x": panel_x(v), "label": f"{words(v, capital=True)} view"} for v in VIEWS],
        "panel_w": PANEL_W,
        "panel_h": PANEL_H,
    }
