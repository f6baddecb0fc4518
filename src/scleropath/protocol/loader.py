"""Load a protocol directory (and optionally a clinic's own protocol file) into a :class:`Protocol`.

Loading is where the data is proven: each file is validated against its model, then the whole
protocol is cross-checked (citations resolve, ids are unique, ranges fit the product's strengths,
no rule rests on weak sources alone). Every failure is a :class:`ProtocolError` naming the file
and the path of the bad entry.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, Field, ValidationError

from .model import LocalChoice, Protocol
from .schema import (
    FORMAT_VERSION,
    AdvisoryVolume,
    AftercareFile,
    AvoidItem,
    CeapFile,
    CheckInDay,
    Cited,
    ComplicationsFile,
    Compression,
    DiameterBand,
    FollowUp,
    FormularyFile,
    GeneralLimit,
    Interval,
    Manifest,
    NumRange,
    PhotographyFile,
    PhotoView,
    ProcedureRule,
    ProceduresFile,
    ProductUse,
    ReferencesFile,
    ScreeningFile,
    Strict,
    VcssFile,
    VesselsFile,
    Walk,
)
from .screening import name_key
from .vocabulary import Agent, Form, VesselClass
from .wording import field_path, number, span

DEFAULT_PROTOCOL_DIR = Path(__file__).parent / "data" / "uk-default"

PART_FILES: dict[str, type[BaseModel]] = {
    "protocol.yaml": Manifest,
    "references.yaml": ReferencesFile,
    "vessels.yaml": VesselsFile,
    "ceap.yaml": CeapFile,
    "vcss.yaml": VcssFile,
    "procedures.yaml": ProceduresFile,
    "formulary.yaml": FormularyFile,
    "screening.yaml": ScreeningFile,
    "aftercare.yaml": AftercareFile,
    "complications.yaml": ComplicationsFile,
    "photography.yaml": PhotographyFile,
}

# Entries that carry a rule the engine enforces or a number it computes with: these must cite at
# least one grade A or B source. Display-only text (expected course, weak advice) may rest on grade C.
RULE_TYPES: tuple[type[Cited], ...] = (
    ProductUse,
    DiameterBand,
    ProcedureRule,
    Compression,
    Walk,
    FollowUp,
    Interval,
    GeneralLimit,
    CheckInDay,
)

M = TypeVar("M", bound=BaseModel)


class ProtocolError(ValueError):
    """A protocol file failed to load; the message names the file and the entry."""

    def __init__(self, file: str, path: str, message: str) -> None:
        self.file = file
        self.path = path
        self.message = message
        where = f"{file}: {path}: " if path else f"{file}: "
        super().__init__(where + message)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProtocolError(path.name, "", "file is missing") from None
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ProtocolError(path.name, "", f"not valid YAML: {exc}") from None


def _validate(model: type[M], data: Any, file: str) -> M:
    if not isinstance(data, dict):
        raise ProtocolError(file, "", "expected a mapping at the top level")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise ProtocolError(
            file, "format_version", f"unsupported format version {version!r} (expected {FORMAT_VERSION})"
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ProtocolError(file, field_path(first["loc"]), first["msg"]) from None


def _walk(node: Any, loc: tuple[int | str, ...] = ()) -> Iterator[tuple[tuple[int | str, ...], BaseModel]]:
    """Every model inside ``node`` with its location."""
    if isinstance(node, BaseModel):
        yield loc, node
        for name in type(node).model_fields:
            yield from _walk(getattr(node, name), (*loc, name))
    elif isinstance(node, list | tuple):
        for i, item in enumerate(node):
            yield from _walk(item, (*loc, i))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from _walk(item, (*loc, str(key)))


def _cited_ids(entry: BaseModel) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for name in ("cite", "resolution_cite", "daily_max_cite"):
        ids = getattr(entry, name, None)
        if ids:
            out.append((name, list(ids)))
    source = getattr(entry, "source", None)
    if isinstance(source, str) and type(entry).__name__ == "Grading":
        out.append(("source", [source]))
    return out


def _check_citations(parts: dict[str, BaseModel], refs: ReferencesFile) -> None:
    known = {r.id: r for r in refs.references}
    for file, part in parts.items():
        for loc, entry in _walk(part):
            for field, ids in _cited_ids(entry):
                for i, cid in enumerate(ids):
                    if cid not in known:
                        raise ProtocolError(
                            file,
                            field_path((*loc, field, i)),
                            f"citation id {cid!r} is not in references.yaml",
                        )
            if isinstance(entry, RULE_TYPES):
                cited = getattr(entry, "cite", [])
                if all(known[c].weak or known[c].grade == "C" for c in cited):
                    raise ProtocolError(
                        file,
                        field_path((*loc, "cite")),
                        "a rule must cite at least one grade A or B source (grade C is display text only)",
                    )
            if (
                isinstance(entry, AvoidItem)
                and entry.days is not None
                and all(known[c].weak or known[c].grade == "C" for c in entry.cite)
            ):
                raise ProtocolError(
                    file,
                    field_path((*loc, "cite")),
                    "a number of days to avoid an activity needs a grade A or B source",
                )
            esc = getattr(entry, "escalate_after_resolution", False)
            if esc:
                rc = getattr(entry, "resolution_cite", [])
                if not rc or all(known[c].weak or known[c].grade == "C" for c in rc):
                    raise ProtocolError(
                        file,
                        field_path((*loc, "resolution_cite")),
                        "escalating after the resolution window needs a grade A or B source for that window",
                    )


def _unique(file: str, path: str, values: Sequence[str]) -> None:
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v in seen:
            raise ProtocolError(file, f"{path}[{i}]", f"duplicate id {v!r}")
        seen.add(v)


def _check_cross_references(
    manifest: Manifest,
    vessels: VesselsFile,
    ceap: CeapFile,
    vcss: VcssFile,
    procedures: ProceduresFile,
    formulary: FormularyFile,
    screening: ScreeningFile,
    complications: ComplicationsFile,
    refs: ReferencesFile,
) -> None:
    _unique("references.yaml", "references", [r.id for r in refs.references])
    _unique("vessels.yaml", "classes", [c.id for c in vessels.classes])
    _unique("procedures.yaml", "rules", [r.id for r in procedures.rules])
    _unique("procedures.yaml", "regions", [r.id for r in procedures.regions])
    _unique("formulary.yaml", "products", [p.id for p in formulary.products])
    _unique("screening.yaml", "items", [i.code for i in screening.items])
    _unique("complications.yaml", "symptoms", [s.code for s in complications.symptoms])
    limit_ids = [lim.id for p in formulary.products for lim in p.limits] + [
        g.id for g in formulary.general_limits
    ]
    _unique("formulary.yaml", "limits", limit_ids)

    products = {p.id: p for p in formulary.products}
    agents = {a.id for a in formulary.agents}
    for agent, pid in manifest.default_products.items():
        if pid not in products:
            raise ProtocolError("protocol.yaml", f"default_products.{agent}", f"unknown product {pid!r}")
        if products[pid].agent != agent:
            raise ProtocolError(
                "protocol.yaml", f"default_products.{agent}", f"product {pid!r} does not carry {agent}"
            )
    for i, pid in enumerate(manifest.products_in_use):
        if pid not in products:
            raise ProtocolError("protocol.yaml", f"products_in_use[{i}]", f"unknown product {pid!r}")

    # Allergy entries are matched by these names, so none may stand for two agents.
    named: dict[str, str] = {}
    entries = [
        (f"agents[{i}]{where}", a.id, name)
        for i, a in enumerate(formulary.agents)
        for where, name in [
            (".id", a.id),
            (".display", a.display),
            *((f".synonyms[{j}]", syn) for j, syn in enumerate(a.synonyms)),
        ]
    ] + [
        (f"products[{i}]{where}", p.agent, name)
        for i, p in enumerate(formulary.products)
        for where, name in ((".id", p.id), (".display", p.display))
    ]
    for path, agent, name in entries:
        for key in {name_key(name), name_key(name.split("(")[0])}:
            other = named.setdefault(key, agent)
            if other != agent:
                raise ProtocolError("formulary.yaml", path, f"{name!r} already names {other}")

    # Bands must not overlap and must be in ascending order.
    previous_top: float | None = None
    for i, band in enumerate(vessels.diameter_bands):
        low = band.min_mm or 0.0
        if previous_top is not None and abs(low - previous_top) > 1e-9:
            raise ProtocolError(
                "vessels.yaml",
                f"diameter_bands[{i}].min_mm",
                "bands must be contiguous and in ascending order",
            )
        if band.below_mm is not None and band.below_mm <= low:
            raise ProtocolError("vessels.yaml", f"diameter_bands[{i}].below_mm", "must be above min_mm")
        previous_top = band.below_mm

    signs = [s for c in ceap.classes for s in c.signs]
    _unique("ceap.yaml", "classes[].signs", signs)
    # A vessel class's CEAP sign is what the leg-score form proposes from the findings, so it must
    # be a sign of the very class the vessel class names.
    ceap_codes = {c.code: c for c in ceap.classes}
    for i, vc in enumerate(vessels.classes):
        if vc.ceap is not None and vc.ceap not in ceap_codes:
            raise ProtocolError("vessels.yaml", f"classes[{i}].ceap", f"unknown CEAP class {vc.ceap!r}")
        if vc.ceap_sign is not None and (vc.ceap is None or vc.ceap_sign not in ceap_codes[vc.ceap].signs):
            raise ProtocolError(
                "vessels.yaml",
                f"classes[{i}].ceap_sign",
                f"{vc.ceap_sign!r} is not a sign of CEAP class {vc.ceap!r}",
            )
    item_ids = [i.id for i in vcss.items]
    _unique("vcss.yaml", "items", item_ids)
    if len(item_ids) != 10:
        raise ProtocolError("vcss.yaml", "items", f"the revised VCSS has 10 items, found {len(item_ids)}")
    for i, item in enumerate(vcss.items):
        if sorted(a.score for a in item.anchors) != [0, 1, 2, 3]:
            raise ProtocolError("vcss.yaml", f"items[{i}].anchors", "needs one anchor for each score 0-3")

    for i, p in enumerate(formulary.products):
        if p.agent not in agents:
            raise ProtocolError("formulary.yaml", f"products[{i}].agent", f"unknown agent {p.agent!r}")
        for j, use in enumerate(p.uses):
            where = f"products[{i}].uses[{j}]"
            if use.form not in p.forms:
                raise ProtocolError(
                    "formulary.yaml", f"{where}.form", f"{p.id} is not labelled for {use.form}"
                )
            strengths = (
                p.foamable_strengths_percent
                if use.form == "foam" and p.foamable_strengths_percent
                else p.strengths_percent
            )
            for end in ("min", "max"):
                value = getattr(use.concentration_percent, end)
                if value is not None and value not in strengths:
                    raise ProtocolError(
                        "formulary.yaml",
                        f"{where}.concentration_percent.{end}",
                        f"{value}% is not a strength of {p.id} for {use.form} ({strengths})",
                    )
        for j, lim in enumerate(p.limits):
            at = getattr(lim, "at_concentration_percent", None)
            if at is not None and at not in p.strengths_percent:
                raise ProtocolError(
                    "formulary.yaml",
                    f"products[{i}].limits[{j}].at_concentration_percent",
                    f"{at}% is not a strength of {p.id}",
                )
            cond = getattr(lim, "when_condition", None)
            if cond is not None and cond not in {s.code for s in screening.items}:
                raise ProtocolError(
                    "formulary.yaml",
                    f"products[{i}].limits[{j}].when_condition",
                    f"unknown screening code {cond!r}",
                )
            if isinstance(lim, AdvisoryVolume):
                continue

    for i, screening_item in enumerate(screening.items):
        for j, g in enumerate(screening_item.gradings):
            if g.kind == "label" and g.product not in products:
                raise ProtocolError(
                    "screening.yaml", f"items[{i}].gradings[{j}].product", f"unknown product {g.product!r}"
                )
            if g.kind == "guideline" and g.product is not None:
                raise ProtocolError(
                    "screening.yaml",
                    f"items[{i}].gradings[{j}].product",
                    "a guideline grading names no product",
                )
    for i, lb in enumerate(vessels.label_boundaries):
        if lb.product not in products:
            raise ProtocolError(
                "vessels.yaml", f"label_boundaries[{i}].product", f"unknown product {lb.product!r}"
            )


@lru_cache(maxsize=8)
def _load_directory_cached(directory: str) -> Protocol:
    return load_directory(Path(directory))


def load_directory(directory: Path) -> Protocol:
    """Load and cross-check a protocol directory."""
    parts: dict[str, BaseModel] = {}
    for file, model in PART_FILES.items():
        parts[file] = _validate(model, _read_yaml(directory / file), file)
    manifest = parts["protocol.yaml"]
    refs = parts["references.yaml"]
    assert isinstance(manifest, Manifest) and isinstance(refs, ReferencesFile)
    _check_citations(parts, refs)
    vessels, ceap, vcss = parts["vessels.yaml"], parts["ceap.yaml"], parts["vcss.yaml"]
    procedures, formulary = parts["procedures.yaml"], parts["formulary.yaml"]
    screening, aftercare, complications = (
        parts["screening.yaml"],
        parts["aftercare.yaml"],
        parts["complications.yaml"],
    )
    assert isinstance(vessels, VesselsFile) and isinstance(ceap, CeapFile) and isinstance(vcss, VcssFile)
    assert isinstance(procedures, ProceduresFile) and isinstance(formulary, FormularyFile)
    assert isinstance(screening, ScreeningFile) and isinstance(aftercare, AftercareFile)
    assert isinstance(complications, ComplicationsFile)
    photography = parts["photography.yaml"]
    assert isinstance(photography, PhotographyFile)
    _check_photo_views("photography.yaml", "views", photography.views, set())
    _check_cross_references(
        manifest, vessels, ceap, vcss, procedures, formulary, screening, complications, refs
    )
    return Protocol(
        manifest=manifest,
        references=refs,
        vessels=vessels,
        ceap=ceap,
        vcss=vcss,
        procedures=procedures,
        formulary=formulary,
        screening=screening,
        aftercare=aftercare,
        complications=complications,
        photography=photography,
    )


def _check_photo_views(file: str, path: str, views: Sequence[PhotoView], taken: set[str]) -> None:
    """View codes are unique, across the base protocol and a clinic's added views alike."""
    seen = set(taken)
    for i, view in enumerate(views):
        if view.code in seen:
            raise ProtocolError(file, f"{path}[{i}].code", f"duplicate photo view {view.code!r}")
        seen.add(view.code)
        if len(set(view.sides)) != len(view.sides):
            raise ProtocolError(file, f"{path}[{i}].sides", "a side is listed twice")


def load_protocol(directory: Path | str | None = None) -> Protocol:
    """The protocol in ``directory`` (the bundled UK default when omitted), cached by path."""
    path = Path(directory) if directory is not None else DEFAULT_PROTOCOL_DIR
    return _load_directory_cached(str(path.resolve()))


# --- a clinic's own protocol file -------------------------------------------------------------


class Deviation(Strict):
    reason: str = Field(min_length=3)
    approved_by: str = Field(min_length=1)


class ConcentrationChoice(Strict):
    product: str
    vessel_class: VesselClass
    form: Form
    percent: NumRange
    deviation: Deviation | None = None


class BaseRef(Strict):
    id: str
    version: str


class ClinicProtocolFile(Strict):
    format_version: Literal[1]
    base: BaseRef
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str
    title: str
    products_in_use: list[str] | None = None
    preferred_agent: Agent | None = None
    truncal_reflux: Literal["nice_cg168", "s2k_2020"] | None = None
    concentrations: list[ConcentrationChoice] = Field(default_factory=list)
    photo_views: list[PhotoView] = Field(default_factory=list)


def load_clinic_protocol(path: Path | str, base: Protocol | None = None) -> Protocol:
    """A clinic's protocol file applied on top of its base protocol.

    A clinic may narrow the defaults (which products, a preferred agent, a point concentration
    inside a label's range). A concentration outside the label's range only loads when marked as
    a local deviation with a reason; answers that use it say so.
    """
    path = Path(path)
    file = path.name
    clinic = _validate(ClinicProtocolFile, _read_yaml(path), file)
    base = base or load_protocol()
    m = base.manifest
    if (clinic.base.id, clinic.base.version) != (m.id, m.version):
        raise ProtocolError(
            file,
            "base",
            f"written for {clinic.base.id} {clinic.base.version}, but the base is {m.id} {m.version}",
        )
    products = base.products
    in_use = clinic.products_in_use if clinic.products_in_use is not None else list(m.products_in_use)
    for i, pid in enumerate(in_use):
        if pid not in products:
            raise ProtocolError(file, f"products_in_use[{i}]", f"unknown product {pid!r}")
    choices: dict[tuple[str, str, str], LocalChoice] = {}
    for i, choice in enumerate(clinic.concentrations):
        where = f"concentrations[{i}]"
        product = products.get(choice.product)
        if product is None:
            raise ProtocolError(file, f"{where}.product", f"unknown product {choice.product!r}")
        use = next(
            (u for u in product.uses if choice.vessel_class in u.vessel_classes and u.form == choice.form),
            None,
        )
        if use is None:
            raise ProtocolError(
                file,
                where,
                f"{choice.product} is not labelled for {choice.vessel_class} veins as {choice.form}",
            )
        # A one-sided choice keeps the label's other bound, so it can only narrow the range; a bound
        # beyond the label's other end is outside the label and keeps its open side.
        low = choice.percent.min if choice.percent.min is not None else use.concentration_percent.min
        high = choice.percent.max if choice.percent.max is not None else use.concentration_percent.max
        crossed = low is not None and high is not None and low > high
        percent = choice.percent if crossed else NumRange(min=low, max=high)
        inside = all(v is None or use.concentration_percent.contains(v) for v in (percent.min, percent.max))
        if not inside and choice.deviation is None:
            raise ProtocolError(
                file,
                f"{where}.percent",
                f"outside the label range {span(use.concentration_percent, '%')} for {choice.product}; "
                "mark it as a local deviation with a reason to use it",
            )
        # A strength the product is not made in (a point between two presentations, or a range
        # holding none) means diluting it, which no label covers: it too needs a recorded deviation.
        made = (
            product.foamable_strengths_percent
            if choice.form == "foam" and product.foamable_strengths_percent
            else product.strengths_percent
        )
        available = any(percent.contains(s) for s in made)
        if not available and choice.deviation is None:
            raise ProtocolError(
                file,
                f"{where}.percent",
                f"{choice.product} is not made in a strength within {span(percent, '%')} for {choice.form} "
                f"(made in {', '.join(f'{number(s)} %' for s in made)}); "
                "mark it as a local deviation with a reason to use it",
            )
        standard = inside and available
        choices[(choice.product, choice.vessel_class, choice.form)] = LocalChoice(
            rule_id=f"clinic.{clinic.id}.{where}",
            percent=percent,
            deviation_reason=None if standard else choice.deviation.reason if choice.deviation else None,
            approved_by=choice.deviation.approved_by if choice.deviation else None,
        )
    _check_photo_views(file, "photo_views", clinic.photo_views, {v.code for v in base.photography.views})
    photography = base.photography.model_copy(
        update={"views": [*base.photography.views, *clinic.photo_views]}
    )
    manifest = m.model_copy(
        update={
            "products_in_use": in_use,
            "policies": m.policies.model_copy(
                update={"truncal_reflux": clinic.truncal_reflux or m.policies.truncal_reflux}
            ),
        }
    )
    return base.with_overlay(
        manifest=manifest,
        clinic_id=clinic.id,
        clinic_version=clinic.version,
        preferred_agent=clinic.preferred_agent,
        local_choices=choices,
        photography=photography,
    )
