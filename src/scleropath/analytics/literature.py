"""Published figures shown beside the clinic's own, each with the ids of its sources.

Taken from the clinical reference (sections 6.0, 6.1 and 7.x). Facts the reference marks
unconfirmed are left out, and so are figures whose only source is a clinic page or marketing
(grade C), or whose source is not in the protocol's references file. A published figure is rarely
measured the way the clinic measures: each entry says what it measured, and the page says that the
clinic's figure is not directly comparable.

Keys name the figure an entry sits beside: ``clearance``, ``procedure:<procedure id>``,
``agent_strength``, ``satisfaction``, ``event:<symptom code>``, ``retreatment``, ``vcss``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Published:
    key: str
    text: str
    cite: tuple[str, ...]
    section: str  # of the clinical reference


def _p(key: str, section: str, text: str, *cite: str) -> Published:
    return Published(key=key, text=text, cite=cite, section=section)


PUBLISHED: tuple[Published, ...] = (
    # --- clearance and occlusion (7.1, 7.2) ----------------------------------------------------
    _p(
        "procedure:foam_sclerotherapy",
        "7.2",
        "Systematic review of 69 studies of foam sclerotherapy: complete occlusion 87.0% "
        "(duplex occlusion, not visual clearance).",
        "JIA2007",
    ),
    _p(
        "procedure:liquid_sclerotherapy",
        "7.2",
        "Pooled data: foam achieved occlusion more often than liquid sclerotherapy "
        "(relative risk 1.39 in favour of foam).",
        "JIA2007",
    ),
    _p(
        "procedure:ultrasound_guided_foam_sclerotherapy",
        "7.2",
        "Cohort of 1,000 legs (1,166 ultrasound-guided foam sessions): occlusion after a single "
        "session 84.5% on duplex within 2 weeks.",
        "KULK2013",
    ),
    _p(
        "procedure:ultrasound_guided_foam_sclerotherapy",
        "7.2",
        "Great saphenous vein 4-8 mm, 1% vs 3% polidocanol foam: reflux abolished in 88% vs 96% "
        "at 3 weeks and 68% vs 69% at 2 years.",
        "HD2007",
    ),
    _p(
        "procedure:ultrasound_guided_foam_sclerotherapy",
        "7.2",
        "Great saphenous vein, double-blind trial of 1% vs 3% polidocanol foam: 69% vs 85% "
        "success at 6 months, 79% vs 78% at 3 years.",
        "BLAISE2010",
    ),
    _p(
        "agent_strength",
        "7.2",
        "For great saphenous veins of 4-8 mm, 1% polidocanol foam was as effective as 3%.",
        "HD2007",
    ),
    _p(
        "procedure:microsclerotherapy",
        "7.1",
        "Double-blind trial of 129 patients with varicose and telangiectatic leg veins, polidocanol "
        "vs STS: about 70% improvement (improvement, not complete clearance).",
        "GOLD2002",
    ),
    _p(
        "procedure:microsclerotherapy",
        "7.1",
        "Double-blind trial of 20 patients, foamed vs liquid polidocanol and STS: 83% improvement "
        "after a single session on a 1-5 photographic scale.",
        "RAO2005",
    ),
    _p(
        "procedure:ultrasound_guided_foam_sclerotherapy",
        "7.2",
        "Randomised trial of 798 patients: complete truncal ablation at 6 months 55% after foam "
        "(84% surgery, 83% laser ablation).",
        "CLASS2014",
    ),
    _p(
        "procedure:ultrasound_guided_foam_sclerotherapy",
        "7.2",
        "Randomised trial, great saphenous vein: anatomic success at 1 year 72.2% after foam "
        "(88.5% laser ablation, 88.2% surgery).",
        "BIEM2013",
    ),
    _p(
        "procedure:ultrasound_guided_foam_sclerotherapy",
        "7.2",
        "Randomised trial, great saphenous vein: still patent and refluxing at 1 year in 16.3% after "
        "foam (4.8-5.8% after the other treatments).",
        "RASM2011",
    ),
    # --- satisfaction (7.1) ----------------------------------------------------------------------
    _p(
        "satisfaction",
        "7.1",
        "Double-blind trial of 129 patients, polidocanol vs STS: about 70-72% satisfied.",
        "GOLD2002",
    ),
    _p(
        "satisfaction",
        "7.1",
        "Trial of 50 patients (100 legs) treated for telangiectasias: patients rated the result "
        "good 55%, fair 27%, poor 18% at 4 weeks (a three-point rating, not a 1-5 score).",
        "BAYER2021",
    ),
    # --- recurrence and retreatment (7.2, 7.3) ---------------------------------------------------
    _p(
        "retreatment",
        "7.3",
        "Recurrence or new veins 8.1% in pooled foam studies.",
        "JIA2007",
    ),
    _p(
        "retreatment",
        "7.2",
        "Occlusion after a single ultrasound-guided foam session 84.5%, so about 1 leg in 6 needed "
        "another session.",
        "KULK2013",
    ),
    _p(
        "retreatment",
        "7.3",
        "Patients should be told that new varicose veins may develop and that more than one "
        "session may be needed.",
        "NICE168",
    ),
    # --- side effects and complications (6.0, 6.1) -----------------------------------------------
    _p(
        "event:bruising",
        "6.1",
        "Haematoma in the Asclera trial: 42% with Asclera, 65% with STS 1%, 19% with placebo; "
        "common (at least 1 in 100) in the Aethoxysklerol leaflet.",
        "ASCL",
        "AETH-AT",
    ),
    _p(
        "event:injection_site_wheals",
        "6.1",
        "Injection-site irritation in the Asclera trial: 41% with Asclera, 73% with STS 1%, 30% "
        "with placebo. Wheals come from local histamine release and are generally not an allergy.",
        "ASCL",
        "S2K",
    ),
    _p(
        "event:pain_tenderness",
        "6.1",
        "Injection pain in the Asclera trial: 24% with Asclera, 31% with STS 1%, 9% with placebo; "
        "25.6% in foam studies; 80% of pain events resolved within 1 week with Varithena.",
        "ASCL",
        "JIA2007",
        "VARI",
    ),
    _p(
        "event:hyperpigmentation",
        "6.0",
        "German S2k guideline: frequent (1% to under 10%) with liquid and with foam.",
        "S2K",
    ),
    _p(
        "event:hyperpigmentation",
        "6.1",
        "10-30% in older literature; 13% in a 2021 telangiectasia trial; 6-9% (with matting) in "
        "a great saphenous vein foam trial. About 70% resolved by 6 months and about 99% within "
        "1 year.",
        "GSW1995",
        "BAYER2021",
        "BLAISE2010",
    ),
    _p(
        "event:matting",
        "6.0",
        "German S2k guideline: frequent (1% to under 10%) with liquid and with foam.",
        "S2K",
    ),
    _p(
        "event:matting",
        "6.1",
        "About 15-20%; 15-24%; neovascularisation in the Asclera trial 8% with Asclera, 20% with "
        "STS 1%, 4% with placebo. Often resolves over 3-12 months.",
        "GSW1995",
        "CP2012",
        "ASCL",
    ),
    _p(
        "event:trapped_blood",
        "6.1",
        "Injection-site thrombosis in the Asclera trial: 6% with Asclera, 1% with STS 1%, 0% with placebo.",
        "ASCL",
    ),
    _p(
        "event:superficial_thrombophlebitis",
        "6.0",
        "German S2k guideline: frequency unclear, 0-45.8% in the literature (mean 4.7%).",
        "S2K",
    ),
    _p(
        "event:superficial_thrombophlebitis",
        "6.1",
        "Thrombophlebitis 4.7% in a systematic review; superficial vein thrombosis 4.4%.",
        "JIA2007",
        "CP2012",
    ),
    _p(
        "event:skin_ulcer",
        "6.0",
        "German S2k guideline: minimal skin necrosis rare (0.01% to under 0.1%) with liquid, very "
        "rare with foam; extensive necrosis single cases.",
        "S2K",
    ),
    _p(
        "event:allergic_reaction",
        "6.1",
        "Allergic skin reactions occasional.",
        "RP2010",
    ),
    _p(
        "event:anaphylaxis",
        "6.0",
        "German S2k guideline: very rare, single cases, with liquid and with foam.",
        "S2K",
    ),
    _p(
        "event:dvt_symptoms",
        "6.0",
        "German S2k guideline: distal DVT rare (0.01% to under 0.1%) with liquid and occasional "
        "(0.1% to under 1%) with foam; proximal DVT very rare.",
        "S2K",
    ),
    _p(
        "event:dvt_symptoms",
        "6.1",
        "Duplex-screened ultrasound-guided foam cohort: DVT in 1.5% of legs, symptomatic 0.2%; "
        "3 DVT and 1 pulmonary embolism in 977 patients (0.4%) within the first month.",
        "KULK2013",
        "BRAD2010",
    ),
    _p(
        "event:pe_symptoms",
        "6.0",
        "German S2k guideline: pulmonary embolism very rare, single cases.",
        "S2K",
    ),
    _p(
        "event:visual_disturbance",
        "6.0",
        "German S2k guideline: very rare with liquid, occasional (0.1% to under 1%) with foam.",
        "S2K",
    ),
    _p(
        "event:visual_disturbance",
        "6.1",
        "1.4% in a systematic review; 20 in 12,173 sessions in a registry, all resolving shortly; "
        "0.5% in a cohort; under 30 minutes in 11 of 20 cases.",
        "JIA2007",
        "GUEX2005",
        "BRAD2010",
        "DONNET",
    ),
    _p(
        "event:migraine",
        "6.0",
        "German S2k guideline: headache or migraine very rare with liquid, occasional with foam.",
        "S2K",
    ),
    _p(
        "event:migraine",
        "6.1",
        "Headache 4.2% in a systematic review; migraine 0.27% in a review of 10,819 patients.",
        "JIA2007",
        "SARV2012",
    ),
    _p(
        "event:neurological_deficit",
        "6.0",
        "German S2k guideline: stroke or TIA very rare, single cases.",
        "S2K",
    ),
    _p(
        "event:neurological_deficit",
        "6.1",
        "All neurological events 0.90% in a review of 10,819 patients (12 strokes, 9 TIAs); "
        "stroke about 0.01%.",
        "SARV2012",
        "CP2012",
    ),
)

# Figures the reference names no published value for, said on the page instead of a number.
NO_FIGURE: dict[str, str] = {
    "clearance": (
        "The clinical reference gives no confirmed threshold for a successful clearance, so the "
        "clinic's clearance is shown as its distribution and median only, never as a success rate."
    ),
    "vcss": (
        "The change in the revised VCSS is a recommended outcome measure (SVS2023), but the "
        "reference gives no published figure to compare with."
    ),
}


def published_for(key: str) -> list[Published]:
    """The published figures that sit beside the clinic's figure ``key``."""
    return [p for p in PUBLISHED if p.key == key]


def by_key() -> dict[str, list[Published]]:
    out: dict[str, list[Published]] = {}
    for p in PUBLISHED:
        out.setdefault(p.key, []).append(p)
    return out


def cited_ids() -> set[str]:
    return {c for p in PUBLISHED for c in p.cite}
