// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { Providers, shimDom } from "@/test/dom";
import type { TaskAction } from "@/features/tasks/actions";
import type { TaskDetail } from "@/features/tasks/types";
import SupervisionPanel from "./SupervisionPanel";

// The records on the task, by list: none unless a test puts some there.
const records = vi.hoisted(() => ({ byPath: {} as Record<string, unknown[]> }));
vi.mock("@/lib/http", () => ({
  $api: { useQuery: (_method: string, path: string) => ({ data: records.byPath[path] ?? [], isPending: false, isLoading: false }) },
  api: { GET: vi.fn(), POST: vi.fn() },
}));
// Permissions that would once have shown every form, and none: neither decides any more.
const session = vi.hoisted(() => ({ can: (_p: string): boolean => true }));
vi.mock("@/features/auth/session", () => ({
  useSession: () => ({ me: { id: 1, unit: { id: 10, name: "市发改委", short_name: "市发改委" } }, can: session.can }),
}));

beforeAll(shimDom);
afterEach(() => {
  cleanup();
  records.byPath = {};
});

function show(allowed: TaskAction[]) {
  const unit = { id: 10, name: "市发改委", short_name: "市发改委" };
  const task = { id: 5, title: "压缩审批时限", status: "in_progress", cooperating_unit_ids: [], assignments: [{ id: 1, unit, capacity: "lead", state: "signed" }], allowed_actions: allowed };
  render(
    <Providers>
      <SupervisionPanel task={task as unknown as TaskDetail} />
    </Providers>,
  );
  return screen.queryAllByRole("button").map((b) => b.textContent);
}

describe("supervision panel forms follow allowed_actions", () => {
  it("shows none without supervise, instruct or coordinate, whatever the permissions and unit", () => {
    session.can = () => true;
    expect(show(["submit", "report", "edit"])).toEqual([]);
  });

  it("shows 督办 with supervise and 领导批示 with instruct", () => {
    session.can = () => false;
    expect(show(["supervise"])).toEqual(["督办"]);
    cleanup();
    expect(show(["instruct"])).toEqual(["领导批示"]);
    cleanup();
    expect(show(["cancel", "supervise", "instruct"])).toEqual(["督办", "领导批示"]);
  });

  it("shows 提请协调 with coordinate only", () => {
    session.can = () => true;
    expect(show(["coordinate"])).toEqual(["提请协调"]);
  });
});

const ACTIONS = "/api/v1/tasks/{task_id}/supervision-actions";
const INSTRUCTIONS = "/api/v1/tasks/{task_id}/instructions";
const COORDINATION = "/api/v1/tasks/{task_id}/coordination-requests";

// Records addressed to the caller's unit (10) and its leader (1), unanswered, in the states the
// old client-side checks would have offered a button for.
const action = (id: number, allowed: string[]) => ({ id, task_id: 5, unit_id: 10, level: "notice", content: `督办${id}`, response: null, response_due_date: "2027-01-01", created_at: "2026-10-01T00:00:00Z", allowed_actions: allowed });
const instruction = (id: number, allowed: string[]) => ({ id, task_id: 5, unit_id: 10, leader_id: 1, content: `批示${id}`, answer: null, answer_due_date: "2027-01-01", allowed_actions: allowed });
const coordination = (id: number, status: string, allowed: string[]) => ({ id, task_id: 5, unit_id: 10, subject: `协调${id}`, content: "需协调", consultation: "", status, leader_id: 1, allowed_actions: allowed });

describe("buttons on supervision records follow each record's allowed_actions", () => {
  it("none when the records list nothing, whatever the unit, the leader or the permissions", () => {
    session.can = () => true;
    records.byPath = {
      [ACTIONS]: [action(1, [])],
      [INSTRUCTIONS]: [instruction(2, [])],
      [COORDINATION]: [coordination(3, "submitted", []), coordination(4, "referred", [])],
    };
    expect(show([])).toEqual([]);
  });

  it("答复 and 落实回告 on the records listing respond and answer", () => {
    session.can = () => false;
    records.byPath = {
      [ACTIONS]: [action(1, []), action(2, ["respond"])],
      [INSTRUCTIONS]: [instruction(3, ["answer"]), instruction(4, [])],
    };
    expect(show([])).toEqual(["答复", "落实回告"]);
    const buttonsOn = (text: string) => [...(screen.getByText(text).closest("li")?.querySelectorAll("button") ?? [])].map((b) => b.textContent);
    expect(buttonsOn("督办2")).toEqual(["答复"]);
    expect(buttonsOn("督办1")).toEqual([]);
  });

  it("协调 with opinion and 决定 with decide", () => {
    session.can = () => false;
    records.byPath = { [COORDINATION]: [coordination(1, "submitted", ["opinion"]), coordination(2, "referred", ["decide"]), coordination(3, "decided", [])] };
    expect(show([])).toEqual(["协调", "决定"]);
  });
});
