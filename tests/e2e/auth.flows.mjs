// Sign-in, lockout, expiry and sign-out.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { shot, signIn, signOut } from "./harness.mjs";

export function authFlows(ctx) {
  describe("sign-in", () => {
  test("wrong password shows the API's message", async () => {
    await ctx.page.goto(`${ctx.server.baseUrl}/`);
    await ctx.page.waitForURL(/\/login/);
    await shot(ctx.page, "01-login");
    await ctx.page.fill("#username", "supervisor");
    await ctx.page.fill("#password", "wrong-password");
    await ctx.page.click("button[type=submit]");
    const error = ctx.page.getByTestId("login-error");
    await error.waitFor();
    assert.match(await error.innerText(), /用户名或密码错误/);
  });

  test("repeated failures lock the account and say until when", async () => {
    let text = "";
    for (let i = 0; i < 8 && !/锁定/.test(text); i++) {
      await ctx.page.fill("#username", "zwj_liaison");
      await ctx.page.fill("#password", `bad-${i}`);
      const answered = ctx.page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/login"));
      await ctx.page.click("button[type=submit]");
      await answered;
      await ctx.page.waitForTimeout(100);
      text = await ctx.page.getByTestId("login-error").innerText();
    }
    assert.match(text, /锁定/);
    await shot(ctx.page, "02-login-locked");
  });

  test("sign-in and sign-out", async () => {
    await signIn(ctx.page, ctx.server.baseUrl, "supervisor");
    assert.match(await ctx.page.getByTestId("user-menu").innerText(), /王督查/);
    await signOut(ctx.page);
  });

  test("an expired access token is renewed silently", async () => {
    await signIn(ctx.page, ctx.server.baseUrl, "supervisor");
    await ctx.page.evaluate(() => {
      const raw = JSON.parse(sessionStorage.getItem("luoshi.session"));
      sessionStorage.setItem("luoshi.session", JSON.stringify({ ...raw, accessToken: "expired", obtainedAt: 0 }));
    });
    const refreshed = ctx.page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/refresh") && r.status() === 200);
    await ctx.page.reload();
    await refreshed;
    await ctx.page.getByTestId("user-menu").getByText("王督查").waitFor();
    assert.doesNotMatch(ctx.page.url(), /\/login/);
  });

  test("an expired session sends the user back to sign-in with a message", async () => {
    await signIn(ctx.page, ctx.server.baseUrl, "supervisor");
    // Both tokens invalid: the refresh is refused, so the app must end the session.
    await ctx.page.evaluate(() => {
      const raw = JSON.parse(sessionStorage.getItem("luoshi.session"));
      sessionStorage.setItem("luoshi.session", JSON.stringify({ ...raw, accessToken: "x", refreshToken: "y" }));
    });
    await ctx.page.reload();
    await ctx.page.waitForURL(/\/login/);
    await ctx.page.getByText("登录已过期，请重新登录").waitFor();
  });
});
}
