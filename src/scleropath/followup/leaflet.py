"""What the aftercare leaflet shows: the context its templates share, on the staff's aftercare page,
in the PDF and on the patient's own page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from scleropath.core.engine import engine_for
from scleropath.protocol.wording import name_of

from .models import AftercarePlan


def leaflet_context(plan: AftercarePlan) -> dict[str, Any]:
    """The frozen aftercare of ``plan`` with its session, patient, follow-ups and products in words."""
    engine = engine_for(plan.patient.clinic)
    content = plan.content
    follow_ups = plan.session.follow_ups.active().order_by("due_on")
    products = sorted({i.product for i in plan.session.injections.active()})
    return {
        "plan": plan,
        "session": plan.session,
        "patient": plan.patient,
        "clinic": plan.clinic,
        "care": content,
        "follow_ups": follow_ups,
        "products": [name_of(engine.protocol, "product", p) for p in products],
        "procedures": [
            name_of(engine.protocol, "procedure", p, capital=False) for p in content.get("procedures", [])
        ],
        "today": timezone.localdate(),
    }
