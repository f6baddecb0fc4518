"""Answers built on the planner's hot path skip validation; these tests prove they are complete and
valid by round-tripping them through the answer models' own validation."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import pytest
from pydantic import BaseModel

from scleropath.protocol import Engine
from scleropath.protocol.answers import (
    CeapAnswer,
    PlanAnswer,
    Screening,
    SessionCheckAnswer,
    TriageAnswer,
    VcssAnswer,
)

EXAMPLES: list[tuple[str, str, type[BaseModel]]] = [
    ("plan", "assessment.json", PlanAnswer),
    ("screen", "assessment.json", Screening),
    ("check_session", "session.json", SessionCheckAnswer),
    ("triage", "triage.json", TriageAnswer),
    ("ceap", "ceap.json", CeapAnswer),
    ("vcss", "vcss.json", VcssAnswer),
]


def example(name: str) -> Any:
    return json.loads((files("scleropath") / "examples" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("method", "file", "model"), EXAMPLES, ids=[m for m, _, _ in EXAMPLES])
def test_an_answer_to_a_shipped_example_survives_a_round_trip_through_validation(
    engine: Engine, method: str, file: str, model: type[BaseModel]
) -> None:
    answer = getattr(engine, method)(example(file))
    assert isinstance(answer, model)
    dumped = answer.model_dump(mode="json")
    assert model.model_validate(dumped).model_dump(mode="json") == dumped


def test_a_plan_of_the_example_answers_every_finding_in_order(engine: Engine) -> None:
    request = example("assessment.json")
    answer = engine.plan(request)
    assert [f.id for f in answer.findings] == [f["id"] for f in request["findings"]]
