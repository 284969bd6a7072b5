// End-to-end: the SPA served by the real backend, driven in headless Chromium.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, shot, signIn, signOut, startServer } from "./harness.mjs";

let server;
let browser;
let page;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe("sign-in", () => {
  test("wrong password shows the API's message", async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL(/\/login/);
    await shot(page, "01-login");
    await page.fill("#username", "supervisor");
    await page.fill("#password", "wrong-password");
    await page.click("button[type=submit]");
    const error = page.getByTestId("login-error");
    await error.waitFor();
    assert.match(await error.innerText(), /用户名或密码错误/);
  });

  test("repeated failures lock the account and say until when", async () => {
    let text = "";
    for (let i = 0; i < 8 && !/锁定/.test(text); i++) {
      await page.fill("#username", "zwj_liaison");
      await page.fill("#password", `bad-${i}`);
      const answered = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/login"));
      await page.click("button[type=submit]");
      await answered;
      await page.waitForTimeout(100);
      text = await page.getByTestId("login-error").innerText();
    }
    assert.match(text, /锁定/);
    await shot(page, "02-login-locked");
  });

  test("sign-in and sign-out", async () => {
    await signIn(page, server.baseUrl, "supervisor");
    assert.match(await page.getByTestId("user-menu").innerText(), /王督查/);
    await signOut(page);
  });

  test("an expired session sends the user back to sign-in with a message", async () => {
    await signIn(page, server.baseUrl, "supervisor");
    // Both tokens invalid: the refresh is refused, so the app must end the session.
    await page.evaluate(() => {
      const raw = JSON.parse(sessionStorage.getItem("luoshi.session"));
      sessionStorage.setItem("luoshi.session", JSON.stringify({ ...raw, accessToken: "x", refreshToken: "y" }));
    });
    await page.reload();
    await page.waitForURL(/\/login/);
    await page.getByText("登录已过期，请重新登录").waitFor();
  });
});

describe("admin", () => {
  test("units tree and unit editing", async () => {
    await signIn(page, server.baseUrl, "admin");
    await page.waitForURL(/\/admin\/units/);
    await page.getByTestId("unit-tree").getByText("武汉市发展和改革委员会").click();
    await page.getByText("编辑").click();
    const shortName = page.locator(".ant-modal #short_name");
    await shortName.fill("市发改委（改）");
    await page.getByRole("button", { name: "保 存" }).or(page.getByRole("button", { name: "保存" })).click();
    await page.getByText("单位已更新").waitFor();
    await shot(page, "03-admin-units");
  });

  test("users and roles: create a user who can then sign in", async () => {
    await page.goto(`${server.baseUrl}/admin/users`);
    await page.getByRole("button", { name: /新增用户/ }).click();
    const modal = page.locator(".ant-modal");
    await modal.locator("#username").fill("e2e_clerk");
    await modal.locator("#display_name").fill("测试联络员");
    await modal.locator("#password").fill("Clerk@2026x");
    await modal.locator("#unit_id").click();
    await page.locator(".ant-select-tree").getByText("武汉市商务局", { exact: true }).click();
    await modal.getByRole("button", { name: /保\s*存/ }).click();
    await page.getByText("用户已创建").waitFor();
    await page.getByRole("cell", { name: "e2e_clerk" }).waitFor();
    await shot(page, "04-admin-users");
    await signOut(page);
    await signIn(page, server.baseUrl, "e2e_clerk", "Clerk@2026x");
    await signOut(page);
  });

  test("auditor sees the audit log with the failed logins", async () => {
    await signIn(page, server.baseUrl, "auditor");
    await page.waitForURL(/\/audit/);
    await page.getByRole("cell", { name: "auth.login" }).first().waitFor();
    await page.getByRole("button", { name: /校验哈希链/ }).click();
    await page.getByText("哈希链完整").waitFor();
    await shot(page, "05-audit");
    await signOut(page);
  });
});
