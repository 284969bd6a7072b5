// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { Providers, shimDom } from "@/test/dom";
import { DisputesCard, ExtensionsCard } from "./RequestsCards";
import type { TaskDetail } from "./types";

// The requests on the task come from the mocked list; the caller holds every permission, so a
// decision button can only come from a request's allowed_actions.
const data = vi.hoisted(() => ({ rows: [] as unknown[] }));
vi.mock("@/lib/http", () => ({
  $api: { useQuery: () => ({ data: data.rows, isPending: false, isLoading: false }) },
  api: { GET: vi.fn(), POST: vi.fn() },
}));
vi.mock("@/features/auth/session", () => ({
  useSession: () => ({ me: { id: 1, unit: { id: 10, name: "市政府督查室", short_name: "督查室" } }, can: () => true }),
}));
vi.mock("@/features/org/units", () => ({ useUnitNames: () => new Map(), UnitPicker: () => null }));

beforeAll(shimDom);
afterEach(cleanup);

const task = { id: 5 } as unknown as TaskDetail;
const extension = (id: number, allowed: string[], status = "pending") => ({
  id, task_id: 5, unit_id: 20, status, reason: `理由${id}`, current_deadline_date: "2027-01-01", requested_deadline_date: "2027-02-01",
  created_at: "2026-10-01T00:00:00Z", decision_reason: null, allowed_actions: allowed,
});
const dispute = (id: number, allowed: string[]) => ({
  id, task_id: 5, unit_id: 20, status: "pending", reason: `理由${id}`, suggested_unit_id: null, new_lead_unit_id: null,
  decision_reason: null, created_at: "2026-10-01T00:00:00Z", allowed_actions: allowed,
});

/** The buttons on the request whose reason is `reason`. */
function buttonsOn(reason: string): HTMLButtonElement[] {
  return [...(screen.getByText(`理由：${reason}`).closest("li")?.querySelectorAll("button") ?? [])];
}
const labels = (reason: string) => buttonsOn(reason).map((b) => b.textContent);

/** The decisions the open dialog offers. */
function offered(): string[] {
  return [...document.querySelectorAll(".ant-modal .ant-radio-wrapper")].map((r) => (r.textContent ?? "").trim());
}

describe("extension and dispute decisions follow each request's allowed_actions", () => {
  it("审批 only on the request listing a decision, with exactly those decisions", () => {
    data.rows = [extension(1, ["approve", "reject"]), extension(2, []), extension(3, ["reject"])];
    render(
      <Providers>
        <ExtensionsCard task={task} />
      </Providers>,
    );
    expect(labels("理由1")).toEqual(["审批"]);
    expect(labels("理由2")).toEqual([]);
    // The task is no longer under way: the office may only reject.
    fireEvent.click(buttonsOn("理由3")[0]);
    expect(offered()).toEqual(["不批准"]);
  });

  it("处理 on a dispute listing reassign or reject; none on one listing nothing", () => {
    data.rows = [dispute(1, []), dispute(2, ["reassign", "reject"])];
    render(
      <Providers>
        <DisputesCard task={task} />
      </Providers>,
    );
    expect(labels("理由1")).toEqual([]);
    expect(labels("理由2")).toEqual(["处理"]);
    fireEvent.click(buttonsOn("理由2")[0]);
    expect(offered()).toEqual(["改派", "不予退回"]);
  });
});
