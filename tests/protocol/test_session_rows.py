"""The limits a session check lists before the first injection (the plan's products) and the tally's
rows: one per kind of limit, shown by the tightest of its group, the binding row first
(docs/engine-contract.md, check-session)."""

from __future__ import annotations

import pytest

from scleropath.protocol import Engine, InputError
from scleropath.protocol.answers import LimitRow, SessionCheckAnswer

from .support import InjectionFactory, SessionFactory


def row(answer: SessionCheckAnswer, kind: str) -> LimitRow:
    found = [r for r in answer.rows if r.kind == kind]
    assert len(found) == 1, [r.label for r in answer.rows]
    return found[0]


def test_a_planned_product_lists_its_limits_before_any_injection(
    engine: Engine, make_session: SessionFactory
) -> None:
    request = make_session()
    assert engine.check_session(request).limits == []
    answer = engine.check_session({**request, "planned_products": ["fibrovein"]})
    ids = {s.id for s in answer.limits}
    assert {"fibrovein.volume_at_3pct", "fibrovein.sites_at_3pct", "fibrovein.liquid_per_site"} <= ids
    # Fibrovein carries sodium tetradecyl sulfate: no polidocanol dose limit applies to it.
    assert not any(s.kind == "agent_dose_mg" for s in answer.limits)
    assert answer.agents == ["sodium_tetradecyl_sulfate"]


def test_an_unknown_planned_product_is_refused_naming_the_field(
    engine: Engine, make_session: SessionFactory
) -> None:
    with pytest.raises(InputError) as caught:
        engine.check_session({**make_session(), "planned_products": ["fibrovein", "nonesuch"]})
    assert caught.value.errors == [{"field": "planned_products[1]", "message": "unknown product 'nonesuch'"}]


def test_each_kind_of_limit_is_one_row_however_many_strengths_it_has(
    engine: Engine, make_session: SessionFactory
) -> None:
    answer = engine.check_session({**make_session(), "planned_products": ["fibrovein"]})
    volume_limits = [s for s in answer.limits if s.kind == "total_volume_ml"]
    assert len(volume_limits) == 4
    kinds = [r.kind for r in answer.rows]
    assert len(kinds) == len(set(kinds))
    volume = row(answer, "total_volume_ml")
    assert sorted(volume.limit_ids) == sorted(s.id for s in volume_limits)
    # Before any injection the tightest of the group is the smallest: 4 mL of the 3 % strength.
    assert (volume.limit_id, volume.max, volume.used) == ("fibrovein.volume_at_3pct", 4, 0)
    assert volume.label == "Volume this session (3 %)"
    assert set(volume.citations) == {c for s in volume_limits for c in s.citations}


def test_a_row_shows_the_limit_of_its_group_with_the_least_headroom(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    sts = {"agent": "sodium_tetradecyl_sulfate", "product": "fibrovein"}
    # 9 of the 10 mL allowed at 0.5 % leaves less than the 4 mL allowed at 3 %.
    injections = [make_injection(1, 0.5, **sts) for _ in range(9)]
    answer = engine.check_session({**make_session(*injections), "planned_products": ["fibrovein"]})
    volume = row(answer, "total_volume_ml")
    assert (volume.limit_id, volume.used, volume.max) == ("fibrovein.volume_at_0_5pct", 9, 10)
    assert volume.label == "Volume this session (0.5 %)"


def test_the_binding_row_comes_first(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    foam = make_injection(8, 1, form="foam", foam_gas_parts=4, product="aethoxysklerol")
    answer = engine.check_session({**make_session(foam), "planned_products": ["aethoxysklerol"]})
    first = answer.rows[0]
    assert first.binding and first.kind == "foam_volume_ml"
    assert answer.binding_limit in first.limit_ids
    assert [r.binding for r in answer.rows].count(True) == 1
    # Two foam limits (the label's and the consensus) of 10 mL count the same foam: one row, unqualified.
    assert first.label == "Foam this session"
    assert (first.used, first.max) == (8, 10)
    assert row(answer, "agent_dose_mg").label == "Polidocanol today"


def test_a_row_over_its_limit_is_not_within(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    sts = {"agent": "sodium_tetradecyl_sulfate", "product": "fibrovein"}
    answer = engine.check_session(make_session(*[make_injection(1, 3, **sts) for _ in range(5)]))
    volume = row(answer, "total_volume_ml")
    assert not volume.within and volume.remaining == -1
    assert answer.rows[0].kind in {"total_volume_ml", "injection_count"}


def test_with_several_products_a_product_limit_names_its_product(
    engine: Engine, make_session: SessionFactory
) -> None:
    answer = engine.check_session({**make_session(), "planned_products": ["aethoxysklerol", "fibrovein"]})
    assert row(answer, "total_volume_ml").label == "Volume this session (Fibrovein 3 %)"
    assert row(answer, "injection_volume_ml").label == "Largest single injection (Fibrovein liquid)"
    assert answer.agents == ["polidocanol", "sodium_tetradecyl_sulfate"]


def test_no_row_label_or_message_carries_a_rule_id(
    engine: Engine, make_session: SessionFactory, make_injection: InjectionFactory
) -> None:
    answer = engine.check_session(
        {
            **make_session(make_injection(10, 3, form="foam", foam_gas_parts=1)),
            "planned_products": ["aethoxysklerol", "fibrovein"],
        }
    )
    assert answer.violations
    ids = {r for s in answer.limits for r in s.rule_ids}
    texts = [r.label for r in answer.rows] + [v.message for v in answer.violations] + answer.warnings
    assert not [t for t in texts if any(i in t for i in ids)]
