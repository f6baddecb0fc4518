"""The loaded protocol: its validated parts plus the indexes the engine looks things up in."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from .answers import ProtocolRef
from .schema import (
    AftercareFile,
    AgentDef,
    CeapFile,
    ComplicationsFile,
    FormularyFile,
    Manifest,
    NumRange,
    PhotographyFile,
    PhotoView,
    ProceduresFile,
    ProductDef,
    Reference,
    ReferencesFile,
    ScreeningFile,
    ScreeningItem,
    Symptom,
    TechniqueDef,
    VcssFile,
    VesselClassDef,
    VesselsFile,
)


@dataclass(frozen=True)
class LocalChoice:
    """A clinic's narrowing of a label range (or a recorded deviation from it)."""

    rule_id: str
    percent: NumRange
    deviation_reason: str | None
    approved_by: str | None


@dataclass(frozen=True, eq=False)
class Protocol:
    """One clinical protocol, loaded and checked: the data every engine answer is computed from.

    Made only by the loader: ``load_protocol`` validates each YAML file of a protocol directory and
    cross-checks them (every citation resolves, ids are unique, bands are contiguous...), and
    ``load_clinic_protocol`` lays a clinic's file on top with :meth:`with_overlay`, which returns a
    new protocol and leaves the base as it was. Loaded protocols are cached by path and shared
    between requests, so the object is frozen and never changed after loading; the indexes below
    are computed once, on first use.

    Invariants: every id an entry refers to (a product, an agent, a vessel class, a citation) exists
    in this protocol; ``clinic_id`` and ``clinic_version`` are set together or not at all; a local
    choice outside the label's range carries its deviation reason. Hashed and compared by identity
    (``eq=False``), so the engine's caches can key on the protocol object cheaply; comparing every
    part's contents on each lookup would cost more than the work cached.
    """

    manifest: Manifest
    references: ReferencesFile
    vessels: VesselsFile
    ceap: CeapFile
    vcss: VcssFile
    procedures: ProceduresFile
    formulary: FormularyFile
    screening: ScreeningFile
    aftercare: AftercareFile
    complications: ComplicationsFile
    photography: PhotographyFile
    clinic_id: str | None = None
    clinic_version: str | None = None
    preferred_agent: str | None = None
    local_choices: dict[tuple[str, str, str], LocalChoice] = field(default_factory=dict)

    def with_overlay(
        self,
        *,
        manifest: Manifest,
        clinic_id: str,
        clinic_version: str,
        preferred_agent: str | None,
        local_choices: dict[tuple[str, str, str], LocalChoice],
        photography: PhotographyFile | None = None,
    ) -> Protocol:
        return replace(
            self,
            manifest=manifest,
            clinic_id=clinic_id,
            clinic_version=clinic_version,
            preferred_agent=preferred_agent,
            local_choices=local_choices,
            photography=photography or self.photography,
        )

    # --- identity -------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def version(self) -> str:
        return self.manifest.version

    # --- indexes --------------------------------------------------------------------------

    @cached_property
    def refs(self) -> dict[str, Reference]:
        return {r.id: r for r in self.references.references}

    @cached_property
    def vessel_classes(self) -> dict[str, VesselClassDef]:
        return {c.id: c for c in self.vessels.classes}

    @cached_property
    def products(self) -> dict[str, ProductDef]:
        return {p.id: p for p in self.formulary.products}

    @cached_property
    def agents(self) -> dict[str, AgentDef]:
        return {a.id: a for a in self.formulary.agents}

    @cached_property
    def products_in_use(self) -> list[ProductDef]:
        """Products the plan offers, the preferred agent's first."""
        chosen = [self.products[pid] for pid in self.manifest.products_in_use]
        if self.preferred_agent:
            chosen.sort(key=lambda p: p.agent != self.preferred_agent)
        return chosen

    @cached_property
    def screening_items(self) -> dict[str, ScreeningItem]:
        return {i.code: i for i in self.screening.items}

    @cached_property
    def condition_codes(self) -> frozenset[str]:
        return frozenset(i.code for i in self.screening.items if i.source_field == "conditions")

    @cached_property
    def symptoms(self) -> dict[str, Symptom]:
        return {s.code: s for s in self.complications.symptoms}

    @cached_property
    def techniques(self) -> dict[str, TechniqueDef]:
        return {t.procedure: t for t in self.formulary.techniques}

    @cached_property
    def photo_views(self) -> dict[str, PhotoView]:
        """The standard photo views, the clinic's own added after the protocol's, by code."""
        return {v.code: v for v in self.photography.views}

    @cached_property
    def region_levels(self) -> dict[str, int]:
        return {r.id: r.level for r in self.procedures.regions}

    @cached_property
    def names(self) -> dict[str, dict[str, str]]:
        """The data's display text of every code, by kind (``names["region"]["thigh_medial"]``);
        :func:`scleropath.protocol.wording.name_of` is the way to read it."""
        return {
            "region": {r.id: r.display for r in self.procedures.regions},
            "product": {p.id: p.display for p in self.formulary.products},
            "agent": {a.id: a.display for a in self.formulary.agents},
            "symptom": {s.code: s.display for s in self.complications.symptoms},
            "procedure": {p.id: p.display for p in self.procedures.procedures},
            "vessel_class": {c.id: c.display for c in self.vessels.classes},
            "screening": {i.code: i.display for i in self.screening.items},
            "vcss_item": {i.id: i.display for i in self.vcss.items},
            "ceap_class": {c.code: c.display for c in [self.ceap.none_class, *self.ceap.classes]},
            "foam_method": {m.id: m.display for m in self.formulary.foam_methods},
            "red_flag": {f.id: f.symptom for f in self.aftercare.red_flags},
            "photo_view": {v.code: v.display for v in self.photography.views},
        }

    def ref(self) -> ProtocolRef:
        """Which protocol (and clinic file) an answer came from."""
        return ProtocolRef.model_construct(
            id=self.id,
            version=self.version,
            clinic_id=self.clinic_id,
            clinic_version=self.clinic_version,
        )

    def cite_list(self, *groups: list[str]) -> list[str]:
        """Citation ids in first-seen order, without repeats."""
        seen: dict[str, None] = {}
        for group in groups:
            for cid in group:
                seen.setdefault(cid, None)
        return list(seen)
