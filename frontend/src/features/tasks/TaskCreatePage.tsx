import { Link, useNavigate, useParams } from "react-router";
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Result, Row, Spin, Typography } from "antd";
import { useEffect, useState } from "react";
import { isProblem, problemMessage } from "@/lib/problem";
import dayjs from "dayjs";
import type { components } from "@/api/schema";
import { $api, api } from "@/lib/http";
import { reportApiError } from "@/lib/forms";
import { UnitPicker } from "@/features/org/units";
import { LeaderSelect, MilestonesField, SourceFields, toDate } from "./fields";
import { useTaskInvalidation } from "./invalidation";
import type { TaskCreate } from "./types";

/** A field PATCH /tasks/{id} takes (the generated enum). */
type TaskField = components["schemas"]["TaskField"];

interface Values {
  title?: string;
  content?: string;
  source_type: string;
  source_ref?: string;
  feedback_cycle: string;
  priority: string;
  lead_unit_id?: number;
  cooperating_unit_ids?: number[];
  leader_id?: number | null;
  deadline?: dayjs.Dayjs;
  milestones?: { title: string; planned_date: dayjs.Dayjs; done?: boolean; done_date?: string | null }[];
  progress?: number | null;
}

function milestonesBody(values: Values) {
  return (values.milestones ?? []).map((m) => ({
    title: m.title,
    planned_date: toDate(m.planned_date)!,
    done_date: m.done ? (m.done_date ?? dayjs().format("YYYY-MM-DD")) : null,
  }));
}

/** Only the fields the API takes from the caller (`editable_fields`). */
export function pickFields(values: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => f in values).map((f) => [f, values[f]]));
}

/** Only what the form changed: an unchanged lead unit must not restart the sign-for clock. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(value ?? null) !== JSON.stringify(before[key] ?? null)) out[key] = value;
  }
  return out;
}

/**
 * Creating a key work (a root task) as a draft, or editing a task (PATCH with If-Match: a
 * change by someone else in between is refused rather than overwritten). When editing, the form
 * shows and sends exactly the task's `editable_fields`: the office's full form, the signed lead
 * unit's progress and milestones, no progress where sub-tasks roll it up, no new lead unit once
 * signed for. None listed: the task cannot be edited now.
 */
export default function TaskCreatePage() {
  const navigate = useNavigate();
  const editId = useParams().taskId ? Number(useParams().taskId) : null;
  const existing = $api.useQuery("get", "/api/v1/tasks/{task_id}", { params: { path: { task_id: editId ?? 0 } } }, { enabled: editId != null });
  const { message } = App.useApp();
  const invalidate = useTaskInvalidation();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const task = existing.data;
  const editable = task?.editable_fields ?? [];
  // Creating: the whole form; editing: what the API takes from the caller now.
  const may = (field: TaskField) => !task || editable.includes(field);
  useEffect(() => {
    if (!task?.editable_fields.length) return;
    form.setFieldsValue({
      progress: task.progress,
      title: task.title,
      content: task.content,
      source_type: task.source_type,
      source_ref: task.source_ref ?? undefined,
      feedback_cycle: task.feedback_cycle,
      priority: task.priority,
      lead_unit_id: task.lead_unit?.id,
      cooperating_unit_ids: task.cooperating_unit_ids,
      leader_id: task.leader_id,
      deadline: task.deadline ? dayjs(task.deadline) : undefined,
      milestones: task.milestones.map((m) => ({ title: m.title, planned_date: dayjs(m.planned_date), done: !!m.done_date, done_date: m.done_date })),
    });
  }, [task, form]);

  async function onFinish(values: Values) {
    setBusy(true);
    setError(null);
    // Fields the form does not show (not editable by this caller) are undefined; only the
    // editable ones are sent.
    const body: TaskCreate = {
      title: (values.title ?? "").trim(),
      content: values.content ?? "",
      source_type: values.source_type as TaskCreate["source_type"],
      source_ref: values.source_ref?.trim() || null,
      feedback_cycle: values.feedback_cycle as TaskCreate["feedback_cycle"],
      priority: values.priority as TaskCreate["priority"],
      lead_unit_id: values.lead_unit_id ?? null,
      cooperating_unit_ids: values.cooperating_unit_ids ?? [],
      leader_id: values.leader_id ?? null,
      deadline: toDate(values.deadline),
      milestones: milestonesBody(values),
    } as TaskCreate;
    if (task) {
      const before: Record<string, unknown> = {
        progress: task.progress,
        title: task.title,
        content: task.content,
        source_type: task.source_type,
        source_ref: task.source_ref,
        feedback_cycle: task.feedback_cycle,
        priority: task.priority,
        lead_unit_id: task.lead_unit?.id ?? null,
        cooperating_unit_ids: task.cooperating_unit_ids,
        leader_id: task.leader_id,
        deadline: task.deadline,
        milestones: task.milestones.map((m) => ({ title: m.title, planned_date: m.planned_date, done_date: m.done_date })),
      };
      const after = pickFields({ ...body, progress: values.progress ?? null }, task.editable_fields);
      await update(task, changedFields(before, after));
      return;
    }
    try {
      const { data, error } = await api.POST("/api/v1/tasks", { body });
      if (error) throw error;
      message.success("任务已创建（草稿）");
      await invalidate();
      navigate(`/tasks/${data!.id}`);
    } catch (e) {
      setError(reportApiError(e, form, null));
    } finally {
      setBusy(false);
    }
  }

  async function update(target: { id: number; version: number }, changes: Record<string, unknown>) {
    try {
      const { error } = await api.PATCH("/api/v1/tasks/{task_id}", {
        params: { path: { task_id: target.id }, header: { "if-match": String(target.version) } as never },
        body: changes,
      });
      if (error) throw error;
      message.success("任务已保存");
      await invalidate();
      navigate(`/tasks/${target.id}`);
    } catch (e) {
      const stale = isProblem(e) && (e.status === 412 || (e.status === 409 && e.code === "task.concurrent_change"));
      setError(stale ? "任务已被他人修改，请刷新页面后再编辑" : reportApiError(e, form, null));
    } finally {
      setBusy(false);
    }
  }

  if (editId != null && existing.isPending) {
    return (
      <div className="center-screen">
        <Spin />
      </div>
    );
  }
  if (editId != null && !task) {
    return <Alert type="error" showIcon message={isProblem(existing.error) && existing.error.status === 404 ? "未找到该任务" : problemMessage(existing.error)} />;
  }
  if (task && !task.editable_fields.length) {
    return (
      <Result
        status="info"
        title="当前不能编辑该任务"
        subTitle="牵头单位签收后可更新进度和时间节点；已办结或已撤销的任务不再修改。"
        extra={<Link to={`/tasks/${task.id}`}>返回任务</Link>}
        data-testid="edit-unavailable"
      />
    );
  }

  const sourceFields = (["source_type", "source_ref", "feedback_cycle", "priority"] as const).filter(may);
  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>{task ? `${may("title") ? "编辑任务" : "更新进度"}：${task.title}` : "新建督办任务"}</Typography.Title>
      </div>
      <Card size="small">
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={onFinish}
          initialValues={{ source_type: "meeting_decision", feedback_cycle: "monthly", priority: "normal" }}
          scrollToFirstError
        >
          <Row gutter={16}>
            <Col xs={24} md={sourceFields.length ? 16 : 24}>
              {may("title") && (
                <Form.Item name="title" label="任务名称" rules={[{ required: true, whitespace: true, message: "请填写任务名称" }, { min: 2, max: 200, message: "2–200 个字" }]}>
                  <Input placeholder="一句话说明要办的事" />
                </Form.Item>
              )}
              {may("content") && (
                <Form.Item name="content" label="办理要求">
                  <Input.TextArea rows={5} maxLength={20000} showCount />
                </Form.Item>
              )}
              <Row gutter={16}>
                {may("lead_unit_id") && (
                  <Col xs={24} md={12}>
                    <Form.Item name="lead_unit_id" label="牵头单位" rules={[{ required: true, message: "请选择牵头单位（一事一主责）" }]}>
                      <UnitPicker />
                    </Form.Item>
                  </Col>
                )}
                {may("cooperating_unit_ids") && (
                  <Col xs={24} md={12}>
                    <Form.Item
                      name="cooperating_unit_ids"
                      label="配合单位"
                      dependencies={["lead_unit_id"]}
                      rules={[
                        ({ getFieldValue }) => ({
                          validator: (_, v?: number[]) =>
                            v?.includes(getFieldValue("lead_unit_id") ?? task?.lead_unit?.id)
                              ? Promise.reject(new Error("配合单位不能与牵头单位相同"))
                              : Promise.resolve(),
                        }),
                      ]}
                    >
                      <UnitPicker multiple treeCheckable={false} placeholder="可多选" />
                    </Form.Item>
                  </Col>
                )}
                {may("deadline") ? (
                  <Col xs={24} md={12}>
                    <Form.Item name="deadline" label="办结时限" rules={[{ required: true, message: "请选择办结时限" }]}>
                      <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isBefore(dayjs(), "day")} />
                    </Form.Item>
                  </Col>
                ) : (
                  // For the milestones' check against the deadline, which this caller does not change.
                  <Form.Item name="deadline" hidden>
                    <DatePicker />
                  </Form.Item>
                )}
                {may("leader_id") && (
                  <Col xs={24} md={12}>
                    <Form.Item name="leader_id" label="责任领导">
                      <LeaderSelect />
                    </Form.Item>
                  </Col>
                )}
              </Row>
              {task && (may("progress") || task.children_count > 0) && (
                <Form.Item
                  name="progress"
                  label="完成进度（%）"
                  extra={task.children_count ? "有子任务的事项，进度由子任务汇总" : undefined}
                  rules={[{ type: "number", min: 0, max: 100, message: "0–100" }]}
                >
                  <InputNumber min={0} max={100} disabled={!may("progress")} style={{ width: 140 }} data-testid="progress" />
                </Form.Item>
              )}
              {may("milestones") && <MilestonesField showDone={!!task} />}
            </Col>
            {sourceFields.length > 0 && (
              <Col xs={24} md={8}>
                <SourceFields fields={sourceFields} />
              </Col>
            )}
          </Row>
          <Button type="primary" htmlType="submit" loading={busy}>
            {task ? "保存" : "保存为草稿"}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
