"""luoshi.db.records: rows read by attribute as named tuples, with the values and labels of the row;
read_records: the same from a statement, run on the session's connection."""

from sqlalchemy import bindparam, literal, select

from luoshi.db import read_records, records
from luoshi.org.models import Unit


def test_records_carry_each_column_by_label_and_position(org):
    rows = records(org.execute(select(Unit.id, Unit.name.label("unit_name")).order_by(Unit.id)))
    plain = org.execute(select(Unit.id, Unit.name).order_by(Unit.id)).all()
    assert len(rows) == len(plain) > 0
    assert [(r.id, r.unit_name) for r in rows] == [tuple(p) for p in plain]
    assert rows[0] == tuple(plain[0])
    assert rows[0]._fields == ("id", "unit_name")


def test_records_of_different_columns_are_of_different_shapes(org):
    one = records(org.execute(select(literal(1).label("a"))))
    two = records(org.execute(select(literal(1).label("b"), literal("x").label("c"))))
    assert one[0].a == 1 and not hasattr(one[0], "b")
    assert (two[0].b, two[0].c) == (1, "x")


def test_records_of_an_empty_result_is_an_empty_list(org):
    assert records(org.execute(select(Unit.id).where(Unit.id < 0))) == []


def test_read_records_sees_changes_not_yet_flushed(org):
    unit = org.execute(select(Unit).order_by(Unit.id).limit(1)).scalar_one()
    unit.name = "改名后的单位"
    org.add(Unit(name="新设单位", short_name="新设", code="NEW-1", kind=unit.kind, path="/", depth=0))
    by_id = read_records(org, select(Unit.name).where(Unit.id == bindparam("id")), {"id": unit.id})
    assert [r.name for r in by_id] == ["改名后的单位"]
    assert [r.code for r in read_records(org, select(Unit.code).where(Unit.code == "NEW-1"))] == ["NEW-1"]
