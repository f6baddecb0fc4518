"""A synthetic clinic chain at scale, for measuring the analytics on a realistic volume of records.

The generator writes clinics, staff and stock through the ORM, then streams patients, assessments
(findings and leg scores), plans, sessions, injections, follow-ups, check-ins, adverse events and
outcomes in big batches (see ``bulk.py``). Every clinical value comes from the engine's loaded
protocol (``catalogue.py``): findings the engine classified and planned, injections the plan allows
within the session limits it sets, the aftercare's follow-ups and check-ins, triage of each symptom,
CEAP and VCSS scored by the engine. The only figures the generator chooses itself are the shape of
the workload (how sessions group into courses, how far apart courses are, how many appointments are
attended or answered), which are no clinical claim; outcome measures are drawn evenly over their
valid range for the same reason.

The same seed and end date give the same chain, row for row, in an empty database.

The parts, in the order a run uses them: ``generate.py`` (the run and ``generate_chain``),
``state.py`` (what the parts share), ``clinics.py``, ``patients.py`` (courses, assessments, plans,
outcomes), ``sessions.py`` (sessions and injections), ``after_session.py`` (follow-ups, check-ins,
side effects); and beneath them ``catalogue.py``, ``columns.py`` and ``bulk.py``.
"""

from .clinics import is_generated
from .generate import generate_chain
from .state import ChainError, ChainSize

__all__ = ["ChainError", "ChainSize", "generate_chain", "is_generated"]
