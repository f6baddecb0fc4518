"""The consent text shown to a patient for a plan, built from the protocol and versioned."""

from __future__ import annotations

import hashlib

from scleropath.protocol import Engine

CONSENT_TEXT_VERSION = "2026.1"

_PROCEDURE_NAMES = {
    "microsclerotherapy": "microsclerotherapy (fine injections into thread and reticular veins)",
    "liquid_sclerotherapy": "liquid sclerotherapy (injections into varicose veins)",
    "foam_sclerotherapy": "foam sclerotherapy (foamed sclerosant injected into varicose veins)",
    "ultrasound_guided_foam_sclerotherapy": "ultrasound-guided foam sclerotherapy",
}


def consent_text(engine: Engine, procedures: list[str]) -> str:
    """Plain-language consent text for ``procedures`` with the risks the protocol lists."""
    protocol = engine.protocol
    treating = [p for p in procedures if p in _PROCEDURE_NAMES]
    lines = [
        f"Consent to treatment (consent text version {CONSENT_TEXT_VERSION}; protocol {protocol.id} {protocol.version})",
        "",
        "Treatment planned: " + "; ".join(_PROCEDURE_NAMES[p] for p in treating) + ".",
        "",
        "What to expect after treatment:",
        *(f"- {c.event}: {c.timing.lower()}." for c in protocol.aftercare.normal_course),
        "",
        "Possible side effects and complications:",
    ]
    uses_foam = any("foam" in p for p in treating)
    for s in protocol.complications.symptoms:
        if s.forms == ["foam"] and not uses_foam:
            continue
        lines.append(f"- {s.display}: {s.patient_wording.lower()}.")
    lines += [
        "",
        "When to seek help:",
        *(f"- {f.symptom}: {f.action}." for f in protocol.aftercare.red_flags),
        "",
        "I have been told what the treatment involves, its benefits and risks, that more than one session "
        "may be needed, and that new veins can appear over time. I consent to the treatment planned.",
    ]
    return "\n".join(lines)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
