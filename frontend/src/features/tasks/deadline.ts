/** Deadline states computed by the API (see spec §6) and how each is shown. */
export type DeadlineState = "normal" | "due_soon" | "overdue" | "on_time" | "late";

export interface DeadlineLook {
  label: string;
  /** antd Tag colour preset. */
  tagColor: string;
  /** Solid colour for charts, tree dots and progress bars. */
  color: string;
  /** Sort weight: more urgent first. */
  urgency: number;
}

const LOOKS: Record<DeadlineState, DeadlineLook> = {
  overdue: { label: "已逾期", tagColor: "red", color: "#cf1322", urgency: 0 },
  due_soon: { label: "临期", tagColor: "gold", color: "#d48806", urgency: 1 },
  normal: { label: "正常", tagColor: "blue", color: "#1677ff", urgency: 2 },
  late: { label: "逾期办结", tagColor: "volcano", color: "#d4380d", urgency: 3 },
  on_time: { label: "按期办结", tagColor: "green", color: "#389e0d", urgency: 4 },
};

const UNKNOWN: DeadlineLook = { label: "—", tagColor: "default", color: "#8c8c8c", urgency: 5 };

export function deadlineLook(state: string | null | undefined): DeadlineLook {
  return (state && LOOKS[state as DeadlineState]) || UNKNOWN;
}

export const DEADLINE_STATES = Object.keys(LOOKS) as DeadlineState[];

/** Sorts items so overdue come first, then due-soon, then by date ascending. */
export function byUrgency<T>(
  items: T[],
  state: (item: T) => string | null | undefined,
  date: (item: T) => string | null | undefined,
): T[] {
  return [...items].sort((a, b) => {
    const d = deadlineLook(state(a)).urgency - deadlineLook(state(b)).urgency;
    if (d !== 0) return d;
    return (date(a) ?? "9999").localeCompare(date(b) ?? "9999");
  });
}
