"""Contraindication screening of a patient for the products and forms that might be used."""

from __future__ import annotations

from functools import lru_cache
from typing import cast

from .answers import BlockedOption, GradingNote, Screening, ScreeningFinding
from .inputs import InputError, Patient, Planned
from .model import Protocol
from .schema import ProductDef, ScreeningItem
from .vocabulary import SEVERITY_RANK, Form, FormOrAny, Severity, Verdict
from .wording import cites, name_of

FORMS = ("liquid", "foam")


def name_key(text: str) -> str:
    """A name as it is compared: case, spacing, underscores and hyphens ignored, and the British
    spelling "sulph-" read as "sulf-"."""
    words = text.casefold().replace("_", " ").replace("-", " ").split()
    return " ".join(words).replace("sulph", "sulf")


@lru_cache(maxsize=64)
def allergen_names(protocol: Protocol) -> dict[str, str]:
    """Every name the formulary gives a sclerosant, as :func:`name_key`, to the agent it names.

    An agent is named by its code, its display name (whole or without the parenthesis) and its
    synonyms; a product by its id and display name, and it names the agent it carries. Cached per
    protocol object (protocols hash by identity).
    """
    names: dict[str, str] = {}

    def add(name: str, agent: str) -> None:
        key = name_key(name)
        if key:
            names.setdefault(key, agent)

    for agent in protocol.formulary.agents:
        for name in (agent.id, agent.display, agent.display.split("(")[0], *agent.synonyms):
            add(name, agent.id)
    for product in protocol.formulary.products:
        for name in (product.id, product.display, product.display.split("(")[0]):
            add(name, product.agent)
    return names


def allergy_agents(protocol: Protocol, patient: Patient) -> tuple[frozenset[str], list[str]]:
    """Agents the patient is allergic to, and the allergy entries that name no known agent.

    The one place allergy entries are matched (screening, plan and check-session all ask it). An
    entry may name the agent, one of its synonyms (``lauromacrogol 400``, ``STS``), or a product
    that carries it, in any case and spacing and with "sulphate" or "sulfate"; anything else is
    kept for a clinician to read.
    """
    names = allergen_names(protocol)
    found: set[str] = set()
    unknown: list[str] = []
    for entry in patient.allergies:
        agent = names.get(name_key(entry))
        if agent is not None:
            found.add(agent)
        else:
            unknown.append(entry)
    return frozenset(found), unknown


def unrecognised_allergy(entry: str) -> str:
    """What a clinician is told about an allergy entry that names no sclerosant of the protocol."""
    return f"Allergy {entry!r} names no sclerosant the protocol knows; a clinician should review it."


def caution_forms(item: ScreeningItem) -> frozenset[str]:
    """The forms ``item`` is a caution for in particular: those its data names, and any form a
    grading is limited to (a right-to-left shunt graded for foam by the labels). Empty for an item
    that concerns every form alike."""
    limited = {f for g in item.gradings if set(g.forms) != set(FORMS) for f in g.forms}
    return frozenset(item.caution_forms) | limited


def form_caution(protocol: Protocol, item: ScreeningItem, form: str) -> str:
    """What a finding treated in ``form`` repeats of a screening item that concerns that form."""
    name = name_of(protocol, "screening", item.code, capital=False)
    advice = item.precaution or item.message
    return f"{name_of(protocol, 'form', form)} with {name} on screening: {advice}{cites(item.cite)}"


def check_conditions(protocol: Protocol, patient: Patient, field: str = "patient.conditions") -> None:
    for i, code in enumerate(patient.conditions):
        if code not in protocol.condition_codes:
            raise InputError.single(
                f"{field}[{i}]",
                f"unknown screening code {code!r}; known: {', '.join(sorted(protocol.condition_codes))}",
            )


def present_items(protocol: Protocol, patient: Patient, allergic: frozenset[str]) -> list[ScreeningItem]:
    conditions = set(patient.conditions)
    out = []
    for item in protocol.screening.items:
        f = item.source_field
        present = (
            (f == "conditions" and item.code in conditions)
            or (f == "allergy" and bool(allergic))
            or (f == "pregnant" and patient.pregnant)
            or (f == "breastfeeding" and patient.breastfeeding)
            or (f == "mobility_bedridden" and patient.mobility == "bedridden")
            or (f == "mobility_reduced" and patient.mobility == "reduced")
        )
        if present:
            out.append(item)
    return out


def effective_severity(protocol: Protocol, item: ScreeningItem, product: ProductDef, form: str) -> str:
    """How the protocol's policy grades ``item`` for ``product`` used as ``form``.

    Guideline gradings always count; under the ``strictest`` policy so does the product's own
    label. A condition graded only by other sources is still shown, as a warning.
    """
    strictest = protocol.manifest.policies.screening == "strictest"
    counting = [
        g.severity
        for g in item.gradings
        if form in g.forms and (g.kind == "guideline" or (strictest and g.product == product.id))
    ]
    if not counting:
        return "warning"
    return max(counting, key=lambda s: SEVERITY_RANK[s])


def candidate_products(protocol: Protocol, planned: Planned | None) -> list[ProductDef]:
    if planned is not None and planned.product is not None:
        product = protocol.products.get(planned.product)
        if product is None:
            raise InputError.single("planned.product", f"unknown product {planned.product!r}")
        if planned.agent is not None and product.agent != planned.agent:
            raise InputError.single("planned.product", f"{product.id} does not carry {planned.agent}")
        return [product]
    products = protocol.products_in_use
    if planned is not None and planned.agent is not None:
        products = [p for p in products if p.agent == planned.agent] or [
            protocol.products[protocol.manifest.default_products[planned.agent]]
        ]
    return products


def screen(protocol: Protocol, patient: Patient, planned: Planned | None = None) -> Screening:
    """Screen ``patient`` for every (product, form) the plan might use, or for the planned one."""
    check_conditions(protocol, patient)
    products = candidate_products(protocol, planned)
    forms_wanted = (planned.form,) if planned is not None and planned.form else FORMS
    return screen_products(protocol, patient, products, forms_wanted)


def screen_products(
    protocol: Protocol, patient: Patient, products: list[ProductDef], forms_wanted: tuple[str, ...] = FORMS
) -> Screening:
    """Screen ``patient`` for ``products`` in ``forms_wanted`` (conditions already checked)."""
    allergic, unknown_allergies = allergy_agents(protocol, patient)
    findings: list[ScreeningFinding] = []
    blocked: dict[tuple[str, str], list[str]] = {}
    worst = "none"
    rule_ids: list[str] = []
    cites: list[str] = []
    for item in present_items(protocol, patient, allergic):
        per_form: dict[str, str] = {}
        involved: list[str] = []
        for product in products:
            if item.source_field == "allergy" and product.agent not in allergic:
                continue
            for form in forms_wanted:
                if form not in product.forms:
                    continue
                sev = effective_severity(protocol, item, product, form)
                if SEVERITY_RANK[sev] > SEVERITY_RANK.get(per_form.get(form, "none"), 0):
                    per_form[form] = sev
                if sev == "absolute":
                    blocked.setdefault((product.id, form), []).append(item.code)
                if product.id not in involved:
                    involved.append(product.id)
        if not per_form:
            continue
        top = max(per_form.values(), key=lambda s: SEVERITY_RANK[s])
        top_forms = [f for f, s in per_form.items() if s == top]
        form_neutral = all(set(g.forms) == set(FORMS) for g in item.gradings)
        applies = "any" if set(top_forms) == set(FORMS) or form_neutral else top_forms[0]
        message = item.message
        if item.source_field == "allergy":
            agents = (name_of(protocol, "agent", a, capital=False) for a in sorted(allergic))
            message = f"{message} ({', '.join(agents)})"
        rid = f"screening.{item.code}"
        findings.append(
            ScreeningFinding.model_construct(
                code=item.code,
                severity=cast(Severity, top),
                message=message,
                applies_to_form=cast(FormOrAny, applies),
                products=involved,
                precaution=item.precaution,
                gradings=[
                    GradingNote.model_construct(
                        source=g.source, severity=g.severity, product=g.product, forms=list(g.forms)
                    )
                    for g in item.gradings
                ],
                rule_ids=[rid],
                citations=list(item.cite),
            )
        )
        rule_ids.append(rid)
        cites.extend(item.cite)
        if SEVERITY_RANK[top] > SEVERITY_RANK[worst]:
            worst = top
    for entry in unknown_allergies:
        findings.append(
            ScreeningFinding.model_construct(
                code="allergy_unrecognised",
                severity="warning",
                message=unrecognised_allergy(entry),
                applies_to_form="any",
                products=[],
                precaution=None,
                gradings=[],
                rule_ids=["screening.allergy_unrecognised"],
                citations=[],
            )
        )
    if len(patient.allergies) > 1 and "allergic_diathesis" not in patient.conditions:
        findings.append(
            ScreeningFinding.model_construct(
                code="allergic_diathesis_prompt",
                severity="warning",
                message=(
                    "Several allergies are listed: consider recording "
                    f"{name_of(protocol, 'screening', 'allergic_diathesis', capital=False)}."
                ),
                applies_to_form="any",
                products=[],
                precaution=None,
                gradings=[],
                rule_ids=["screening.allergic_diathesis_prompt"],
                citations=[],
            )
        )
    verdict = worst if worst in ("relative", "absolute") else "none"
    return Screening.model_construct(
        verdict=cast(Verdict, verdict),
        findings=findings,
        blocked=[
            BlockedOption.model_construct(
                product=pid, agent=protocol.products[pid].agent, form=cast(Form, form), codes=codes
            )
            for (pid, form), codes in blocked.items()
        ],
        rule_ids=rule_ids,
        citations=protocol.cite_list(cites),
    )
