"""One wording for ranges, codes, citations and field paths, shared by the CLI, the pages and ``protocol show``."""

from __future__ import annotations

import pytest

from scleropath.protocol.schema import NumRange
from scleropath.protocol.wording import EMPTY, citation_list, cites, field_path, span, words


@pytest.mark.parametrize(
    ("values", "unit", "text"),
    [
        ([0.25, 0.5], "%", "0.25–0.5 %"),
        ([3.0, 3.0], "%", "3 %"),
        ([None, 4], "mL", "≤ 4 mL"),
        ([5, None], "days", "≥ 5 days"),
        ([27, 30], "", "27–30"),
    ],
)
def test_it_words_a_range_with_open_ends(values: list[float | None], unit: str, text: str) -> None:
    assert span(values, unit) == text


def test_it_words_a_protocol_range_as_it_words_an_answer_range() -> None:
    assert span(NumRange(min=0.1, max=0.2), "mL") == span([0.1, 0.2], "mL") == "0.1–0.2 mL"
    assert span(NumRange(max=4), "mL") == "≤ 4 mL"


@pytest.mark.parametrize("missing", [None, [], [None, None]])
def test_it_shows_the_one_empty_mark_for_a_missing_range(missing: list[float | None] | None) -> None:
    assert span(missing, "mL") == EMPTY == "—"


def test_it_words_a_code_inside_a_sentence_and_at_the_start_of_a_label() -> None:
    assert words("thigh_medial") == "thigh medial"
    assert (
        words("ultrasound_guided_foam_sclerotherapy", capital=True) == "Ultrasound guided foam sclerotherapy"
    )
    assert words(None) == words("") == ""


def test_it_lists_citations_and_brackets_them_only_when_there_are_some() -> None:
    assert citation_list(["AETH-DE", "AETH-CH"]) == "AETH-DE; AETH-CH"
    assert cites(["AETH-DE", "AETH-CH"]) == " [AETH-DE; AETH-CH]"
    assert cites([]) == ""


def test_it_writes_a_field_path_with_positions_in_brackets() -> None:
    assert field_path(("findings", 2, "diameter_mm")) == "findings[2].diameter_mm"
    assert field_path((0, "id")) == "[0].id"
    assert field_path(()) == ""


def test_it_drops_the_parts_a_caller_does_not_keep_but_never_a_position() -> None:
    loc = ("patient", "weight_kg", "constrained-float", 1)
    assert field_path(loc, keep=lambda part: "-" not in part) == "patient.weight_kg[1]"
