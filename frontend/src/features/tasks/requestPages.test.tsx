// @vitest-environment jsdom
import type { ReactNode } from "react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { Providers, shimDom } from "@/test/dom";
import type { TaskAction } from "./actions";
import DecomposePage from "./DecomposePage";
import TaskCreatePage from "./TaskCreatePage";
import ReportPage from "@/features/reports/ReportPage";

// The editors open a task the caller reached by URL; they offer their form only when the
// API lists the request, whatever the caller's permissions (all granted here).
const data = vi.hoisted(() => ({ task: null as unknown }));
vi.mock("@/lib/http", () => ({
  $api: {
    useQuery: (_method: string, path: string) =>
      path === "/api/v1/tasks/{task_id}"
        ? { data: data.task, isPending: false }
        : { data: path.endsWith("/reports") ? { items: [] } : [], isPending: false, isLoading: false },
  },
  api: { GET: vi.fn(), POST: vi.fn(), PATCH: vi.fn() },
}));
vi.mock("@/features/auth/session", () => ({
  useSession: () => ({ me: { id: 1, unit: { id: 10, name: "市发改委", short_name: "市发改委" } }, can: () => true }),
}));

beforeAll(shimDom);
afterEach(cleanup);

const lead = { id: 10, name: "市发改委", short_name: "市发改委" };

function open(path: string, page: ReactNode, allowed: TaskAction[], own = "assigned", leadUnit = lead) {
  data.task = {
    id: 5, root_id: 5, version: 3, title: "压缩审批时限", content: "", status: own === "signed" ? "in_progress" : "assigned",
    deadline: "2027-01-01", deadline_state: "normal", progress: 20, ancestors: [], milestones: [], children_count: 0,
    cooperating_unit_ids: [], lead_unit: leadUnit, issuer_unit: { id: 1, name: "市政府督查室", short_name: "督查室" },
    source_type: "meeting_decision", feedback_cycle: "monthly", priority: "normal",
    assignments: [{ id: 1, unit: leadUnit, capacity: "lead", state: own }], allowed_actions: allowed,
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
  });

  it("edit: the lead unit's short form, progress and milestones only", () => {
    open("/tasks/5/edit", <TaskCreatePage />, ["edit"], "signed");
    expect(screen.getByTestId("progress")).toBeTruthy();
    expect(screen.getByText("添加时间节点")).toBeTruthy();
    expect(document.querySelector("#title")).toBeNull();
    expect(document.querySelector("#lead_unit_id")).toBeNull();
  });

  it("edit: the office's full form", () => {
    open("/tasks/5/edit", <TaskCreatePage />, ["edit", "cancel"], "signed", { id: 20, name: "市住建局", short_name: "市住建局" });
    expect(document.querySelector("#title")).not.toBeNull();
    expect(document.querySelector("#lead_unit_id")).not.toBeNull();
    expect(screen.queryByTestId("progress")).toBeNull();
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
