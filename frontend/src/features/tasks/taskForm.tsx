import type { ReactNode } from "react";
import { DatePicker, Form, Input, InputNumber, Select } from "antd";
import dayjs from "dayjs";
import type { components } from "@/api/schema";
import { api } from "@/lib/http";
import { isProblem } from "@/lib/problem";
import { UnitPicker } from "@/features/org/units";
import { DatesPicker, LeaderSelect, MilestonesField, PRIORITIES, toDate } from "./fields";
import { FEEDBACK_CYCLES, SOURCE_TYPES } from "./status";
import type { TaskDetail } from "./types";

/**
 * The task form, field by field: for every field PATCH /tasks/{id} takes (the generated
 * `TaskField` enum), where the form puts it, how it is edited, how a task fills it and what is
 * sent. The editor shows exactly the task's `editable_fields`, the create form `CREATE_FIELDS`;
 * which fields a caller may change is the API's to say, never this module's. Typed by the enum:
 * a field added to the API fails the typecheck here until the form can edit it.
 */

/** A field PATCH /tasks/{id} takes. */
export type TaskField = components["schemas"]["TaskField"];

/** What an editor needs to know besides its own value. */
export interface EditorContext {
  /** The task being edited; none when creating one. */
  task?: TaskDetail;
  /** Whether the form shows (and sends) a field. */
  shows: (field: TaskField) => boolean;
}

export interface FieldSpec {
  /** Main column, full width or two to a row; or the side column (source and reporting). */
  place: "wide" | "half" | "side";
  /** The form's value for it, from the task. */
  load: (task: TaskDetail) => unknown;
  /** The API's value, from the form's. */
  send: (value: unknown) => unknown;
  editor: (ctx: EditorContext) => ReactNode;
}

type Milestone = { title: string; planned_date: dayjs.Dayjs; done?: boolean; done_date?: string | null };

const trimmed = (v: unknown) => ((v as string | undefined) ?? "").trim();
const orNull = (v: unknown) => v ?? null;
const date = (v: string | null | undefined) => (v ? dayjs(v) : undefined);

const DAY_COUNTS: Record<components["schemas"]["DayCount"], string> = { working: "工作日", calendar: "自然日" };
const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** Every field, in the order the form shows them. */
export const TASK_FIELDS: Record<TaskField, FieldSpec> = {
  title: {
    place: "wide",
    load: (t) => t.title,
    send: trimmed,
    editor: () => (
      <Form.Item name="title" label="任务名称" rules={[{ required: true, whitespace: true, message: "请填写任务名称" }, { min: 2, max: 200, message: "2–200 个字" }]}>
        <Input placeholder="一句话说明要办的事" />
      </Form.Item>
    ),
  },
  content: {
    place: "wide",
    load: (t) => t.content,
    send: (v) => v ?? "",
    editor: () => (
      <Form.Item name="content" label="办理要求">
        <Input.TextArea rows={5} maxLength={20000} showCount />
      </Form.Item>
    ),
  },
  lead_unit_id: {
    place: "half",
    load: (t) => t.lead_unit?.id,
    send: orNull,
    editor: () => (
      <Form.Item name="lead_unit_id" label="牵头单位" rules={[{ required: true, message: "请选择牵头单位（一事一主责）" }]}>
        <UnitPicker />
      </Form.Item>
    ),
  },
  cooperating_unit_ids: {
    place: "half",
    load: (t) => t.cooperating_unit_ids,
    send: (v) => v ?? [],
    editor: ({ task }) => (
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
    ),
  },
  deadline: {
    place: "half",
    load: (t) => date(t.deadline),
    send: (v) => toDate(v as dayjs.Dayjs | undefined),
    editor: () => (
      <Form.Item name="deadline" label="办结时限" rules={[{ required: true, message: "请选择办结时限" }]}>
        <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isBefore(dayjs(), "day")} />
      </Form.Item>
    ),
  },
  leader_id: {
    place: "half",
    load: (t) => t.leader_id,
    send: orNull,
    editor: () => (
      <Form.Item name="leader_id" label="责任领导">
        <LeaderSelect />
      </Form.Item>
    ),
  },
  progress: {
    place: "wide",
    load: (t) => t.progress,
    send: orNull,
    editor: () => (
      <Form.Item name="progress" label="完成进度（%）" rules={[{ type: "number", min: 0, max: 100, message: "0–100" }]}>
        <InputNumber min={0} max={100} style={{ width: 140 }} data-testid="progress" />
      </Form.Item>
    ),
  },
  milestones: {
    place: "wide",
    load: (t) => t.milestones.map((m) => ({ title: m.title, planned_date: dayjs(m.planned_date), done: !!m.done_date, done_date: m.done_date })),
    send: (v) =>
      ((v as Milestone[] | undefined) ?? []).map((m) => ({
        title: m.title,
        planned_date: toDate(m.planned_date)!,
        done_date: m.done ? (m.done_date ?? dayjs().format("YYYY-MM-DD")) : null,
      })),
    // Planned dates are checked against the deadline: the form's, or the task's when the caller
    // does not change it.
    editor: ({ task, shows }) => <MilestonesField showDone={!!task} fixedDeadline={shows("deadline") ? undefined : task?.deadline} />,
  },
  source_type: {
    place: "side",
    load: (t) => t.source_type,
    send: (v) => v,
    editor: () => (
      <Form.Item name="source_type" label="任务来源">
        <Select options={options(SOURCE_TYPES)} />
      </Form.Item>
    ),
  },
  source_ref: {
    place: "side",
    load: (t) => t.source_ref ?? undefined,
    send: (v) => trimmed(v) || null,
    editor: () => (
      <Form.Item
        name="source_ref"
        label="文号/出处"
        rules={[
          {
            validator: (_, v?: string) =>
              v && /〔|\[|【/.test(v) && !/^\S*[\u4e00-\u9fff]〔(19|20)\d{2}〕\d{1,5}[号號]$/.test(v.trim())
                ? Promise.reject(new Error("文号格式应为“机关代字〔年份〕序号号”，如 武政办〔2018〕105号"))
                : Promise.resolve(),
          },
        ]}
      >
        <Input placeholder="如：武政办〔2018〕105号，或会议名称" maxLength={200} />
      </Form.Item>
    ),
  },
  source_date: {
    place: "side",
    load: (t) => date(t.source_date),
    send: (v) => toDate(v as dayjs.Dayjs | undefined),
    editor: () => (
      <Form.Item name="source_date" label="来源日期" tooltip="文件印发或会议召开的日期">
        <DatePicker style={{ width: "100%" }} />
      </Form.Item>
    ),
  },
  category: {
    place: "side",
    load: (t) => t.category ?? undefined,
    send: (v) => trimmed(v) || null,
    editor: () => (
      <Form.Item name="category" label="类别">
        <Input placeholder="如：营商环境" maxLength={60} />
      </Form.Item>
    ),
  },
  priority: {
    place: "side",
    load: (t) => t.priority,
    send: (v) => v,
    editor: () => (
      <Form.Item name="priority" label="紧急程度">
        <Select options={options(PRIORITIES)} />
      </Form.Item>
    ),
  },
  feedback_cycle: {
    place: "side",
    load: (t) => t.feedback_cycle,
    send: (v) => v,
    editor: () => (
      <Form.Item name="feedback_cycle" label="回告周期">
        <Select options={options(FEEDBACK_CYCLES)} />
      </Form.Item>
    ),
  },
  feedback_dates: {
    place: "side",
    load: (t) => t.feedback_dates.map((d) => dayjs(d)),
    send: (v) => ((v as dayjs.Dayjs[] | undefined) ?? []).map((d) => toDate(d)!),
    editor: ({ task }) => (
      <Form.Item
        name="feedback_dates"
        label="指定回告日期"
        extra="回告周期为“指定日期”时填写"
        dependencies={["feedback_cycle"]}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_, v?: dayjs.Dayjs[]) =>
              (getFieldValue("feedback_cycle") ?? task?.feedback_cycle) === "dates" && !v?.length
                ? Promise.reject(new Error("请选择回告日期"))
                : Promise.resolve(),
          }),
        ]}
      >
        <DatesPicker />
      </Form.Item>
    ),
  },
  deadline_day_count: {
    place: "side",
    load: (t) => t.deadline_day_count ?? undefined,
    send: orNull,
    editor: () => (
      <Form.Item name="deadline_day_count" label="时限计算">
        <Select allowClear placeholder="按督查室默认" options={options(DAY_COUNTS)} />
      </Form.Item>
    ),
  },
  weight: {
    place: "side",
    load: (t) => t.weight,
    send: orNull,
    editor: () => (
      <Form.Item name="weight" label="权重" tooltip="在上级事项进度汇总中的权重">
        <InputNumber min={0.1} max={1000} step={0.5} style={{ width: "100%" }} />
      </Form.Item>
    ),
  },
  tags: {
    place: "side",
    load: (t) => t.tags,
    send: (v) => v ?? [],
    editor: () => (
      <Form.Item name="tags" label="标签">
        <Select mode="tags" maxCount={20} tokenSeparators={[",", "，"]} placeholder="输入后回车" />
      </Form.Item>
    ),
  },
};

/** In the order the form shows them. */
export const FIELD_ORDER = Object.keys(TASK_FIELDS) as TaskField[];

/** What the create form shows: a draft's essentials (the rest can be set by editing it). */
export const CREATE_FIELDS: readonly TaskField[] = [
  "title", "content", "lead_unit_id", "cooperating_unit_ids", "deadline", "leader_id", "milestones",
  "source_type", "source_ref", "priority", "feedback_cycle", "feedback_dates",
];

/**
 * The fields a form that edits only some of them (`form`) shows and sends: those the API lists in
 * the task's `editable_fields`, in the form's order.
 */
export function editableOf(form: readonly TaskField[], editable: readonly TaskField[]): TaskField[] {
  return form.filter((f) => editable.includes(f));
}

/** The form's values for `fields`, from the task. */
export function formValues(task: TaskDetail, fields: readonly TaskField[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, TASK_FIELDS[f].load(task)]));
}

/** The API's body for `fields`, from the form's values. */
export function bodyOf(values: Record<string, unknown>, fields: readonly TaskField[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, TASK_FIELDS[f].send(values[f])]));
}

/** Only what the form changed: an unchanged lead unit must not restart the sign-for clock. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(value ?? null) !== JSON.stringify(before[key] ?? null)) out[key] = value;
  }
  return out;
}

/** Saves a form's `changes` to a task as it was read (`version`, sent as If-Match); throws the API's problem. */
export async function patchTask(target: { id: number; version: number }, changes: Record<string, unknown>): Promise<void> {
  const { error } = await api.PATCH("/api/v1/tasks/{task_id}", {
    params: { path: { task_id: target.id }, header: { "if-match": String(target.version) } as never },
    body: changes,
  });
  if (error) throw error;
}

/** Whether a save failed because the task changed since it was read (412, or a write that crossed it). */
export function isStaleEdit(error: unknown): boolean {
  return isProblem(error) && (error.status === 412 || (error.status === 409 && error.code === "task.concurrent_change"));
}
