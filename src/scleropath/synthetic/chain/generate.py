"""One run of the generator, and ``generate_chain``, the way in: the clinics first, then the
patients in transactions of a few thousand, a final top-up if injections are still owed, and the
bulk loader's finish."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.db import connection, transaction

from scleropath.accounts.models import Clinic
from scleropath.core.engine import engine_for
from scleropath.protocol import Engine

from .bulk import BulkLoader
from .clinics import is_generated, make_clinics, real_clinics
from .patients import patient
from .sessions import top_up
from .state import Chain, ChainError, ChainSize

PATIENTS_PER_TRANSACTION = 2_000


def run(chain: Chain) -> dict[str, int]:
    """Write the whole chain; the rows written per model."""
    with transaction.atomic():
        staff = make_clinics(chain)
    chain.open_tables()
    sessions_for = split(chain.rng, chain.size.sessions, chain.size.patients, spread=0.9)
    weights = [chain.rng.uniform(0.5, 1.5) for _ in staff]
    for start in range(0, chain.size.patients, PATIENTS_PER_TRANSACTION):
        with transaction.atomic():
            for i in range(start, min(start + PATIENTS_PER_TRANSACTION, chain.size.patients)):
                clinic = chain.rng.choices(staff, weights)[0]
                patient(chain, clinic, sessions_for[i])
            chain.flush()
    if chain.remaining_injections:
        with transaction.atomic():
            top_up(chain)
            chain.flush()
    with transaction.atomic():
        chain.loader.finish()
    return {t.model._meta.label: t.count for t in chain.loader.tables.values()}


def split(rng: random.Random, total: int, parts: int, spread: float) -> list[int]:
    """``total`` split over ``parts`` with about ``spread`` relative variation, summing exactly."""
    base, extra = divmod(total, parts)
    out = [base + (1 if i < extra else 0) for i in range(parts)]
    rng.shuffle(out)
    for i in range(0, parts - 1, 2):
        a, b = out[i], out[i + 1]
        move = rng.randint(0, int(min(a, b) * spread))
        out[i], out[i + 1] = a - move, b + move
    return out


def generate_chain(
    size: ChainSize,
    *,
    seed: int,
    until: date,
    force: bool = False,
    batch_size: int = 50_000,
    progress: Any = None,
    engine: Engine | None = None,
) -> dict[str, int]:
    """Fill the database with a generated chain; returns the rows written per model.

    Refuses a database holding a generated chain already, and one holding real clinics unless
    ``force``. The generated clinics have no clinic file, so their records follow the configured
    protocol (``engine_for(None)``) unless another ``engine`` is given.
    """
    if any(is_generated(c) for c in Clinic.objects.all()):
        raise ChainError("This database already holds a generated chain; generate into an empty database.")
    real = real_clinics()
    if real and not force:
        names = ", ".join(c.name for c in real[:3]) + (" ..." if len(real) > 3 else "")
        raise ChainError(
            f"This database holds {len(real)} real clinic(s) ({names}); generated records would mix "
            "with them. Use an empty database, or --force if that is really meant."
        )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB of page cache for the index inserts
    loader = BulkLoader(batch_size=batch_size, progress=progress)
    chain = Chain(size, seed=seed, until=until, loader=loader, engine=engine or engine_for(None))
    counts = run(chain)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would soon gather them on a live database; SQLite gets
        # none, as a live SQLite database has none unless someone runs ANALYZE.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts
