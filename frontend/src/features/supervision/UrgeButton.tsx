import { useState } from "react";
import { App, Button, DatePicker, Form, Input, Modal, Radio, Typography } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { api } from "@/lib/http";
import { reportApiError } from "@/lib/forms";
import type { Task } from "@/features/tasks/types";
import { ACTION_LEVELS, nextLevel } from "./labels";

interface Values {
  level: string;
  content: string;
  response_due_date?: dayjs.Dayjs;
}

/** Urge or escalate the lead unit of a late task without leaving the console. */
export default function UrgeButton({ task }: { task: Task }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [history, setHistory] = useState<string[]>([]);
  const [form] = Form.useForm<Values>();
  const unit = task.lead_unit;

  async function start() {
    const { data } = await api.GET("/api/v1/tasks/{task_id}/supervision-actions", { params: { path: { task_id: task.id } } });
    const received = (data ?? []).filter((a) => a.unit_id === unit?.id).map((a) => a.level);
    setHistory(received);
    form.resetFields();
    const overdue = task.deadline_state === "overdue";
    form.setFieldsValue({
      level: nextLevel(received),
      content: overdue
        ? `“${task.title}”已超过办结时限（${task.deadline}），请立即报告办理情况和逾期原因。`
        : `“${task.title}”将于 ${task.deadline} 到期，请抓紧办理并按时回告。`,
    });
    setOpen(true);
  }

  async function send() {
    if (!unit) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      const { error } = await api.POST("/api/v1/tasks/{task_id}/supervision-actions", {
        params: { path: { task_id: task.id } },
        body: { unit_id: unit.id, level: v.level as never, content: v.content, response_due_date: v.response_due_date?.format("YYYY-MM-DD") ?? null },
      });
      if (error) throw error;
      message.success(`已向${unit.short_name}${ACTION_LEVELS[v.level]?.label ?? "督办"}`);
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ["get", "/api/v1/tasks/{task_id}/supervision-actions"] });
    } catch (e) {
      reportApiError(e, form, message);
    } finally {
      setBusy(false);
    }
  }

  // Offered exactly when the API lists `supervise` for the row (a reviewer sees the console too).
  if (!unit || !task.allowed_actions.includes("supervise")) return null;
  return (
    <>
      <Button size="small" danger onClick={start} data-testid={`urge-${task.id}`}>
        催办
      </Button>
      <Modal open={open} title={`督办：${unit.name}`} onCancel={() => setOpen(false)} onOk={send} confirmLoading={busy} okText="发送" destroyOnHidden>
        <Typography.Paragraph type="secondary">
          {history.length ? `已对该单位：${history.map((l) => ACTION_LEVELS[l]?.label ?? l).join("、")}` : "尚未对该单位督办"}
        </Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="level" label="方式">
            <Radio.Group optionType="button" options={Object.entries(ACTION_LEVELS).map(([value, l]) => ({ value, label: l.label }))} />
          </Form.Item>
          <Form.Item name="content" label="内容" rules={[{ required: true, whitespace: true, message: "请填写督办内容" }, { min: 2 }]}>
            <Input.TextArea rows={4} maxLength={5000} />
          </Form.Item>
          <Form.Item name="response_due_date" label="答复期限（督办单、约谈默认 5 个工作日）">
            <DatePicker disabledDate={(d) => d.isBefore(dayjs(), "day")} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
