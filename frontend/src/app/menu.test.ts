import { describe, expect, it } from "vitest";
import { homeFor, menuFor, selectedMenuKey } from "./menu";

describe("menu", () => {
  it("shows an auditor only the audit log", () => {
    expect(menuFor(["audit:read"]).map((m) => m.key)).toEqual(["/audit"]);
    expect(homeFor(["audit:read"])).toBe("/audit");
  });

  it("shows an admin the admin screens and no task screens", () => {
    const keys = menuFor(["units:read", "units:write", "users:read", "users:write"]).map((m) => m.key);
    expect(keys).toEqual(["/admin/units", "/admin/users"]);
  });

  it("shows a supervisor the console", () => {
    const keys = menuFor(["tasks:read", "tasks:manage", "supervision:act", "dashboards:read"]).map((m) => m.key);
    expect(keys).toContain("/supervision");
    expect(keys).toContain("/dashboard");
    expect(homeFor(["tasks:read"])).toBe("/");
  });

  it("highlights the closest menu entry", () => {
    expect(selectedMenuKey("/tasks/12/tree")).toBe("/tasks");
    expect(selectedMenuKey("/")).toBe("/");
    expect(selectedMenuKey("/admin/users")).toBe("/admin/users");
  });
});
