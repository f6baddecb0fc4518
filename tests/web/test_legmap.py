"""The leg map: its drawing of the protocol's regions, where markers land, the key, and markers a
keyboard and a screen reader can reach."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from scleropath.assessments import services as assessments
from scleropath.protocol import Engine
from scleropath.web import legmap
from tests.pathway import Clinics, Pathway, inject_spider

PROTOCOL_REGIONS = [r.id for r in Engine().protocol.procedures.regions]


def test_the_drawing_has_every_region_of_the_protocol():
    assert set(PROTOCOL_REGIONS) <= legmap.drawn_regions()


@pytest.mark.parametrize("region", PROTOCOL_REGIONS)
@pytest.mark.parametrize("side", legmap.SIDES)
def test_each_regions_centre_lies_on_its_own_leg_in_its_home_view(region: str, side: str):
    view = legmap.home_view(region)
    assert view is not None
    shape = legmap.region_shape(view, side, region)
    assert shape is not None
    x, y = shape.centre[0] / legmap.PANEL_W, shape.centre[1] / legmap.PANEL_H
    assert legmap.on_leg(view, side, x, y, tolerance=0)
    other = "left" if side == "right" else "right"
    assert not legmap.on_leg(view, other, x, y)
    assert legmap.region_at(view, side, x, y) == region


@pytest.mark.parametrize(
    ("view", "side", "x", "expected"),
    [
        # Front view: the patient's right leg is on the viewer's left, its inner edge towards the middle.
        ("front", "right", 0.30, "thigh_anterior"),
        ("front", "right", 0.44, "thigh_medial"),
        ("front", "right", 0.15, "thigh_lateral"),
        ("front", "left", 0.56, "thigh_medial"),
        ("front", "left", 0.85, "thigh_lateral"),
        # Back view: reversed, so the left leg is on the viewer's left.
        ("back", "left", 0.30, "thigh_posterior"),
    ],
)
def test_a_point_on_the_thigh_falls_in_the_region_drawn_there(view: str, side: str, x: float, expected: str):
    assert legmap.on_leg(view, side, x, 0.3)
    assert legmap.region_at(view, side, x, 0.3) == expected


def test_the_front_view_puts_the_patients_right_leg_on_the_viewers_left():
    assert legmap.on_leg("front", "right", 0.3, 0.5)
    assert legmap.on_leg("back", "left", 0.3, 0.5)
    assert not legmap.on_leg("front", "left", 0.3, 0.5)


def test_a_point_on_its_leg_is_kept_where_it_was_put():
    assert legmap.place("front", 0.3, 0.6, "right", "thigh_medial") == ("front", 0.3, 0.6)


@pytest.mark.parametrize("region", PROTOCOL_REGIONS)
def test_a_finding_without_a_point_lands_on_its_regions_centre_on_its_side(region: str):
    placed = legmap.place("front", None, None, "left", region)
    assert placed is not None
    view, x, y = placed
    shape = legmap.region_shape(view, "left", region)
    assert shape is not None
    assert (x * legmap.PANEL_W, y * legmap.PANEL_H) == pytest.approx(shape.centre)
    assert legmap.on_leg(view, "left", x, y, tolerance=0)


def test_the_forms_untouched_default_between_the_legs_is_moved_onto_the_leg():
    # The finding form's position defaults to the middle of the view, between the legs.
    assert not legmap.on_leg("front", "right", 0.5, 0.5) and not legmap.on_leg("front", "left", 0.5, 0.5)
    view, x, y = legmap.place("front", 0.5, 0.5, "right", "calf_medial") or ("", 0, 0)
    assert view == "front" and legmap.region_at("front", "right", x, y) == "calf_medial"


def test_a_region_drawn_only_from_behind_moves_the_marker_to_the_back_view():
    placed = legmap.place("front", None, None, "right", "popliteal_fossa")
    assert placed is not None and placed[0] == "back"
    assert legmap.region_at("back", "right", placed[1], placed[2]) == "popliteal_fossa"


def test_a_region_the_drawing_does_not_know_lands_in_the_middle_of_its_leg():
    placed = legmap.place("front", None, None, "left", "a_clinics_own_region")
    assert placed is not None and legmap.on_leg(placed[0], "left", placed[1], placed[2], tolerance=0)


def test_a_marker_with_neither_a_point_nor_a_side_is_refused():
    with pytest.raises(ValueError, match="a point on the map or a side"):
        legmap.marker("1", "m-injection", "front", None, None, "Injection 1")


def test_labels_of_close_markers_do_not_overlap_each_other_or_the_markers():
    markers = [
        legmap.marker(f"L{i}", "m-varicose", "front", 0.66 + 0.01 * i, 0.3 + 0.005 * i, f"Finding L{i}")
        for i in range(1, 5)
    ]
    legmap.svg_context(markers)
    boxes = [legmap._label_box(m, m.lx, m.ly, m.anchor) for m in markers]
    symbols = [(m.cx - 9, m.cy - 9, m.cx + 9, m.cy + 9) for m in markers]
    for i, box in enumerate(boxes):
        assert all(legmap._overlap(box, other) == 0 for j, other in enumerate(boxes) if j != i)
        assert all(legmap._overlap(box, s) == 0 for s in symbols)


def _assessment_page(client: Client, clinics: Clinics, pathway: Pathway) -> str:
    client.force_login(clinics.alice)
    return client.get(reverse("web:assessment", args=[pathway.assessment.pk])).content.decode()


def test_the_key_lists_each_vessel_class_injections_and_a_new_marker(
    client: Client, clinics: Clinics, pathway: Pathway
):
    content = _assessment_page(client, clinics, pathway)
    key = content[content.index('class="legmap-legend"') :]
    names = re.findall(r"</svg>([^<]+)</li>", key)
    assert names == [
        *(c.replace("_", " ").capitalize() for c in legmap.VESSEL_CLASSES),
        "Injection",
        "New, not yet saved",
    ]
    # Each class has its own shape as well as its own colour.
    assert len({legmap.CLASS_SHAPES[c] for c in legmap.VESSEL_CLASSES}) == len(legmap.VESSEL_CLASSES)


def test_findings_are_focusable_markers_with_a_name_to_read(
    client: Client, clinics: Clinics, pathway: Pathway
):
    content = _assessment_page(client, clinics, pathway)
    assert (
        'tabindex="0" role="img" aria-label="Finding L1: telangiectasia, 0.6 mm, outer thigh, left leg"'
        in content
    )
    assert 'aria-label="Finding R2: varicose vein, 4.5 mm, inner calf, right leg"' in content


def test_each_view_is_labelled_and_marks_the_patients_right_and_left(
    client: Client, clinics: Clinics, pathway: Pathway
):
    content = _assessment_page(client, clinics, pathway)
    front = content[
        content.index('data-view="front" role="group"') : content.index('data-view="back" role="group"')
    ]
    back = content[content.index('data-view="back" role="group"') :]
    assert ">Front view</text>" in front and ">Back view</text>" in back
    assert re.findall(r">([RL])</text>", front) == ["R", "L"]
    assert re.findall(r">([RL])</text>", back) == ["L", "R"]


def test_a_finding_entered_without_the_map_is_drawn_at_its_regions_centre(
    client: Client, clinics: Clinics, pathway: Pathway
):
    # The form's hidden position is left at its default, between the legs.
    assessments.add_finding(
        clinics.alice,
        pathway.assessment,
        side="left",
        region="knee_medial",
        view="front",
        x=0.5,
        y=0.5,
        diameter_mm=1.0,
    )
    content = _assessment_page(client, clinics, pathway)
    shape = legmap.region_shape("front", "left", "knee_medial")
    assert shape is not None
    assert f'transform="translate({shape.centre[0]:.1f} {shape.centre[1]:.1f})"' in content
    assert "translate(130.0 260.0)" not in content


def test_markers_at_the_same_spot_are_spread_apart_so_none_is_hidden():
    markers = [
        legmap.marker("L1", "m-varicose", "front", None, None, "Finding L1", side="left", region="foot"),
        legmap.marker("L2", "m-reticular", "front", None, None, "Finding L2", side="left", region="foot"),
        legmap.marker("1", "m-injection", "front", None, None, "Injection 1", side="left", region="foot"),
    ]
    legmap.svg_context(markers)
    points = [(m.cx, m.cy) for m in markers]
    shape = legmap.region_shape("front", "left", "foot")
    assert shape is not None and points[0] == pytest.approx(shape.centre)
    for i, (x, y) in enumerate(points):
        assert all((x - ox) ** 2 + (y - oy) ** 2 >= 17**2 for j, (ox, oy) in enumerate(points) if j != i)
        assert ((x - shape.centre[0]) ** 2 + (y - shape.centre[1]) ** 2) ** 0.5 <= 34.1


def test_an_injection_charted_without_a_point_is_drawn_beside_its_finding_as_an_injection(
    client: Client, clinics: Clinics, pathway: Pathway
):
    inject_spider(clinics.alice, pathway)
    client.force_login(clinics.alice)
    content = client.get(reverse("web:session", args=[pathway.session.pk])).content.decode()
    assert content.count('class="marker injection"') == 1
    assert 'aria-label="Injection 1: 0.2 mL liquid, finding L1"' in content
    assert content.count('class="marker finding"') == 2
