"""Triage of a reported side effect or complication at a number of days after treatment."""

from __future__ import annotations

from .aftercare import follow_up_advice
from .answers import TriageAnswer
from .inputs import InputError, TriageRequest
from .model import Protocol
from .vocabulary import TRIAGE_RANK
from .wording import words


def triage(protocol: Protocol, request: TriageRequest) -> TriageAnswer:
    symptom = protocol.symptoms.get(request.symptom)
    if symptom is None:
        raise InputError.single(
            "symptom", f"unknown symptom code {request.symptom!r}; known: {', '.join(protocol.symptoms)}"
        )
    level = symptom.level
    rule_ids = [f"triage.{symptom.code}"]
    cites = list(symptom.cite)
    reasons = [f"{symptom.display}: {words(level)} in the protocol."]
    window = symptom.expected_resolution_days
    days = request.days_since_treatment
    if (
        symptom.escalate_after_resolution
        and window is not None
        and window.max is not None
        and days > window.max
    ):
        if TRIAGE_RANK[level] < TRIAGE_RANK["routine_review"]:
            level = "routine_review"
        rule_ids.append(f"triage.{symptom.code}.persisting")
        cites.extend(symptom.resolution_cite)
        reasons.append(
            f"Still present on day {days:g}, after it usually settles (within {window.max:g} days): review."
        )
    if symptom.resolution_cite:
        cites.extend(symptom.resolution_cite)
    form = request.treatment.form
    if form is not None and form not in symptom.forms:
        reasons.append(f"Not usually reported after {form} treatment; consider another cause.")
    follow = follow_up_advice(symptom.follow_up) if symptom.follow_up else None
    if follow is not None:
        rule_ids.append(follow.id)
        cites.extend(follow.citations)
    return TriageAnswer.model_construct(
        protocol=protocol.ref(),
        symptom=symptom.code,
        display=symptom.display,
        level=level,
        advice=symptom.advice,
        management=symptom.management,
        expected_resolution_days=window.as_list() if window else None,
        onset=symptom.onset,
        resolution=symptom.resolution,
        follow_up=follow,
        reasons=reasons,
        rule_ids=rule_ids,
        citations=protocol.cite_list(cites),
    )
