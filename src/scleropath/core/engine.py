"""The records app's way to the clinical engine: one cached engine per protocol and clinic file."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings

from scleropath.protocol import Engine, wording

if TYPE_CHECKING:
    from scleropath.accounts.models import Clinic


@lru_cache(maxsize=32)
def _engine(protocol_dir: str | None, clinic_file: str | None) -> Engine:
    return Engine.from_files(protocol_dir, clinic_file)


def engine_for(clinic: Clinic | None) -> Engine:
    """The engine for ``clinic``: the configured protocol with the clinic's own file applied, if any."""
    clinic_file = (clinic.clinic_protocol if clinic else "") or settings.SCLEROPATH_CLINIC_PROTOCOL or None
    return _engine(settings.SCLEROPATH_PROTOCOL_DIR, clinic_file)


def name_of(kind: str, code: str | None, *, capital: bool = True, short: bool = False) -> str:
    """A code by the configured protocol's name for it (``wording.name_of``), for labels that have
    no clinic at hand: a record's ``__str__``, a template filter.

    The configured protocol names codes for every clinic: a clinic's own file chooses products
    and strengths but cannot rename anything (``Protocol.with_overlay`` changes only the manifest
    and local choices), so looking up the record's clinic would cost a query and change nothing.
    """
    return wording.name_of(engine_for(None).protocol, kind, code, capital=capital, short=short)
