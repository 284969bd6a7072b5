// Admin screens: units tree, users and roles; the auditor's log.
import { describe, test } from "node:test";
import { openedModal, pickUnit, shot, signIn, signOut } from "./harness.mjs";

export function adminFlows(ctx) {
  describe("admin", () => {
  test("units tree and unit editing", async () => {
    await signIn(ctx.page, ctx.server.baseUrl, "admin");
    await ctx.page.waitForURL(/\/admin\/units/);
    await ctx.page.getByTestId("unit-tree").getByText("武汉市发展和改革委员会").click();
    await ctx.page.getByText("编辑").click();
    await openedModal(ctx.page);
    const shortName = ctx.page.locator(".ant-modal #short_name");
    await shortName.fill("市发展改革委");
    await ctx.page.getByRole("button", { name: "保 存" }).or(ctx.page.getByRole("button", { name: "保存" })).click();
    await ctx.page.getByText("单位已更新").waitFor();
    await shot(ctx.page, "03-admin-units");
  });

  test("users and roles: create a user who can then sign in", async () => {
    await ctx.page.goto(`${ctx.server.baseUrl}/admin/users`);
    await ctx.page.getByRole("button", { name: /新增用户/ }).click();
    const modal = await openedModal(ctx.page);
    await modal.locator("#username").fill("e2e_clerk");
    await modal.locator("#display_name").fill("测试联络员");
    await modal.locator("#password").fill("Clerk@2026x");
    await pickUnit(ctx.page, ".ant-modal #unit_id", "武汉市商务局");
    await modal.getByRole("button", { name: /保\s*存/ }).click();
    await ctx.page.getByText("用户已创建").waitFor();
    await ctx.page.getByRole("cell", { name: "e2e_clerk" }).waitFor();
    await shot(ctx.page, "04-admin-users");
    await signOut(ctx.page);
    await signIn(ctx.page, ctx.server.baseUrl, "e2e_clerk", "Clerk@2026x");
    await signOut(ctx.page);
  });

  test("auditor sees the audit log with the failed logins", async () => {
    await signIn(ctx.page, ctx.server.baseUrl, "auditor");
    await ctx.page.waitForURL(/\/audit/);
    await ctx.page.getByRole("cell", { name: "auth.login" }).first().waitFor();
    await ctx.page.getByRole("button", { name: /校验哈希链/ }).click();
    await ctx.page.getByText("哈希链完整").waitFor();
    await shot(ctx.page, "05-audit");
    await signOut(ctx.page);
  });
});
}
