// End-to-end: the SPA served by the real backend on a fresh database, in headless Chromium.
import { after, afterEach, before } from "node:test";
import { launchBrowser, shot, startServer } from "./harness.mjs";
import { authFlows } from "./auth.flows.mjs";
import { adminFlows } from "./admin.flows.mjs";
import { loopFlows } from "./loop.flows.mjs";
import { treeFlows } from "./tree.flows.mjs";
import { delegationFlows } from "./delegation.flows.mjs";

const ctx = { server: null, browser: null, page: null };

before(async () => {
  ctx.server = await startServer();
  ctx.browser = await launchBrowser();
  ctx.page = await ctx.browser.context.newPage();
  ctx.page.setDefaultTimeout(15_000);
});

// The screen as each test left it: the first thing to look at when one fails.
afterEach(async (t) => {
  const name = (t?.name ?? "step").replace(/[^\p{L}\p{N}]+/gu, "-").slice(0, 60);
  await shot(ctx.page, `last-${name}`).catch(() => {});
});

after(async () => {
  await ctx.browser?.close();
  await ctx.server?.stop();
});

authFlows(ctx);
adminFlows(ctx);
loopFlows(ctx);
treeFlows(ctx);
delegationFlows(ctx);
