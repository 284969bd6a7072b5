// 代管: a unit head names the liaison as substitute; the liaison then acts for the head.
import { describe, test } from "node:test";
import { openedModal, shot, signIn, signOut } from "./harness.mjs";

export function delegationFlows(ctx) {
  describe("delegation", () => {
    test("a substitute acts for the holder with a visible banner", async () => {
      const page = ctx.page;
      await signIn(page, ctx.server.baseUrl, "fgw_head");
      await page.goto(`${ctx.server.baseUrl}/delegations`);
      await page.getByRole("button", { name: "设置代管人" }).click();
      const modal = await openedModal(page);
      await modal.locator("#substitute_id").click();
      await modal.locator("#substitute_id").fill("陈联络");
      await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)").getByText(/陈联络/).click();
      const now = new Date();
      const fmt = (d) => `${d.toISOString().slice(0, 10)} 00:00`;
      await modal.locator("#period").click();
      await modal.locator("#period").fill(fmt(now));
      await modal.locator("#period").press("Enter");
      const end = modal.locator(".ant-picker-input").nth(1).locator("input");
      await end.fill(fmt(new Date(now.getTime() + 7 * 86_400_000)));
      await end.press("Enter");
      await modal.locator("#reason").fill("出差");
      await modal.getByRole("button", { name: "保存" }).click();
      await page.getByText("已设置代管").waitFor();
      await signOut(page);

      await signIn(page, ctx.server.baseUrl, "fgw_liaison");
      await page.goto(`${ctx.server.baseUrl}/delegations`);
      await page.getByRole("button", { name: "代其办理" }).click();
      await page.getByTestId("acting-banner").getByText(/刘主任/).waitFor();
      await page.getByTestId("user-menu").getByText("刘主任").waitFor();
      await shot(page, "24-delegation");
      await page.getByRole("button", { name: "结束代管" }).click();
      await page.getByTestId("user-menu").getByText("陈联络").waitFor();
      await signOut(page);
    });
  });
}
