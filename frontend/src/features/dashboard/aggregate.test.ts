import { describe, expect, it } from "vitest";
import { byLeadUnit, deadlineCounts, dueByMonth, keyWorks, statusCounts, type TaskFacts } from "./aggregate";

const fgw = { id: 1, name: "市发改委全称", short_name: "市发改委" };
const zjj = { id: 2, name: "市住建局全称", short_name: "市住建局" };
const tasks: TaskFacts[] = [
  { id: 1, depth: 0, title: "营商环境", status: "in_progress", deadline: "2026-06-30", deadline_state: "normal", progress: 40, lead_unit: fgw },
  { id: 2, depth: 1, title: "审批", status: "in_progress", deadline: "2026-03-31", deadline_state: "overdue", progress: 10, lead_unit: zjj },
  { id: 3, depth: 1, title: "减税", status: "completed", deadline: "2026-03-15", deadline_state: "on_time", progress: 100, lead_unit: fgw },
  { id: 4, depth: 0, title: "老旧小区", status: "assigned", deadline: "2026-03-20", deadline_state: "due_soon", progress: 0, lead_unit: zjj },
];

describe("dashboard figures", () => {
  it("counts statuses and deadline states", () => {
    expect(statusCounts(tasks)).toEqual({ in_progress: 2, completed: 1, assigned: 1 });
    expect(deadlineCounts(tasks)).toEqual({ normal: 1, overdue: 1, on_time: 1, due_soon: 1 });
  });

  it("ranks lead units by overdue then due-soon, open tasks only", () => {
    expect(byLeadUnit(tasks)).toEqual([
      { unit: "市住建局", overdue: 1, dueSoon: 1, open: 2 },
      { unit: "市发改委", overdue: 0, dueSoon: 0, open: 1 },
    ]);
  });

  it("groups deadlines by month", () => {
    expect(dueByMonth(tasks)).toEqual([
      { month: "2026-03", open: 2, closed: 1 },
      { month: "2026-06", open: 1, closed: 0 },
    ]);
  });

  it("lists key works least advanced first", () => {
    expect(keyWorks(tasks).map((t) => t.id)).toEqual([4, 1]);
  });
});
