import { Progress, Tag, Tooltip } from "antd";
import { deadlineLook } from "./deadline";
import { statusColor, statusLabel } from "./status";

export function DeadlineTag({ state, date }: { state?: string | null; date?: string | null }) {
  const look = deadlineLook(state);
  return (
    <Tag color={look.tagColor} data-deadline-state={state ?? ""} style={{ marginInlineEnd: 0 }}>
      {date ? `${date} · ${look.label}` : look.label}
    </Tag>
  );
}

export function StatusTag({ status }: { status?: string | null }) {
  return <Tag color={statusColor(status)}>{statusLabel(status)}</Tag>;
}

export function ProgressBar({ percent, state, behind }: { percent?: number | null; state?: string | null; behind?: boolean | null }) {
  const look = deadlineLook(state);
  const bar = (
    <Progress
      percent={Math.round(percent ?? 0)}
      size="small"
      strokeColor={state === "overdue" || state === "due_soon" ? look.color : undefined}
      status={behind ? "exception" : undefined}
      style={{ minWidth: 100, margin: 0 }}
    />
  );
  return behind ? <Tooltip title="落后于序时进度">{bar}</Tooltip> : bar;
}
