"""CEAP 2020 clinical classes and the revised VCSS."""

from __future__ import annotations

import pytest

from scleropath.protocol import InputError

ITEMS = [
    "pain",
    "varicose_veins",
    "venous_edema",
    "skin_pigmentation",
    "inflammation",
    "induration",
    "active_ulcer_number",
    "active_ulcer_duration",
    "active_ulcer_size",
    "compression_therapy",
]


def test_a_leg_without_signs_is_c0(engine):
    answer = engine.ceap({"signs": []})
    assert answer.highest == "C0" and answer.c_classes == ["C0"]


def test_every_class_a_leg_meets_is_reported_highest_first(engine):
    answer = engine.ceap({"signs": ["reticular_veins", "varicose_veins", "pigmentation", "active_ulcer"]})
    assert answer.c_classes == ["C6", "C4a", "C2", "C1"]
    assert answer.highest == "C6"


@pytest.mark.parametrize(
    ("sign", "code"),
    [
        ("corona_phlebectatica", "C4c"),
        ("lipodermatosclerosis", "C4b"),
        ("atrophie_blanche", "C4b"),
        ("eczema", "C4a"),
        ("recurrent_varicose_veins", "C2r"),
        ("recurrent_active_ulcer", "C6r"),
        ("healed_ulcer", "C5"),
        ("edema", "C3"),
    ],
)
def test_each_sign_maps_to_its_ceap_2020_class(engine, sign, code):
    assert engine.ceap({"signs": [sign]}).highest == code


def test_vcss_total_is_the_sum_of_the_ten_items(engine):
    items = dict.fromkeys(ITEMS, 0) | {"pain": 2, "venous_edema": 3, "compression_therapy": 1}
    answer = engine.vcss({"items": items})
    assert answer.total == 6
    assert answer.maximum == 30


def test_vcss_items_may_be_given_as_anchor_levels(engine):
    items = dict.fromkeys(ITEMS, "none") | {"varicose_veins": "severe"}
    answer = engine.vcss({"items": items})
    assert answer.total == 3
    assert next(i for i in answer.items if i.item == "varicose_veins").anchor == "Involve calf and thigh"


def test_a_total_of_eight_or_more_marks_severe_disease(engine):
    assert engine.vcss(
        {"items": dict.fromkeys(ITEMS, 0) | {"pain": 3, "venous_edema": 3, "inflammation": 2}}
    ).interpretation
    assert not engine.vcss(
        {"items": dict.fromkeys(ITEMS, 0) | {"pain": 3, "venous_edema": 3, "inflammation": 1}}
    ).interpretation


def test_the_vocabulary_has_the_ten_revised_items():
    from scleropath.protocol.vocabulary import VCSS_ITEMS

    assert list(VCSS_ITEMS) == ITEMS


def test_a_missing_vcss_item_is_refused_naming_it(engine):
    with pytest.raises(InputError) as raised:
        engine.vcss({"items": dict.fromkeys(ITEMS[:-1], 0)})
    assert raised.value.errors[0]["field"] == "items.compression_therapy"
