"""Running one piece of work in many threads at once, each in its own transaction and database
connection, to prove that a rule holds when requests race (on SQLite and on PostgreSQL alike)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction


def at_once(count: int, work: Callable[[], Any]) -> list[Any]:
    """Run ``work`` in ``count`` threads released together, each in its own transaction and
    connection; returns what each returned or raised."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                outcome: Any = work()
        except Exception as exc:
            outcome = exc
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == count, "a thread did not finish"
    return results
