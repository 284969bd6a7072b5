import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { Alert, App, Button, Card, Checkbox, DatePicker, Form, Input, Modal, Result, Space, Spin, Table, Typography } from "antd";
import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { $api, api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { reportApiError } from "@/lib/forms";
import { useAllPages } from "@/lib/useCursorPages";
import { UnitPicker, useUnits } from "@/features/org/units";
import { allowedChildLeadUnits, validateChild } from "./decompose";
import { DeadlineTag, StatusTag } from "./tags";
import { useTaskInvalidation } from "./invalidation";
import { toDate } from "./fields";
import { bodyOf, changedFields, editableOf, formValues, isStaleEdit, patchTask, type TaskField } from "./taskForm";
import type { Task, TaskCreate, TaskDetail } from "./types";

interface Row {
  title?: string;
  lead_unit_id?: number;
  cooperating_unit_ids?: number[];
  deadline?: dayjs.Dayjs;
  content?: string;
}

interface Values {
  children: Row[];
  issue: boolean;
}

/** What the child editor can change, each shown only when the child's `editable_fields` lists it. */
const CHILD_FIELDS: readonly TaskField[] = ["title", "lead_unit_id", "deadline"];

/**
 * The decomposition editor (细化分解): new children with unit pickers restricted to what the
 * rules allow and deadlines no later than the parent's; the task's direct children (as many as
 * it has, `GET /tasks?parent_id=`), each editable when the API lists `edit` for it.
 * Open only when the API lists `decompose` for the task.
 */
export default function DecomposePage() {
  const taskId = Number(useParams().taskId);
  const navigate = useNavigate();
  const { message } = App.useApp();
  const invalidate = useTaskInvalidation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Task | null>(null);

  const taskQuery = $api.useQuery("get", "/api/v1/tasks/{task_id}", { params: { path: { task_id: taskId } } });
  // The direct children only (the parent's whole subtree may hold thousands), every page of them.
  const childrenQuery = useAllPages("/api/v1/tasks", { parent_id: taskId, limit: 200 });
  const { data: units = [] } = useUnits();
  const task = taskQuery.data as TaskDetail | undefined;
  const parent = useMemo(
    () => ({ deadline: task?.deadline, lead_unit_id: task?.lead_unit?.id, cooperating_unit_ids: task?.cooperating_unit_ids ?? [] }),
    [task],
  );
  const allowed = useMemo(() => allowedChildLeadUnits(parent, units), [parent, units]);
  // A unit's staff may not see every unit; the parent's own units are known from its assignments.
  const known = useMemo(() => (task?.assignments ?? []).map((a) => a.unit), [task]);
  // In the order they were added (the list answers newest first).
  const children = useMemo(() => [...(childrenQuery.data ?? [])].sort((a, b) => a.id - b.id), [childrenQuery.data]);

  if (taskQuery.isPending) {
    return (
      <div className="center-screen">
        <Spin />
      </div>
    );
  }
  if (!task) return <Alert type="error" showIcon message={problemMessage(taskQuery.error)} />;
  if (!task.allowed_actions.includes("decompose")) {
    return (
      <Result
        status="info"
        title="当前不能分解该任务"
        subTitle="牵头单位须先签收；已办结、待审核或已撤销的任务不再分解。"
        extra={<Link to={`/tasks/${taskId}`}>返回任务</Link>}
        data-testid="decompose-unavailable"
      />
    );
  }

  const disabledDate = (d: dayjs.Dayjs) => (task.deadline ? d.isAfter(dayjs(task.deadline), "day") : false);
  const ruleFor = (field: keyof Row, name: number) => ({
    validator: () => {
      const row = form.getFieldValue(["children", name]) as Row;
      const errors = validateChild({ ...row, deadline: toDate(row?.deadline) }, parent, units);
      const e = errors[field as keyof typeof errors];
      return e ? Promise.reject(new Error(e)) : Promise.resolve();
    },
  });

  async function save(values: Values) {
    setBusy(true);
    setError(null);
    let created = 0;
    let issued = 0;
    try {
      for (const row of values.children ?? []) {
        const body = {
          parent_id: taskId,
          title: row.title!.trim(),
          content: row.content ?? "",
          lead_unit_id: row.lead_unit_id ?? null,
          cooperating_unit_ids: row.cooperating_unit_ids ?? [],
          deadline: toDate(row.deadline),
        } as TaskCreate;
        const { data, error } = await api.POST("/api/v1/tasks", { body });
        if (error) throw error;
        created++;
        if (values.issue && data!.allowed_actions.includes("issue")) {
          const { error: ie } = await api.POST("/api/v1/tasks/{task_id}/transitions", {
            params: { path: { task_id: data!.id } },
            body: { action: "issue", version: data!.version },
          });
          if (ie) throw ie;
          issued++;
        }
      }
      message.success(`已添加 ${created} 项子任务${values.issue ? "并交办" : ""}`);
      form.setFieldsValue({ children: [] });
      await invalidate(); // the children list among them
    } catch (e) {
      const text = problemMessage(e);
      const issueFailed = values.issue && created > issued;
      setError(
        issueFailed
          ? `已添加 ${created} 项，其中第 ${issued + 1} 项交办失败：${text}`
          : created
            ? `已添加 ${created} 项；第 ${created + 1} 项失败：${text}`
            : text,
      );
      if (created) {
        const rest = (values.children ?? []).slice(created);
        form.setFieldsValue({ children: rest });
        await childrenQuery.refetch();
      }
    } finally {
      setBusy(false);
    }
  }

  async function edited() {
    setEditing(null);
    await invalidate(); // the children list among them
  }

  return (
    <div data-testid="decompose-page">
      <div className="page-header">
        <Typography.Title level={4}>分解任务</Typography.Title>
        <Link to={`/tasks/${taskId}`}>返回任务</Link>
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Typography.Text strong>{task.title}</Typography.Text>
          <StatusTag status={task.status} />
          <DeadlineTag state={task.deadline_state} date={task.deadline} />
          <Typography.Text type="secondary">牵头：{task.lead_unit?.name ?? "—"}</Typography.Text>
        </Space>
      </Card>
      <Card size="small" title={`已有子任务（${children.length}）`} style={{ marginBottom: 12 }} data-testid="decompose-children">
        {childrenQuery.isError && <Alert type="error" showIcon message={problemMessage(childrenQuery.error)} style={{ marginBottom: 12 }} />}
        <Table<Task>
          rowKey="id"
          size="small"
          pagination={false}
          loading={childrenQuery.isLoading}
          dataSource={children}
          expandable={{ childrenColumnName: "_none" }}
          scroll={{ x: 640 }}
          columns={[
            { title: "子任务", dataIndex: "title", render: (t, c) => <Link to={`/tasks/${c.id}`}>{t}</Link> },
            { title: "牵头单位", width: 160, render: (_, c) => c.lead_unit?.name ?? "—" },
            { title: "状态", width: 90, render: (_, c) => <StatusTag status={c.status} /> },
            { title: "时限", width: 160, render: (_, c) => <DeadlineTag state={c.deadline_state} date={c.deadline} /> },
            {
              title: "",
              width: 60,
              render: (_, c) =>
                c.allowed_actions.includes("edit") ? (
                  <Button size="small" type="link" icon={<EditOutlined />} aria-label={`编辑 ${c.title}`} data-testid={`edit-child-${c.id}`} onClick={() => setEditing(c)} />
                ) : null,
            },
          ]}
        />
      </Card>
      <Card size="small" title="新增子任务">
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="decompose-error" />}
        <Form<Values> form={form} layout="vertical" onFinish={save} initialValues={{ children: [{}], issue: task.status !== "draft" }}>
          <Form.List name="children">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => (
                  <Card
                    key={field.key}
                    size="small"
                    type="inner"
                    title={`子任务 ${i + 1}`}
                    style={{ marginBottom: 8 }}
                    extra={<Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} />}
                  >
                    <Form.Item name={[field.name, "title"]} label="任务名称" rules={[{ required: true, whitespace: true, message: "请填写任务名称" }]}>
                      <Input maxLength={200} data-testid={`child-title-${i}`} />
                    </Form.Item>
                    <Space wrap style={{ width: "100%" }} align="start">
                      <Form.Item
                        name={[field.name, "lead_unit_id"]}
                        label="牵头单位"
                        rules={[{ required: true, message: "请选择牵头单位" }, ruleFor("lead_unit_id", field.name)]}
                        style={{ minWidth: 240 }}
                      >
                        <UnitPicker allowed={allowed} extra={known} data-testid={`child-lead-${i}`} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, "cooperating_unit_ids"]}
                        label="配合单位"
                        dependencies={[["children", field.name, "lead_unit_id"]]}
                        rules={[ruleFor("cooperating_unit_ids", field.name)]}
                        style={{ minWidth: 240 }}
                      >
                        <UnitPicker multiple placeholder="可多选" extra={known} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, "deadline"]}
                        label="办结时限"
                        rules={[{ required: true, message: "请选择办结时限" }, ruleFor("deadline", field.name)]}
                        extra={task.deadline ? `不晚于 ${task.deadline}` : undefined}
                      >
                        <DatePicker disabledDate={disabledDate} />
                      </Form.Item>
                    </Space>
                    <Form.Item name={[field.name, "content"]} label="办理要求">
                      <Input.TextArea rows={2} maxLength={20000} />
                    </Form.Item>
                  </Card>
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({})} style={{ marginBottom: 12 }}>
                  再添加一项
                </Button>
              </>
            )}
          </Form.List>
          <Form.Item name="issue" valuePropName="checked">
            <Checkbox disabled={task.status === "draft"}>
              保存后立即交办{task.status === "draft" ? "（上级任务交办后可交办子任务）" : ""}
            </Checkbox>
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="decompose-save">
              保存
            </Button>
            <Button onClick={() => navigate(`/tasks/${taskId}`)}>完成</Button>
          </Space>
        </Form>
      </Card>
      {editing && (
        <ChildEditor
          child={editing}
          allowed={allowed}
          known={known}
          disabledDate={disabledDate}
          onClose={() => setEditing(null)}
          onDone={edited}
          unitsKnown={units.length > 0}
        />
      )}
    </div>
  );
}

interface ChildEditorProps {
  child: Task;
  /** Units that may lead a child of this parent. */
  allowed: Set<number>;
  /** Units known from the parent's assignments, which the caller's unit list may not hold. */
  known: { id: number; name: string; short_name?: string }[];
  /** Dates after the parent's deadline. */
  disabledDate: (d: dayjs.Dayjs) => boolean;
  /** Whether the unit list has loaded (the lead unit is checked against `allowed` only then). */
  unitsKnown: boolean;
  onClose: () => void;
  /** Closes the editor and reads the children again. */
  onDone: () => Promise<void>;
}

/**
 * Editing one child: its detail is asked for when the editor opens, and the editor shows and
 * sends only those of its fields (`CHILD_FIELDS`) the child's `editable_fields` lists, changed
 * ones only, with the `version` just read as If-Match.
 */
function ChildEditor({ child, allowed, known, disabledDate, unitsKnown, onClose, onDone }: ChildEditorProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [busy, setBusy] = useState(false);
  // staleTime 0 and isFetchedAfterMount: what may be edited now, not what a cached read said.
  const detail = $api.useQuery("get", "/api/v1/tasks/{task_id}", { params: { path: { task_id: child.id } } }, { staleTime: 0 });
  const task = detail.isFetchedAfterMount ? (detail.data as TaskDetail | undefined) : undefined;
  const fields = useMemo(() => (task ? editableOf(CHILD_FIELDS, task.editable_fields) : []), [task]);
  const initial = useMemo(() => (task ? formValues(task, fields) : {}), [task, fields]);
  const units = useMemo(() => [...known, ...(task?.lead_unit ? [task.lead_unit] : [])], [known, task]);

  async function save() {
    if (!task) return;
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    const changes = changedFields(bodyOf(initial, fields), bodyOf(values, fields));
    if (!Object.keys(changes).length) {
      onClose();
      return;
    }
    setBusy(true);
    try {
      await patchTask(task, changes);
      message.success("子任务已更新");
      await onDone();
    } catch (e) {
      if (isStaleEdit(e)) {
        // Changed by someone else since it was read: start again from what it is now.
        message.error("子任务已被他人修改，请重新打开编辑");
        await onDone();
      } else {
        reportApiError(e, form, message);
      }
    } finally {
      setBusy(false);
    }
  }

  let body;
  if (detail.isError) body = <Alert type="error" showIcon message={problemMessage(detail.error)} />;
  else if (!task) body = <Spin />;
  else if (!fields.length) {
    body = (
      <Typography.Paragraph data-testid="child-edit-elsewhere">
        该子任务的名称、牵头单位和办结时限当前不能修改。
        {task.editable_fields.length > 0 && <Link to={`/tasks/${task.id}/edit`}>到任务页编辑其他内容</Link>}
      </Typography.Paragraph>
    );
  } else {
    const shows = (f: TaskField) => fields.includes(f);
    body = (
      <Form form={form} layout="vertical" initialValues={initial} data-testid="child-edit-form">
        {shows("title") && (
          <Form.Item name="title" label="任务名称" rules={[{ required: true, whitespace: true, message: "请填写任务名称" }]}>
            <Input maxLength={200} />
          </Form.Item>
        )}
        {shows("lead_unit_id") && (
          <Form.Item
            name="lead_unit_id"
            label="牵头单位"
            rules={[
              { required: true, message: "请选择牵头单位" },
              { validator: (_, v) => (v != null && unitsKnown && !allowed.has(v) ? Promise.reject(new Error("牵头单位须为上级任务的牵头单位、配合单位或其下属单位")) : Promise.resolve()) },
            ]}
          >
            <UnitPicker allowed={allowed} extra={units} />
          </Form.Item>
        )}
        {shows("deadline") && (
          <Form.Item name="deadline" label="办结时限" rules={[{ required: true, message: "请选择办结时限" }]}>
            <DatePicker disabledDate={disabledDate} />
          </Form.Item>
        )}
      </Form>
    );
  }
  return (
    <Modal
      open
      title={`编辑子任务：${child.title}`}
      onCancel={onClose}
      onOk={save}
      okText="保存"
      okButtonProps={{ disabled: !fields.length, loading: busy }}
      destroyOnHidden
    >
      {body}
    </Modal>
  );
}
