"""Fast bulk loading for generated data: ``executemany`` in big batches on SQLite, ``COPY`` on
PostgreSQL.

Rows are plain tuples in a column order the caller names; every other column of the table gets its
field's default. Primary keys are given by the caller (counted on from the table's current maximum),
so rows can point at each other without a round trip; sequences are moved past them at the end.
Nothing here goes through ``Model.save``: no signals fire, so the audit log records none of it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from django.core.management.color import no_style
from django.db import connection, models


class Table:
    """One table being filled: a buffer of rows flushed in batches."""

    def __init__(self, loader: BulkLoader, model: type[models.Model], columns: Sequence[str]) -> None:
        meta = model._meta
        by_attname = {f.attname: f for f in meta.concrete_fields}
        unknown = [c for c in columns if c not in by_attname]
        if unknown:
            raise ValueError(f"{meta.label} has no column(s) {', '.join(unknown)}")
        self.loader = loader
        self.model = model
        self.name = meta.db_table
        self.given = len(columns)
        # Columns the caller does not give are filled with the field's default, prepared once.
        rest = [
            f
            for f in meta.concrete_fields
            if f.attname not in columns and not (f.primary_key and isinstance(f, models.AutoField))
        ]
        for f in rest:
            if not f.has_default() and not f.null and not f.blank:
                raise ValueError(f"{meta.label}.{f.attname} has no default; the generator must give it")
        self.defaults = tuple(
            f.get_db_prep_save(f.get_default(), connection) if f.has_default() or not f.null else None
            for f in rest
        )
        self.columns = [by_attname[c].column for c in columns] + [f.column for f in rest]
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.loader.batch_size:
            self.flush()

    def extend(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        if self.defaults:
            rows = [row + self.defaults for row in rows]
        self.loader.write(self, rows)
        self.count += len(rows)


class BulkLoader:
    """Writes tables in batches and reports rows per second on ``progress``."""

    def __init__(self, batch_size: int = 50_000, progress: TextIO | None = None) -> None:
        self.batch_size = batch_size
        self.progress = progress if progress is not None else sys.stderr
        self.vendor = connection.vendor
        self.tables: dict[str, Table] = {}
        self.started = time.monotonic()
        self.last_report = 0.0
        self.written = 0

    def table(self, model: type[models.Model], columns: Sequence[str]) -> Table:
        table = Table(self, model, columns)
        self.tables[table.name] = table
        return table

    @staticmethod
    def next_id(model: type[models.Model]) -> int:
        """The first free primary key of ``model``'s table."""
        top = model._default_manager.aggregate(top=models.Max("pk"))["top"]
        return int(top or 0) + 1

    def write(self, table: Table, rows: list[tuple[Any, ...]]) -> None:
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cols = ", ".join(connection.ops.quote_name(c) for c in table.columns)
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {connection.ops.quote_name(table.name)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cols = ", ".join(connection.ops.quote_name(c) for c in table.columns)
                marks = ", ".join(["%s"] * len(table.columns))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table.name)} ({cols}) VALUES ({marks})", rows
                )
        self.written += len(rows)
        self.report()

    def report(self, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self.last_report < 2:
            return
        self.last_report = now
        elapsed = max(now - self.started, 1e-9)
        counts = ", ".join(
            f"{t.model._meta.model_name} {t.count + len(t.rows):,}" for t in self.tables.values()
        )
        self.progress.write(
            f"{'done' if final else '...'} {self.written:,} rows in {elapsed:.1f} s "
            f"({self.written / elapsed:,.0f} rows/s): {counts}\n"
        )
        self.progress.flush()

    def finish(self) -> None:
        """Flush every table and move the primary-key sequences past the rows written."""
        for table in self.tables.values():
            table.flush()
        statements = connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables.values()])
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        self.report(final=True)
