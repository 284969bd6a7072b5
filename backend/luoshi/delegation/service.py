"""Naming, revoking and exercising a delegation (代管).

A substitute sends ``X-Act-For: <holder id>``; while a delegation from that holder is in
force the request runs with the holder's identity and rights, and every record written
through ``CurrentUser.actor`` carries the substitute as actor and the holder as
``on_behalf_of_id``.
"""

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from luoshi.audit.service import record
from luoshi.clock import utcnow
from luoshi.delegation import messages  # noqa: F401
from luoshi.delegation.models import Delegation
from luoshi.errors import Conflict, NotFound, Unprocessable
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.service import send
from luoshi.permissions import SEPARATED_DUTIES, Role
from luoshi.security import CurrentUser, denied
from luoshi.users.models import User


def active_delegation(session: Session, holder_id: int, substitute_id: int) -> Delegation | None:
    now = utcnow()
    return session.execute(select(Delegation).where(
        Delegation.holder_id == holder_id, Delegation.substitute_id == substitute_id,
        Delegation.revoked_at.is_(None), Delegation.starts_at <= now, Delegation.ends_at > now,
    ).limit(1)).scalar_one_or_none()


def act_for_holder(session: Session, current: CurrentUser, header: str) -> CurrentUser:
    """The hook ``get_current_user`` calls when ``X-Act-For`` is present."""
    try:
        holder_id = int(header)
    except ValueError:
        raise denied(current, "delegation.act_for", "user") from None
    if holder_id == current.id:
        return current
    holder = session.get(User, holder_id)
    if holder is None or not holder.is_active or active_delegation(session, holder_id, current.id) is None:
        raise denied(current, "delegation.act_for", "user")
    return CurrentUser.of(holder, current.session_id, current.ip, substitute=current.user)


def _invalid(reason_zh: str, reason_en: str, field: str) -> Unprocessable:
    return Unprocessable("delegation.invalid", params={"reason": {"zh": reason_zh, "en": reason_en}},
                         errors=[{"field": field, "message": {"zh": reason_zh, "en": reason_en}}])  # type: ignore[dict-item]


def create(session: Session, current: CurrentUser, substitute_id: int, starts_at, ends_at,  # type: ignore[no-untyped-def]
           reason: str) -> Delegation:
    if current.substitute is not None:
        raise Conflict("delegation.nested")
    if any(r in SEPARATED_DUTIES for r in current.roles):
        raise denied(current, "delegation.create", "delegation")
    if ends_at <= starts_at:
        raise _invalid("结束时间须晚于开始时间", "ends_at must be after starts_at", "ends_at")
    if ends_at <= utcnow():
        raise _invalid("结束时间已过", "ends_at is in the past", "ends_at")
    substitute = session.get(User, substitute_id)
    if substitute is None or not substitute.is_active:
        raise _invalid("代管人不存在或已停用", "no such active user", "substitute_id")
    if substitute.id == current.id:
        raise _invalid("不能由本人代管", "you cannot be your own substitute", "substitute_id")
    if any(r in SEPARATED_DUTIES for r in substitute.roles):
        raise _invalid("系统管理、安全、审计人员不能代管业务", "admin, security and audit staff "
                       "cannot act for others", "substitute_id")
    # A unit's staff hand over within their unit; a leader may name any member of the office.
    if substitute.unit_id != current.unit_id and not current.has_role(Role.leader):
        raise _invalid("代管人须为本单位人员", "the substitute must belong to your unit", "substitute_id")
    row = Delegation(holder_id=current.id, substitute_id=substitute.id, starts_at=starts_at,
                     ends_at=ends_at, reason=reason, created_at=utcnow())
    session.add(row)
    session.flush()
    record(session, "delegation.create", current.actor, target_type="delegation", target_id=row.id,
           detail={"substitute_id": substitute.id, "starts_at": starts_at.isoformat(),
                   "ends_at": ends_at.isoformat()})
    send(session, [substitute.id], kind=NotificationKind.delegation,
         title=f"{current.user.display_name} 委托您代管其工作",
         body=f"{starts_at.isoformat()} 至 {ends_at.isoformat()}；{reason}",
         data={"delegation_id": row.id, "holder_id": current.id})
    return row


def list_mine(session: Session, current: CurrentUser) -> list[Delegation]:
    me = current.substitute.id if current.substitute else current.id
    return list(session.execute(select(Delegation).where(
        or_(Delegation.holder_id == me, Delegation.substitute_id == me)
    ).order_by(Delegation.id.desc()).limit(200)).scalars())


def revoke(session: Session, current: CurrentUser, delegation_id: int) -> Delegation:
    if current.substitute is not None:
        raise Conflict("delegation.nested")
    row = session.execute(select(Delegation).where(
        Delegation.id == delegation_id, Delegation.holder_id == current.id)).scalar_one_or_none()
    if row is None:
        raise NotFound("delegation.not_found")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(session, "delegation.revoke", current.actor, target_type="delegation", target_id=row.id)
    session.flush()
    return row


def users_by_id(session: Session, ids: set[int]) -> dict[int, User]:
    return {u.id: u for u in session.execute(select(User).where(User.id.in_(ids))).scalars()}


def to_read(session: Session, rows: list[Delegation]) -> list[dict]:
    users = users_by_id(session, {r.holder_id for r in rows} | {r.substitute_id for r in rows})
    now = utcnow()
    return [{
        "id": r.id, "holder": users[r.holder_id], "substitute": users[r.substitute_id],
        "starts_at": r.starts_at, "ends_at": r.ends_at, "reason": r.reason, "created_at": r.created_at,
        "revoked_at": r.revoked_at,
        "active": r.revoked_at is None and r.starts_at <= now < r.ends_at,
    } for r in rows]
