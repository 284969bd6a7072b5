"""The organisation: units as a tree kept with a materialised path."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from luoshi.db import Base, utcnow


class UnitKind(StrEnum):
    government = "government"  # 人民政府
    office = "office"  # 督查室 / 办公室: a supervision office, jurisdiction = parent's subtree
    department = "department"  # 部门
    district = "district"  # 区/县
    street = "street"  # 街道/乡镇
    community = "community"  # 社区/村
    enterprise = "enterprise"  # 国有企业等其他承办单位
    other = "other"


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    short_name: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # "/1/5/23/": ids from the root down to this unit; a subtree is a prefix match.
    path: Mapped[str] = mapped_column(String(400))
    depth: Mapped[int] = mapped_column(default=0)
    sort_order: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_units_path", "path"),)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p][:-1]
