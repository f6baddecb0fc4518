"""Vessel classification: which class a finding belongs to, and on what basis."""

from __future__ import annotations

from .answers import Classification
from .inputs import Finding
from .model import Protocol
from .wording import name_of, words


def derived_class(protocol: Protocol, finding: Finding) -> tuple[str | None, str, list[str], list[str]]:
    """The class the protocol derives (ignoring the clinician's), its basis, rule ids and citations."""
    if finding.named_vein and finding.named_vein != "other":
        for i, rule in enumerate(protocol.vessels.named_veins):
            if finding.named_vein in rule.named_veins:
                return rule.vessel_class, "named_vein", [f"vessels.named_veins[{i}]"], list(rule.cite)
    if finding.diameter_mm is None:
        return None, "none", [], []
    d = finding.diameter_mm
    for i, band in enumerate(protocol.vessels.diameter_bands):
        if (band.min_mm is None or d >= band.min_mm) and (band.below_mm is None or d < band.below_mm):
            cls: str = band.vessel_class
            rule_ids, cites = [f"vessels.diameter_bands[{i}]"], list(band.cite)
            if finding.recurrent:
                for j, rec in enumerate(protocol.vessels.recurrent):
                    if rec.from_class == cls:
                        cls = rec.to_class
                        rule_ids.append(f"vessels.recurrent[{j}]")
                        cites.extend(rec.cite)
            return cls, "diameter", rule_ids, cites
    return None, "none", [], []


def _vessel(protocol: Protocol, code: str) -> str:
    return name_of(protocol, "vessel_class", code, capital=False, short=True)


def classify(protocol: Protocol, finding: Finding) -> Classification:
    """Classify one finding. A class set by the clinician wins and is reported as an override."""
    derived, basis, rule_ids, cites = derived_class(protocol, finding)
    warnings: list[str] = []
    if finding.vessel is not None:
        chosen = finding.vessel
        if derived is not None and derived != chosen:
            warnings.append(
                f"Clinician class {_vessel(protocol, chosen)} overrides {_vessel(protocol, derived)} "
                f"derived from the {words(basis)}."
            )
        basis = "clinician"
        rule_ids = [*rule_ids, "vessels.clinician_class"]
        cites = [*cites, *protocol.vessel_classes[chosen].cite]
    else:
        assert derived is not None  # Finding guarantees a diameter, class or named vein
        chosen = derived  # type: ignore[assignment]  # a class id from the validated protocol
    vdef = protocol.vessel_classes[chosen]
    if finding.depth is not None and vdef.layer is not None and finding.depth != vdef.layer:
        warnings.append(
            f"Depth {finding.depth} is unusual for a {_vessel(protocol, chosen)} vein ({vdef.layer}); "
            "check the measurement or set the class."
        )
    if finding.diameter_mm is not None:
        in_use = set(protocol.manifest.products_in_use)
        for i, lb in enumerate(protocol.vessels.label_boundaries):
            if (
                lb.product in in_use
                and lb.vessel_class != chosen
                and lb.diameter_mm.contains(finding.diameter_mm)
            ):
                warnings.append(lb.note or f"{lb.product} label classes this vein as {lb.vessel_class}.")
                rule_ids = [*rule_ids, f"vessels.label_boundaries[{i}]"]
                cites = [*cites, *lb.cite]
    return Classification.model_construct(
        vessel_class=chosen,
        basis=basis,
        derived_class=derived,
        warnings=warnings,
        rule_ids=rule_ids,
        citations=protocol.cite_list(cites),
    )
