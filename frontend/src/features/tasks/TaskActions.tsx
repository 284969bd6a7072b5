import { useState } from "react";
import { useNavigate } from "react-router";
import { App, Button, DatePicker, Form, Input, Modal, Space } from "antd";
import { EditOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { api } from "@/lib/http";
import { reportApiError } from "@/lib/forms";
import { UnitPicker } from "@/features/org/units";
import { actionButtons, isTransition, type ActionButton } from "./actions";
import { useTaskInvalidation } from "./invalidation";
import type { TaskDetail } from "./types";

interface ActionFormValues {
  reason?: string;
  requested_deadline_date?: dayjs.Dayjs;
  suggested_unit_id?: number;
}

// Kept importable from here for the callers that already do.
export { useTaskInvalidation };

/**
 * The caller's buttons in the task's toolbar: exactly the API's `allowed_actions` whose home is
 * the toolbar, each with its form. The others (decompose, report, supervision) have their
 * buttons on the card that lists what they create.
 */
export default function TaskActions({ task, size }: { task: TaskDetail; size?: "small" | "middle" }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const invalidate = useTaskInvalidation();
  const [active, setActive] = useState<ActionButton | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<ActionFormValues>();
  const buttons = actionButtons(task.allowed_actions);

  function start(button: ActionButton) {
    if (button.form === "report") {
      navigate(`/tasks/${task.id}/report${button.action === "submit" ? "?kind=completion" : ""}`);
      return;
    }
    if (button.form === "decompose" || button.form === "edit") {
      navigate(`/tasks/${task.id}/${button.form}`);
      return;
    }
    form.resetFields();
    setActive(button);
  }

  async function confirm() {
    if (!active) return;
    const values = await form.validateFields();
    setBusy(true);
    try {
      const path = { params: { path: { task_id: task.id } } };
      if (active.form === "extension") {
        const { error } = await api.POST("/api/v1/tasks/{task_id}/extension-requests", {
          ...path,
          body: { requested_deadline_date: values.requested_deadline_date!.format("YYYY-MM-DD"), reason: values.reason ?? "" },
        });
        if (error) throw error;
      } else if (active.form === "dispute") {
        const { error } = await api.POST("/api/v1/tasks/{task_id}/disputes", {
          ...path,
          body: { reason: values.reason ?? "", suggested_unit_id: values.suggested_unit_id ?? null },
        });
        if (error) throw error;
      } else if (isTransition(active.action)) {
        const { error } = await api.POST("/api/v1/tasks/{task_id}/transitions", {
          ...path,
          body: { action: active.action, reason: values.reason?.trim() || undefined },
        });
        if (error) throw error;
      }
      await invalidate();
      setActive(null);
      message.success(`${active.label}成功`);
    } catch (e) {
      reportApiError(e, form, message);
    } finally {
      setBusy(false);
    }
  }

  if (!buttons.length) return null;
  const needsReason = active && ["reason", "dispute", "extension"].includes(active.form);
  return (
    <>
      <Space wrap data-testid="task-actions">
        {buttons.map((b) => (
          <Button
            key={b.action}
            size={size}
            type={b.primary ? "primary" : "default"}
            danger={b.danger}
            icon={b.form === "edit" ? <EditOutlined /> : undefined}
            onClick={() => start(b)}
            data-action={b.action}
          >
            {b.label}
          </Button>
        ))}
      </Space>
      <Modal
        open={active !== null}
        title={active ? `${active.label}：${task.title}` : ""}
        onCancel={() => setActive(null)}
        onOk={confirm}
        okText="确定"
        confirmLoading={busy}
        okButtonProps={{ danger: active?.danger }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {active?.form === "extension" && (
            <Form.Item
              name="requested_deadline_date"
              label="申请延至"
              rules={[
                { required: true, message: "请选择新的办结时限" },
                {
                  validator: (_, v: dayjs.Dayjs | undefined) =>
                    v && task.deadline && !v.isAfter(dayjs(task.deadline), "day")
                      ? Promise.reject(new Error("新的时限须晚于当前时限"))
                      : Promise.resolve(),
                },
              ]}
            >
              <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isBefore(dayjs(), "day")} />
            </Form.Item>
          )}
          {active?.form === "dispute" && (
            <Form.Item name="suggested_unit_id" label="建议承办单位（可选）">
              <UnitPicker />
            </Form.Item>
          )}
          {active && active.form !== "confirm" && (
            <Form.Item
              name="reason"
              label={active.form === "dispute" ? "退回理由" : active.form === "extension" ? "延期理由" : "理由"}
              rules={
                needsReason
                  ? [
                      { required: true, whitespace: true, message: "请填写理由" },
                      { min: 2, message: "至少 2 个字" },
                      { max: 2000, message: "不超过 2000 字" },
                    ]
                  : [{ max: 2000, message: "不超过 2000 字" }]
              }
            >
              <Input.TextArea rows={4} showCount maxLength={2000} />
            </Form.Item>
          )}
          {active?.form === "confirm" && <p>确认对该任务执行“{active.label}”？</p>}
        </Form>
      </Modal>
    </>
  );
}
