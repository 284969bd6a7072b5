import { Link, useNavigate, useParams } from "react-router";
import { Alert, App, Button, Card, Col, Form, Result, Row, Spin, Typography } from "antd";
import { useEffect, useState } from "react";
import { isProblem, problemMessage } from "@/lib/problem";
import { $api, api } from "@/lib/http";
import { reportApiError } from "@/lib/forms";
import { useTaskInvalidation } from "./invalidation";
import { CREATE_FIELDS, FIELD_ORDER, TASK_FIELDS, bodyOf, changedFields, formValues, isStaleEdit, patchTask, type TaskField } from "./taskForm";
import type { TaskCreate } from "./types";

/**
 * Creating a key work (a root task) as a draft, or editing a task (PATCH with If-Match: a
 * change by someone else in between is refused rather than overwritten). When editing, the form
 * shows and sends exactly the task's `editable_fields` (`taskForm.TASK_FIELDS` says how each
 * is edited); none listed: the task cannot be edited now, and its page offers no edit button.
 */
export default function TaskCreatePage() {
  const navigate = useNavigate();
  const editId = useParams().taskId ? Number(useParams().taskId) : null;
  const existing = $api.useQuery("get", "/api/v1/tasks/{task_id}", { params: { path: { task_id: editId ?? 0 } } }, { enabled: editId != null });
  const { message } = App.useApp();
  const invalidate = useTaskInvalidation();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const task = existing.data;
  // Creating: the create form's fields; editing: what the API takes from the caller now.
  const fields = task ? task.editable_fields : CREATE_FIELDS;
  const shows = (field: TaskField) => fields.includes(field);
  useEffect(() => {
    if (task?.editable_fields.length) form.setFieldsValue(formValues(task, task.editable_fields));
  }, [task, form]);

  async function onFinish(values: Record<string, unknown>) {
    setBusy(true);
    setError(null);
    const body = bodyOf(values, fields);
    if (task) {
      await update(task, changedFields(bodyOf(formValues(task, fields), fields), body));
      return;
    }
    try {
      const { data, error } = await api.POST("/api/v1/tasks", { body: body as unknown as TaskCreate });
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
      await patchTask(target, changes);
      message.success("任务已保存");
      await invalidate();
      navigate(`/tasks/${target.id}`);
    } catch (e) {
      setError(isStaleEdit(e) ? "任务已被他人修改，请刷新页面后再编辑" : reportApiError(e, form, null));
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
        extra={<Link to={`/tasks/${task.id}`}>返回任务</Link>}
        data-testid="edit-unavailable"
      />
    );
  }

  const ctx = { task, shows };
  const shown = FIELD_ORDER.filter(shows);
  const main = shown.filter((f) => TASK_FIELDS[f].place !== "side");
  const side = shown.filter((f) => TASK_FIELDS[f].place === "side");
  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>{task ? `编辑任务：${task.title}` : "新建督办任务"}</Typography.Title>
      </div>
      <Card size="small">
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
        <Form
          form={form}
          layout="vertical"
          onFinish={onFinish}
          initialValues={{ source_type: "meeting_decision", feedback_cycle: "monthly", priority: "normal" }}
          scrollToFirstError
        >
          <Row gutter={16}>
            <Col xs={24} md={side.length ? 16 : 24}>
              <Row gutter={16}>
                {main.map((f) => (
                  <Col key={f} xs={24} md={TASK_FIELDS[f].place === "half" ? 12 : 24} data-field={f}>
                    {TASK_FIELDS[f].editor(ctx)}
                  </Col>
                ))}
              </Row>
              {task && task.children_count > 0 && !shows("progress") && (
                // Not a field: where sub-tasks roll progress up, the form says so instead.
                <Typography.Paragraph type="secondary" data-testid="rolled-up-progress">
                  完成进度 {task.progress}%，有子任务的事项，进度由子任务汇总
                </Typography.Paragraph>
              )}
            </Col>
            {side.length > 0 && (
              <Col xs={24} md={8}>
                {side.map((f) => (
                  <div key={f} data-field={f}>
                    {TASK_FIELDS[f].editor(ctx)}
                  </div>
                ))}
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
