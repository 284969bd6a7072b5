import { Alert, Empty, Spin, Timeline, Typography } from "antd";
import dayjs from "dayjs";
import { $api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { transitionLabel } from "./actions";
import { ACTION_LEVELS } from "@/features/supervision/labels";
import { useUnitNames } from "@/features/org/units";
import { statusLabel } from "./status";
import type { TaskEvent } from "./types";

const EVENT_LABELS: Record<string, string> = {
  create: "创建",
  update: "修改",
  decompose: "分解",
  report: "回告",
  dispute: "退回交办申请",
  dispute_rejected: "退回申请被驳回",
  reassign: "改派",
  waive: "免于回告",
  complete: "办结",
  extension_requested: "申请延期",
  extension_approved: "批准延期",
  extension_rejected: "不批准延期",
  deadline_state: "时限状态变化",
  urge: "催办",
  report_drafted: "起草回告",
  report_submitted: "报送回告",
  report_unit_approved: "单位把关通过",
  report_unit_returned: "单位把关退回",
  report_accepted: "回告被采纳",
  report_returned: "回告被退回",
  supervision_answered: "督办答复",
  attachment_added: "上传附件",
  attachment_deleted: "删除附件",
  attachment_removed: "删除附件",
  instruction: "领导批示",
  instruction_answered: "批示落实回告",
  coordination_requested: "申请协调",
  "assignment.sign": "单位签收",
  "assignment.report": "配合单位报送",
  "assignment.dispute": "申请退回交办",
  "assignment.dispute_rejected": "退回申请被驳回",
  "assignment.waive": "免于回告",
  "assignment.complete": "单位办结",
  "assignment.reopen": "单位重新办理",
};

/** The unit an event concerns, when its payload names one. */
function eventUnit(e: TaskEvent, names: Map<number, { short_name: string }>): string | null {
  const id = (e.payload as { unit_id?: unknown } | undefined)?.unit_id;
  return typeof id === "number" ? (names.get(id)?.short_name ?? null) : null;
}

export function eventLabel(action: string): string {
  const known = transitionLabel(action) ?? EVENT_LABELS[action];
  if (known) return known;
  if (action.startsWith("supervision_")) {
    const level = ACTION_LEVELS[action.slice("supervision_".length)];
    return level ? `督办：${level.label}` : "督办";
  }
  if (action.startsWith("instruction")) return "领导批示";
  if (action.startsWith("coordination")) return "协调";
  return action;
}

function color(e: TaskEvent): string {
  if (["return", "cancel", "dispute", "report_returned", "report_unit_returned", "extension_rejected"].includes(e.action)) return "red";
  if (["report_accepted", "extension_approved"].includes(e.action)) return "green";
  if (["approve", "complete"].includes(e.action)) return "green";
  if (["suspend"].includes(e.action)) return "orange";
  return "blue";
}

/** The task's immutable history, newest first. */
export default function EventsTimeline({ taskId }: { taskId: number }) {
  const names = useUnitNames();
  const query = $api.useQuery("get", "/api/v1/tasks/{task_id}/events", { params: { path: { task_id: taskId } } });
  if (query.isPending) return <Spin />;
  if (query.error) return <Alert type="error" showIcon message={problemMessage(query.error)} />;
  const data = query.data as TaskEvent[] | { items: TaskEvent[] };
  const events = [...(Array.isArray(data) ? data : data.items)].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
  if (!events.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" />;
  return (
    <Timeline
      data-testid="events"
      items={events.map((e) => ({
        color: color(e),
        children: (
          <div>
            <div>
              <strong>{eventLabel(e.action)}</strong>
              {eventUnit(e, names) && <Typography.Text type="secondary">（{eventUnit(e, names)}）</Typography.Text>}
              {e.from_status && e.to_status && e.from_status !== e.to_status && (
                <Typography.Text type="secondary">
                  {" "}
                  {statusLabel(e.from_status)} → {statusLabel(e.to_status)}
                </Typography.Text>
              )}
            </div>
            {e.reason && <div style={{ whiteSpace: "pre-wrap" }}>理由：{e.reason}</div>}
            {typeof (e.payload as { filename?: unknown })?.filename === "string" && (
              <div>{(e.payload as { filename: string }).filename}</div>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {dayjs(e.at).format("YYYY-MM-DD HH:mm")} · {e.actor_name ?? "系统"}
              {e.on_behalf_of_id ? "（代管）" : ""}
            </Typography.Text>
          </div>
        ),
      }))}
    />
  );
}
