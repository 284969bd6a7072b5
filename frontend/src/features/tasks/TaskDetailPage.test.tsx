// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { Providers, shimDom } from "@/test/dom";
import TaskDetailPage from "./TaskDetailPage";
import type { TaskAction } from "./actions";

// Every query answers empty except the task itself; the caller may do everything by
// permission, so any button below comes from the task's allowed_actions alone.
const data = vi.hoisted(() => ({ task: null as unknown }));
vi.mock("@/lib/http", () => ({
  $api: {
    useQuery: (_method: string, path: string) =>
      path === "/api/v1/tasks/{task_id}" ? { data: data.task, isPending: false } : { data: [], isPending: false, isLoading: false },
  },
  api: { GET: vi.fn(), POST: vi.fn() },
}));
vi.mock("@/features/auth/session", () => ({
  useSession: () => ({ me: { id: 1, unit: { id: 10, name: "市发改委", short_name: "市发改委" } }, can: () => true }),
}));

beforeAll(shimDom);
afterEach(cleanup);

const unit = { id: 10, name: "市发改委", short_name: "市发改委" };

function show(status: string, allowed: TaskAction[], own = "assigned") {
  data.task = {
    id: 5, root_id: 5, title: "压缩审批时限", content: "", status, deadline: "2027-01-01", deadline_state: "normal", progress: 0,
    ancestors: [], milestones: [], children_count: 0, cooperating_unit_ids: [], lead_unit: unit, issuer_unit: unit,
    assignments: [{ id: 1, unit, capacity: "lead", state: own }], allowed_actions: allowed,
  };
  render(
    <Providers path="/tasks/5" route="/tasks/:taskId">
      <TaskDetailPage />
    </Providers>,
  );
}

// The page's buttons by their text (querying by role, button by button, is slow on a page this size).
function buttons(): string[] {
  return [...document.querySelectorAll("button")].map((b) => (b.textContent ?? "").trim());
}

// A whole page under jsdom: slower than the default five seconds allow on a busy machine.
describe("task page entry points follow allowed_actions", { timeout: 30_000 }, () => {
  it("the lead unit before signing: sign and dispute only", () => {
    show("assigned", ["sign", "dispute"]);
    expect(buttons()).toEqual(expect.arrayContaining(["签收", "退回交办申请"]));
    for (const name of ["编辑", "分解任务", "填报回告", "申请延期", "提请协调", "督办", "领导批示"]) expect(buttons(), name).not.toContain(name);
  });

  it("the signed lead unit: edit, decompose, report, extension, coordinate", () => {
    show("in_progress", ["submit", "edit", "decompose", "report", "request_extension", "coordinate"], "signed");
    expect(buttons()).toEqual(expect.arrayContaining(["申请办结", "编辑", "分解任务", "填报回告", "申请延期", "提请协调"]));
    expect(screen.getByTestId("decompose")).toBeTruthy();
    for (const name of ["督办", "领导批示", "签收"]) expect(buttons(), name).not.toContain(name);
  });

  it("the office: edit, decompose, supervise, instruct; no coordination request", () => {
    show("in_progress", ["suspend", "cancel", "edit", "decompose", "supervise", "instruct"], "signed");
    expect(buttons()).toEqual(expect.arrayContaining(["编辑", "分解任务", "督办", "领导批示", "暂缓", "撤销"]));
    for (const name of ["提请协调", "填报回告", "申请延期", "签收"]) expect(buttons(), name).not.toContain(name);
  });

  it("uploading a file follows attach, not the task's status", () => {
    show("in_progress", ["attach"], "signed");
    expect(buttons()).toContain("上传");
    cleanup();
    show("in_progress", [], "signed");
    expect(buttons()).not.toContain("上传");
  });

  it("a task the caller may not touch: no buttons, even with every permission", () => {
    show("in_progress", [], "signed");
    for (const name of ["编辑", "分解任务", "填报回告", "申请延期", "提请协调", "督办", "领导批示", "撤销"]) expect(buttons(), name).not.toContain(name);
  });
});
