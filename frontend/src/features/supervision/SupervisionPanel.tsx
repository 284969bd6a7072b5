import { useState } from "react";
import { Alert, App, Button, Card, DatePicker, Form, Input, List, Modal, Radio, Select, Space, Tag, Typography } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { $api, api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { reportApiError } from "@/lib/forms";
import { useUnitNames } from "@/features/org/units";
import { useTaskInvalidation } from "@/features/tasks/TaskActions";
import type { TaskDetail } from "@/features/tasks/types";
import { ACTION_SPECS, type TaskAction } from "@/features/tasks/actions";
import { ACTION_LEVELS, COORDINATION_STATUS, nextLevel } from "./labels";

type Dialog =
  | { kind: "act" }
  | { kind: "respond"; id: number }
  | { kind: "instruct" }
  | { kind: "answer"; id: number }
  | { kind: "coordinate" }
  | { kind: "opinion"; id: number }
  | { kind: "decide"; id: number };

const TITLES: Record<Dialog["kind"], string> = {
  act: "督办",
  respond: "书面答复",
  instruct: "领导批示",
  answer: "批示落实回告",
  coordinate: "协调申请",
  opinion: "协调意见",
  decide: "领导决定",
};

// The requests whose records this panel lists, in button order, and the dialog each opens.
const REQUESTS = [
  ["supervise", "act"],
  ["instruct", "instruct"],
  ["coordinate", "coordinate"],
] as const satisfies readonly (readonly [TaskAction, Dialog["kind"]])[];

const fmt = (t?: string | null) => (t ? dayjs(t).format("YYYY-MM-DD HH:mm") : "");
type Values = Record<string, unknown> & { response_due_date?: dayjs.Dayjs; answer_due_date?: dayjs.Dayjs };

/**
 * Supervision on one task: the office's actions on a unit (提醒 … 问责移送) with the unit's
 * answers, leader instructions (批示) with the lead unit's answers, and coordination requests.
 * New records are offered exactly when the task's `allowed_actions` lists `supervise`,
 * `instruct` or `coordinate`; the buttons on a record (答复, 落实回告, 协调, 决定) exactly when
 * the record's own `allowed_actions` lists `respond`, `answer`, `opinion` or `decide`.
 */
export default function SupervisionPanel({ task }: { task: TaskDetail }) {
  const offered = REQUESTS.filter(([action]) => task.allowed_actions.includes(action));
  const { message } = App.useApp();
  const names = useUnitNames();
  const queryClient = useQueryClient();
  const invalidateTask = useTaskInvalidation();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();
  const path = { params: { path: { task_id: task.id } } };
  const actions = $api.useQuery("get", "/api/v1/tasks/{task_id}/supervision-actions", path);
  const instructions = $api.useQuery("get", "/api/v1/tasks/{task_id}/instructions", path);
  const coordination = $api.useQuery("get", "/api/v1/tasks/{task_id}/coordination-requests", path);
  const unitName = (id: number) => names.get(id)?.short_name ?? `单位${id}`;

  function start(d: Dialog) {
    form.resetFields();
    if (d.kind === "act") {
      const lead = task.assignments.find((a) => a.capacity === "lead");
      const received = (actions.data ?? []).filter((a) => a.unit_id === lead?.unit.id).map((a) => a.level);
      form.setFieldsValue({ unit_id: lead?.unit.id, level: nextLevel(received) });
    }
    if (d.kind === "opinion") form.setFieldsValue({ decision: "answer" });
    if (d.kind === "coordinate") form.setFieldsValue({ consulted_unit_ids: task.cooperating_unit_ids });
    setDialog(d);
  }

  async function send() {
    if (!dialog) return;
    const v = await form.validateFields();
    const date = (d?: dayjs.Dayjs) => (d ? d.format("YYYY-MM-DD") : null);
    setBusy(true);
    try {
      let error: unknown;
      switch (dialog.kind) {
        case "act":
          ({ error } = await api.POST("/api/v1/tasks/{task_id}/supervision-actions", {
            ...path,
            body: { unit_id: v.unit_id as number, level: v.level as never, content: String(v.content), response_due_date: date(v.response_due_date) },
          }));
          break;
        case "respond":
          ({ error } = await api.POST("/api/v1/supervision-actions/{action_id}/response", {
            params: { path: { action_id: dialog.id } },
            body: { response: String(v.response) },
          }));
          break;
        case "instruct":
          ({ error } = await api.POST("/api/v1/tasks/{task_id}/instructions", {
            ...path,
            body: { content: String(v.content), answer_due_date: date(v.answer_due_date) },
          }));
          break;
        case "answer":
          ({ error } = await api.POST("/api/v1/instructions/{instruction_id}/answer", {
            params: { path: { instruction_id: dialog.id } },
            body: { answer: String(v.answer) },
          }));
          break;
        case "coordinate":
          ({ error } = await api.POST("/api/v1/tasks/{task_id}/coordination-requests", {
            ...path,
            body: {
              subject: String(v.subject),
              content: String(v.content),
              consultation: String(v.consultation ?? ""),
              consulted_unit_ids: (v.consulted_unit_ids as number[]) ?? [],
            },
          }));
          break;
        case "opinion":
          ({ error } = await api.POST("/api/v1/coordination-requests/{request_id}/opinion", {
            params: { path: { request_id: dialog.id } },
            body: { decision: v.decision as "answer" | "refer", opinion: String(v.opinion) },
          }));
          break;
        case "decide":
          ({ error } = await api.POST("/api/v1/coordination-requests/{request_id}/decision", {
            params: { path: { request_id: dialog.id } },
            body: { decision: String(v.decision), answer_due_date: date(v.answer_due_date) },
          }));
          break;
      }
      if (error) throw error;
      message.success(`${TITLES[dialog.kind]}已提交`);
      setDialog(null);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ["get", "/api/v1/tasks/{task_id}/supervision-actions"] }),
        queryClient.invalidateQueries({ queryKey: ["get", "/api/v1/tasks/{task_id}/instructions"] }),
        queryClient.invalidateQueries({ queryKey: ["get", "/api/v1/tasks/{task_id}/coordination-requests"] }),
        invalidateTask(),
      ]);
    } catch (e) {
      reportApiError(e, form, message);
    } finally {
      setBusy(false);
    }
  }

  const textRule = (label: string) => [
    { required: true, whitespace: true, message: `请填写${label}` },
    { min: 2, message: "至少 2 个字" },
  ];

  return (
    <Card
      size="small"
      title="督办与协调"
      id="supervision"
      data-testid="supervision"
      extra={
        <Space wrap size={4}>
          {offered.map(([action, kind]) => (
            <Button key={action} size="small" danger={ACTION_SPECS[action].danger} onClick={() => start({ kind })} data-testid={action}>
              {ACTION_SPECS[action].label}
            </Button>
          ))}
        </Space>
      }
    >
      {[actions.error, instructions.error, coordination.error].filter(Boolean).map((e, i) => (
        <Alert key={i} type="error" showIcon message={problemMessage(e)} />
      ))}
      <List
        size="small"
        header={<Typography.Text strong>督办记录</Typography.Text>}
        dataSource={actions.data ?? []}
        locale={{ emptyText: "暂无督办记录" }}
        renderItem={(a) => (
          <List.Item
            actions={
              a.allowed_actions.includes("respond")
                ? [
                    <Button key="r" size="small" type="primary" onClick={() => start({ kind: "respond", id: a.id })}>
                      答复
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space wrap size={4}>
                  <Tag color={ACTION_LEVELS[a.level]?.color}>{ACTION_LEVELS[a.level]?.label ?? a.level}</Tag>
                  <span>{unitName(a.unit_id)}</span>
                  {a.response_due_date && <Typography.Text type="secondary">答复期限 {a.response_due_date}</Typography.Text>}
                </Space>
              }
              description={
                <>
                  <div style={{ whiteSpace: "pre-wrap" }}>{a.content}</div>
                  {a.response && <div style={{ whiteSpace: "pre-wrap" }}>答复：{a.response}（{fmt(a.responded_at)}）</div>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmt(a.created_at)}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
      {(instructions.data ?? []).length > 0 && (
        <List
          size="small"
          header={<Typography.Text strong>领导批示</Typography.Text>}
          dataSource={instructions.data ?? []}
          renderItem={(x) => (
            <List.Item
              actions={
                x.allowed_actions.includes("answer")
                  ? [
                      <Button key="a" size="small" type="primary" onClick={() => start({ kind: "answer", id: x.id })}>
                        落实回告
                      </Button>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={<span style={{ whiteSpace: "pre-wrap" }}>{x.content}</span>}
                description={
                  <>
                    <div>
                      {unitName(x.unit_id)} · 回告期限 {x.answer_due_date}
                    </div>
                    {x.answer && <div style={{ whiteSpace: "pre-wrap" }}>落实情况：{x.answer}</div>}
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      {(coordination.data ?? []).length > 0 && (
        <List
          size="small"
          header={<Typography.Text strong>协调申请</Typography.Text>}
          dataSource={coordination.data ?? []}
          renderItem={(c) => (
            <List.Item
              actions={[
                c.allowed_actions.includes("opinion") ? (
                  <Button key="o" size="small" type="primary" onClick={() => start({ kind: "opinion", id: c.id })}>
                    协调
                  </Button>
                ) : null,
                c.allowed_actions.includes("decide") ? (
                  <Button key="d" size="small" type="primary" onClick={() => start({ kind: "decide", id: c.id })}>
                    决定
                  </Button>
                ) : null,
              ].filter(Boolean)}
            >
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
                    <span>{c.subject}</span>
                    <Tag color={COORDINATION_STATUS[c.status]?.color}>{COORDINATION_STATUS[c.status]?.label ?? c.status}</Tag>
                  </Space>
                }
                description={
                  <>
                    <div style={{ whiteSpace: "pre-wrap" }}>{c.content}</div>
                    {c.consultation && <div>前期会商：{c.consultation}</div>}
                    {c.opinion && <div>协调意见：{c.opinion}</div>}
                    {c.leader_decision && <div>领导决定：{c.leader_decision}</div>}
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      <Modal open={dialog !== null} title={dialog ? TITLES[dialog.kind] : ""} onCancel={() => setDialog(null)} onOk={send} confirmLoading={busy} okText="提交" destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          {dialog?.kind === "act" && (
            <>
              <Form.Item name="unit_id" label="督办对象" rules={[{ required: true, message: "请选择单位" }]}>
                <Select options={task.assignments.map((a) => ({ value: a.unit.id, label: `${a.unit.name}（${a.capacity === "lead" ? "牵头" : "配合"}）` }))} />
              </Form.Item>
              <Form.Item name="level" label="方式" rules={[{ required: true }]}>
                <Radio.Group optionType="button" options={Object.entries(ACTION_LEVELS).map(([value, l]) => ({ value, label: l.label }))} />
              </Form.Item>
              <Form.Item name="content" label="督办内容" rules={textRule("督办内容")}>
                <Input.TextArea rows={4} maxLength={5000} showCount />
              </Form.Item>
              <Form.Item name="response_due_date" label="答复期限（督办单默认 5 个工作日）">
                <DatePicker disabledDate={(d) => d.isBefore(dayjs(), "day")} />
              </Form.Item>
            </>
          )}
          {dialog?.kind === "respond" && (
            <Form.Item name="response" label="答复内容" rules={textRule("答复内容")}>
              <Input.TextArea rows={5} maxLength={10000} showCount />
            </Form.Item>
          )}
          {dialog?.kind === "instruct" && (
            <>
              <Form.Item name="content" label="批示内容" rules={textRule("批示内容")}>
                <Input.TextArea rows={4} maxLength={10000} showCount />
              </Form.Item>
              <Form.Item name="answer_due_date" label="落实回告期限（默认 5 个工作日）">
                <DatePicker disabledDate={(d) => d.isBefore(dayjs(), "day")} />
              </Form.Item>
            </>
          )}
          {dialog?.kind === "answer" && (
            <Form.Item name="answer" label="落实情况" rules={textRule("落实情况")}>
              <Input.TextArea rows={5} maxLength={10000} showCount />
            </Form.Item>
          )}
          {dialog?.kind === "coordinate" && (
            <>
              <Form.Item name="subject" label="协调事项" rules={textRule("协调事项")}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="content" label="问题及请求" rules={textRule("问题及请求")}>
                <Input.TextArea rows={4} maxLength={10000} />
              </Form.Item>
              <Form.Item
                name="consultation"
                label="前期会商情况（须先与配合单位会商）"
                rules={task.cooperating_unit_ids.length ? textRule("前期会商情况") : []}
              >
                <Input.TextArea rows={3} maxLength={5000} />
              </Form.Item>
              <Form.Item name="consulted_unit_ids" label="已会商单位">
                <Select mode="multiple" options={task.cooperating_unit_ids.map((id) => ({ value: id, label: unitName(id) }))} />
              </Form.Item>
            </>
          )}
          {dialog?.kind === "opinion" && (
            <>
              <Form.Item name="decision" label="处理方式">
                <Radio.Group options={[{ value: "answer", label: "出具协调意见" }, { value: "refer", label: "呈报领导" }]} />
              </Form.Item>
              <Form.Item name="opinion" label="意见或建议" rules={textRule("意见")}>
                <Input.TextArea rows={4} maxLength={10000} />
              </Form.Item>
            </>
          )}
          {dialog?.kind === "decide" && (
            <>
              <Form.Item name="decision" label="领导决定" rules={textRule("决定")}>
                <Input.TextArea rows={4} maxLength={10000} />
              </Form.Item>
              <Form.Item name="answer_due_date" label="回告期限">
                <DatePicker disabledDate={(d) => d.isBefore(dayjs(), "day")} />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
