// The task tree stays smooth with thousands of nodes: the API's answer is replaced by a
// synthetic 5,000-node tree so the test measures the SPA, not the server.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { shot, signIn, signOut } from "./harness.mjs";

const STATES = ["normal", "due_soon", "overdue", "on_time", "normal"];

export function syntheticTree(breadth, depth) {
  let id = 900000;
  const unit = { id: 1, name: "武汉市发展和改革委员会", short_name: "市发改委" };
  const make = (d, parentId) => {
    const nodeId = ++id;
    const state = STATES[nodeId % STATES.length];
    const children = d < depth ? Array.from({ length: breadth }, () => make(d + 1, nodeId)) : [];
    return {
      id: nodeId, parent_id: parentId, depth: d, title: `第${d}层任务 ${nodeId}`, context_only: false,
      status: "in_progress", deadline: "2027-06-30", deadline_state: state, progress: nodeId % 100, weight: 1,
      lead_unit: unit, leader_id: null, behind_schedule: nodeId % 7 === 0, version: 1,
      rollup: { open_count: 1, overdue_count: state === "overdue" ? 1 : 0, completed_count: 0,
        worst_deadline_state: state, behind_schedule_count: 0 },
      children,
    };
  };
  return make(0, null);
}

export function treeFlows(ctx) {
  describe("large tree", () => {
    test("a 5,000-node tree expands fully and scrolls with few DOM rows", async () => {
      const page = ctx.page;
      const tree = syntheticTree(17, 3); // 1 + 17 + 289 + 4913 = 5220 nodes
      await signIn(page, ctx.server.baseUrl, "supervisor");
      await page.route("**/api/v1/tasks/900001/tree", (route) =>
        route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(tree) }),
      );
      const started = Date.now();
      await page.goto(`${ctx.server.baseUrl}/tasks/900001/tree`);
      await page.getByText("共 5220 个节点").waitFor();
      const loadMs = Date.now() - started;

      const t0 = Date.now();
      await page.getByRole("button", { name: "全部展开" }).click();
      await page.getByText("第3层任务", { exact: false }).first().waitFor();
      const expandMs = Date.now() - t0;
      const rows = await page.locator("[data-testid=task-tree] .ant-tree-treenode").count();
      assert.ok(rows < 120, `virtualised: ${rows} rows in the DOM`);

      const holder = page.locator("[data-testid=task-tree] .ant-tree-list-holder");
      const t1 = Date.now();
      for (let i = 0; i < 20; i++) {
        await holder.evaluate((el, y) => el.scrollTo(0, y), i * 8000);
        await page.waitForTimeout(16);
      }
      const scrollMs = Date.now() - t1;
      await page.getByPlaceholder("查找任务或单位").fill("任务 905000");
      await page.getByPlaceholder("查找任务或单位").press("Enter");
      await page.getByText("找到 1 项").waitFor();
      await page.getByTestId("task-tree").getByText("第3层任务 905000").waitFor();
      await shot(page, "23-large-tree");
      console.log(`large tree: load ${loadMs} ms, expand all ${expandMs} ms, 20 scroll steps ${scrollMs} ms, ${rows} rows in DOM`);
      assert.ok(expandMs < 3000, `expand all took ${expandMs} ms`);
      await page.unroute("**/api/v1/tasks/900001/tree");
      await signOut(page);
    });
  });
}
