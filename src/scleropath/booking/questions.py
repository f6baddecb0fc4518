"""The pre-visit questionnaire, in plain words, as data.

Each question asks about one screening item of the engine (``item``, a code of the protocol's
screening vocabulary) and says how a "yes" is put to the engine (``answer``): a screening condition,
an allergy to an agent, pregnancy, breastfeeding or a mobility. The questions carry no numbers of
their own; the engine grades the answers from the protocol's data. A test checks that every item
named here is in the protocol and that every item of the protocol is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

AnswerKind = Literal["condition", "allergy", "pregnant", "breastfeeding", "mobility"]


@dataclass(frozen=True)
class Question:
    name: str  # the form field
    text: str  # what the patient reads
    item: str  # the engine's screening item it asks about
    answer: AnswerKind = "condition"
    value: str = ""  # the agent of an allergy, or the mobility a "yes" means
    hint: str = ""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "allergy_polidocanol",
        "Have you ever had an allergic reaction to polidocanol (Aethoxysklerol or Asclera)?",
        "allergy_to_agent",
        "allergy",
        "polidocanol",
        "These are medicines injected to treat veins.",
    ),
    Question(
        "allergy_sts",
        "Have you ever had an allergic reaction to sodium tetradecyl sulfate (Fibrovein or Sotradecol)?",
        "allergy_to_agent",
        "allergy",
        "sodium_tetradecyl_sulfate",
        "These are medicines injected to treat veins.",
    ),
    Question(
        "acute_vte",
        "Do you have a blood clot in a deep vein or in the lungs now, or are you being treated for one?",
        "acute_vte",
    ),
    Question(
        "history_vte", "Have you had a blood clot in a deep vein or in the lungs in the past?", "history_vte"
    ),
    Question(
        "thrombophilia",
        "Have you been told that your blood clots too easily, or that you are at high risk of clots?",
        "thrombophilia",
    ),
    Question("active_cancer", "Do you have cancer that is active or being treated now?", "active_cancer"),
    Question(
        "uncontrolled_systemic_disease",
        "Do you have a long-term illness that is not well controlled at the moment, such as diabetes, "
        "an overactive thyroid or a blood disorder?",
        "uncontrolled_systemic_disease",
    ),
    Question(
        "local_infection",
        "Do you have an infection or an inflamed skin condition on the legs?",
        "local_infection",
    ),
    Question(
        "severe_systemic_illness",
        "Are you unwell at the moment with a serious illness or a fever?",
        "severe_systemic_illness",
    ),
    Question(
        "critical_limb_ischaemia",
        "Have you been told that the blood supply to your legs is severely blocked (critical limb ischaemia)?",
        "critical_limb_ischaemia",
    ),
    Question(
        "peripheral_arterial_disease",
        "Have you been told you have narrowed arteries in your legs (peripheral arterial disease)?",
        "peripheral_arterial_disease",
    ),
    Question(
        "symptomatic_right_to_left_shunt",
        "Do you have a hole in the heart (such as a patent foramen ovale) that has caused a stroke, "
        "a mini-stroke or other problems?",
        "symptomatic_right_to_left_shunt",
    ),
    Question(
        "asymptomatic_right_to_left_shunt",
        "Do you have a hole in the heart (such as a patent foramen ovale) that has never caused problems?",
        "asymptomatic_right_to_left_shunt",
    ),
    Question(
        "neuro_event_after_sclerotherapy",
        "After vein injections in the past, did you have a serious problem with your nerves, brain or heart?",
        "neuro_event_after_sclerotherapy",
    ),
    Question(
        "migraine_after_foam",
        "Do you get migraines with aura (such as flashing lights), or did you get a migraine or problems "
        "seeing after foam vein injections in the past?",
        "migraine_after_foam",
    ),
    Question(
        "hormonal_therapy",
        "Do you take the contraceptive pill or another hormonal contraceptive, or hormone replacement therapy?",
        "hormonal_therapy",
    ),
    Question(
        "allergic_diathesis",
        "Do you have asthma, or do you react to many things (several allergies)?",
        "allergic_diathesis",
    ),
    Question("pregnancy", "Are you pregnant, or could you be?", "pregnancy", "pregnant"),
    Question("breastfeeding", "Are you breastfeeding?", "breastfeeding", "breastfeeding"),
    Question(
        "immobility", "Are you confined to bed, or unable to walk?", "immobility", "mobility", "bedridden"
    ),
    Question(
        "reduced_mobility",
        "Is your walking limited, for example do you need a stick or a frame?",
        "reduced_mobility",
        "mobility",
        "reduced",
    ),
    Question("recent_surgery", "Have you had an operation in the last three months?", "recent_surgery"),
    Question(
        "acute_superficial_thrombophlebitis",
        "Do you have a painful, red, hard vein on the leg at the moment (an inflamed vein, phlebitis)?",
        "acute_superficial_thrombophlebitis",
    ),
)


def screening_answers(yes: set[str]) -> dict[str, Any]:
    """The engine's screening fields for the questions answered "yes" (by field name)."""
    answers: dict[str, Any] = {
        "conditions": [],
        "allergies": [],
        "pregnant": False,
        "breastfeeding": False,
        "mobility": "ambulant",
    }
    for q in QUESTIONS:
        if q.name not in yes:
            continue
        if q.answer == "condition":
            answers["conditions"].append(q.item)
        elif q.answer == "allergy":
            answers["allergies"].append(q.value)
        elif q.answer in ("pregnant", "breastfeeding"):
            answers[q.answer] = True
        elif answers["mobility"] != "bedridden":  # the more limited of the two mobility answers wins
            answers["mobility"] = q.value
    return answers


def questions_answered_yes(answers: dict[str, Any]) -> list[Question]:
    """The questions whose "yes" the stored answers hold, in the questionnaire's order."""
    out = []
    for q in QUESTIONS:
        if q.answer == "condition":
            found = q.item in answers.get("conditions", [])
        elif q.answer == "allergy":
            found = q.value in answers.get("allergies", [])
        elif q.answer == "mobility":
            found = answers.get("mobility") == q.value
        else:
            found = bool(answers.get(q.answer))
        if found:
            out.append(q)
    return out
