import type { paths } from "@/api/schema";

/** GET /tasks filters as the API takes them (paging aside). */
export type TaskListQuery = Omit<NonNullable<paths["/api/v1/tasks"]["get"]["parameters"]["query"]>, "cursor" | "limit">;

/** Task list filters, kept in the URL so a list can be bookmarked and shared. */
export interface TaskFilters {
  status?: string[];
  deadline_state?: string;
  lead_unit_id?: number;
  unit_id?: number;
  leader_id?: number;
  source_type?: string;
  q?: string;
  due_before?: string;
  due_after?: string;
  root_id?: number;
}

const LIST_KEYS = ["status"] as const;
const NUMBER_KEYS = ["lead_unit_id", "unit_id", "leader_id", "root_id"] as const;
const STRING_KEYS = ["deadline_state", "source_type", "q", "due_before", "due_after"] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function filtersFromSearch(search: URLSearchParams | string): TaskFilters {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const filters: TaskFilters = {};
  for (const key of LIST_KEYS) {
    const values = params
      .getAll(key)
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length) filters[key] = [...new Set(values)];
  }
  for (const key of NUMBER_KEYS) {
    const raw = params.get(key);
    if (raw && /^\d+$/.test(raw)) filters[key] = Number(raw);
  }
  for (const key of STRING_KEYS) {
    const raw = params.get(key)?.trim();
    if (!raw) continue;
    if ((key === "due_before" || key === "due_after") && !DATE.test(raw)) continue;
    filters[key] = raw;
  }
  return filters;
}

export function filtersToSearch(filters: TaskFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of LIST_KEYS) {
    const values = filters[key];
    if (values && values.length) params.set(key, values.join(","));
  }
  for (const key of [...NUMBER_KEYS, ...STRING_KEYS]) {
    const value = filters[key];
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  return params;
}

/**
 * Query parameters for GET /tasks. The API takes repeated status values (`?status=a&status=b`);
 * openapi-fetch serialises arrays that way by default.
 */
export function filtersToQuery(filters: TaskFilters): TaskListQuery {
  const query: Record<string, string | number | string[]> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) continue;
    query[key] = value as string | number | string[];
  }
  // The URL holds free text; the API checks every value and answers 422 for a bad one.
  return query as TaskListQuery;
}

export function activeFilterCount(filters: TaskFilters): number {
  return Object.values(filters).filter((v) => v !== undefined && v !== "" && !(Array.isArray(v) && !v.length)).length;
}
