// @vitest-environment jsdom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Providers, shimDom } from "@/test/dom";
import DecomposePage from "./DecomposePage";

// A fake API behind the real query hooks: the parent (task 5), its children a page at a time
// (newest first, as GET /tasks answers) and each child's detail.
const server = vi.hoisted(() => ({
  pageSize: 2,
  children: [] as { id: number; title: string; status: string; allowed_actions: string[] }[],
  details: {} as Record<number, { version: number; title: string; editable_fields: string[] }>,
}));
const http = vi.hoisted(() => ({ GET: vi.fn(), PATCH: vi.fn() }));
vi.mock("@/lib/http", async () => {
  const { default: createQueryHooks } = await import("openapi-react-query");
  const api = { GET: http.GET, POST: vi.fn(), PATCH: http.PATCH };
  return { api, $api: createQueryHooks(api as never) };
});

const unit = { id: 10, name: "市发改委", short_name: "市发改委" };
const ok = (data: unknown) => ({ data, error: undefined, response: { status: 200, headers: new Headers() } });

function task(id: number, title: string, status: string, allowed: string[]) {
  return {
    id, parent_id: id === 5 ? null : 5, root_id: 5, depth: id === 5 ? 0 : 1, title, status, deadline: "2027-01-01",
    deadline_state: "normal", progress: 0, lead_unit: unit, leader_id: null, leader_name: null,
    source_type: "meeting_decision", source_ref: null, priority: "normal", allowed_actions: allowed, version: 1,
    updated_at: "2026-11-01T00:00:00Z",
  };
}

function detail(id: number) {
  const child = server.children.find((c) => c.id === id)!;
  const d = server.details[id];
  return {
    ...task(id, d.title, child.status, child.allowed_actions), version: d.version, editable_fields: d.editable_fields,
    content: "", ancestors: [], milestones: [], children_count: 0, cooperating_unit_ids: [], issuer_unit: unit,
    assignments: [{ id: 1, unit, capacity: "lead", state: "assigned" }], feedback_dates: [], tags: [],
  };
}

beforeAll(shimDom);
afterEach(cleanup);
beforeEach(() => {
  http.GET.mockReset().mockImplementation(async (path: string, init: { params: { path?: { task_id: number }; query?: Record<string, unknown> } }) => {
    if (path === "/api/v1/tasks/{task_id}") {
      const id = init.params.path!.task_id;
      return ok(id === 5 ? { ...detail5(), editable_fields: [] } : detail(id));
    }
    if (path === "/api/v1/tasks") {
      const start = Number(init.params.query?.cursor ?? 0);
      const newestFirst = [...server.children].sort((a, b) => b.id - a.id);
      const end = start + server.pageSize;
      return ok({
        items: newestFirst.slice(start, end).map((c) => task(c.id, c.title, c.status, c.allowed_actions)),
        next_cursor: end < newestFirst.length ? String(end) : null,
      });
    }
    if (path === "/api/v1/units") return ok([{ ...unit, parent_id: null }]);
    throw new Error(`unexpected GET ${path}`);
  });
  http.PATCH.mockReset().mockImplementation(async () => ok({}));
});

function detail5() {
  return {
    ...task(5, "优化营商环境", "in_progress", ["decompose", "edit"]), content: "", ancestors: [], milestones: [],
    children_count: server.children.length, cooperating_unit_ids: [], issuer_unit: unit, feedback_dates: [], tags: [],
    assignments: [{ id: 1, unit, capacity: "lead", state: "signed" }],
  };
}

function show() {
  render(
    <Providers path="/tasks/5/decompose" route="/tasks/:taskId/decompose">
      <DecomposePage />
    </Providers>,
  );
}

const listCalls = () => http.GET.mock.calls.filter(([path]) => path === "/api/v1/tasks");

describe("decomposition page: the task's children", { timeout: 30_000 }, () => {
  it("lists every direct child, page after page, oldest first, without reading the tree", async () => {
    server.children = [1, 2, 3, 4, 5].map((n) => ({ id: 10 + n, title: `子任务${n}`, status: "assigned", allowed_actions: [] }));
    show();
    const card = await screen.findByTestId("decompose-children");
    await waitFor(() => expect(within(card).getByText("已有子任务（5）")).toBeTruthy());
    const titles = [...card.querySelectorAll("tbody a")].map((a) => a.textContent);
    expect(titles).toEqual(["子任务1", "子任务2", "子任务3", "子任务4", "子任务5"]);
    expect(listCalls().map(([, init]) => init.params.query)).toEqual([
      { parent_id: 5, limit: 200 }, { parent_id: 5, limit: 200, cursor: "2" }, { parent_id: 5, limit: 200, cursor: "4" },
    ]);
    expect(http.GET.mock.calls.some(([path]) => String(path).endsWith("/tree"))).toBe(false);
  });

  it("offers editing a child exactly when the API lists edit for it, whatever its status", async () => {
    server.children = [
      { id: 11, title: "草稿但不可编辑", status: "draft", allowed_actions: [] },
      { id: 12, title: "已交办可编辑", status: "in_progress", allowed_actions: ["edit", "supervise"] },
      { id: 13, title: "草稿可编辑", status: "draft", allowed_actions: ["issue", "edit"] },
    ];
    show();
    await screen.findByText("已交办可编辑");
    expect(screen.queryByTestId("edit-child-11")).toBeNull();
    expect(screen.getByTestId("edit-child-12")).toBeTruthy();
    expect(screen.getByTestId("edit-child-13")).toBeTruthy();
  });

  it("edits only the fields the child's detail lists, sending what changed with the version just read", async () => {
    server.children = [{ id: 12, title: "一元街道改造", status: "in_progress", allowed_actions: ["edit"] }];
    // Signed for: the lead unit is no longer editable. Renamed since the list was read.
    server.details = { 12: { version: 7, title: "一元街道老旧小区改造", editable_fields: ["title", "content", "deadline", "milestones"] } };
    show();
    fireEvent.click(await screen.findByTestId("edit-child-12"));
    const form = await screen.findByTestId("child-edit-form");
    expect(http.GET).toHaveBeenCalledWith("/api/v1/tasks/{task_id}", expect.objectContaining({ params: { path: { task_id: 12 } } }));
    expect(form.querySelector("#lead_unit_id")).toBeNull();
    expect(form.querySelector("#deadline")).not.toBeNull();
    const title = form.querySelector<HTMLInputElement>("#title")!;
    expect(title.value).toBe("一元街道老旧小区改造");
    fireEvent.change(title, { target: { value: "一元街道老旧小区改造（一期）" } });
    const listed = listCalls().length;
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "保存" }));
    await waitFor(() => expect(http.PATCH).toHaveBeenCalledTimes(1));
    expect(http.PATCH.mock.calls[0]).toEqual([
      "/api/v1/tasks/{task_id}",
      expect.objectContaining({
        params: { path: { task_id: 12 }, header: { "if-match": "7" } },
        body: { title: "一元街道老旧小区改造（一期）" },
      }),
    ]);
    // Saved: the editor closes and the children are read again.
    await waitFor(() => expect(screen.queryByTestId("child-edit-form")).toBeNull());
    await waitFor(() => expect(listCalls().length).toBeGreaterThan(listed));
  });

  it("a child whose name, lead unit and deadline cannot change here says so, with nothing to save", async () => {
    server.children = [{ id: 12, title: "一元街道改造", status: "in_progress", allowed_actions: ["edit"] }];
    server.details = { 12: { version: 3, title: "一元街道改造", editable_fields: ["milestones"] } };
    show();
    fireEvent.click(await screen.findByTestId("edit-child-12"));
    expect((await screen.findByTestId("child-edit-elsewhere")).textContent).toContain("到任务页编辑其他内容");
    expect(screen.queryByTestId("child-edit-form")).toBeNull();
    expect(within(screen.getByRole("dialog")).getByRole("button", { name: "保存" }).hasAttribute("disabled")).toBe(true);
    expect(http.PATCH).not.toHaveBeenCalled();
  });
});
