// @vitest-environment jsdom
import { describe, expect, it, vi, beforeAll } from "vitest";
import { render, screen, cleanup } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntdApp, ConfigProvider } from "antd";
import TaskActions from "./TaskActions";
import type { TaskDetail } from "./types";

vi.mock("@/features/auth/session", () => ({
  useSession: () => ({ me: { id: 1, unit: { id: 10, name: "市发改委", short_name: "市发改委" } }, can: () => true }),
}));

beforeAll(() => {
  // antd's responsive helpers ask for matchMedia, which jsdom lacks.
  Object.defineProperty(window, "matchMedia", {
    value: (query: string) => ({ matches: false, media: query, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, onchange: null, dispatchEvent: () => false }),
  });
});

function renderWith(task: Partial<TaskDetail>) {
  const full = { id: 5, title: "测试任务", status: "assigned", deadline: "2027-01-01", deadline_state: "normal", allowed_actions: [], assignments: [], ...task } as unknown as TaskDetail;
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <ConfigProvider button={{ autoInsertSpace: false }}>
          <AntdApp>
            <TaskActions task={full} />
          </AntdApp>
        </ConfigProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe("TaskActions", () => {
  it("renders exactly the allowed actions", () => {
    renderWith({ allowed_actions: ["approve", "return"], status: "pending_review" });
    const labels = screen.getAllByRole("button").map((b) => b.textContent);
    expect(labels).toEqual(["审核办结", "退回重办"]);
    cleanup();
  });

  it("renders nothing when nothing is allowed", () => {
    const { container } = renderWith({ allowed_actions: [] });
    expect(container.querySelectorAll("button")).toHaveLength(0);
    cleanup();
  });

  it("adds the lead unit's own requests before it signs", () => {
    renderWith({
      allowed_actions: ["sign"],
      assignments: [{ unit: { id: 10, name: "市发改委", short_name: "市发改委" }, capacity: "lead", state: "assigned" }] as never,
    });
    const labels = screen.getAllByRole("button").map((b) => b.textContent);
    expect(labels).toEqual(["签收", "退回交办申请", "申请延期"]);
    cleanup();
  });
});
