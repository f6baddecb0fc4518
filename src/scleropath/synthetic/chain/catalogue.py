"""What a generated chain may inject, read from the engine's loaded protocol.

Generated findings are copies of a few hundred template findings that the engine itself has
classified and planned; an injection takes one of the options the plan offers for its finding, at a
labelled strength inside the option's range and a volume inside its per-site range. A session stays
within every limit the engine gives for it (``Engine.session_limits``, counted the way
``check_session`` counts them), so the generated data never needs a limit override.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from scleropath.protocol import Engine
from scleropath.protocol.answers import Limit
from scleropath.protocol.schema import InjectionVolumeLimit, ProductDef
from scleropath.protocol.vocabulary import TREATING_PROCEDURES

# Same spread as the engine benchmark: diameters over the protocol's classes, a tenth named trunks.
DIAMETER_SPAN_MM = (0.2, 9.0)
NAMED_VEINS = ("gsv", "ssv", "aasv", "perforator")
DEPTHS = ("intradermal", "subcutaneous", "subfascial")
# Room for floating-point error when a labelled strength is compared with the ends of a plan's range.
ROUNDING = 1e-9

# Each reported rate (per treated patient, from the cited trials and series) is the chance that the
# symptom is logged for a generated patient. Symptoms with no sourced rate are left out.
SOURCED_SYMPTOM_RATES: dict[str, tuple[float, str]] = {
    "bruising": (0.42, "ASCL"),  # haematoma 42% with Asclera
    "injection_site_wheals": (0.41, "ASCL"),  # injection-site irritation 41% with Asclera
    "pain_tenderness": (0.24, "ASCL"),  # injection pain 24% with Asclera
    "hyperpigmentation": (0.13, "BAYER2021"),  # 13% in a 2021 telangiectasia trial
    "matting": (0.08, "ASCL"),  # neovascularisation 8% with Asclera
    "trapped_blood": (0.06, "ASCL"),  # injection-site thrombosis 6% with Asclera
    "superficial_thrombophlebitis": (0.044, "CP2012"),  # SVT 4.4%
    "visual_disturbance": (0.014, "JIA2007"),  # 1.4%
    "migraine": (0.0027, "SARV2012"),  # 0.27% in a 10,819-patient review
    "dvt_symptoms": (0.002, "KULK2013"),  # symptomatic DVT 0.2% after foam
}


@dataclass(frozen=True)
class Option:
    """One way the plan allows a finding to be injected."""

    procedure: str
    agent: str
    product: str
    form: str
    strengths: tuple[float, ...]
    volume_ml: tuple[float, float]
    needle_gauge: tuple[int, int] | None


@dataclass(frozen=True)
class Template:
    """A finding the engine classified and planned, with the options its plan offers."""

    region: str
    side_free: dict[str, Any]  # the finding's own fields, without side and position
    vessel_class: str
    procedure: str
    alternatives: tuple[str, ...]
    options: tuple[Option, ...]


@dataclass
class Budget:
    """A session's running totals against the engine's limits for its product and patient."""

    limits: tuple[Limit, ...]
    mg_per_ml_per_percent: float
    counts_mg: bool
    gas_parts_default: float
    tolerance: float  # the engine's: how far a total may pass a limit's max and still be within it
    used: dict[str, float] = field(default_factory=dict)

    def _liquid(self, form: str, volume: float, gas: float | None) -> float:
        if form == "liquid":
            return volume
        return volume / (1 + (gas if gas is not None else self.gas_parts_default))

    def _adds(
        self, lim: Limit, product: str, conc: float, form: str, volume: float, gas: float | None
    ) -> float:
        if lim.kind == "agent_dose_mg":
            return (
                self._liquid(form, volume, gas) * conc * self.mg_per_ml_per_percent if self.counts_mg else 0.0
            )
        mine = (
            (lim.product is None or lim.product == product)
            and (
                lim.at_concentration_percent is None
                or abs(conc - lim.at_concentration_percent) <= self.tolerance
            )
            and (lim.form is None or lim.form == form)
        )
        if lim.kind == "foam_volume_ml":
            counts = form == "foam" if lim.product is None else mine and form == "foam"
            return volume if counts else 0.0
        if not mine:
            return 0.0
        return 1.0 if lim.kind == "injection_count" else volume

    def fits(self, product: str, conc: float, form: str, volume: float, gas: float | None) -> bool:
        for lim in self.limits:
            add = self._adds(lim, product, conc, form, volume, gas)
            if lim.kind == "injection_volume_ml":
                if add > lim.max + self.tolerance:
                    return False
            elif self.used.get(lim.id, 0.0) + add > lim.max + self.tolerance:
                return False
        return True

    def add(self, product: str, conc: float, form: str, volume: float, gas: float | None) -> None:
        for lim in self.limits:
            if lim.kind != "injection_volume_ml":
                self.used[lim.id] = self.used.get(lim.id, 0.0) + self._adds(
                    lim, product, conc, form, volume, gas
                )


class Catalogue:
    """The protocol's vocabularies and allowed values, prepared once for the generator."""

    def __init__(self, engine: Engine, rng: random.Random, templates: int = 400) -> None:
        self.engine = engine
        protocol = engine.protocol
        self.protocol = protocol
        self.products: dict[str, ProductDef] = {p.id: p for p in protocol.products_in_use}
        self.regions = [r.id for r in protocol.procedures.regions]
        self.gas_parts = sorted(
            {
                float(v)
                for m in protocol.formulary.foam_methods
                for v in range(int(m.gas_parts.min or 0), int(m.gas_parts.max or m.gas_parts.min or 0) + 1)
                if v > 0
            }
        )
        self.gas_parts_default = min(
            (m.gas_parts.min for m in protocol.formulary.foam_methods if m.gas_parts.min is not None),
            default=0.0,
        )
        self.symptoms = {
            code: rate for code, (rate, _cite) in SOURCED_SYMPTOM_RATES.items() if code in protocol.symptoms
        }
        self.templates = self._templates(rng, templates)
        if not self.templates:
            raise ValueError("The protocol offers no treatment the generator can give.")

    # --- findings --------------------------------------------------------------------------

    def _templates(self, rng: random.Random, count: int) -> list[Template]:
        findings: list[dict[str, Any]] = []
        for i in range(count * 2):
            finding: dict[str, Any] = {
                "id": f"t{i}",
                "side": "left",
                "region": rng.choice(self.regions),
                "diameter_mm": round(rng.uniform(*DIAMETER_SPAN_MM), 1),
                "depth": rng.choice(DEPTHS),
                "reflux": rng.choice((True, False, None)),
            }
            if rng.random() < 0.1:
                finding["named_vein"] = rng.choice(NAMED_VEINS)
            findings.append(finding)
        plan = self.engine.plan(
            {"patient": {"age_years": 50, "sex": "female", "weight_kg": 70}, "findings": findings}
        ).model_dump(mode="json")
        by_id = {f["id"]: f for f in findings}
        out: list[Template] = []
        for answer in plan["findings"]:
            if answer["procedure"] not in TREATING_PROCEDURES:
                continue
            options = tuple(o for o in (self._option(raw) for raw in answer["options"]) if o is not None)
            if not options:
                continue
            own = {k: v for k, v in by_id[answer["id"]].items() if k not in ("id", "side")}
            out.append(
                Template(
                    region=own.pop("region"),
                    side_free=own,
                    vessel_class=answer["vessel_class"],
                    procedure=answer["procedure"],
                    alternatives=tuple(answer.get("alternatives") or ()),
                    options=options,
                )
            )
            if len(out) == count:
                break
        return out

    def _option(self, raw: dict[str, Any]) -> Option | None:
        product = self.products.get(raw["product"])
        if product is None:
            return None
        lo, hi = raw["concentration_percent"]
        labelled = (
            product.foamable_strengths_percent
            if raw["form"] == "foam" and product.foamable_strengths_percent
            else product.strengths_percent
        )
        strengths = tuple(float(s) for s in labelled if lo - ROUNDING <= s <= hi + ROUNDING)
        volume = self._volume_range(product, raw["form"], raw.get("volume_per_site_ml"))
        if not strengths or volume is None:
            return None
        gauge = raw.get("needle_gauge")
        return Option(
            procedure=raw["procedure"],
            agent=raw["agent"],
            product=product.id,
            form=raw["form"],
            strengths=strengths,
            volume_ml=volume,
            needle_gauge=(int(gauge[0]), int(gauge[1])) if gauge and gauge[0] and gauge[1] else None,
        )

    def _volume_range(
        self, product: ProductDef, form: str, per_site: list[float | None] | None
    ) -> tuple[float, float] | None:
        """The option's per-site volume; where the label gives none, the smallest per-site minimum
        the product states and its per-injection (or, for foam, per-session) maximum."""
        lo, hi = per_site if per_site else (None, None)
        if lo is None:
            stated = [u.volume_per_site_ml.min for u in product.uses if u.volume_per_site_ml]
            lo = min((s for s in stated if s is not None), default=None)
        if hi is None:
            caps = [
                lim.max
                for lim in product.limits
                if isinstance(lim, InjectionVolumeLimit) and lim.form in (None, form)
            ]
            if not caps and form == "foam":
                caps = [lim.max for lim in self._limits(product.id, 70.0, 2) if lim.kind == "foam_volume_ml"]
            hi = min(caps, default=None)
        if lo is None or hi is None or lo > hi:
            return None
        return float(lo), float(hi)

    # --- sessions --------------------------------------------------------------------------

    def _limits(self, product_id: str, weight_kg: float, session_number: int) -> tuple[Limit, ...]:
        answer = self.engine.session_limits({"weight_kg": weight_kg}, product_id, session_number)
        return tuple(lim for lim in answer.limits if not lim.advisory)

    def budget(self, product_id: str, weight_kg: float, session_number: int) -> Budget:
        product = self.products[product_id]
        agent = self.protocol.agents[product.agent]
        return Budget(
            limits=self._limits(product_id, weight_kg, session_number),
            mg_per_ml_per_percent=float(agent.mg_per_ml_per_percent),
            counts_mg=agent.id == "polidocanol",
            gas_parts_default=float(self.gas_parts_default),
            tolerance=self.engine.limit_tolerance,
        )

    def interval_days(self, product_id: str) -> tuple[int, int]:
        """Days between sessions: the product's labelled interval, or for a product whose label
        gives none, the span of the intervals the other products in use give."""
        own = self.products[product_id].interval
        intervals = [own] if own is not None else [p.interval for p in self.products.values() if p.interval]
        spans = [
            (int(i.days.min), int(i.days.max or i.days.min)) for i in intervals if i.days.min is not None
        ]
        if not spans:
            raise ValueError("No product in use gives an interval between sessions.")
        return min(s[0] for s in spans), max(s[1] for s in spans)

    # --- cached engine answers ----------------------------------------------------------------

    @lru_cache(maxsize=4096)  # noqa: B019 - one catalogue per run; the cache dies with it
    def aftercare(self, treated: tuple[tuple[str, str], ...], products: tuple[str, ...]) -> dict[str, Any]:
        return self.engine.aftercare(list(treated), list(products)).model_dump(mode="json")

    @lru_cache(maxsize=4096)  # noqa: B019
    def triage(self, symptom: str, days: int) -> dict[str, Any]:
        return self.engine.triage({"symptom": symptom, "days_since_treatment": days}).model_dump(mode="json")

    @lru_cache(maxsize=256)  # noqa: B019
    def ceap(self, signs: tuple[str, ...]) -> dict[str, Any]:
        return self.engine.ceap({"signs": list(signs)}).model_dump(mode="json")

    @lru_cache(maxsize=4096)  # noqa: B019
    def vcss(self, items: tuple[tuple[str, int], ...]) -> dict[str, Any]:
        return self.engine.vcss({"items": dict(items)}).model_dump(mode="json")
