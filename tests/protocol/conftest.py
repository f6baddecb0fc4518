"""Named fixtures for the engine's tests: the engine, a typical patient and request factories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scleropath.protocol import Engine, load_clinic_protocol, load_protocol
from scleropath.protocol.answers import FindingPlan
from scleropath.protocol.model import Protocol

from .support import AssessmentFactory, InjectionFactory, Json, SessionFactory


@pytest.fixture(scope="session")
def protocol() -> Protocol:
    """The bundled UK default protocol."""
    return load_protocol()


@pytest.fixture(scope="session")
def engine(protocol: Protocol) -> Engine:
    return Engine(protocol)


@pytest.fixture
def typical_patient() -> Json:
    """A 70 kg adult with nothing to screen: the patient of the Aethoxysklerol label's own example."""
    return {
        "age_years": 50,
        "sex": "female",
        "weight_kg": 70,
        "pregnant": False,
        "breastfeeding": False,
        "allergies": [],
        "conditions": [],
        "mobility": "ambulant",
    }


@pytest.fixture
def make_finding() -> Callable[..., Json]:
    """A finding on the left leg with the fields given (id ``f0`` unless given)."""

    def make(**fields: Any) -> Json:
        return {"id": "f0", "side": "left", **fields}

    return make


@pytest.fixture
def make_assessment(typical_patient: Json) -> AssessmentFactory:
    """An assessment of the typical patient, with ``**patient`` overriding the patient's fields and
    each finding given as its fields (ids ``f0``, ``f1``... unless given)."""

    def make(*findings: Json, planned: Json | None = None, **patient: Any) -> Json:
        request: Json = {
            "patient": {**typical_patient, **patient},
            "findings": [{"id": f"f{i}", "side": "left", **f} for i, f in enumerate(findings)],
        }
        if planned is not None:
            request["planned"] = planned
        return request

    return make


@pytest.fixture
def make_injection() -> InjectionFactory:
    """One injection; polidocanol liquid 1 % unless told otherwise."""

    def make(
        volume_ml: float,
        concentration_percent: float = 1.0,
        *,
        form: str = "liquid",
        agent: str = "polidocanol",
        **extra: Any,
    ) -> Json:
        return {
            "agent": agent,
            "form": form,
            "concentration_percent": concentration_percent,
            "volume_ml": volume_ml,
            **extra,
        }

    return make


@pytest.fixture
def make_session(typical_patient: Json) -> SessionFactory:
    """A session check for the typical patient (``**patient`` overrides its fields)."""

    def make(*injections: Json, product: str | None = None, session_number: int = 1, **patient: Any) -> Json:
        request: Json = {
            "patient": {**typical_patient, **patient},
            "session_number": session_number,
            "injections": list(injections),
        }
        if product is not None:
            request["product"] = product
        return request

    return make


@pytest.fixture
def first_plan(engine: Engine, make_assessment: AssessmentFactory) -> Callable[..., FindingPlan]:
    """The plan of a single finding for the typical patient: ``first_plan(finding, **patient)``."""

    def plan(finding: Json, planned: Json | None = None, **patient: Any) -> FindingPlan:
        return engine.plan(make_assessment(finding, planned=planned, **patient)).findings[0]

    return plan


@pytest.fixture
def clinic_engine(protocol: Protocol, tmp_path: Path) -> Callable[..., Engine]:
    """An engine under a clinic protocol file with the given fields, on top of the bundled base."""

    def make(**fields: Any) -> Engine:
        clinic = {
            "format_version": 1,
            "base": {"id": protocol.id, "version": protocol.version},
            "id": "test-clinic",
            "version": "1.0.0",
            "title": "Test clinic",
            **fields,
        }
        path = tmp_path / "clinic.yaml"
        path.write_text(yaml.safe_dump(clinic, sort_keys=False), encoding="utf-8")
        return Engine(load_clinic_protocol(path, protocol))

    return make
