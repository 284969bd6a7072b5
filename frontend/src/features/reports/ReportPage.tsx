import { useEffect, useMemo, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { Alert, App, Button, Card, Form, Input, InputNumber, Radio, Result, Space, Spin, Tag, Typography, Upload } from "antd";
import { UploadOutlined } from "@ant-design/icons";
import { uploadProblem } from "@/features/attachments/rules";
import { $api, api } from "@/lib/http";
import { isProblem, problemMessage } from "@/lib/problem";
import { reportApiError } from "@/lib/forms";
import { useSession } from "@/features/auth/session";
import { useTaskInvalidation } from "@/features/tasks/invalidation";
import { DeadlineTag, StatusTag } from "@/features/tasks/tags";
import type { Report, TaskDetail } from "@/features/tasks/types";
import { REPORT_FIELDS, REPORT_STATUSES, reportBody, validateReport, type ReportFormValues } from "./labels";

/**
 * Drafting a report. A cooperating unit reports its part to the lead unit; the lead unit's form
 * is pre-filled from its cooperating units' reports (consolidation) and goes to the office.
 * "提交" saves and submits; for a completion report it then applies for completion (申请办结)
 * when the task allows it.
 */
export default function ReportPage() {
  const taskId = Number(useParams().taskId);
  const [params] = useSearchParams();
  const editId = params.get("report") ? Number(params.get("report")) : null;
  const wantedKind = params.get("kind") === "completion" ? "completion" : "progress";
  const navigate = useNavigate();
  const { me } = useSession();
  const { message } = App.useApp();
  const invalidateTask = useTaskInvalidation();
  const [form] = Form.useForm<ReportFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kind = Form.useWatch("kind", form) ?? wantedKind;
  const [files, setFiles] = useState<File[]>([]);

  const taskQuery = $api.useQuery("get", "/api/v1/tasks/{task_id}", { params: { path: { task_id: taskId } } });
  const task = taskQuery.data as TaskDetail | undefined;
  const reportsQuery = $api.useQuery("get", "/api/v1/tasks/{task_id}/reports", { params: { path: { task_id: taskId } } });
  // Which form, not whether: the lead unit's report consolidates its cooperating units' and may
  // be a completion report. Whether a report may be written at all is `report` below.
  const mine = task?.assignments.find((a) => a.unit.id === me?.unit.id);
  const isLead = mine?.capacity === "lead";

  // A draft or returned report of the caller's unit is edited rather than duplicated; the
  // report's own allowed_actions say whether it still may be.
  const existing: Report | undefined = useMemo(() => {
    const editable = (r: Report) => (r.allowed_actions ?? []).includes("edit");
    const items = reportsQuery.data?.items ?? [];
    if (editId) return items.find((r) => r.id === editId && editable(r));
    return items.find((r) => r.unit.id === me?.unit.id && editable(r));
  }, [reportsQuery.data, editId, me]);
  // A new report only when the API lists `report` for the task (the lead unit signs first).
  const mayCreate = !editId && !!task?.allowed_actions.includes("report");

  const consolidation = $api.useQuery(
    "get",
    "/api/v1/tasks/{task_id}/reports/consolidation",
    { params: { path: { task_id: taskId }, query: { kind } } },
    { enabled: isLead && !existing && mayCreate, retry: false },
  );

  const [prefilled, setPrefilled] = useState<string | null>(null);
  useEffect(() => {
    if (!task || reportsQuery.isPending || (!existing && !mayCreate)) return;
    const key = existing ? `report-${existing.id}` : isLead ? (consolidation.data ? `cons-${kind}` : null) : "blank";
    if (!key || key === prefilled) return;
    if (existing) {
      form.setFieldsValue({ ...existing, kind: existing.kind } as ReportFormValues);
    } else if (isLead && consolidation.data) {
      const c = consolidation.data;
      const values: ReportFormValues = { kind };
      for (const f of REPORT_FIELDS) values[f.name] = c[f.name] ?? undefined;
      values.percent_done = kind === "completion" ? 100 : (c.percent_done ?? task.progress);
      form.setFieldsValue(values);
    } else {
      form.setFieldsValue({ kind, percent_done: kind === "completion" ? 100 : task.progress });
    }
    setPrefilled(key);
  }, [task, existing, mayCreate, isLead, consolidation.data, kind, prefilled, form, reportsQuery.isPending]);

  if (taskQuery.isPending || reportsQuery.isPending) {
    return (
      <div className="center-screen">
        <Spin />
      </div>
    );
  }
  if (!task) {
    return <Alert type="error" showIcon message={isProblem(taskQuery.error) && taskQuery.error.status === 404 ? "未找到该任务" : problemMessage(taskQuery.error)} />;
  }
  if (!existing && !mayCreate) {
    return (
      <Result
        status="info"
        title={editId ? "该回告已不能修改" : "当前不能填报回告"}
        subTitle={editId ? "回告已报送或已处理，可在任务页查看。" : "该任务当前不接受您单位的回告（例如尚未签收，或任务不在办理中）。"}
        extra={<Link to={`/tasks/${taskId}`}>返回任务</Link>}
        data-testid="report-unavailable"
      />
    );
  }

  async function save(andSubmit: boolean) {
    const values = await form.validateFields();
    const errors = validateReport(values);
    if (Object.keys(errors).length) {
      form.setFields(Object.entries(errors).map(([name, e]) => ({ name: name as keyof ReportFormValues, errors: [e!] })));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = reportBody(values);
      let report: Report;
      if (existing) {
        const { data, error } = await api.PATCH("/api/v1/reports/{report_id}", {
          params: { path: { report_id: existing.id }, header: { "if-match": String(existing.version) } as never },
          body,
        });
        if (error) throw error;
        report = data!;
      } else {
        const { data, error } = await api.POST("/api/v1/tasks/{task_id}/reports", {
          params: { path: { task_id: taskId } },
          body: { ...body, consolidate: isLead },
        });
        if (error) throw error;
        report = data!;
      }
      for (const file of files) {
        const { error } = await api.POST("/api/v1/reports/{report_id}/attachments", {
          params: { path: { report_id: report.id } },
          body: { file: file as unknown as string },
          bodySerializer: () => {
            const data = new FormData();
            data.append("file", file, file.name);
            return data;
          },
        });
        if (error) throw error;
      }
      setFiles([]);
      if (andSubmit) {
        const { error } = await api.POST("/api/v1/reports/{report_id}/submit", { params: { path: { report_id: report.id } } });
        if (error) throw error;
        if (values.kind === "completion") {
          const fresh = await api.GET("/api/v1/tasks/{task_id}", { params: { path: { task_id: taskId } } });
          if (fresh.data?.allowed_actions.includes("submit")) {
            const { error: te } = await api.POST("/api/v1/tasks/{task_id}/transitions", {
              params: { path: { task_id: taskId } },
              body: { action: "submit", version: fresh.data.version },
            });
            if (te) throw te;
            message.success("已提交办结申请");
          } else message.success("办结报告已报送");
        } else message.success("回告已报送");
      } else message.success("草稿已保存");
      await invalidateTask();
      navigate(`/tasks/${taskId}`);
    } catch (e) {
      setError(reportApiError(e, form, null));
    } finally {
      setBusy(false);
    }
  }

  const sources = consolidation.data?.sources ?? [];
  return (
    <div className="report-page" data-testid="report-page">
      <div className="page-header">
        <Typography.Title level={4}>{isLead ? "牵头单位回告" : "配合单位回告"}</Typography.Title>
        <Link to={`/tasks/${taskId}`}>返回任务</Link>
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Typography.Text strong>{task.title}</Typography.Text>
          <StatusTag status={task.status} />
          <DeadlineTag state={task.deadline_state} date={task.deadline} />
          {existing && <Tag color={REPORT_STATUSES[existing.status]?.color}>{REPORT_STATUSES[existing.status]?.label}</Tag>}
        </Space>
        {existing?.return_reason && (
          <Alert style={{ marginTop: 8 }} type="warning" showIcon message={`退回理由：${existing.return_reason}`} />
        )}
      </Card>
      {isLead && !existing && (
        <Card size="small" title="配合单位报送情况（已自动汇总，无需重复录入）" style={{ marginBottom: 12 }} data-testid="consolidation">
          {consolidation.error ? (
            <Alert type="info" showIcon message={problemMessage(consolidation.error)} />
          ) : sources.length === 0 ? (
            <Typography.Text type="secondary">本任务无配合单位</Typography.Text>
          ) : (
            <Space wrap>
              {sources.map((s) => (
                <Tag key={s.unit.id} color={s.report_id ? "green" : "orange"}>
                  {s.unit.short_name}：{s.report_id ? "已报送" : "未报送"}
                </Tag>
              ))}
            </Space>
          )}
        </Card>
      )}
      <Card size="small">
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="report-error" />}
        <Form form={form} layout="vertical" initialValues={{ kind: wantedKind }} disabled={busy}>
          <Form.Item name="kind" label="报告类型">
            <Radio.Group
              optionType="button"
              options={[
                { value: "progress", label: "进展报告" },
                ...(isLead ? [{ value: "completion", label: "办结报告" }] : []),
              ]}
              onChange={() => setPrefilled(null)}
            />
          </Form.Item>
          <Form.Item name="percent_done" label="完成比例（%）" rules={[{ type: "number", min: 0, max: 100, message: "0–100" }]}>
            <InputNumber min={0} max={100} style={{ width: 140 }} />
          </Form.Item>
          {REPORT_FIELDS.map((f) => (
            <Form.Item
              key={f.name}
              name={f.name}
              label={f.label}
              rules={"required" in f && f.required ? [{ required: true, whitespace: true, message: `请填写${f.label}` }] : []}
            >
              <Input.TextArea autoSize={{ minRows: f.name === "progress_text" ? 4 : 2, maxRows: 12 }} maxLength={20000} />
            </Form.Item>
          ))}
          <Form.Item label="附件" extra="pdf、ofd、doc、docx、xls、xlsx、jpg、png，单个不超过 20 MB">
            {existing?.attachments?.map((a) => (
              <div key={a.id}>
                <Tag>{a.kind.toUpperCase()}</Tag>
                {a.filename}
              </div>
            ))}
            <Upload
              multiple
              accept=".pdf,.ofd,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"
              fileList={files.map((f, i) => ({ uid: String(i), name: f.name, status: "done" as const }))}
              onRemove={(f) => setFiles((list) => list.filter((_, i) => String(i) !== f.uid))}
              beforeUpload={(file) => {
                const problem = uploadProblem(file.name, file.size);
                if (problem) message.error(`${file.name}：${problem}`);
                else setFiles((list) => [...list, file]);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />}>选择文件</Button>
            </Upload>
          </Form.Item>
          <Space wrap>
            <Button onClick={() => save(false)} loading={busy}>
              保存草稿
            </Button>
            <Button type="primary" onClick={() => save(true)} loading={busy} data-testid="report-submit">
              {kind === "completion" ? "提交并申请办结" : "提交回告"}
            </Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
