from __future__ import annotations

from typing import Any

import pytest

from scleropath.protocol import Engine


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine()


@pytest.fixture
def assess() -> Any:
    """An assessment request for a 70 kg patient with the findings and patient fields given."""

    def make(
        *findings: dict[str, Any], planned: dict[str, Any] | None = None, **patient: Any
    ) -> dict[str, Any]:
        person = {
            "age_years": 50,
            "sex": "female",
            "weight_kg": 70,
            "conditions": [],
            "allergies": [],
            **patient,
        }
        request: dict[str, Any] = {
            "patient": person,
            "findings": [{"id": f"f{i}", "side": "left", **f} for i, f in enumerate(findings)],
        }
        if planned:
            request["planned"] = planned
        return request

    return make
