/**
 * Figures over a list of tasks already loaded (the supervisor console's overdue lists). The
 * leader dashboard's totals come from GET /api/v1/dashboard, aggregated over the whole scope.
 */
export interface TaskFacts {
  id: number;
  depth: number;
  title: string;
  status: string;
  deadline?: string | null;
  deadline_state?: string | null;
  progress: number;
  lead_unit?: { id: number; short_name: string; name: string } | null;
}

export function statusCounts(tasks: readonly TaskFacts[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tasks) out[t.status] = (out[t.status] ?? 0) + 1;
  return out;
}

export function deadlineCounts(tasks: readonly TaskFacts[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tasks) if (t.deadline_state) out[t.deadline_state] = (out[t.deadline_state] ?? 0) + 1;
  return out;
}

export interface UnitRow {
  unit: string;
  overdue: number;
  dueSoon: number;
  open: number;
}

const OPEN = new Set(["draft", "assigned", "in_progress", "pending_review", "suspended"]);

/** Open, overdue and due-soon tasks per lead unit, worst first. */
export function byLeadUnit(tasks: readonly TaskFacts[]): UnitRow[] {
  const rows = new Map<string, UnitRow>();
  for (const t of tasks) {
    if (!t.lead_unit || !OPEN.has(t.status)) continue;
    const key = t.lead_unit.short_name || t.lead_unit.name;
    const row = rows.get(key) ?? { unit: key, overdue: 0, dueSoon: 0, open: 0 };
    row.open++;
    if (t.deadline_state === "overdue") row.overdue++;
    if (t.deadline_state === "due_soon") row.dueSoon++;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.overdue - a.overdue || b.dueSoon - a.dueSoon || b.open - a.open);
}

/** Tasks falling due per month (YYYY-MM), split into closed and still open. */
export function dueByMonth(tasks: readonly TaskFacts[]): { month: string; open: number; closed: number }[] {
  const rows = new Map<string, { month: string; open: number; closed: number }>();
  for (const t of tasks) {
    if (!t.deadline || t.status === "cancelled") continue;
    const month = t.deadline.slice(0, 7);
    const row = rows.get(month) ?? { month, open: 0, closed: 0 };
    if (OPEN.has(t.status)) row.open++;
    else row.closed++;
    rows.set(month, row);
  }
  return [...rows.values()].sort((a, b) => a.month.localeCompare(b.month));
}

/** Key works (roots) with their rolled-up progress. */
export function keyWorks<T extends TaskFacts>(tasks: readonly T[]): T[] {
  return tasks.filter((t) => t.depth === 0 && t.status !== "cancelled").sort((a, b) => a.progress - b.progress);
}
