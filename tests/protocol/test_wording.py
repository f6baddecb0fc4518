"""One wording for ranges, codes, citations and field paths, shared by the CLI, the pages and ``protocol show``."""

from __future__ import annotations

import pytest

from scleropath.protocol.model import Protocol
from scleropath.protocol.schema import NumRange
from scleropath.protocol.wording import (
    DATA_KINDS,
    EMPTY,
    citation_list,
    cites,
    field_path,
    name_of,
    span,
    words,
)


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


# --- codes by the protocol's names ----------------------------------------------------------------


def test_it_names_a_code_by_the_protocols_display_text(protocol: Protocol) -> None:
    assert name_of(protocol, "region", "thigh_medial") == "Inner thigh"
    assert name_of(protocol, "symptom", "matting") == "Telangiectatic matting"
    assert name_of(protocol, "procedure", "ultrasound_guided_foam_sclerotherapy") == (
        "Ultrasound-guided foam sclerotherapy"
    )
    assert name_of(protocol, "vessel_class", "truncal").startswith("Saphenous trunk")
    assert name_of(protocol, "screening", "migraine_after_foam").startswith("Migraine")


def test_it_names_a_product_by_its_brand_and_an_agent_by_its_name(protocol: Protocol) -> None:
    assert name_of(protocol, "product", "aethoxysklerol") == "Aethoxysklerol"
    assert name_of(protocol, "product", "fibrovein", capital=False) == "Fibrovein"
    assert name_of(protocol, "agent", "polidocanol", capital=False) == "polidocanol"
    assert (
        name_of(protocol, "agent", "sodium_tetradecyl_sulfate", capital=False) == "sodium tetradecyl sulfate"
    )


def test_a_name_inside_a_sentence_starts_small_and_a_short_name_drops_its_parenthesis(
    protocol: Protocol,
) -> None:
    assert name_of(protocol, "region", "popliteal_fossa", capital=False) == "back of knee"
    assert name_of(protocol, "vessel_class", "telangiectasia", short=True) == "Telangiectasia"


def test_vocabularies_without_data_text_have_fixed_names(protocol: Protocol) -> None:
    assert name_of(protocol, "named_vein", "gsv") == "Great saphenous vein"
    assert name_of(protocol, "form", "any", capital=False) == "liquid or foam"
    assert name_of(protocol, "triage_level", "prompt_review") == "Prompt review"


def test_an_unknown_code_falls_back_to_its_words_and_no_code_is_empty(protocol: Protocol) -> None:
    assert name_of(protocol, "region", "thigh_somewhere") == "Thigh somewhere"
    assert name_of(None, "region", "thigh_medial", capital=False) == "thigh medial"
    assert name_of(protocol, "region", None) == ""


def test_an_unknown_kind_is_refused_with_the_kinds_there_are(protocol: Protocol) -> None:
    with pytest.raises(ValueError, match="regoin"):
        name_of(protocol, "regoin", "thigh_medial")


def test_every_code_of_the_data_has_a_name_that_is_not_a_code(protocol: Protocol) -> None:
    for kind in DATA_KINDS:
        for code, display in protocol.names[kind].items():
            name = name_of(protocol, kind, code)
            assert name and "_" not in name and name != code, (kind, code, display)
