import { useState } from "react";
import { Link } from "react-router";
import { Alert, App, Button, Card, Collapse, Descriptions, Empty, Form, Input, Modal, Radio, Space, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { $api, api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { reportApiError } from "@/lib/forms";
import { useIsMobile } from "@/app/useIsMobile";
import { useTaskInvalidation } from "@/features/tasks/invalidation";
import type { Report, TaskDetail } from "@/features/tasks/types";
import { ACTION_SPECS } from "@/features/tasks/actions";
import { REPORT_FIELDS, REPORT_KINDS, REPORT_STATUSES } from "./labels";
import { downloadAttachment } from "@/features/attachments/AttachmentsCard";
import { formatBytes } from "@/features/attachments/rules";

function ReportBody({ report }: { report: Report }) {
  const mobile = useIsMobile();
  return (
    <Descriptions column={1} size="small" bordered labelStyle={{ width: mobile ? 90 : 140 }}>
      {report.percent_done != null && <Descriptions.Item label="完成比例">{report.percent_done}%</Descriptions.Item>}
      {REPORT_FIELDS.map((f) =>
        report[f.name] ? (
          <Descriptions.Item key={f.name} label={f.label}>
            <span style={{ whiteSpace: "pre-wrap" }}>{report[f.name]}</span>
          </Descriptions.Item>
        ) : null,
      )}
      {report.return_reason && (
        <Descriptions.Item label={report.status === "returned" ? "退回理由" : "上次退回理由"}>
          <Typography.Text type="danger">{report.return_reason}</Typography.Text>
        </Descriptions.Item>
      )}
      {report.attachments?.length ? (
        <Descriptions.Item label="附件">
          {report.attachments.map((a) => (
            <div key={a.id}>
              <Typography.Link onClick={() => downloadAttachment(a.id, a.filename)}>{a.filename}</Typography.Link>{" "}
              <Typography.Text type="secondary">({formatBytes(a.size_bytes)})</Typography.Text>
            </div>
          ))}
        </Descriptions.Item>
      ) : null}
    </Descriptions>
  );
}

/**
 * The task's reports with the actions each allows (submit, unit approval, review); a new report
 * is offered when the task's `allowed_actions` lists `report`.
 */
export default function ReportsCard({ task }: { task: TaskDetail }) {
  const { message } = App.useApp();
  const invalidateTask = useTaskInvalidation();
  const [reviewing, setReviewing] = useState<{ report: Report; kind: "review" | "approve_unit" } | null>(null);
  const [form] = Form.useForm<{ decision: string; reason?: string }>();
  const [busy, setBusy] = useState(false);
  const query = $api.useQuery("get", "/api/v1/tasks/{task_id}/reports", { params: { path: { task_id: task.id } } });
  const reports = query.data?.items ?? [];

  const refresh = invalidateTask;

  async function submit(report: Report) {
    const { error } = await api.POST("/api/v1/reports/{report_id}/submit", { params: { path: { report_id: report.id } } });
    if (error) message.error(problemMessage(error));
    else {
      message.success("已报送");
      await refresh();
    }
  }

  async function decide() {
    if (!reviewing) return;
    const values = await form.validateFields();
    setBusy(true);
    try {
      const path = { params: { path: { report_id: reviewing.report.id } } };
      const reason = values.reason?.trim() || null;
      const { error } =
        reviewing.kind === "review"
          ? await api.POST("/api/v1/reports/{report_id}/review", {
              ...path,
              body: { decision: values.decision as "accept" | "return", reason },
            })
          : await api.POST("/api/v1/reports/{report_id}/approve-unit", {
              ...path,
              body: { decision: values.decision as "approve" | "return", reason },
            });
      if (error) throw error;
      message.success("已处理");
      setReviewing(null);
      await refresh();
    } catch (e) {
      reportApiError(e, form, message);
    } finally {
      setBusy(false);
    }
  }

  const positive = reviewing?.kind === "review" ? "accept" : "approve";
  return (
    <Card
      size="small"
      title={`回告（${reports.length}）`}
      data-testid="reports"
      extra={
        task.allowed_actions.includes("report") && (
          <Link to={`/tasks/${task.id}/report`}>
            <Button size="small" data-testid="report">
              {ACTION_SPECS.report.label}
            </Button>
          </Link>
        )
      }
    >
      {query.error && <Alert type="error" showIcon message={problemMessage(query.error)} />}
      {reports.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无回告" />
      ) : (
        <Collapse
          size="small"
          defaultActiveKey={reports.slice(0, 1).map((r) => r.id)}
          items={reports.map((r) => ({
            key: r.id,
            label: (
              <Space wrap size={4}>
                <span>{r.unit.name}</span>
                <Tag color={r.capacity === "lead" ? "red" : "blue"}>{r.capacity === "lead" ? "牵头" : "配合"}</Tag>
                <Tag>{REPORT_KINDS[r.kind] ?? r.kind}</Tag>
                <Tag color={REPORT_STATUSES[r.status]?.color}>{REPORT_STATUSES[r.status]?.label ?? r.status}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {dayjs(r.submitted_at ?? r.updated_at).format("MM-DD HH:mm")}
                </Typography.Text>
              </Space>
            ),
            children: (
              <div data-testid={`report-${r.id}`}>
                <ReportBody report={r} />
                <Space wrap style={{ marginTop: 8 }}>
                  {(r.allowed_actions ?? []).includes("edit") && (
                    <Link to={`/tasks/${task.id}/report?report=${r.id}`}>
                      <Button size="small">编辑</Button>
                    </Link>
                  )}
                  {(r.allowed_actions ?? []).includes("submit") && (
                    <Button size="small" type="primary" onClick={() => submit(r)}>
                      报送
                    </Button>
                  )}
                  {(r.allowed_actions ?? []).includes("approve_unit") && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => {
                        form.resetFields();
                        form.setFieldsValue({ decision: "approve" });
                        setReviewing({ report: r, kind: "approve_unit" });
                      }}
                    >
                      单位把关
                    </Button>
                  )}
                  {(r.allowed_actions ?? []).includes("review") && (
                    <Button
                      size="small"
                      type="primary"
                      data-action="review-report"
                      onClick={() => {
                        form.resetFields();
                        form.setFieldsValue({ decision: "accept" });
                        setReviewing({ report: r, kind: "review" });
                      }}
                    >
                      审核
                    </Button>
                  )}
                </Space>
              </div>
            ),
          }))}
        />
      )}
      <Modal
        open={reviewing !== null}
        title={reviewing?.kind === "review" ? "审核回告" : "单位把关"}
        onCancel={() => setReviewing(null)}
        onOk={decide}
        confirmLoading={busy}
        okText="确定"
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="decision" label="结论" rules={[{ required: true }]}>
            <Radio.Group
              options={
                reviewing?.kind === "review"
                  ? [
                      { value: "accept", label: "采纳" },
                      { value: "return", label: "退回" },
                    ]
                  : [
                      { value: "approve", label: "同意报送" },
                      { value: "return", label: "退回修改" },
                    ]
              }
            />
          </Form.Item>
          <Form.Item noStyle dependencies={["decision"]}>
            {({ getFieldValue }) => (
              <Form.Item
                name="reason"
                label="意见"
                rules={
                  getFieldValue("decision") !== positive
                    ? [{ required: true, whitespace: true, message: "退回时须填写理由" }]
                    : []
                }
              >
                <Input.TextArea rows={3} maxLength={2000} showCount />
              </Form.Item>
            )}
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
