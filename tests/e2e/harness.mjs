// Test harness: a fresh database, the real server (`luoshi serve`) and headless Debian Chromium.
import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const artifacts = join(repoRoot, "tests/e2e/artifacts");
const require = createRequire(join(repoRoot, "frontend/package.json"));
const { chromium } = require("playwright-core");

export const PASSWORD = "Luoshi@2026";
const luoshi = join(repoRoot, ".venv/bin/luoshi");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function waitForHealth(baseUrl, server, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("server did not become healthy in time");
}

/** Starts the server on a fresh database with the demo data; returns {baseUrl, stop}. */
export async function startServer() {
  if (!existsSync(luoshi)) throw new Error(`missing ${luoshi}: create the backend virtualenv first`);
  if (!existsSync(join(repoRoot, "frontend/dist/index.html"))) throw new Error("frontend/dist missing: run `npm run build`");
  const dir = mkdtempSync(join(tmpdir(), "luoshi-e2e-"));
  const env = {
    ...process.env,
    LUOSHI_DATABASE_URL: `sqlite:///${dir}/e2e.db`,
    LUOSHI_ENV: "development",
    LUOSHI_ATTACHMENT_DIR: join(dir, "attachments"),
  };
  const opts = { cwd: repoRoot, env, stdio: ["ignore", "pipe", "inherit"] };
  execFileSync(luoshi, ["migrate"], opts);
  execFileSync(luoshi, ["load-demo"], opts);
  const port = await freePort();
  const server = spawn(luoshi, ["serve", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", ...(process.env.E2E_SERVER_LOG ? ["inherit", "inherit"] : ["ignore", "ignore"])],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, server);
  } catch (e) {
    server.kill("SIGTERM");
    throw e;
  }
  return {
    baseUrl,
    async stop() {
      if (server.exitCode === null) {
        server.kill("SIGTERM");
        await new Promise((r) => {
          const t = setTimeout(() => {
            server.kill("SIGKILL");
            r();
          }, 5000);
          server.once("exit", () => {
            clearTimeout(t);
            r();
          });
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with a throwaway profile. */
export async function launchBrowser() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)`);
  }
  const profile = mkdtempSync(join(tmpdir(), "luoshi-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1366, height: 768 },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(artifacts, { recursive: true });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function shot(page, name) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** Signs in through the form; resolves once the app shell shows the user menu. */
export async function signIn(page, baseUrl, username, password = PASSWORD) {
  // Start clean even when an earlier step failed half-way through someone else's session.
  await page.goto(`${baseUrl}/login`);
  await page.evaluate(() => sessionStorage.clear());
  await page.goto(`${baseUrl}/login`);
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForSelector("[data-testid=user-menu]", { timeout: 15_000 });
}

export async function signOut(page) {
  await page.click("[data-testid=user-menu]");
  await page.getByText("退出登录").click();
  await page.waitForURL(/\/login/);
}

/** Calls the API directly (for setup or for checks that need no screen). */
export async function apiLogin(baseUrl, username, password = PASSWORD) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  return (await res.json()).access_token;
}

/** Picks a unit in an antd TreeSelect by typing its name (the list is virtualised). */
export async function pickUnit(page, selector, name) {
  const input = page.locator(selector);
  const select = input.locator("xpath=ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' ant-select ')][1]");
  for (let attempt = 0; attempt < 3; attempt++) {
    await input.click();
    await input.fill(name);
    const option = page
      .locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree")
      .last()
      .getByText(name, { exact: true });
    await option.waitFor();
    await page.waitForTimeout(150); // let the filtered, virtualised list settle before clicking
    await option.click();
    try {
      // The chosen value is shown inside the select (a tag when several may be chosen).
      await select.filter({ hasText: name }).waitFor({ timeout: 2000 });
      return;
    } catch {
      // not taken: open it and try again
    }
  }
  throw new Error(`could not pick ${name} in ${selector}`);
}

/** Types a date into an antd DatePicker and leaves the field so it commits. */
export async function fillDate(page, selector, isoDate) {
  const input = page.locator(selector);
  await input.click();
  await input.fill(isoDate);
  await input.press("Tab");
}

/** The open dialog, once its opening animation has finished (a click mid-animation can miss). */
export async function openedModal(page) {
  const modal = page.locator(".ant-modal:visible");
  await modal.waitFor();
  await page.waitForFunction(
    () => !document.querySelector(".ant-zoom-appear, .ant-zoom-enter, .ant-zoom-leave, .ant-fade-appear, .ant-fade-enter"),
  );
  return modal;
}

/** Clicks one of the task's action buttons (from allowed_actions) and confirms its form. */
export async function taskAction(page, action, reason) {
  await page.locator(`[data-testid=task-actions] [data-action=${action}]`).click();
  const modal = await openedModal(page);
  if (reason) await modal.locator("textarea").fill(reason);
  await modal.getByRole("button", { name: "确定" }).click();
  await page.locator(".ant-message").getByText(/成功/).last().waitFor();
  await modal.waitFor({ state: "hidden" });
}

export function isoDaysFromNow(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Waits until the task page's status tag reads `label`. */
export async function expectStatus(page, label) {
  await page
    .locator("[data-testid=task-detail] .ant-card")
    .first()
    .locator(".ant-tag")
    .first()
    .filter({ hasText: new RegExp(`^${label}$`) })
    .waitFor();
}
