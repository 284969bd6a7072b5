"""Roles, permissions and the table that maps one to the other."""

from enum import StrEnum


class Role(StrEnum):
    leader = "leader"  # 领导
    supervisor = "supervisor"  # 督查员
    unit_staff = "unit_staff"  # 承办人 / 联络员
    unit_head = "unit_head"  # 单位负责人
    admin = "admin"  # 系统管理员
    security = "security"  # 安全管理员
    auditor = "auditor"  # 安全审计员


# 三员分立: one person may hold at most one of these duties.
SEPARATED_DUTIES = frozenset({Role.admin, Role.security, Role.auditor})


class Permission(StrEnum):
    units_read = "units:read"
    units_write = "units:write"
    users_read = "users:read"
    users_write = "users:write"
    users_unlock = "users:unlock"
    sessions_revoke = "sessions:revoke"
    audit_read = "audit:read"
    tasks_read = "tasks:read"
    tasks_manage = "tasks:manage"  # create, decompose at the root, issue, suspend, cancel, reopen
    tasks_decompose = "tasks:decompose"  # decompose within one's own assignment
    tasks_handle = "tasks:handle"  # sign, report, dispute, request extension
    reports_approve_unit = "reports:approve_unit"  # 单位把关
    reports_review = "reports:review"  # the office reviews
    extensions_decide = "extensions:decide"
    disputes_decide = "disputes:decide"
    supervision_act = "supervision:act"  # urge, notice, interview, bulletin, referral
    instructions_issue = "instructions:issue"  # 批示
    dashboards_read = "dashboards:read"
    settings_write = "settings:write"


_UNIT = {
    Permission.units_read, Permission.users_read, Permission.tasks_read,
    Permission.tasks_decompose, Permission.tasks_handle,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.leader: frozenset({
        Permission.units_read, Permission.users_read, Permission.tasks_read,
        Permission.instructions_issue, Permission.dashboards_read,
        Permission.extensions_decide,
    }),
    Role.supervisor: frozenset({
        Permission.units_read, Permission.users_read, Permission.tasks_read,
        Permission.tasks_manage, Permission.tasks_decompose, Permission.reports_review,
        Permission.extensions_decide, Permission.disputes_decide, Permission.supervision_act,
        Permission.dashboards_read,
    }),
    Role.unit_staff: frozenset(_UNIT),
    Role.unit_head: frozenset(_UNIT | {Permission.reports_approve_unit}),
    Role.admin: frozenset({
        Permission.units_read, Permission.units_write, Permission.users_read,
        Permission.users_write, Permission.settings_write,
    }),
    Role.security: frozenset({
        Permission.users_read, Permission.users_unlock, Permission.sessions_revoke,
    }),
    Role.auditor: frozenset({Permission.audit_read}),
}


def permissions_for(roles: list[str] | tuple[str, ...]) -> frozenset[Permission]:
    out: set[Permission] = set()
    for role in roles:
        out |= ROLE_PERMISSIONS.get(Role(role), frozenset())
    return frozenset(out)
