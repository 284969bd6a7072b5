/** An RFC 9457 problem as the API sends it (application/problem+json). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
  [extra: string]: unknown;
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && ("detail" in value || "code" in value || "title" in value);
}

/** The message to show a person: the API's localised detail, else a generic fallback. */
export function problemMessage(error: unknown, fallback = "操作失败，请稍后重试"): string {
  if (isProblem(error)) return error.detail || error.title || fallback;
  if (error instanceof Error && error.message) {
    return error.message === "Failed to fetch" ? "无法连接服务器，请检查网络" : error.message;
  }
  return fallback;
}

/**
 * Field errors in the shape antd's Form.setFields expects. The API names fields by the
 * JSON path of the body (`body.deadline`, `deadline` or `milestones.0.title`); the form
 * names them by the same path split into segments.
 */
export function problemFieldErrors(error: unknown): { name: (string | number)[]; errors: string[] }[] {
  if (!isProblem(error) || !Array.isArray(error.errors)) return [];
  const byField = new Map<string, string[]>();
  for (const e of error.errors) {
    if (!e || typeof e.field !== "string") continue;
    const key = e.field.replace(/^body\./, "");
    byField.set(key, [...(byField.get(key) ?? []), e.message]);
  }
  return [...byField.entries()].map(([field, errors]) => ({
    name: field.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
    errors,
  }));
}

/** A thrown wrapper so TanStack Query sees a failure with the problem attached. */
export class ApiError extends Error {
  constructor(
    public readonly problem: Problem,
    public readonly status: number,
  ) {
    super(problem.detail || problem.title || `HTTP ${status}`);
  }
}
