"""Planning an assessment: per finding the procedure and its allowed options, then the session
limits, the treatment order and the aftercare that follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from .aftercare import aftercare_for
from .answers import Aftercare, Classification, FindingPlan, Option, PlanAnswer, Screening, build
from .classify import classify
from .inputs import Assessment, Finding, InputError, Patient, Planned
from .model import Protocol
from .schema import ProcedureRule, ProductDef
from .screening import allergy_agents, candidate_products, caution_forms, form_caution, screen
from .session import session_limits
from .vocabulary import TREATING_PROCEDURES, Procedure
from .wording import name_of


def match_rule(protocol: Protocol, vessel_class: str, finding: Finding) -> ProcedureRule | None:
    """The first rule whose conditions all hold. The protocol lists its rules from the most specific
    to the most general, so order is precedence; an unset condition matches anything."""
    policy = protocol.manifest.policies.truncal_reflux
    for rule in protocol.procedures.rules:
        w = rule.when
        if w.vessel_class is not None and vessel_class not in w.vessel_class:
            continue
        if w.reflux is not None and finding.reflux not in w.reflux:
            continue
        if w.visible is not None and finding.visible != w.visible:
            continue
        if w.bleeding is not None and finding.bleeding != w.bleeding:
            continue
        if w.named_vein is not None and finding.named_vein not in w.named_vein:
            continue
        if w.truncal_policy is not None and w.truncal_policy != policy:
            continue
        return rule
    return None


@dataclass(frozen=True)
class Decision:
    """The part of a finding's plan that depends only on its class, the matched rule and the patient."""

    procedure: str
    alternatives: list[str]
    referral_for: str | None
    prerequisites: list[str]
    reason: str
    options: list[Option]
    warnings: list[str]
    rule_ids: list[str]
    citations: list[str]
    # Products of every option offered, the chosen procedure's and the alternatives'.
    offered_products: tuple[str, ...] = ()


def build_options(
    protocol: Protocol,
    vessel_class: str,
    procedure: str,
    products: tuple[ProductDef, ...],
    blocked: frozenset[tuple[str, str]],
    allergic: frozenset[str],
    planned_form: str | None,
) -> tuple[list[Option], list[str]]:
    """Options for one procedure, and why any labelled option was withheld."""
    forms = next(p.forms for p in protocol.procedures.procedures if p.id == procedure)
    technique = protocol.techniques.get(procedure)
    layer = protocol.vessel_classes[vessel_class].layer
    options: list[Option] = []
    withheld: list[str] = []
    for product in products:
        for j, use in enumerate(product.uses):
            if vessel_class not in use.vessel_classes or use.form not in forms:
                continue
            if planned_form is not None and use.form != planned_form:
                continue
            if product.agent in allergic:
                withheld.append(
                    f"{name_of(protocol, 'product', product.id)} {use.form}: patient is allergic to "
                    f"{name_of(protocol, 'agent', product.agent, capital=False)}."
                )
                continue
            if (product.id, use.form) in blocked:
                withheld.append(
                    f"{name_of(protocol, 'product', product.id)} {use.form}: absolute contraindication on screening."
                )
                continue
            conc = use.concentration_percent.as_list()
            notes = [use.note] if use.note else []
            rule_ids = [f"formulary.{product.id}.uses[{j}]"]
            cites = list(use.cite)
            local = protocol.local_choices.get((product.id, vessel_class, use.form))
            deviation = None
            if local is not None:
                conc = local.percent.as_list()
                rule_ids.append(local.rule_id)
                if local.deviation_reason:
                    deviation = f"{local.deviation_reason} (approved by {local.approved_by})"
                    notes.append(f"Local deviation from the label range: {deviation}.")
                else:
                    notes.append("Narrowed by the clinic's protocol.")
            # A range leaves the strength to the clinician, so it carries the formulary's advice to
            # start low when unsure; a point strength (a clinic's choice) leaves nothing to choose.
            if conc[0] != conc[1]:
                notes.append(protocol.formulary.lower_when_unsure.note or "")
                rule_ids.append("formulary.lower_when_unsure")
                cites.extend(protocol.formulary.lower_when_unsure.cite)
            # The product's own needle range, where its label gives one, is narrower than the
            # procedure's general technique.
            needle = use.needle_gauge or (technique.needle_gauge if technique else None)
            if technique is not None:
                rule_ids.append(f"technique.{procedure}")
                cites.extend(technique.cite)
            options.append(
                Option.model_construct(
                    procedure=cast(Procedure, procedure),
                    agent=product.agent,
                    product=product.id,
                    form=use.form,
                    concentration_percent=conc,
                    volume_per_site_ml=use.volume_per_site_ml.as_list() if use.volume_per_site_ml else None,
                    needle_gauge=needle.as_list() if needle else None,
                    depth=layer,
                    technique=technique.injection if technique else None,
                    notes=[n for n in notes if n],
                    local_choice=local is not None,
                    local_deviation=deviation,
                    rule_ids=rule_ids,
                    citations=protocol.cite_list(cites),
                )
            )
    return options, withheld


def decide(
    protocol: Protocol,
    vessel_class: str,
    rule: ProcedureRule | None,
    pregnant: bool,
    products: tuple[ProductDef, ...],
    blocked: frozenset[tuple[str, str]],
    allergic: frozenset[str],
    planned_form: str | None,
) -> Decision:
    if rule is None:
        return Decision(
            procedure="defer",
            alternatives=[],
            referral_for=None,
            prerequisites=[],
            reason="No protocol rule covers this finding; the clinician decides.",
            options=[],
            warnings=[],
            rule_ids=["procedures.no_rule"],
            citations=[],
        )
    # The rule's procedure is tried first, then its alternatives in order: one this patient cannot
    # have (no product left after allergies and screening) falls through to the next, with a warning
    # saying why, rather than leaving the finding without a plan.
    sequence = [rule.procedure, *rule.alternatives]
    rule_ids = [rule.id]
    cites = list(rule.cite)
    warnings: list[str] = []
    available: list[str] = []
    options_by_proc: dict[str, list[Option]] = {}
    for proc in sequence:
        if proc not in TREATING_PROCEDURES:  # a referral or deferral needs no product
            available.append(proc)
            continue
        opts, withheld = build_options(
            protocol, vessel_class, proc, products, blocked, allergic, planned_form
        )
        if opts:
            available.append(proc)
            options_by_proc[proc] = opts
        else:
            why = (
                " ".join(withheld)
                if withheld
                else "no product in use is labelled for this vein in this form."
            )
            warnings.append(f"{name_of(protocol, 'procedure', proc)} not offered: {why}")
    chosen = available[0] if available else "defer"
    alternatives = [p for p in available if p != chosen]
    reason = rule.reason
    if chosen != rule.procedure and chosen == "defer":
        reason = f"{rule.reason} None of the recommended procedures is possible for this patient; the clinician decides."
    # The patient's rule (pregnancy defers treatment) replaces the choice, but what would have been
    # done stays first among the alternatives: a clinician who overrides with a reason sees it.
    if pregnant and chosen in TREATING_PROCEDURES:
        for prule in protocol.procedures.patient_rules:
            if prule.when_patient == "pregnant":
                alternatives = [chosen, *alternatives]
                chosen = prule.procedure
                reason = prule.reason
                rule_ids.append(prule.id)
                cites.extend(prule.cite)
    if chosen in TREATING_PROCEDURES:
        options = options_by_proc[chosen]
    else:
        # Nothing is injected under a referral or deferral, but the clinician may still treat here
        # by an alternative, so its options are shown.
        options = [o for p in alternatives if p in options_by_proc for o in options_by_proc[p]]
    for o in options:
        rule_ids.extend(o.rule_ids)
        cites.extend(o.citations)
    return Decision(
        procedure=chosen,
        alternatives=alternatives,
        referral_for=rule.referral_for if "referral" in (chosen, *alternatives) else None,
        prerequisites=list(rule.prerequisites),
        reason=reason,
        options=options,
        warnings=warnings,
        rule_ids=list(dict.fromkeys(rule_ids)),
        citations=protocol.cite_list(cites),
        offered_products=tuple(
            dict.fromkeys(o.product for p in (chosen, *alternatives) for o in options_by_proc.get(p, []))
        ),
    )


@dataclass(frozen=True)
class FindingOutcome:
    """Everything in a finding's plan except its id, side and region; shared between findings."""

    classification: Classification
    decision: Decision
    warnings: list[str]
    rule_ids: list[str]
    citations: list[str]


class Planner:
    """Plans assessments against one protocol.

    Findings that share a classification key, a matched rule and a patient context share one
    :class:`FindingOutcome`, so planning a finding is mostly dictionary look-ups.
    """

    def __init__(self, protocol: Protocol) -> None:
        self.protocol = protocol
        self._outcomes: dict[tuple[Any, ...], FindingOutcome] = {}
        self._aftercare: dict[tuple[Any, ...], Aftercare] = {}
        self._screening: dict[tuple[Any, ...], Screening] = {}
        in_use = set(protocol.manifest.products_in_use)
        self._boundaries = [lb for lb in protocol.vessels.label_boundaries if lb.product in in_use]
        # Open band ends as infinities, so finding a diameter's band is one comparison per band.
        inf = float("inf")
        self._bands = [
            (b.min_mm if b.min_mm is not None else -inf, b.below_mm if b.below_mm is not None else inf)
            for b in protocol.vessels.diameter_bands
        ]

    def _classification_key(self, f: Finding) -> tuple[Any, ...]:
        """What classification depends on: the diameter only through its band and label boundaries."""
        band = None
        d = f.diameter_mm
        hits: tuple[bool, ...] = ()
        if d is not None:
            for i, (low, below) in enumerate(self._bands):
                if low <= d < below:
                    band = i
                    break
            if self._boundaries:
                hits = tuple(lb.diameter_mm.contains(d) for lb in self._boundaries)
        return (band, hits, f.vessel, f.named_vein, f.recurrent, f.depth)

    def _outcome(
        self, finding: Finding, context: tuple[Any, ...], planned_conc: float | None
    ) -> FindingOutcome:
        key = (
            self._classification_key(finding),
            finding.reflux,
            finding.visible,
            finding.bleeding,
            context,
            planned_conc,
        )
        outcome = self._outcomes.get(key)
        if outcome is not None:
            return outcome
        pregnant, product_ids, blocked, allergic, planned_form = context
        protocol = self.protocol
        products = tuple(protocol.products[pid] for pid in product_ids)
        cls = classify(protocol, finding)
        rule = match_rule(protocol, cls.vessel_class, finding)
        decision = decide(
            protocol, cls.vessel_class, rule, pregnant, products, blocked, allergic, planned_form
        )
        warnings = [*cls.warnings, *decision.warnings]
        if planned_conc is not None and decision.options:
            c = planned_conc
            # An open end of an option's range does not bound the planned strength.
            if not any(
                (o.concentration_percent[0] or 0) <= c <= (o.concentration_percent[1] or c)
                for o in decision.options
            ):
                warnings.append(f"Planned {c:g}% is outside every option's range for this vein.")
        outcome = FindingOutcome(
            classification=cls,
            decision=decision,
            warnings=warnings,
            rule_ids=list(dict.fromkeys(cls.rule_ids + decision.rule_ids)),
            citations=protocol.cite_list(cls.citations, decision.citations),
        )
        # The planner lives as long as the process (one per clinic's engine); the caps bound its
        # memory when findings keep arriving with new keys, at the cost of recomputing past them.
        if len(self._outcomes) < 100_000:
            self._outcomes[key] = outcome
        return outcome

    def _screen(self, patient: Patient, planned: Planned | None) -> Screening:
        key = (
            tuple(patient.conditions),
            tuple(patient.allergies),
            patient.pregnant,
            patient.breastfeeding,
            patient.mobility,
            planned.agent if planned else None,
            planned.product if planned else None,
            planned.form if planned else None,
        )
        found = self._screening.get(key)
        if found is None:
            found = screen(self.protocol, patient, planned)
            if len(self._screening) < 10_000:
                self._screening[key] = found
        return found

    def _form_cautions(self, screening: Screening) -> list[tuple[str, str, str, list[str]]]:
        """The screening findings that concern one form in particular, as (form, warning, rule id,
        citations) for the findings treated in that form."""
        out = []
        for found in screening.findings:
            item = self.protocol.screening_items.get(found.code)
            if item is None:  # the engine's own prompts (an unrecognised allergy) concern no form
                continue
            for form in sorted(caution_forms(item)):
                out.append(
                    (form, form_caution(self.protocol, item, form), f"screening.{item.code}", item.cite)
                )
        return out

    def _aftercare_for(self, pairs: frozenset[tuple[str, str]], products: list[ProductDef]) -> Aftercare:
        key = (pairs, tuple(p.id for p in products))
        found = self._aftercare.get(key)
        if found is None:
            found = aftercare_for(self.protocol, pairs, products)
            if len(self._aftercare) < 10_000:
                self._aftercare[key] = found
        return found

    def plan(self, assessment: Assessment) -> PlanAnswer:
        protocol = self.protocol
        patient = assessment.patient
        planned = assessment.planned
        regions = protocol.region_levels
        # Regions come from the protocol, so they are checked here rather than in inputs.py.
        for i, f in enumerate(assessment.findings):
            if f.region is not None and f.region not in regions:
                raise InputError.single(
                    f"findings[{i}].region", f"unknown region {f.region!r}; known: {', '.join(regions)}"
                )
        screening = self._screen(patient, planned)
        allergic, _ = allergy_agents(protocol, patient)
        products = candidate_products(protocol, planned)
        blocked = frozenset((b.product, b.form) for b in screening.blocked)
        context = (
            patient.pregnant,
            tuple(p.id for p in products),
            blocked,
            allergic,
            planned.form if planned else None,
        )
        planned_conc = planned.concentration_percent if planned else None
        session_number = planned.session_number if planned else 1

        cautions = self._form_cautions(screening)
        plans: list[FindingPlan] = []
        outcomes: dict[int, FindingOutcome] = {}
        for finding in assessment.findings:
            outcome = self._outcome(finding, context, planned_conc)
            outcomes[id(outcome)] = outcome  # findings share outcomes: count each one's ids once
            d = outcome.decision
            # A screening caution about a form is repeated on each finding the plan offers it for,
            # where the clinician reads the option, not only in the screening summary above.
            offered_forms = {o.form for o in d.options}
            repeated = [c for c in cautions if c[0] in offered_forms]
            plans.append(
                build(
                    FindingPlan,
                    id=finding.id,
                    side=finding.side,
                    region=finding.region,
                    vessel_class=outcome.classification.vessel_class,
                    classification=outcome.classification,
                    procedure=d.procedure,
                    alternatives=d.alternatives,
                    referral_for=d.referral_for,
                    prerequisites=d.prerequisites,
                    reason=d.reason,
                    options=d.options,
                    warnings=[*outcome.warnings, *(c[1] for c in repeated)],
                    rule_ids=list(dict.fromkeys([*outcome.rule_ids, *(c[2] for c in repeated)])),
                    citations=protocol.cite_list(outcome.citations, *(c[3] for c in repeated)),
                )
            )
        treating = [p for p in plans if p.procedure in TREATING_PROCEDURES]
        order = self.treatment_order(assessment.findings, treating)
        # Aftercare follows what the plan would do (the chosen procedures' products); the limits
        # below cover more, since a clinician may treat by an alternative within the plan.
        used_ids = {o.product for fp in treating for o in fp.options}
        used_products = [p for p in products if p.id in used_ids]
        # The limits cover every product the plan offers, as a primary option or an alternative. A plan
        # that offers none (everything referred or deferred) states the limits of every product in
        # use rather than none, since a clinician may still treat off-plan under it.
        offered_ids = {pid for o in outcomes.values() for pid in o.decision.offered_products}
        offered = [p for p in products if p.id in offered_ids]
        limits = session_limits(protocol, patient, offered or products, session_number)
        aftercare = self._aftercare_for(
            frozenset((p.procedure, p.vessel_class) for p in treating), used_products
        )
        order_rules = protocol.procedures.order if order else []
        plan_warnings = list(limits.warnings)
        if screening.verdict == "absolute":
            plan_warnings.append("Screening found an absolute contraindication; see the screening findings.")
        unique = list(outcomes.values())
        return build(
            PlanAnswer,
            protocol=protocol.ref(),
            screening=screening,
            findings=plans,
            treatment_order=order,
            session_limits=limits,
            aftercare=aftercare,
            warnings=plan_warnings,
            rule_ids=list(
                dict.fromkeys(
                    [
                        *screening.rule_ids,
                        *(r for o in unique for r in o.rule_ids),
                        *(r.id for r in order_rules),
                        *limits.rule_ids,
                        *aftercare.rule_ids,
                    ]
                )
            ),
            citations=protocol.cite_list(
                screening.citations,
                *(o.citations for o in unique),
                *(r.cite for r in order_rules),
                limits.citations,
                aftercare.citations,
            ),
        )

    def treatment_order(self, findings: list[Finding], treating: list[FindingPlan]) -> list[str]:
        """Largest vein classes first, then proximal to distal, then the widest vein first."""
        if not treating:
            return []
        by_id = {f.id: f for f in findings}
        ranks: dict[str, int] = {c.id: c.treatment_rank for c in self.protocol.vessels.classes}
        levels = self.protocol.region_levels
        deepest = max(levels.values(), default=0) + 1

        # A finding without a region goes after every region of its class; the id settles ties so
        # the order never depends on the order findings were sent in.
        def key(p: FindingPlan) -> tuple[int, int, float, str]:
            f = by_id[p.id]
            region_level = levels.get(f.region, deepest) if f.region else deepest
            return (ranks[p.vessel_class], region_level, -(f.diameter_mm or 0.0), p.id)

        return [p.id for p in sorted(treating, key=key)]
