"""The dashboard's figures as tables: one structure for the page, the CSV files and the PDF report.

Each row carries its n and, where it has one, the drill-down (figure and key) that lists the
patients or sessions behind it, and the published figures that sit beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import literature
from .literature import Published
from .queries import CLEARANCE_BANDS, SATISFACTION_SCORES, Clearance, Dashboard, EventRate


@dataclass(frozen=True)
class Row:
    cells: list[str]
    drill: tuple[str, str] | None = None  # (figure, key) of the list behind this row
    published: list[Published] = field(default_factory=list)


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    meaning: str
    headers: list[str]
    rows: list[Row]
    published: list[Published] = field(default_factory=list)
    no_figure: str = ""
    chart: str = ""  # key in charts.dashboard_charts

    @property
    def has_row_literature(self) -> bool:
        return any(r.published for r in self.rows)


def number(value: Any, digits: int = 1) -> str:
    """A figure as text: empty when there is no value, no trailing '.0'."""
    if value is None:
        return ""
    rounded = round(float(value), digits)
    return format(int(rounded), "d") if rounded == int(rounded) else f"{rounded:.{digits}f}"


def _clearance_rows(rows: list[Clearance], figure: str, per_key: bool) -> list[Row]:
    return [
        Row(
            [r.label, str(r.n), number(r.median), *map(str, r.bands)],
            (figure, r.key),
            literature.published_for(f"{figure}:{r.key}") if per_key else [],
        )
        for r in rows
    ]


def _clearance_table(
    name: str, title: str, first: str, rows: list[Clearance], meaning: str, per_key: bool = False
) -> Table:
    return Table(
        name=name,
        title=title,
        meaning=meaning,
        headers=[first, "n (areas)", "Median clearance (%)", *(b[0] for b in CLEARANCE_BANDS)],
        rows=_clearance_rows(rows, name, per_key),
        published=literature.published_for(name),
        no_figure=literature.NO_FIGURE.get(name, ""),
        chart=name,
    )


def _event_rows(rows: list[EventRate], figure: str) -> list[Row]:
    return [
        Row(
            [
                r.label,
                str(r.events),
                str(r.sessions),
                number(r.per_100_sessions),
                str(r.resolved),
                number(r.median_days_to_resolution),
            ],
            (figure, r.key),
            literature.published_for(f"event:{r.key}") if figure == "events" else [],
        )
        for r in rows
    ]


EVENT_HEADERS = [
    "Events (n)",
    "Sessions (n)",
    "Per 100 sessions",
    "Resolved (n)",
    "Median days to resolution",
]


def tables(d: Dashboard) -> list[Table]:
    s, r = d.satisfaction, d.retreatment
    return [
        Table(
            name="activity",
            title="Sessions and patients treated",
            meaning="Completed sessions started in the period, and the patients they treated.",
            headers=["Figure", "n"],
            rows=[
                Row(["Sessions", str(d.sessions)], ("sessions", "")),
                Row(["Patients treated", str(d.patients_treated)], ("patients", "")),
            ],
        ),
        Table(
            name="clearance",
            title="Clearance of treated areas",
            meaning="Clearance a clinician measured at a review in the period, per treated area.",
            headers=["Treated areas (n)", "Median clearance (%)", *(b[0] for b in CLEARANCE_BANDS)],
            rows=[
                Row(
                    [str(d.clearance.n), number(d.clearance.median), *map(str, d.clearance.bands)],
                    ("clearance", ""),
                )
            ],
            no_figure=literature.NO_FIGURE["clearance"],
            chart="clearance",
        ),
        _clearance_table(
            "procedure",
            "Clearance by procedure",
            "Procedure",
            d.by_procedure,
            "Each treated area counted once, under the procedure of its first injection.",
            per_key=True,
        ),
        _clearance_table(
            "agent_strength",
            "Clearance by agent and strength",
            "Agent and strength",
            d.by_agent_strength,
            "Each treated area under the agent and labelled strength of its first injection.",
        ),
        _clearance_table(
            "practitioner",
            "Clearance by practitioner",
            "Practitioner",
            d.by_practitioner,
            "Each treated area under the practitioner of the session of its first injection.",
        ),
        Table(
            name="satisfaction",
            title="Satisfaction",
            meaning=(
                "Satisfaction scores (1 poor to 5) given in the period, by the patient on their "
                "link or recorded by a clinician."
            ),
            headers=["Score", "By patients (n)", "By clinicians (n)", "All (n)"],
            rows=[
                Row(
                    [str(score), str(p), str(c), str(p + c)],
                    ("satisfaction", str(score)),
                )
                for score, p, c in zip(SATISFACTION_SCORES, s.by_patient, s.by_clinician, strict=True)
            ]
            + [
                Row(
                    ["All scores", str(sum(s.by_patient)), str(sum(s.by_clinician)), str(s.n)],
                    ("satisfaction", ""),
                )
            ]
            + [Row(["Median score", "", "", number(s.median)], ("satisfaction", ""))],
            published=literature.published_for("satisfaction"),
            chart="satisfaction",
        ),
        Table(
            name="events",
            title="Side effects and complications by type",
            meaning=(
                "Confirmed adverse events recorded against the period's sessions (patient reports "
                "not yet confirmed are left out), per 100 of those sessions."
            ),
            headers=["Type", *EVENT_HEADERS],
            rows=_event_rows(d.events_by_symptom, "events"),
            chart="events",
        ),
        Table(
            name="levels",
            title="Side effects and complications by triage level",
            meaning="The same events grouped by the triage level they were given.",
            headers=["Triage level", *EVENT_HEADERS],
            rows=_event_rows(d.events_by_level, "levels"),
        ),
        Table(
            name="retreatment",
            title="Retreatment",
            meaning=(
                "Patients with a clinician's review in the period, those a review marked as "
                "needing retreatment, and the days from their first completed session to that review."
            ),
            headers=["Figure", "Value", "n"],
            rows=[
                Row(
                    ["Patients reviewed", str(r.patients_reviewed), str(r.patients_reviewed)],
                    ("retreatment", ""),
                ),
                Row(
                    ["Patients needing retreatment", str(r.patients_needing), str(r.patients_reviewed)],
                    ("retreatment", "needing"),
                ),
                Row(
                    ["Share needing retreatment (%)", number(r.share_percent), str(r.patients_reviewed)],
                    ("retreatment", "needing"),
                ),
                Row(
                    ["Median days to retreatment", number(r.median_days_to_retreatment), str(r.timed)],
                    ("retreatment", "needing"),
                ),
            ],
            published=literature.published_for("retreatment"),
        ),
        Table(
            name="vcss",
            title="VCSS change per leg",
            meaning=(
                "Legs whose last score falls in the period and that were scored before: the revised "
                "VCSS at the last assessment minus the first (negative is better)."
            ),
            headers=["Leg", "Legs (n)", "Mean change", "Median change", "Improved", "Unchanged", "Worse"],
            rows=[
                Row(
                    [
                        f"{v.side.capitalize()} leg",
                        str(v.legs),
                        number(v.mean_change, 2),
                        number(v.median_change),
                        str(v.improved),
                        str(v.unchanged),
                        str(v.worse),
                    ],
                    ("vcss", v.side),
                )
                for v in d.vcss
            ],
            no_figure=literature.NO_FIGURE["vcss"],
            chart="vcss",
        ),
    ]


def literature_table() -> Table:
    """Every published figure the dashboard shows, with its sources (for the CSV)."""
    return Table(
        name="literature",
        title="Published figures",
        meaning="The published figures shown beside the clinic's, from the clinical reference.",
        headers=["Beside", "Reference section", "Figure", "Sources"],
        rows=[Row([p.key, p.section, p.text, " ".join(p.cite)]) for p in literature.PUBLISHED],
    )


def table_named(d: Dashboard, name: str) -> Table | None:
    if name == "literature":
        return literature_table()
    return next((t for t in tables(d) if t.name == name), None)
