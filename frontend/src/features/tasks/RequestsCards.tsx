import { useState } from "react";
import { Alert, App, Button, Card, Form, Input, List, Modal, Radio, Space, Tag, Typography } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { $api, api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { reportApiError } from "@/lib/forms";
import { UnitPicker, useUnitNames } from "@/features/org/units";
import { useSession } from "@/features/auth/session";
import { useTaskInvalidation } from "./TaskActions";
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

function useDecision(kind: "extension" | "dispute") {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const invalidateTask = useTaskInvalidation();
  const [form] = Form.useForm<DecisionValues>();
  const [target, setTarget] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  async function decide() {
    if (target == null) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      const reason = v.reason?.trim() || null;
      const { error } =
        kind === "extension"
          ? await api.POST("/api/v1/extension-requests/{request_id}/decision", {
              params: { path: { request_id: target } },
              body: { decision: v.decision as "approve" | "reject", reason },
            })
          : await api.POST("/api/v1/disputes/{dispute_id}/decision", {
              params: { path: { dispute_id: target } },
              body: { decision: v.decision as "reassign" | "reject", reason, new_lead_unit_id: v.new_lead_unit_id ?? null },
            });
      if (error) throw error;
      message.success("已处理");
      setTarget(null);
      await queryClient.invalidateQueries({ queryKey: ["get", kind === "extension" ? "/api/v1/tasks/{task_id}/extension-requests" : "/api/v1/tasks/{task_id}/disputes"] });
      await invalidateTask();
    } catch (e) {
      reportApiError(e, form, message);
    } finally {
      setBusy(false);
    }
  }
  return { form, target, setTarget, busy, decide };
}

/** Extension requests (延期申请) and their decisions; the original deadline stays on record. */
export function ExtensionsCard({ task }: { task: TaskDetail }) {
  const { can } = useSession();
  const query = $api.useQuery("get", "/api/v1/tasks/{task_id}/extension-requests", { params: { path: { task_id: task.id } } });
  const items: Extension[] = query.data ?? [];
  const d = useDecision("extension");
  if (!items.length && !query.error) return null;
  return (
    <Card size="small" title="延期申请">
      {query.error && <Alert type="error" showIcon message={problemMessage(query.error)} />}
      <List
        size="small"
        dataSource={items}
        renderItem={(x) => (
          <List.Item
            actions={
              x.status === "pending" && can("extensions:decide")
                ? [
                    <Button key="d" size="small" type="link" onClick={() => (d.form.resetFields(), d.form.setFieldsValue({ decision: "approve" }), d.setTarget(x.id))}>
                      审批
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space wrap>
                  <span>
                    {x.current_deadline_date} → {x.requested_deadline_date}
                  </span>
                  <Tag color={EXT_STATUS[x.status]?.color}>{EXT_STATUS[x.status]?.label ?? x.status}</Tag>
                </Space>
              }
              description={
                <>
                  <div>理由：{x.reason}</div>
                  {x.decision_reason && <div>审批意见：{x.decision_reason}</div>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {dayjs(x.created_at).format("YYYY-MM-DD HH:mm")}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
      <Modal open={d.target != null} title="审批延期申请" onCancel={() => d.setTarget(null)} onOk={d.decide} confirmLoading={d.busy} destroyOnHidden>
        <Form form={d.form} layout="vertical" preserve={false}>
          <Form.Item name="decision" label="结论">
            <Radio.Group options={[{ value: "approve", label: "批准" }, { value: "reject", label: "不批准" }]} />
          </Form.Item>
          <Form.Item noStyle dependencies={["decision"]}>
            {({ getFieldValue }) => (
              <Form.Item name="reason" label="意见" rules={getFieldValue("decision") === "reject" ? [{ required: true, whitespace: true, message: "不批准须说明理由" }] : []}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            )}
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

/** "Not ours" disputes (退回交办申请) and the office's decision: reassign or reject. */
export function DisputesCard({ task }: { task: TaskDetail }) {
  const { can } = useSession();
  const names = useUnitNames();
  const query = $api.useQuery("get", "/api/v1/tasks/{task_id}/disputes", { params: { path: { task_id: task.id } } });
  const items: Dispute[] = query.data ?? [];
  const d = useDecision("dispute");
  if (!items.length && !query.error) return null;
  return (
    <Card size="small" title="退回交办申请">
      {query.error && <Alert type="error" showIcon message={problemMessage(query.error)} />}
      <List
        size="small"
        dataSource={items}
        renderItem={(x) => (
          <List.Item
            actions={
              x.status === "pending" && can("disputes:decide")
                ? [
                    <Button key="d" size="small" type="link" onClick={() => (d.form.resetFields(), d.form.setFieldsValue({ decision: "reassign", new_lead_unit_id: x.suggested_unit_id ?? undefined }), d.setTarget(x.id))}>
                      处理
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space wrap>
                  <span>{names.get(x.unit_id)?.name ?? `单位 ${x.unit_id}`}</span>
                  <Tag color={DISPUTE_STATUS[x.status]?.color}>{DISPUTE_STATUS[x.status]?.label ?? x.status}</Tag>
                </Space>
              }
              description={
                <>
                  <div>理由：{x.reason}</div>
                  {x.suggested_unit_id && <div>建议承办：{names.get(x.suggested_unit_id)?.name ?? x.suggested_unit_id}</div>}
                  {x.new_lead_unit_id && <div>改派至：{names.get(x.new_lead_unit_id)?.name ?? x.new_lead_unit_id}</div>}
                  {x.decision_reason && <div>处理意见：{x.decision_reason}</div>}
                </>
              }
            />
          </List.Item>
        )}
      />
      <Modal open={d.target != null} title="处理退回交办申请" onCancel={() => d.setTarget(null)} onOk={d.decide} confirmLoading={d.busy} destroyOnHidden>
        <Form form={d.form} layout="vertical" preserve={false}>
          <Form.Item name="decision" label="结论">
            <Radio.Group options={[{ value: "reassign", label: "改派" }, { value: "reject", label: "不予退回" }]} />
          </Form.Item>
          <Form.Item noStyle dependencies={["decision"]}>
            {({ getFieldValue }) =>
              getFieldValue("decision") === "reassign" ? (
                <Form.Item name="new_lead_unit_id" label="新牵头单位" rules={[{ required: true, message: "请选择新的牵头单位" }]}>
                  <UnitPicker />
                </Form.Item>
              ) : (
                <Form.Item name="reason" label="理由" rules={[{ required: true, whitespace: true, message: "请填写理由" }]}>
                  <Input.TextArea rows={3} maxLength={2000} />
                </Form.Item>
              )
            }
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
