"""Answers built on the planner's hot path skip validation; these tests prove they are complete
and valid by round-tripping them through the models' own validation."""

from __future__ import annotations

import json
from importlib.resources import files

from scleropath.protocol import Engine
from scleropath.protocol.answers import PlanAnswer, SessionCheckAnswer, TriageAnswer


def _example(name: str) -> dict:
    return json.loads((files("scleropath") / "examples" / name).read_text())


def test_a_plan_answer_survives_a_round_trip_through_validation():
    answer = Engine().plan(_example("assessment.json"))
    dumped = answer.model_dump(mode="json")
    again = PlanAnswer.model_validate(dumped)
    assert again.model_dump(mode="json") == dumped
    assert len(again.findings) == len(_example("assessment.json")["findings"])


def test_a_session_check_answer_survives_a_round_trip_through_validation():
    answer = Engine().check_session(_example("session.json"))
    dumped = answer.model_dump(mode="json")
    assert SessionCheckAnswer.model_validate(dumped).model_dump(mode="json") == dumped


def test_a_triage_answer_survives_a_round_trip_through_validation():
    answer = Engine().triage(_example("triage.json"))
    dumped = answer.model_dump(mode="json")
    assert TriageAnswer.model_validate(dumped).model_dump(mode="json") == dumped
