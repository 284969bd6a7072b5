import { useState, type ReactNode } from "react";
import { Alert, App, Button, Card, Form, Input, List, Modal, Radio, Space, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { $api, api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { reportApiError } from "@/lib/forms";
import { UnitPicker, useUnitNames } from "@/features/org/units";
import { useTaskInvalidation } from "./invalidation";
import type { Dispute, Extension, TaskDetail } from "./types";

const EXT_STATUS: Record<string, { label: string; color: string }> = {
  pending: { label: "待审批", color: "gold" },
  approved: { label: "已批准", color: "green" },
  rejected: { label: "未批准", color: "red" },
};
const DISPUTE_STATUS: Record<string, { label: string; color: string }> = {
  pending: { label: "待处理", color: "gold" },
  reassigned: { label: "已改派", color: "green" },
  rejected: { label: "不予退回", color: "red" },
};

interface DecisionValues {
  decision: string;
  reason?: string;
  new_lead_unit_id?: number;
}

/** A request to the office: the decisions the caller may send now come with it from the API. */
interface Decidable {
  id: number;
  status: string;
  allowed_actions: readonly string[];
}

interface DecisionListProps<T extends Decidable> {
  title: string;
  items: T[];
  error: unknown;
  statuses: Record<string, { label: string; color: string }>;
  decideLabel: string;
  modalTitle: string;
  /** What the request is about, before its status tag. */
  heading: (item: T) => ReactNode;
  details: (item: T) => ReactNode;
  /** The form when the office opens a request (the decision defaults to the first one allowed). */
  initial: (item: T) => Omit<DecisionValues, "decision">;
  /** Every decision, in order; a request offers those its `allowed_actions` lists. */
  decisions: { value: string; label: string }[];
  /** The fields that follow the chosen decision (a reason, a new lead unit). */
  fieldsFor: (decision: string) => ReactNode;
  send: (id: number, values: DecisionValues) => Promise<{ error?: unknown }>;
}

/**
 * A task's requests to the office, each with its status and, when the API lists a decision the
 * caller may take on it, the decision form offering exactly those decisions.
 */
function DecisionList<T extends Decidable>(props: DecisionListProps<T>) {
  const { message } = App.useApp();
  const invalidateTask = useTaskInvalidation();
  const [form] = Form.useForm<DecisionValues>();
  const [target, setTarget] = useState<T | null>(null);
  const [busy, setBusy] = useState(false);
  const offered = (x: T) => props.decisions.filter((d) => x.allowed_actions.includes(d.value));

  function open(x: T) {
    form.resetFields();
    form.setFieldsValue({ ...props.initial(x), decision: offered(x)[0]?.value });
    setTarget(x);
  }

  async function decide() {
    if (target == null) return;
    const values = await form.validateFields();
    setBusy(true);
    try {
      const { error } = await props.send(target.id, values);
      if (error) throw error;
      message.success("已处理");
      setTarget(null);
      await invalidateTask();
    } catch (e) {
      reportApiError(e, form, message);
    } finally {
      setBusy(false);
    }
  }

  if (!props.items.length && !props.error) return null;
  return (
    <Card size="small" title={props.title}>
      {props.error ? <Alert type="error" showIcon message={problemMessage(props.error)} /> : null}
      <List
        size="small"
        dataSource={props.items}
        renderItem={(x) => (
          <List.Item
            actions={
              offered(x).length
                ? [
                    <Button key="d" size="small" type="link" onClick={() => open(x)}>
                      {props.decideLabel}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space wrap>
                  {props.heading(x)}
                  <Tag color={props.statuses[x.status]?.color}>{props.statuses[x.status]?.label ?? x.status}</Tag>
                </Space>
              }
              description={props.details(x)}
            />
          </List.Item>
        )}
      />
      <Modal open={target != null} title={props.modalTitle} onCancel={() => setTarget(null)} onOk={decide} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="decision" label="结论">
            <Radio.Group options={target ? offered(target) : []} />
          </Form.Item>
          <Form.Item noStyle dependencies={["decision"]}>
            {({ getFieldValue }) => props.fieldsFor(getFieldValue("decision"))}
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

/** Extension requests (延期申请) and their decisions; the original deadline stays on record. */
export function ExtensionsCard({ task }: { task: TaskDetail }) {
  const query = $api.useQuery("get", "/api/v1/tasks/{task_id}/extension-requests", { params: { path: { task_id: task.id } } });
  const items: Extension[] = query.data ?? [];
  return (
    <DecisionList<Extension>
      title="延期申请"
      items={items}
      error={query.error}
      statuses={EXT_STATUS}
      decideLabel="审批"
      modalTitle="审批延期申请"
      heading={(x) => (
        <span>
          {x.current_deadline_date} → {x.requested_deadline_date}
        </span>
      )}
      details={(x) => (
        <>
          <div>理由：{x.reason}</div>
          {x.decision_reason && <div>审批意见：{x.decision_reason}</div>}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {dayjs(x.created_at).format("YYYY-MM-DD HH:mm")}
          </Typography.Text>
        </>
      )}
      initial={() => ({})}
      decisions={[
        { value: "approve", label: "批准" },
        { value: "reject", label: "不批准" },
      ]}
      fieldsFor={(decision) => (
        <Form.Item name="reason" label="意见" rules={decision === "reject" ? [{ required: true, whitespace: true, message: "不批准须说明理由" }] : []}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      )}
      send={(id, v) =>
        api.POST("/api/v1/extension-requests/{request_id}/decision", {
          params: { path: { request_id: id } },
          body: { decision: v.decision as "approve" | "reject", reason: v.reason?.trim() || null },
        })
      }
    />
  );
}

/** "Not ours" disputes (退回交办申请) and the office's decision: reassign or reject. */
export function DisputesCard({ task }: { task: TaskDetail }) {
  const names = useUnitNames();
  const query = $api.useQuery("get", "/api/v1/tasks/{task_id}/disputes", { params: { path: { task_id: task.id } } });
  const items: Dispute[] = query.data ?? [];
  return (
    <DecisionList<Dispute>
      title="退回交办申请"
      items={items}
      error={query.error}
      statuses={DISPUTE_STATUS}
      decideLabel="处理"
      modalTitle="处理退回交办申请"
      heading={(x) => <span>{names.get(x.unit_id)?.name ?? `单位 ${x.unit_id}`}</span>}
      details={(x) => (
        <>
          <div>理由：{x.reason}</div>
          {x.suggested_unit_id && <div>建议承办：{names.get(x.suggested_unit_id)?.name ?? x.suggested_unit_id}</div>}
          {x.new_lead_unit_id && <div>改派至：{names.get(x.new_lead_unit_id)?.name ?? x.new_lead_unit_id}</div>}
          {x.decision_reason && <div>处理意见：{x.decision_reason}</div>}
        </>
      )}
      initial={(x) => ({ new_lead_unit_id: x.suggested_unit_id ?? undefined })}
      decisions={[
        { value: "reassign", label: "改派" },
        { value: "reject", label: "不予退回" },
      ]}
      fieldsFor={(decision) =>
        decision === "reassign" ? (
          <Form.Item name="new_lead_unit_id" label="新牵头单位" rules={[{ required: true, message: "请选择新的牵头单位" }]}>
            <UnitPicker />
          </Form.Item>
        ) : (
          <Form.Item name="reason" label="理由" rules={[{ required: true, whitespace: true, message: "请填写理由" }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )
      }
      send={(id, v) =>
        api.POST("/api/v1/disputes/{dispute_id}/decision", {
          params: { path: { dispute_id: id } },
          body: { decision: v.decision as "reassign" | "reject", reason: v.reason?.trim() || null, new_lead_unit_id: v.new_lead_unit_id ?? null },
        })
      }
    />
  );
}
