"""CEAP 2020 clinical class and the revised Venous Clinical Severity Score."""

from __future__ import annotations

from .answers import CeapAnswer, CeapSuggestion, SuggestedSign, VcssAnswer, VcssItemScore
from .classify import classify
from .inputs import CeapRequest, CeapSuggestionRequest, InputError, VcssRequest
from .model import Protocol
from .schema import CeapClass

SIDES = ("left", "right")


def ceap(protocol: Protocol, request: CeapRequest) -> CeapAnswer:
    """All C classes the signs of one leg meet, highest first; C0 when there are none."""
    signs = set(request.signs)
    present = [c for c in protocol.ceap.classes if signs & set(c.signs)]
    if not present:
        present = [protocol.ceap.none_class]
    ordered = list(reversed(present))
    return CeapAnswer.model_construct(
        protocol=protocol.ref(),
        c_classes=[c.code for c in ordered],
        highest=ordered[0].code,
        displays={c.code: c.display for c in ordered},
        rule_ids=[f"ceap.{c.code}" for c in ordered],
        citations=protocol.cite_list(*(c.cite for c in ordered)),
    )


def suggest_ceap_signs(protocol: Protocol, request: CeapSuggestionRequest) -> CeapSuggestion:
    """The CEAP signs each leg's findings imply: each finding is classified (a clinician's class
    wins) and its vessel class's ``ceap_sign`` proposed. Only signs a vein shows are proposed;
    oedema, skin changes and ulcers are never seen in a vein finding and stay the clinician's."""
    class_index = {c.id: i for i, c in enumerate(protocol.vessels.classes)}
    ceap_order: dict[str, tuple[int, CeapClass]] = {
        sign: (i, c) for i, c in enumerate(protocol.ceap.classes) for sign in c.signs
    }
    found: dict[tuple[str, str], dict[str, list[str]]] = {}
    for finding in request.findings:
        result = classify(protocol, finding)
        vdef = protocol.vessel_classes[result.vessel_class]
        if vdef.ceap_sign is None:
            continue
        entry = found.setdefault(
            (finding.side, vdef.ceap_sign),
            {"findings": [], "vessel_classes": [], "rule_ids": [], "citations": []},
        )
        entry["findings"].append(finding.id)
        for key, values in (
            ("vessel_classes", [vdef.id]),
            ("rule_ids", [*result.rule_ids, f"vessels.classes[{class_index[vdef.id]}].ceap_sign"]),
            ("citations", [*result.citations, *vdef.cite]),
        ):
            entry[key].extend(v for v in values if v not in entry[key])
    signs: list[SuggestedSign] = []
    for side, sign in sorted(found, key=lambda k: (SIDES.index(k[0]), ceap_order[k[1]][0])):
        entry = found[(side, sign)]
        cclass = ceap_order[sign][1]
        signs.append(
            SuggestedSign.model_construct(
                side=side,
                sign=sign,
                ceap_class=cclass.code,
                display=cclass.display,
                findings=entry["findings"],
                vessel_classes=entry["vessel_classes"],
                rule_ids=[*entry["rule_ids"], f"ceap.{cclass.code}"],
                citations=protocol.cite_list(entry["citations"], cclass.cite),
            )
        )
    return CeapSuggestion.model_construct(
        protocol=protocol.ref(),
        signs=signs,
        rule_ids=list(dict.fromkeys(r for s in signs for r in s.rule_ids)),
        citations=protocol.cite_list(*(s.citations for s in signs)),
    )


def vcss(protocol: Protocol, request: VcssRequest) -> VcssAnswer:
    """Each of the ten items scored 0-3 (by number or anchor level) and their total."""
    missing = [item.id for item in protocol.vcss.items if item.id not in request.items]
    if missing:
        raise InputError(
            [
                {"field": f"items.{m}", "message": "missing: every one of the ten items is needed"}
                for m in missing
            ]
        )
    scores: list[VcssItemScore] = []
    total = 0
    for item in protocol.vcss.items:
        given = request.items[item.id]
        anchor = next(
            a for a in item.anchors if (a.score == given if isinstance(given, int) else a.level == given)
        )
        total += anchor.score
        scores.append(
            VcssItemScore.model_construct(
                item=item.id, score=anchor.score, level=anchor.level, anchor=anchor.text
            )
        )
    meanings = [i for i in protocol.vcss.interpretation if total >= i.min_total]
    return VcssAnswer.model_construct(
        protocol=protocol.ref(),
        items=scores,
        total=total,
        maximum=3 * len(protocol.vcss.items),
        interpretation=[m.meaning for m in meanings],
        rule_ids=["vcss.total", *(f"vcss.interpretation.{m.min_total}" for m in meanings)],
        citations=protocol.cite_list(*(i.cite for i in protocol.vcss.items), *(m.cite for m in meanings)),
    )
