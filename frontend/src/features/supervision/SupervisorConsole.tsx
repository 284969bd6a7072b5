import { useState } from "react";
import { Link } from "react-router";
import { Alert, Badge, Button, Card, Col, List, Row, Segmented, Space, Statistic, Table, Tag, Typography } from "antd";
import { AlertOutlined } from "@ant-design/icons";
import { $api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { useCursorPages } from "@/lib/useCursorPages";
import { LoadMore } from "@/lib/LoadMore";
import { deadlineLook } from "@/features/tasks/deadline";
import { DeadlineTag, ProgressBar, StatusTag } from "@/features/tasks/tags";
import { TODO_KINDS, todoTarget } from "@/features/todo/todo";
import type { Task } from "@/features/tasks/types";
import type { components } from "@/api/schema";
import UrgeButton from "./UrgeButton";
import SlipsCard from "./SlipsCard";
import PendingAnswersCard from "./PendingAnswersCard";

type UnitLoad = components["schemas"]["UnitLoad"];
type Late = "overdue" | "due_soon";

const PAGE = 20;
const LATE_CHOICES: { value: string; label: string; states: Late[] }[] = [
  { value: "late", label: "逾期和临期", states: ["overdue", "due_soon"] },
  { value: "overdue", label: "逾期", states: ["overdue"] },
  { value: "due_soon", label: "临期", states: ["due_soon"] },
];

/**
 * 督查台: what waits for the office (reviews, approvals, answers), the overdue and due-soon
 * work by unit, and urging in one place. Figures come from GET /dashboard (counted in SQL over
 * the office's scope); the lists are server-filtered pages of GET /tasks, loaded on demand.
 */
export default function SupervisorConsole() {
  const todo = $api.useQuery("get", "/api/v1/todo", {});
  const dashboard = $api.useQuery("get", "/api/v1/dashboard", {});
  const [lateChoice, setLateChoice] = useState("late");
  const [unit, setUnit] = useState<UnitLoad | null>(null);
  const pending = useCursorPages("/api/v1/tasks", { status: ["pending_review"], limit: PAGE });
  const late = useCursorPages("/api/v1/tasks", {
    deadline_state: LATE_CHOICES.find((c) => c.value === lateChoice)!.states,
    lead_unit_id: unit?.unit_id,
    limit: PAGE,
  });

  const statusCount = Object.fromEntries((dashboard.data?.by_status ?? []).map((s) => [s.status, s.count]));
  const deadlineCount = Object.fromEntries((dashboard.data?.by_deadline_state ?? []).map((s) => [s.deadline_state, s.count]));
  const waiting = (todo.data?.groups ?? []).filter((g) => ["review", "approve", "respond"].includes(g.kind) && g.count > 0);

  return (
    <div data-testid="supervisor-console">
      <div className="page-header">
        <Typography.Title level={4}>
          <AlertOutlined /> 督查台
        </Typography.Title>
      </div>
      {(dashboard.error || todo.error) && <Alert type="error" showIcon message={problemMessage(dashboard.error ?? todo.error)} />}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title="待审核办结" loading={dashboard.isPending} value={statusCount.pending_review ?? 0} valueStyle={{ color: "#722ed1" }} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title="待处理事项" loading={todo.isPending} value={waiting.reduce((n, g) => n + g.count, 0)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title="逾期" loading={dashboard.isPending} value={deadlineCount.overdue ?? 0} valueStyle={{ color: deadlineLook("overdue").color }} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title="临期" loading={dashboard.isPending} value={deadlineCount.due_soon ?? 0} valueStyle={{ color: deadlineLook("due_soon").color }} />
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card size="small" title="待审核办结申请" data-testid="console-pending">
            {pending.error && <Alert type="error" showIcon message={problemMessage(pending.error)} />}
            <List
              size="small"
              loading={pending.isLoading}
              dataSource={pending.items}
              locale={{ emptyText: "没有待审核的办结申请" }}
              renderItem={(t) => (
                <List.Item extra={<DeadlineTag state={t.deadline_state} date={t.deadline} />}>
                  <Space direction="vertical" size={0}>
                    <Link to={`/tasks/${t.id}`}>{t.title}</Link>
                    <Typography.Text type="secondary">{t.lead_unit?.name}</Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
            <LoadMore pages={pending} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title="待处理（回告审核、延期审批、答复）">
            {waiting.length === 0 ? (
              <Typography.Text type="secondary">暂无</Typography.Text>
            ) : (
              waiting.map((g) => (
                <div key={g.kind} style={{ marginBottom: 8 }}>
                  <Badge color={TODO_KINDS[g.kind]?.color} text={`${TODO_KINDS[g.kind]?.label ?? g.kind}（${g.count}）`} />
                  <List
                    size="small"
                    dataSource={g.items}
                    renderItem={(i) => (
                      <List.Item>
                        <Link to={todoTarget(i)}>{i.title}</Link>
                        {i.unit_name && <Tag style={{ marginLeft: 8 }}>{i.unit_name}</Tag>}
                      </List.Item>
                    )}
                  />
                </div>
              ))
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <SlipsCard />
        </Col>
        <Col xs={24} lg={12}>
          <PendingAnswersCard />
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title="逾期、临期单位" data-testid="console-units">
            <Table<UnitLoad>
              rowKey="unit_id"
              size="small"
              loading={dashboard.isPending}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              dataSource={dashboard.data?.late_units ?? []}
              locale={{ emptyText: "没有逾期或临期的单位" }}
              rowClassName={(u) => (u.unit_id === unit?.unit_id ? "ant-table-row-selected" : "")}
              columns={[
                { title: "牵头单位", dataIndex: "unit_name" },
                { title: "逾期", dataIndex: "overdue", width: 60, render: (v: number) => <Typography.Text type={v ? "danger" : undefined}>{v}</Typography.Text> },
                { title: "临期", dataIndex: "due_soon", width: 60, render: (v: number) => <Typography.Text type={v ? "warning" : undefined}>{v}</Typography.Text> },
                { title: "在办", dataIndex: "open", width: 60 },
                {
                  title: "",
                  width: 70,
                  render: (_, u) => (
                    <Button size="small" type="link" data-testid={`console-unit-${u.unit_id}`} onClick={() => setUnit(u)}>
                      查看
                    </Button>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card
            size="small"
            title="逾期、临期事项（一键催办）"
            data-testid="console-late"
            extra={
              <Space wrap>
                {unit && (
                  <Tag closable onClose={() => setUnit(null)}>
                    {unit.unit_name}
                  </Tag>
                )}
                <Segmented size="small" value={lateChoice} onChange={(v) => setLateChoice(String(v))} options={LATE_CHOICES.map(({ value, label }) => ({ value, label }))} />
              </Space>
            }
          >
            {late.error && <Alert type="error" showIcon message={problemMessage(late.error)} />}
            <Table<Task>
              rowKey="id"
              size="small"
              loading={late.isLoading}
              pagination={false}
              dataSource={late.items}
              scroll={{ x: 640 }}
              locale={{ emptyText: "没有逾期或临期的事项" }}
              columns={[
                { title: "事项", dataIndex: "title", render: (t, r) => <Link to={`/tasks/${r.id}`}>{t}</Link> },
                { title: "牵头单位", width: 110, render: (_, r) => r.lead_unit?.short_name ?? "—" },
                { title: "状态", width: 80, render: (_, r) => <StatusTag status={r.status} /> },
                { title: "时限", width: 150, render: (_, r) => <DeadlineTag state={r.deadline_state} date={r.deadline} /> },
                { title: "进度", width: 120, render: (_, r) => <ProgressBar percent={r.progress} state={r.deadline_state} /> },
                { title: "", width: 80, render: (_, r) => <UrgeButton task={r} /> },
              ]}
            />
            <LoadMore pages={late} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
