// The closed loop through the browser, one role after another (issue 5's acceptance list).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fillDate, isoDaysFromNow, openedModal, pickUnit, shot, signIn, signOut, taskAction, expectStatus } from "./harness.mjs";

const ROOT = "E2E重点工作：优化营商环境专项行动";
const CHILD = "E2E分解事项：压缩工程建设项目审批时限";
const PART = "住建局已完成审批流程梳理，压减审批环节12个。";

export function loopFlows(ctx) {
  const ids = {};
  const url = (path) => `${ctx.server.baseUrl}${path}`;

  describe("closed loop", () => {
    test("supervisor creates a key work, decomposes it and issues both", async () => {
      const page = ctx.page;
      await signIn(page, ctx.server.baseUrl, "supervisor");
      await page.goto(url("/tasks"));
      await page.getByRole("button", { name: "新建任务" }).click();
      await page.fill("#title", ROOT);
      await page.fill("#content", "围绕企业反映的堵点问题，压缩审批时限，提升政务服务效能。");
      await pickUnit(page, "#lead_unit_id", "武汉市发展和改革委员会");
      await pickUnit(page, "#cooperating_unit_ids", "武汉市住房和城乡建设局");
      await page.keyboard.press("Escape");
      await fillDate(page, "#deadline", isoDaysFromNow(90));
      await page.fill("#source_ref", "武政办〔2026〕12号");
      await shot(page, "10-task-create");
      await page.getByRole("button", { name: "保存为草稿" }).click();
      await page.waitForURL(/\/tasks\/\d+$/);
      ids.root = Number(new URL(page.url()).pathname.split("/").pop());

      // Edit the draft (PATCH with If-Match): only the changed field is sent.
      await page.locator("[data-testid=task-actions] [data-action=edit]").click();
      await page.waitForFunction(() => (document.querySelector("#title")?.value ?? "").length > 0);
      await page.fill("#content", "围绕企业反映的堵点问题，压缩审批时限；每月报送进展。");
      await page.getByRole("button", { name: "保存", exact: true }).click();
      await page.waitForURL(new RegExp(`/tasks/${ids.root}$`));
      await page.getByText("每月报送进展").waitFor();

      await page.getByTestId("decompose").click();
      await page.getByTestId("child-title-0").fill(CHILD);
      await pickUnit(page, "#children_0_lead_unit_id", "武汉市发展和改革委员会");
      await pickUnit(page, "#children_0_cooperating_unit_ids", "武汉市住房和城乡建设局");
      await page.keyboard.press("Escape");
      await fillDate(page, "#children_0_deadline", isoDaysFromNow(200));
      await page.getByTestId("decompose-save").click();
      // A child due after its parent cannot be picked: nothing is sent, the field asks again.
      await page.getByText("请选择办结时限").first().waitFor();
      await fillDate(page, "#children_0_deadline", isoDaysFromNow(60));
      await page.getByTestId("decompose-save").click();
      await page.getByText(/已添加 1 项子任务/).waitFor();
      await shot(page, "11-decompose");
      const childLink = page.locator("[data-testid=decompose-page] .ant-table").getByRole("link", { name: CHILD });
      ids.child = Number((await childLink.getAttribute("href")).split("/").pop());
      // Edit it where it is listed: the editor reads the child and offers what the API lists as
      // editable (a draft: name, lead unit, deadline); the list shows the change once saved.
      const childRow = page.locator("[data-testid=decompose-children] tr.ant-table-row").filter({ hasText: CHILD });
      await childRow.getByTestId(`edit-child-${ids.child}`).click();
      const editModal = await openedModal(page);
      await editModal.getByTestId("child-edit-form").waitFor();
      assert.equal(await editModal.locator("#lead_unit_id").count(), 1);
      assert.equal(await editModal.locator("#title").inputValue(), CHILD);
      await fillDate(page, "[data-testid=child-edit-form] #deadline", isoDaysFromNow(45));
      await editModal.getByRole("button", { name: "保存" }).click();
      await page.locator(".ant-message").getByText("子任务已更新").waitFor();
      await childRow.getByText(isoDaysFromNow(45)).waitFor();

      await page.goto(url(`/tasks/${ids.root}`));
      await taskAction(page, "issue");
      await expectStatus(page, "已交办");
      await page.goto(url(`/tasks/${ids.child}`));
      await taskAction(page, "issue");
      await expectStatus(page, "已交办");
      // Urge the lead unit from the task's supervision panel (the console links here).
      await page.getByTestId("supervise").click();
      const modal = await openedModal(page);
      await modal.locator("textarea").fill("请于本周内完成签收并报送工作方案。");
      await modal.getByRole("button", { name: "提交" }).click();
      await page.getByTestId("supervision").getByText("请于本周内完成签收并报送工作方案。").waitFor();
      await page.goto(url(`/tasks/${ids.root}/tree`));
      await page.getByTestId("task-tree").getByText(CHILD).waitFor();
      await shot(page, "12-task-tree");
      await signOut(page);
    });

    test("the lead unit signs for it", async () => {
      const page = ctx.page;
      await signIn(page, ctx.server.baseUrl, "fgw_liaison");
      await page.getByTestId("todo-sign").getByText(CHILD).waitFor();
      await shot(page, "13-workbench-lead");
      await page.goto(url(`/tasks/${ids.child}`));
      const actions = page.getByTestId("task-actions");
      await actions.locator("[data-action=sign]").waitFor();
      // Buttons come from allowed_actions: a unit never sees the office's actions, and before
      // signing the lead unit may only sign or say the task is not its own (dispute).
      assert.equal(await actions.locator("[data-action=cancel]").count(), 0);
      assert.equal(await actions.locator("[data-action=dispute]").count(), 1);
      for (const action of ["edit", "request_extension"]) assert.equal(await actions.locator(`[data-action=${action}]`).count(), 0);
      assert.equal(await page.getByTestId("decompose").count(), 0);
      assert.equal(await page.getByTestId("report").count(), 0);
      await taskAction(page, "sign");
      await expectStatus(page, "办理中");
      // Signed, it works on the task: decompose, report, ask for more time, update its progress.
      await page.getByTestId("decompose").waitFor();
      await page.getByTestId("report").waitFor();
      await actions.locator("[data-action=request_extension]").waitFor();
      await shot(page, "13a-lead-signed");
      await actions.locator("[data-action=edit]").click();
      await page.fill("#progress", "30");
      assert.equal(await page.locator("#title").count(), 0); // the lead unit's form: progress and milestones
      await shot(page, "13b-lead-progress");
      await page.getByRole("button", { name: "保存", exact: true }).click();
      await page.waitForURL(new RegExp(`/tasks/${ids.child}$`));
      await page.getByTestId("task-detail").locator(".ant-progress").getByText("30%").waitFor();
      // The work plan goes up as an attachment (type judged by content on the server).
      await page.getByTestId("attachments").locator("input[type=file]").setInputFiles({
        name: "工作方案.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
      });
      await page.getByTestId("attachments").getByText("工作方案.pdf").waitFor();
      await signOut(page);
    });

    test("a cooperating unit signs and reports its part (phone screen)", async () => {
      const page = ctx.page;
      await page.setViewportSize({ width: 390, height: 844 });
      try {
        await signIn(page, ctx.server.baseUrl, "zjj_liaison");
        await shot(page, "14-phone-workbench");
        await page.goto(url(`/tasks/${ids.child}`));
        await taskAction(page, "sign");
        await shot(page, "15-phone-detail");
        await page.getByRole("button", { name: "填报回告" }).click();
        await page.getByTestId("report-submit").click();
        await page.getByText("请填写进展情况").first().waitFor();
        await page.fill("#progress_text", PART);
        await page.fill("#problems", "部分审批系统尚未打通。");
        await page.getByTestId("report-page").locator("input[type=file]").setInputFiles({
          name: "住建局进展材料.pdf",
          mimeType: "application/pdf",
          buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        });
        await shot(page, "16-phone-report");
        await page.getByTestId("report-submit").click();
        await page.waitForURL(new RegExp(`/tasks/${ids.child}$`));
        await page.getByTestId("reports").getByText(PART).waitFor();
        await page.getByTestId("reports").getByText("住建局进展材料.pdf").waitFor();
        await signOut(page);
      } finally {
        await page.setViewportSize({ width: 1366, height: 768 });
      }
    });

    test("the lead consolidates (pre-filled) and applies for completion", async () => {
      const page = ctx.page;
      await signIn(page, ctx.server.baseUrl, "fgw_liaison");
      await page.goto(url(`/tasks/${ids.child}`));
      await page.locator("[data-testid=task-actions] [data-action=submit]").click();
      await page.getByTestId("consolidation").getByText("已报送").waitFor();
      await page.waitForFunction((text) => document.querySelector("#progress_text")?.value.includes(text), PART);
      await shot(page, "17-consolidation");
      await page.getByTestId("report-submit").click();
      await page.waitForURL(new RegExp(`/tasks/${ids.child}$`));
      await page.getByText("已提交办结申请").waitFor();
      await expectStatus(page, "待审核");
      await signOut(page);
    });

    test("the supervisor returns it, the lead resubmits, the supervisor approves", async () => {
      const page = ctx.page;
      await signIn(page, ctx.server.baseUrl, "supervisor");
      await page.goto(url("/supervision"));
      await page.getByTestId("console-pending").getByText(CHILD).waitFor();
      await shot(page, "18-supervisor-console");
      // A unit's row narrows the late list to the tasks that unit leads (filtered by the API).
      const unitRow = page.getByTestId("console-units").locator("tr.ant-table-row").first();
      const unitName = (await unitRow.locator("td").first().innerText()).trim();
      await unitRow.locator("[data-testid^=console-unit-]").click();
      const late = page.getByTestId("console-late");
      await late.locator(".ant-tag").filter({ hasText: unitName }).waitFor();
      await page.waitForFunction((name) => {
        const rows = [...document.querySelectorAll("[data-testid=console-late] tr.ant-table-row")];
        return rows.length > 0 && rows.every((r) => r.querySelectorAll("td")[1]?.textContent?.trim() === name);
      }, unitName);
      await late.locator(".ant-tag-close-icon").click();
      // Urge a late task's lead unit without leaving the console.
      await page.getByTestId("console-late").locator("[data-testid^=urge-]").first().click();
      await (await openedModal(page)).getByRole("button", { name: "发送" }).click();
      await page.getByText(/^已向.+(提醒|催办|督办单|约谈|通报批评|问责移送)$/).waitFor();
      await page.goto(url(`/tasks/${ids.child}`));
      // A return needs a reason: the form says so before anything is sent.
      await page.locator("[data-testid=task-actions] [data-action=return]").click();
      const returnModal = await openedModal(page);
      await returnModal.getByRole("button", { name: "确定" }).click();
      await returnModal.getByText("请填写理由").waitFor();
      await returnModal.getByRole("button", { name: "取消" }).click();
      await returnModal.waitFor({ state: "hidden" });
      await taskAction(page, "return", "缺少审批时限压缩的佐证材料，请补充后再报。");
      await expectStatus(page, "办理中");
      await signOut(page);

      await signIn(page, ctx.server.baseUrl, "fgw_liaison");
      await page.goto(url(`/tasks/${ids.child}`));
      await page.getByTestId("events").getByText(/缺少审批时限压缩的佐证材料/).first().waitFor();
      await page.locator("[data-testid=task-actions] [data-action=submit]").click();
      await page.waitForFunction(() => (document.querySelector("#progress_text")?.value ?? "").length > 0);
      await page.fill("#next_steps", "已补充佐证材料：审批时限由120个工作日压减至60个工作日。");
      await page.getByTestId("report-submit").click();
      await page.waitForURL(new RegExp(`/tasks/${ids.child}$`));
      await expectStatus(page, "待审核");
      await signOut(page);

      await signIn(page, ctx.server.baseUrl, "supervisor");
      await page.goto(url(`/tasks/${ids.child}`));
      const completionReport = page
        .getByTestId("reports")
        .locator(".ant-collapse-header")
        .filter({ hasText: "牵头" })
        .filter({ hasText: "办结报告" });
      await completionReport.filter({ hasText: "已报送" }).first().waitFor();
      await taskAction(page, "approve");
      await expectStatus(page, "已办结");
      // Approval accepts the completion report: the card shows it at once, without a reload.
      await completionReport.filter({ hasText: "已采纳" }).first().waitFor();
      assert.equal(await completionReport.filter({ hasText: "已报送" }).count(), 0);
      await shot(page, "19-task-completed");
      await signOut(page);
    });

    test("a leader sees the key work on the dashboard", async () => {
      const page = ctx.page;
      await signIn(page, ctx.server.baseUrl, "mayor");
      await page.goto(url("/dashboard"));
      await page.getByTestId("dashboard").getByText(ROOT).waitFor();
      await page.getByTestId("chart-status").locator("canvas").waitFor();
      await shot(page, "20-leader-dashboard");
      await page.goto(url(`/tasks?q=${encodeURIComponent("E2E")}`));
      await page.getByRole("link", { name: CHILD }).waitFor();
      await shot(page, "21-task-list");
      // The ledger (台账) downloads with the list's filters, through the authenticated client.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "导出台账" }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^督办事项台账_\d{8}_\d{4}\.xlsx$/);
      await signOut(page);
    });

    test("a user of an unrelated unit cannot open it", async () => {
      const page = ctx.page;
      await signIn(page, ctx.server.baseUrl, "jyj_liaison");
      await page.goto(url(`/tasks/${ids.child}`));
      await page.getByText("未找到该任务").waitFor();
      assert.equal(await page.getByText(CHILD).count(), 0);
      await page.goto(url(`/tasks?q=${encodeURIComponent("E2E")}`));
      await page.locator(".ant-table-placeholder").waitFor();
      await shot(page, "22-unrelated-not-found");
      await signOut(page);
    });
  });
}
