// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { Providers, shimDom } from "@/test/dom";
import TaskActions from "./TaskActions";
import type { TaskDetail } from "./types";

beforeAll(shimDom);
afterEach(cleanup);

// The caller's unit leads the task and has not signed: nothing on the client may add to what
// the API lists because of that.
const LEAD_UNSIGNED = [{ unit: { id: 10, name: "市发改委", short_name: "市发改委" }, capacity: "lead", state: "assigned" }];

function renderWith(task: Partial<TaskDetail>) {
  const full = { id: 5, title: "测试任务", status: "assigned", deadline: "2027-01-01", deadline_state: "normal", allowed_actions: [], assignments: LEAD_UNSIGNED, ...task } as unknown as TaskDetail;
  return render(
    <Providers path="/tasks/5">
      <TaskActions task={full} />
    </Providers>,
  );
}

const labels = () => screen.queryAllByRole("button").map((b) => b.textContent);

describe("TaskActions", () => {
  it("renders exactly the allowed actions", () => {
    renderWith({ allowed_actions: ["approve", "return"], status: "pending_review" });
    expect(labels()).toEqual(["审核办结", "退回重办"]);
  });

  it("renders nothing when nothing is allowed, whatever the caller's assignment", () => {
    const { container } = renderWith({ allowed_actions: [] });
    expect(container.querySelectorAll("button")).toHaveLength(0);
  });

  it("offers the lead unit before it signs what the API lists: sign and dispute, no extension", () => {
    renderWith({ allowed_actions: ["sign", "dispute"] });
    expect(labels()).toEqual(["签收", "退回交办申请"]);
    expect(screen.queryByText("申请延期")).toBeNull();
  });

  it("offers the signed lead unit its requests; decompose, report and coordinate live on their cards", () => {
    renderWith({ status: "in_progress", allowed_actions: ["submit", "edit", "decompose", "report", "request_extension", "coordinate"] });
    expect(labels()).toEqual(["申请办结", "编辑", "申请延期"]);
  });

  it("leaves out an action this build does not know", () => {
    renderWith({ allowed_actions: ["sign", "frobnicate"] as never });
    expect(labels()).toEqual(["签收"]);
  });

  it("offers no edit button when the task lists no editable field", () => {
    // The API lists edit exactly when editable_fields is not empty (tests/tasks/test_editable_fields.py).
    renderWith({ status: "completed", allowed_actions: ["reopen"], editable_fields: [] });
    expect(labels()).toEqual(["重新办理"]);
    expect(screen.queryByRole("button", { name: /编辑/ })).toBeNull();
  });

  it("opens the task editor for edit", () => {
    renderWith({ status: "in_progress", allowed_actions: ["edit"], editable_fields: ["milestones", "progress"] });
    fireEvent.click(screen.getByRole("button", { name: /编辑/ }));
    expect(screen.getByTestId("location").textContent).toBe("/tasks/5/edit");
  });
});
