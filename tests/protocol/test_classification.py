"""Vessel classes: CEAP diameter bands (measured standing), named veins, recurrence, the clinician's
override, and depth and label-wording warnings (reference 1.1; key facts, vessel classes)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scleropath.protocol import Engine

from .support import Json, assert_cited

MakeFinding = Callable[..., Json]


@pytest.mark.parametrize(
    ("diameter_mm", "expected"),
    [
        pytest.param(0.1, "telangiectasia", id="0.1 mm telangiectasia"),
        pytest.param(0.9, "telangiectasia", id="0.9 mm telangiectasia (below 1 mm)"),
        pytest.param(1.0, "reticular", id="1.0 mm reticular (CEAP boundary)"),
        pytest.param(2.9, "reticular", id="2.9 mm reticular (below 3 mm)"),
        pytest.param(3.0, "varicose", id="3.0 mm varicose (3 mm or more)"),
        pytest.param(12.0, "varicose", id="12 mm varicose"),
    ],
)
def test_the_diameter_decides_the_class_at_the_ceap_boundaries(
    engine: Engine, make_finding: MakeFinding, diameter_mm: float, expected: str
) -> None:
    answer = engine.classify(make_finding(diameter_mm=diameter_mm))
    assert (answer.vessel_class, answer.basis) == (expected, "diameter")
    assert {"CEAP2004", "CEAP2020"} <= set(answer.citations)
    assert_cited(answer, engine.protocol)


def test_a_recurrent_vein_of_4_mm_is_a_recurrent_varicose_vein(
    engine: Engine, make_finding: MakeFinding
) -> None:
    answer = engine.classify(make_finding(diameter_mm=4, recurrent=True))
    assert answer.vessel_class == "recurrent_varicose"
    assert "CEAP2020" in answer.citations  # C2r is new in CEAP 2020


def test_a_recurrent_vein_below_varicose_size_keeps_its_size_class(
    engine: Engine, make_finding: MakeFinding
) -> None:
    assert engine.classify(make_finding(diameter_mm=0.5, recurrent=True)).vessel_class == "telangiectasia"
    assert engine.classify(make_finding(diameter_mm=2, recurrent=True)).vessel_class == "reticular"


@pytest.mark.parametrize("vein", ["gsv", "ssv", "aasv", "pasv"])
@pytest.mark.parametrize("diameter_mm", [0.8, 2.5, 9.0])
def test_a_named_saphenous_trunk_is_truncal_whatever_its_diameter(
    engine: Engine, make_finding: MakeFinding, vein: str, diameter_mm: float
) -> None:
    answer = engine.classify(make_finding(named_vein=vein, diameter_mm=diameter_mm))
    assert (answer.vessel_class, answer.basis) == ("truncal", "named_vein")
    assert "SVS2023" in answer.citations


def test_a_named_perforator_is_a_perforator_without_a_diameter(
    engine: Engine, make_finding: MakeFinding
) -> None:
    assert engine.classify(make_finding(named_vein="perforator")).vessel_class == "perforator"


def test_a_vein_named_other_is_classed_by_its_diameter(engine: Engine, make_finding: MakeFinding) -> None:
    answer = engine.classify(make_finding(named_vein="other", diameter_mm=4))
    assert (answer.vessel_class, answer.basis) == ("varicose", "diameter")


def test_the_clinicians_class_wins_and_the_override_is_reported_as_a_warning(
    engine: Engine, make_finding: MakeFinding
) -> None:
    answer = engine.classify(make_finding(diameter_mm=0.8, vessel="reticular"))
    assert (answer.vessel_class, answer.basis, answer.derived_class) == (
        "reticular",
        "clinician",
        "telangiectasia",
    )
    assert any("overrides telangiectasia" in w for w in answer.warnings)
    assert "vessels.clinician_class" in answer.rule_ids


def test_a_clinicians_class_that_agrees_with_the_diameter_raises_no_warning(
    engine: Engine, make_finding: MakeFinding
) -> None:
    answer = engine.classify(make_finding(diameter_mm=0.8, vessel="telangiectasia"))
    assert answer.basis == "clinician"
    assert answer.warnings == []


def test_a_clinicians_class_alone_classifies_a_venous_malformation(
    engine: Engine, make_finding: MakeFinding
) -> None:
    answer = engine.classify(make_finding(vessel="venous_malformation"))
    assert (answer.vessel_class, answer.derived_class) == ("venous_malformation", None)
    assert answer.warnings == []


@pytest.mark.parametrize(
    ("diameter_mm", "depth"),
    [(0.5, "subcutaneous"), (0.5, "subfascial"), (2.0, "intradermal"), (5.0, "intradermal")],
)
def test_a_depth_inconsistent_with_the_class_is_warned(
    engine: Engine, make_finding: MakeFinding, diameter_mm: float, depth: str
) -> None:
    answer = engine.classify(make_finding(diameter_mm=diameter_mm, depth=depth))
    assert any(f"Depth {depth} is unusual" in w for w in answer.warnings)


@pytest.mark.parametrize(("diameter_mm", "depth"), [(0.5, "intradermal"), (2.0, "subcutaneous")])
def test_a_depth_that_fits_the_class_is_not_warned(
    engine: Engine, make_finding: MakeFinding, diameter_mm: float, depth: str
) -> None:
    assert engine.classify(make_finding(diameter_mm=diameter_mm, depth=depth)).warnings == []


def test_the_asclera_labels_wording_at_1_mm_is_warned_only_where_asclera_is_in_use(
    engine: Engine, clinic_engine: Callable[..., Engine], make_finding: MakeFinding
) -> None:
    """CEAP calls a 1.0 mm vein reticular; the Asclera label calls veins up to 1 mm spider veins."""
    assert engine.classify(make_finding(diameter_mm=1.0)).warnings == []
    asclera = clinic_engine(products_in_use=["asclera"]).classify(make_finding(diameter_mm=1.0))
    assert asclera.vessel_class == "reticular"  # CEAP decides the boundary
    assert len(asclera.warnings) == 1
    assert "ASCL" in asclera.citations
