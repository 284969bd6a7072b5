import { describe, expect, it } from "vitest";
import { todoTarget, urgentCounts } from "./todo";

describe("to-do", () => {
  it("opens the report form for a report due, the task otherwise", () => {
    expect(todoTarget({ kind: "report", ref_type: "assignment", ref_id: 3, task_id: 7 })).toBe("/tasks/7/report");
    expect(todoTarget({ kind: "review", ref_type: "report", ref_id: 3, task_id: 7 })).toBe("/tasks/7");
    expect(todoTarget({ kind: "sign", ref_type: "assignment", ref_id: 3, task_id: 7 })).toBe("/tasks/7");
    expect(todoTarget({ kind: "respond", ref_type: "supervision_action", ref_id: 3, task_id: 7 })).toBe("/tasks/7#supervision");
  });

  it("counts overdue and due-soon items", () => {
    const groups = [
      { items: [{ kind: "sign", ref_type: "task", ref_id: 1, task_id: 1, deadline_state: "overdue" }] },
      { items: [{ kind: "report", ref_type: "task", ref_id: 2, task_id: 2, deadline_state: "due_soon" }, { kind: "report", ref_type: "task", ref_id: 3, task_id: 3, deadline_state: "normal" }] },
    ];
    expect(urgentCounts(groups)).toEqual({ overdue: 1, dueSoon: 1 });
  });
});
