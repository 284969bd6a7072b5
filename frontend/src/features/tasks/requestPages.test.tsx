// @vitest-environment jsdom
import type { ReactNode } from "react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { Providers, shimDom } from "@/test/dom";
import type { TaskAction } from "./actions";
import DecomposePage from "./DecomposePage";
import TaskCreatePage from "./TaskCreatePage";
import { FIELD_ORDER, type TaskField } from "./taskForm";
import ReportPage from "@/features/reports/ReportPage";

// The editors open a task the caller reached by URL; they offer their form only when the
// API lists the request, whatever the caller's permissions (all granted here).
const data = vi.hoisted(() => ({ task: null as unknown }));
const http = vi.hoisted(() => ({ PATCH: vi.fn(async () => ({ data: {}, error: undefined })) }));
vi.mock("@/lib/http", () => ({
  $api: {
    useQuery: (_method: string, path: string) =>
      path === "/api/v1/tasks/{task_id}"
        ? { data: data.task, isPending: false }
        : { data: path.endsWith("/reports") ? { items: [] } : [], isPending: false, isLoading: false },
  },
  api: { GET: vi.fn(), POST: vi.fn(), PATCH: http.PATCH },
}));
vi.mock("@/features/auth/session", () => ({
  useSession: () => ({ me: { id: 1, unit: { id: 10, name: "市发改委", short_name: "市发改委" } }, can: () => true }),
}));

beforeAll(shimDom);
afterEach(cleanup);

const lead = { id: 10, name: "市发改委", short_name: "市发改委" };

// The office's fields once the lead unit has signed (the lead unit no longer changes).
const OFFICE: TaskField[] = ["title", "content", "cooperating_unit_ids", "leader_id", "deadline", "source_type", "source_ref", "source_date", "category", "priority", "feedback_cycle", "deadline_day_count", "feedback_dates", "weight", "tags", "milestones", "progress"];
// The lead unit's, once it has signed.
const LEAD: TaskField[] = ["milestones", "progress"];

/** The fields the editor shows, each with a control of its own (`#field`; the milestones are a list). */
function shownFields(): string[] {
  const shown = Array.from(document.querySelectorAll("[data-field]"), (e) => e.getAttribute("data-field")!);
  for (const field of shown) {
    const control = field === "milestones" ? screen.queryByText("添加时间节点") : document.querySelector(`#${field}`);
    expect(control, field).not.toBeNull();
  }
  return shown.sort();
}

function open(path: string, page: ReactNode, allowed: TaskAction[], own = "assigned", leadUnit = lead, editable: TaskField[] = [], children = 0) {
  data.task = {
    id: 5, root_id: 5, version: 3, title: "压缩审批时限", content: "", status: own === "signed" ? "in_progress" : "assigned",
    deadline: "2027-01-01", deadline_state: "normal", progress: 20, ancestors: [], children_count: children,
    milestones: [{ id: 1, title: "完成方案编制", planned_date: "2026-10-01", done_date: "2026-09-28" }, { id: 2, title: "完成试点", planned_date: "2026-12-01", done_date: null }],
    cooperating_unit_ids: [30], lead_unit: leadUnit, issuer_unit: { id: 1, name: "市政府督查室", short_name: "督查室" },
    source_type: "meeting_decision", source_ref: "武政办〔2026〕12号", source_date: "2026-01-05", category: "营商环境",
    feedback_cycle: "monthly", feedback_dates: ["2026-11-15"], deadline_day_count: "working", priority: "normal", weight: 2,
    tags: ["重点"], leader_id: 7,
    assignments: [{ id: 1, unit: leadUnit, capacity: "lead", state: own }], allowed_actions: allowed, editable_fields: editable,
  };
  render(
    <Providers path={path} route={path.replace("/5/", "/:taskId/")}>
      {page}
    </Providers>,
  );
}

describe("request editors open only when the API lists the request", { timeout: 30_000 }, () => {
  it("decompose: not before the lead unit signs", () => {
    open("/tasks/5/decompose", <DecomposePage />, ["sign", "dispute"]);
    expect(screen.getByTestId("decompose-unavailable")).toBeTruthy();
    expect(screen.queryByTestId("decompose-save")).toBeNull();
  });

  it("decompose: the editor once listed", () => {
    open("/tasks/5/decompose", <DecomposePage />, ["decompose"], "signed");
    expect(screen.getByTestId("decompose-save")).toBeTruthy();
  });

  it("edit: not before the lead unit signs", () => {
    open("/tasks/5/edit", <TaskCreatePage />, ["sign", "dispute"]);
    expect(screen.getByTestId("edit-unavailable")).toBeTruthy();
    expect(shownFields()).toEqual([]);
  });

  it("edit: the signed lead unit sees only its fields, progress and milestones", () => {
    open("/tasks/5/edit", <TaskCreatePage />, ["edit"], "signed", lead, LEAD);
    expect(shownFields()).toEqual([...LEAD].sort());
    expect(document.querySelector("#title")).toBeNull();
    expect(document.querySelector("#priority")).toBeNull();
  });

  it("edit: a task with sub-tasks tells its rolled-up progress, with no field to set it", () => {
    open("/tasks/5/edit", <TaskCreatePage />, ["edit"], "signed", lead, ["milestones"], 2);
    expect(shownFields()).toEqual(["milestones"]);
    expect(document.querySelector("#progress")).toBeNull();
    expect(screen.getByTestId("rolled-up-progress").textContent).toContain("进度由子任务汇总");
  });

  it("edit: the office sees its full form, without a new lead unit once signed for", () => {
    open("/tasks/5/edit", <TaskCreatePage />, ["edit", "cancel"], "signed", { id: 20, name: "市住建局", short_name: "市住建局" }, OFFICE);
    expect(shownFields()).toEqual([...OFFICE].sort());
  });

  it("edit: every field the API may list has its editor", () => {
    open("/tasks/5/edit", <TaskCreatePage />, ["edit"], "assigned", lead, FIELD_ORDER);
    expect(shownFields()).toEqual([...FIELD_ORDER].sort());
  });

  it("edit: the form follows editable_fields, not the caller's unit", () => {
    // The caller's unit leads the task, yet the API lists every field (say, it also issued it).
    open("/tasks/5/edit", <TaskCreatePage />, ["edit"], "assigned", lead, ["lead_unit_id", ...OFFICE]);
    expect(shownFields()).toEqual(["lead_unit_id", ...OFFICE].sort());
  });

  it("edit: sends only what changed of the editable fields", async () => {
    http.PATCH.mockClear();
    open("/tasks/5/edit", <TaskCreatePage />, ["edit"], "signed", lead, LEAD);
    fireEvent.change(document.querySelector("#progress")!, { target: { value: "35" } });
    fireEvent.click(screen.getByRole("button", { name: "保存" }));
    await waitFor(() => expect(http.PATCH).toHaveBeenCalled());
    expect(http.PATCH.mock.calls[0]).toEqual([expect.anything(), expect.objectContaining({ body: { progress: 35 } })]);
  });

  it("edit: the office's form saved untouched sends no field (every field reads back as it was)", async () => {
    http.PATCH.mockClear();
    open("/tasks/5/edit", <TaskCreatePage />, ["edit"], "assigned", lead, ["lead_unit_id", ...OFFICE]);
    fireEvent.click(screen.getByRole("button", { name: "保存" }));
    await waitFor(() => expect(http.PATCH).toHaveBeenCalled());
    expect(http.PATCH.mock.calls[0]).toEqual([expect.anything(), expect.objectContaining({ body: {} })]);
  });

  it("report: not before the lead unit signs", () => {
    open("/tasks/5/report", <ReportPage />, ["sign", "dispute"]);
    expect(screen.getByTestId("report-unavailable")).toBeTruthy();
    expect(screen.queryByTestId("report-submit")).toBeNull();
  });

  it("report: the form once listed", () => {
    open("/tasks/5/report", <ReportPage />, ["report", "submit"], "signed");
    expect(screen.getByTestId("report-submit")).toBeTruthy();
  });
});
