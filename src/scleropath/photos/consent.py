"""The photo consent text shown to a patient, one text per tier, versioned."""

from __future__ import annotations

from .models import PhotoConsentTier

PHOTO_CONSENT_TEXT_VERSION = "2026.1"

_USES = {
    PhotoConsentTier.RECORD: "kept in my clinical record and seen only by the clinic's clinical staff",
    PhotoConsentTier.TEACHING: (
        "kept in my clinical record, and shown without my name to clinicians in teaching and training"
    ),
    PhotoConsentTier.PUBLICATION: (
        "kept in my clinical record, shown without my name in teaching, and published without my name "
        "in journals, talks or the clinic's materials"
    ),
}


def photo_consent_text(tier: str) -> str:
    """Plain-language consent text for photographs at ``tier``."""
    uses = _USES[PhotoConsentTier(tier)]
    return "\n".join(
        [
            f"Consent to clinical photographs (text version {PHOTO_CONSENT_TEXT_VERSION})",
            "",
            "Photographs of my legs are taken before, during and after treatment to plan it and judge its "
            "result. My face is not photographed, and the photographs carry no location or camera details.",
            "",
            f"I agree that my photographs are {uses}.",
            "",
            "I can change or withdraw this consent at any time; photographs already taken stay in my record.",
        ]
    )
