import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/http";
import type { Task } from "@/features/tasks/types";

export const SCOPED_TASK_CAP = 2000;

/** Every task in the caller's scope, page by page up to a cap (for client-side figures). */
export function useScopedTasks() {
  return useQuery({
    queryKey: ["tasks", "scoped-all"],
    staleTime: 60_000,
    queryFn: async ({ signal }) => {
      const all: Task[] = [];
      let cursor: string | null = null;
      do {
        const { data, error }: { data?: { items: Task[]; next_cursor: string | null }; error?: unknown } = await api.GET("/api/v1/tasks", {
          params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } },
          signal,
        });
        if (error) throw error;
        all.push(...data!.items);
        cursor = data!.next_cursor;
      } while (cursor && all.length < SCOPED_TASK_CAP);
      return { tasks: all, truncated: cursor !== null };
    },
  });
}
