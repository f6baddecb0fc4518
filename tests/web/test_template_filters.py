"""The page filters word ranges, codes and sources as the CLI and ``protocol show`` do (protocol.wording)."""

from __future__ import annotations

import pytest

from scleropath.protocol.wording import EMPTY
from scleropath.web.templatetags.scleropath_tags import cites, limit_label, named, span, words


def test_the_page_filters_word_ranges_codes_and_sources_as_the_engine_does() -> None:
    assert span([0.25, 0.5], "%") == "0.25–0.5 %"
    assert span([None, 4], "mL") == "≤ 4 mL"
    assert span(None, "mL") == EMPTY
    assert words("thigh_medial") == "Thigh medial"
    assert words(None) == ""
    assert cites(["AETH-DE", "AETH-CH"]) == "AETH-DE; AETH-CH"


def test_a_limit_without_a_label_is_named_by_its_words() -> None:
    assert limit_label("agent_dose_mg") == "Drug dose today"
    assert limit_label("some_new_limit") == "Some new limit"


def test_the_named_filter_shows_the_protocols_name_for_a_code() -> None:
    assert named("thigh_medial", "region") == "Inner thigh"
    assert named("aethoxysklerol", "product") == "Aethoxysklerol"
    assert named("sodium_tetradecyl_sulfate", "agent lower") == "sodium tetradecyl sulfate"
    assert named("telangiectasia", "vessel_class short") == "Telangiectasia"
    assert named("not_in_the_protocol", "symptom") == "Not in the protocol"


def test_the_named_filter_refuses_an_option_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="loud"):
        named("thigh_medial", "region loud")
