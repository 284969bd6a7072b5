// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { Providers, shimDom } from "@/test/dom";
import type { TaskAction } from "@/features/tasks/actions";
import type { TaskDetail } from "@/features/tasks/types";
import SupervisionPanel from "./SupervisionPanel";

vi.mock("@/lib/http", () => ({
  $api: { useQuery: () => ({ data: [], isPending: false, isLoading: false }) },
  api: { GET: vi.fn(), POST: vi.fn() },
}));
// Permissions that would once have shown every form, and none: neither decides any more.
const session = vi.hoisted(() => ({ can: (_p: string): boolean => true }));
vi.mock("@/features/auth/session", () => ({
  useSession: () => ({ me: { id: 1, unit: { id: 10, name: "市发改委", short_name: "市发改委" } }, can: session.can }),
}));

beforeAll(shimDom);
afterEach(cleanup);

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
