import { useQueryClient, type Query, type QueryClient } from "@tanstack/react-query";

/**
 * API paths whose answers change when any task does. A transition moves more than the task:
 * approve accepts the completion report, return sends it back, a decision on an extension moves
 * deadlines and obligations, and every change shifts the to-do, the dashboard and the slips.
 * `/api/v1/tasks` covers the lists and everything under one task (detail, events, tree,
 * reports, obligations, extension and dispute requests, supervision actions, instructions).
 */
export const TASK_DEPENDENT_PATHS = [
  "/api/v1/tasks",
  "/api/v1/reports",
  "/api/v1/todo",
  "/api/v1/dashboard",
  "/api/v1/obligations",
  "/api/v1/slips",
  "/api/v1/supervision-actions",
] as const;

/** Does this query show something a task action may have changed? */
export function dependsOnTasks(query: Pick<Query, "queryKey">): boolean {
  // Keys are ["get", path, init, ...] both for $api.useQuery and for useCursorPages.
  const path = query.queryKey[1];
  return typeof path === "string" && TASK_DEPENDENT_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

/** Marks every task-dependent query stale and refetches those on screen. */
export function invalidateTaskQueries(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ predicate: dependsOnTasks });
}

/** Refetches everything that shows a task after it changed (any transition, report or request). */
export function useTaskInvalidation(): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => invalidateTaskQueries(queryClient);
}
