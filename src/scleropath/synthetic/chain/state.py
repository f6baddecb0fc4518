"""The state of one run of the chain generator, shared by its parts: the size asked for, the random
source, the catalogue of what may be injected, the tables being filled and the ids counted on."""

from __future__ import annotations

import json
import random
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from scleropath.assessments.models import Assessment, TreatmentPlan, VeinFinding
from scleropath.patients.models import Patient
from scleropath.protocol import Engine
from scleropath.synthetic.people import counted_nhs_numbers
from scleropath.treatment.models import StockLot, TreatmentSession

from .bulk import BulkLoader
from .catalogue import Budget, Catalogue, Option
from .columns import TABLES


class ChainError(Exception):
    """The chain cannot be generated into this database or at these sizes."""


@dataclass(frozen=True)
class ChainSize:
    clinics: int = 10
    practitioners: int = 5  # per clinic: clinicians and nurses who inject
    patients: int = 100_000
    sessions: int = 1_000_000
    injections: int = 10_000_000
    years: int = 3

    def scaled(self, factor: float) -> ChainSize:
        """Patients, sessions and injections times ``factor``; clinics and staff stay."""
        return ChainSize(
            clinics=self.clinics,
            practitioners=self.practitioners,
            patients=max(1, round(self.patients * factor)),
            sessions=max(1, round(self.sessions * factor)),
            injections=max(1, round(self.injections * factor)),
            years=self.years,
        )

    def check(self) -> None:
        if min(self.clinics, self.practitioners, self.patients, self.years) < 1:
            raise ChainError("Clinics, practitioners, patients and years must each be at least 1.")
        if self.sessions < 0 or self.injections < self.sessions:
            raise ChainError("Every session has at least one injection: injections must be >= sessions.")


@dataclass
class OpenSession:
    """A written session kept for a final top-up if the chain ends short of its injection count."""

    clinic_id: int
    session_id: int
    practitioner: int
    product: str
    budget: Budget
    given: list[tuple[tuple[Any, ...], Option]]
    next_at: datetime
    year: int


class Chain:
    """One run: what it was asked for, where it has got to, and the tables it fills."""

    def __init__(
        self, size: ChainSize, *, seed: int, until: date, loader: BulkLoader, engine: Engine
    ) -> None:
        size.check()
        self.size = size
        self.seed = seed
        self.until = until
        self.until_ord = until.toordinal()
        self.rng = random.Random(seed)
        self.loader = loader
        self.catalogue = Catalogue(engine, self.rng)
        self.protocol = engine.protocol
        self.product_ids = list(self.catalogue.products)
        self._midnights: dict[int, datetime] = {}
        self._json: dict[int, str] = {}
        self.lots: dict[tuple[int, str, float, int], int] = {}
        self.recent: deque[OpenSession] = deque(maxlen=5_000)
        self.nhs_numbers = counted_nhs_numbers()
        self.remaining_injections = size.injections
        self.remaining_sessions = size.sessions

    def day(self, ordinal: int) -> date:
        return date.fromordinal(ordinal)

    def at(self, ordinal: int, minutes: int) -> datetime:
        """A naive UTC datetime ``minutes`` after midnight of the day (the backends store UTC)."""
        base = self._midnights.get(ordinal)
        if base is None:
            base = self._midnights[ordinal] = datetime.combine(date.fromordinal(ordinal), datetime.min.time())
        return base + timedelta(minutes=minutes)

    def dumps(self, value: Any) -> str:
        """JSON text, shared between rows that store the same cached engine answer (only for
        values that live as long as the run: the cache is keyed by the object's identity)."""
        key = id(value)
        text = self._json.get(key)
        if text is None:
            text = self._json[key] = json.dumps(value, separators=(",", ":"))
        return text

    def open_tables(self) -> None:
        ld = self.loader
        self.ids = {
            "lot": ld.next_id(StockLot),
            "patient": ld.next_id(Patient),
            "assessment": ld.next_id(Assessment),
            "finding": ld.next_id(VeinFinding),
            "plan": ld.next_id(TreatmentPlan),
            "session": ld.next_id(TreatmentSession),
        }
        tables = {name: ld.table(model, columns) for name, (model, columns) in TABLES.items()}
        self.t_lot, self.t_patient = tables["lot"], tables["patient"]
        self.t_assessment, self.t_finding, self.t_leg = tables["assessment"], tables["finding"], tables["leg"]
        self.t_plan, self.t_session, self.t_injection = tables["plan"], tables["session"], tables["injection"]
        self.t_follow_up, self.t_check_in = tables["follow_up"], tables["check_in"]
        self.t_event, self.t_outcome = tables["event"], tables["outcome"]

    def flush(self) -> None:
        for table in self.loader.tables.values():
            table.flush()
