"""CEAP 2020 clinical class and the revised Venous Clinical Severity Score."""

from __future__ import annotations

from .answers import CeapAnswer, VcssAnswer, VcssItemScore
from .inputs import CeapRequest, InputError, VcssRequest
from .model import Protocol


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
