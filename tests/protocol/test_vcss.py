"""The revised Venous Clinical Severity Score: ten items scored 0-3, total their sum (reference 1.4)."""

from __future__ import annotations

import pytest

from scleropath.protocol import Engine, InputError
from scleropath.protocol.vocabulary import VCSS_ITEMS

from .support import assert_cited

REVISED_ITEMS = [
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


def scores(**given: int | str) -> dict[str, int | str]:
    return {**dict.fromkeys(REVISED_ITEMS, 0), **given}


def test_the_vocabulary_has_the_ten_revised_items() -> None:
    assert list(VCSS_ITEMS) == REVISED_ITEMS


def test_the_total_is_the_sum_of_the_ten_item_scores_out_of_30(engine: Engine) -> None:
    answer = engine.vcss({"items": scores(pain=2, venous_edema=3, compression_therapy=1, induration=1)})
    assert answer.total == 7
    assert answer.maximum == 30
    assert [i.item for i in answer.items] == REVISED_ITEMS
    assert_cited(answer, engine.protocol)


def test_every_item_at_its_worst_scores_30(engine: Engine) -> None:
    assert engine.vcss({"items": dict.fromkeys(REVISED_ITEMS, 3)}).total == 30


@pytest.mark.parametrize(("level", "score"), [("none", 0), ("mild", 1), ("moderate", 2), ("severe", 3)])
def test_an_item_may_be_given_by_its_level_name(engine: Engine, level: str, score: int) -> None:
    answer = engine.vcss({"items": scores(varicose_veins=level)})
    item = next(i for i in answer.items if i.item == "varicose_veins")
    assert (item.score, item.level, answer.total) == (score, level, score)


def test_the_anchor_text_of_the_chosen_level_is_returned(engine: Engine) -> None:
    answer = engine.vcss({"items": scores(varicose_veins="severe", venous_edema=1)})
    anchors = {i.item: i.anchor for i in answer.items}
    assert anchors["varicose_veins"] == "Involve calf and thigh"
    assert anchors["venous_edema"] == "Limited to foot and ankle"


def test_an_anchor_the_source_copy_did_not_confirm_is_left_empty(engine: Engine) -> None:
    answer = engine.vcss({"items": scores(induration="mild")})
    assert next(i for i in answer.items if i.item == "induration").anchor is None


@pytest.mark.parametrize("missing", REVISED_ITEMS)
def test_a_missing_item_is_refused_naming_it(engine: Engine, missing: str) -> None:
    items = scores()
    del items[missing]
    with pytest.raises(InputError) as raised:
        engine.vcss({"items": items})
    assert raised.value.errors == [
        {"field": f"items.{missing}", "message": "missing: every one of the ten items is needed"}
    ]


def test_a_total_of_8_or_more_is_interpreted_as_severe_disease(engine: Engine) -> None:
    eight = engine.vcss({"items": scores(pain=3, venous_edema=3, inflammation=2)})
    assert eight.total == 8
    assert eight.interpretation and "VLU2014" in eight.citations
    seven = engine.vcss({"items": scores(pain=3, venous_edema=3, inflammation=1)})
    assert seven.total == 7
    assert seven.interpretation == []
    assert "VLU2014" not in seven.citations
