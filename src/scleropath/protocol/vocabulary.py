"""The closed vocabularies shared by the protocol data, the engine's inputs and its answers.

They are Python literals rather than data because code branches on them; the protocol data
attaches meaning, citations and numbers to each code.
"""

from typing import Literal, get_args

Side = Literal["left", "right"]
Depth = Literal["intradermal", "subcutaneous", "subfascial"]
Form = Literal["liquid", "foam"]
FormOrAny = Literal["liquid", "foam", "any"]
Mobility = Literal["ambulant", "reduced", "bedridden"]
Sex = Literal["female", "male", "other", "unknown"]

VesselClass = Literal[
    "telangiectasia",
    "reticular",
    "varicose",
    "recurrent_varicose",
    "truncal",
    "perforator",
    "venous_malformation",
]

NamedVein = Literal["gsv", "ssv", "aasv", "pasv", "perforator", "other"]

Procedure = Literal[
    "microsclerotherapy",
    "liquid_sclerotherapy",
    "foam_sclerotherapy",
    "ultrasound_guided_foam_sclerotherapy",
    "referral",
    "defer",
]
TREATING_PROCEDURES: frozenset[str] = frozenset(
    {
        "microsclerotherapy",
        "liquid_sclerotherapy",
        "foam_sclerotherapy",
        "ultrasound_guided_foam_sclerotherapy",
    }
)

Severity = Literal["warning", "relative", "absolute"]
Verdict = Literal["none", "relative", "absolute"]
SEVERITY_RANK: dict[str, int] = {"none": 0, "warning": 1, "relative": 2, "absolute": 3}

TriageLevel = Literal["expected", "routine_review", "prompt_review", "emergency"]
TRIAGE_RANK: dict[str, int] = {"expected": 0, "routine_review": 1, "prompt_review": 2, "emergency": 3}

Agent = Literal["polidocanol", "sodium_tetradecyl_sulfate"]

Grade = Literal["A", "B", "C"]

CeapSign = Literal[
    "telangiectasia",
    "reticular_veins",
    "varicose_veins",
    "recurrent_varicose_veins",
    "edema",
    "pigmentation",
    "eczema",
    "lipodermatosclerosis",
    "atrophie_blanche",
    "corona_phlebectatica",
    "healed_ulcer",
    "active_ulcer",
    "recurrent_active_ulcer",
]

VcssItemId = Literal[
    "pain",
    "varicose_veins",
    "venous_edema",
    "skin_pigmentation",
    "inflammation",
    "induration",
    "active_ulcer_number",
    "active_ulcer_duration",
    "active_ulcer_size",
    "compression_therapy",
]
VcssLevel = Literal["none", "mild", "moderate", "severe"]
VCSS_ITEMS: tuple[str, ...] = get_args(VcssItemId)
