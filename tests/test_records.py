"""luoshi.db.records: rows read by attribute as named tuples, with the values and labels of the row."""

from sqlalchemy import literal, select

from luoshi.db import records
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
