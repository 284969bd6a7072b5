// @vitest-environment jsdom
import { beforeAll, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { QueryClient, QueryClientProvider, type QueryKey } from "@tanstack/react-query";
import { App as AntdApp, ConfigProvider } from "antd";
import { shimDom } from "@/test/dom";
import { dependsOnTasks, invalidateTaskQueries } from "./invalidation";
import TaskActions from "./TaskActions";
import type { TaskDetail } from "./types";

const post = vi.hoisted(() => vi.fn());
vi.mock("@/lib/http", () => ({ api: { POST: post, GET: vi.fn() } }));
vi.mock("@/features/auth/session", () => ({
  useSession: () => ({ me: { id: 1, unit: { id: 1, name: "市政府督查室", short_name: "市政府督查室" } }, can: () => true }),
}));

beforeAll(shimDom);

const task = { params: { path: { task_id: 7 } } };

// Keys as $api.useQuery ("get", path, init) and useCursorPages (… , "pages") build them.
const DEPENDENT: QueryKey[] = [
  ["get", "/api/v1/tasks/{task_id}", task],
  ["get", "/api/v1/tasks/{task_id}/reports", task],
  ["get", "/api/v1/tasks/{task_id}/reports/consolidation", task],
  ["get", "/api/v1/tasks/{task_id}/events", task],
  ["get", "/api/v1/tasks/{task_id}/tree", task],
  ["get", "/api/v1/tasks/{task_id}/obligations", task],
  ["get", "/api/v1/tasks/{task_id}/extension-requests", task],
  ["get", "/api/v1/tasks/{task_id}/disputes", task],
  ["get", "/api/v1/tasks/{task_id}/supervision-actions", task],
  ["get", "/api/v1/reports/{report_id}", { params: { path: { report_id: 3 } } }],
  ["get", "/api/v1/todo", {}],
  ["get", "/api/v1/dashboard", {}],
  ["get", "/api/v1/slips", {}],
  ["get", "/api/v1/supervision-actions", {}],
  ["get", "/api/v1/obligations", {}],
  ["get", "/api/v1/tasks", { params: { query: { deadline_state: ["overdue", "due_soon"], limit: 20 } } }, "pages"],
];

const UNRELATED: QueryKey[] = [
  ["get", "/api/v1/auth/me", {}],
  ["get", "/api/v1/units", {}],
  ["get", "/api/v1/users", { params: { query: { limit: 50 } } }, "pages"],
  ["get", "/api/v1/delegations", {}],
  ["get", "/api/v1/taskstats", {}], // a prefix of the name is not the path
];

function seeded(): QueryClient {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
  for (const key of [...DEPENDENT, ...UNRELATED]) client.setQueryData(key, { cached: true });
  return client;
}

describe("after a task action", () => {
  it("invalidates the reports (approve accepts the completion report) and everything else shown about tasks", async () => {
    const client = seeded();
    const spy = vi.spyOn(client, "invalidateQueries");
    await invalidateTaskQueries(client);
    expect(spy).toHaveBeenCalled();
    for (const key of DEPENDENT) expect(client.getQueryState(key)?.isInvalidated, JSON.stringify(key)).toBe(true);
  });

  it("leaves what no task action changes", async () => {
    const client = seeded();
    await invalidateTaskQueries(client);
    for (const key of UNRELATED) expect(client.getQueryState(key)?.isInvalidated, JSON.stringify(key)).toBe(false);
  });

  it("matches by path, not by key shape", () => {
    expect(dependsOnTasks({ queryKey: ["get", "/api/v1/tasks/{task_id}/reports", task] })).toBe(true);
    expect(dependsOnTasks({ queryKey: ["tasks"] })).toBe(false);
  });
});

describe("approving a task in the UI", () => {
  it("refetches its reports, so the completion report reads 已采纳 without a reload", async () => {
    post.mockResolvedValue({ data: { id: 7, status: "completed" } });
    const client = seeded();
    const detail = { id: 7, title: "压缩审批时限", status: "pending_review", deadline: "2027-01-01", allowed_actions: ["approve"], assignments: [] };
    render(
      <QueryClientProvider client={client}>
        <MemoryRouter>
          <ConfigProvider button={{ autoInsertSpace: false }}>
            <AntdApp>
              <TaskActions task={detail as unknown as TaskDetail} />
            </AntdApp>
          </ConfigProvider>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    const reports: QueryKey = ["get", "/api/v1/tasks/{task_id}/reports", task];
    expect(client.getQueryState(reports)?.isInvalidated).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "审核办结" }));
    fireEvent.click(await screen.findByRole("button", { name: "确定" }));
    await waitFor(() => expect(client.getQueryState(reports)?.isInvalidated).toBe(true));
    expect(post).toHaveBeenCalledWith("/api/v1/tasks/{task_id}/transitions", expect.objectContaining({ body: expect.objectContaining({ action: "approve" }) }));
    for (const key of DEPENDENT) expect(client.getQueryState(key)?.isInvalidated, JSON.stringify(key)).toBe(true);
    cleanup();
  });
});
