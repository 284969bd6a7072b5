/** The side menu, filtered by the caller's permissions (from /auth/me). */
export interface MenuEntry {
  key: string;
  label: string;
  icon: string;
  /** Shown when the caller holds any of these permissions. */
  anyOf: string[];
}

export const MENU: MenuEntry[] = [
  { key: "/", label: "工作台", icon: "home", anyOf: ["tasks:read"] },
  { key: "/tasks", label: "督办任务", icon: "tasks", anyOf: ["tasks:read"] },
  { key: "/supervision", label: "督查台", icon: "supervision", anyOf: ["supervision:act", "reports:review"] },
  { key: "/dashboard", label: "领导驾驶舱", icon: "dashboard", anyOf: ["dashboards:read"] },
  { key: "/notifications", label: "消息通知", icon: "bell", anyOf: ["tasks:read"] },
  { key: "/delegations", label: "代管", icon: "swap", anyOf: ["tasks:read"] },
  { key: "/admin/units", label: "单位管理", icon: "units", anyOf: ["units:write"] },
  { key: "/admin/users", label: "用户与角色", icon: "users", anyOf: ["users:write", "users:unlock"] },
  { key: "/audit", label: "审计日志", icon: "audit", anyOf: ["audit:read"] },
];

export function menuFor(permissions: readonly string[]): MenuEntry[] {
  const held = new Set(permissions);
  return MENU.filter((m) => m.anyOf.some((p) => held.has(p)));
}

/** Where to land after sign-in: the first screen the caller may use. */
export function homeFor(permissions: readonly string[]): string {
  return menuFor(permissions)[0]?.key ?? "/forbidden";
}

/** The menu key that should be highlighted for a path. */
export function selectedMenuKey(pathname: string): string {
  const keys = MENU.map((m) => m.key).filter((k) => k !== "/");
  const match = keys.filter((k) => pathname === k || pathname.startsWith(k + "/")).sort((a, b) => b.length - a.length)[0];
  return match ?? "/";
}

export const ROLE_LABELS: Record<string, string> = {
  leader: "领导",
  supervisor: "督查员",
  unit_staff: "承办人",
  unit_head: "单位负责人",
  admin: "系统管理员",
  security: "安全管理员",
  auditor: "安全审计员",
};
