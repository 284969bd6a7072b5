import { useMemo } from "react";
import { Link } from "react-router";
import { Alert, Badge, Card, Col, List, Row, Space, Spin, Statistic, Table, Tag, Typography } from "antd";
import { AlertOutlined } from "@ant-design/icons";
import { $api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { byUrgency, deadlineLook } from "@/features/tasks/deadline";
import { DeadlineTag, ProgressBar, StatusTag } from "@/features/tasks/tags";
import { byLeadUnit } from "@/features/dashboard/aggregate";
import { useScopedTasks } from "@/features/dashboard/useScopedTasks";
import { TODO_KINDS, todoTarget } from "@/features/todo/todo";
import type { Task } from "@/features/tasks/types";
import UrgeButton from "./UrgeButton";
import SlipsCard from "./SlipsCard";
import PendingAnswersCard from "./PendingAnswersCard";

/**
 * 督查台: what waits for the office (reviews, approvals, answers), the overdue and due-soon
 * work by unit, and urging in one place.
 */
export default function SupervisorConsole() {
  const todo = $api.useQuery("get", "/api/v1/todo", {});
  const scoped = useScopedTasks();
  const tasks = useMemo(() => scoped.data?.tasks ?? [], [scoped.data]);
  const pending = tasks.filter((t) => t.status === "pending_review");
  const late = useMemo(
    () =>
      byUrgency(
        tasks.filter((t) => t.deadline_state === "overdue" || t.deadline_state === "due_soon"),
        (t) => t.deadline_state,
        (t) => t.deadline,
      ),
    [tasks],
  );
  const units = useMemo(() => byLeadUnit(tasks).filter((u) => u.overdue + u.dueSoon > 0), [tasks]);
  const waiting = (todo.data?.groups ?? []).filter((g) => ["review", "approve", "respond"].includes(g.kind) && g.count > 0);

  if (scoped.isPending) {
    return (
      <div className="center-screen">
        <Spin />
      </div>
    );
  }

  return (
    <div data-testid="supervisor-console">
      <div className="page-header">
        <Typography.Title level={4}>
          <AlertOutlined /> 督查台
        </Typography.Title>
      </div>
      {(scoped.error || todo.error) && <Alert type="error" showIcon message={problemMessage(scoped.error ?? todo.error)} />}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title="待审核办结" value={pending.length} valueStyle={{ color: "#722ed1" }} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title="待处理事项" value={waiting.reduce((n, g) => n + g.count, 0)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title="逾期" value={tasks.filter((t) => t.deadline_state === "overdue").length} valueStyle={{ color: deadlineLook("overdue").color }} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title="临期" value={tasks.filter((t) => t.deadline_state === "due_soon").length} valueStyle={{ color: deadlineLook("due_soon").color }} />
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card size="small" title="待审核办结申请" data-testid="console-pending">
            <List
              size="small"
              dataSource={pending}
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
          <Card size="small" title="逾期、临期单位">
            <Table
              rowKey="unit"
              size="small"
              pagination={false}
              dataSource={units}
              locale={{ emptyText: "没有逾期或临期的单位" }}
              columns={[
                { title: "牵头单位", dataIndex: "unit" },
                { title: "逾期", dataIndex: "overdue", width: 60, render: (v: number) => <Typography.Text type={v ? "danger" : undefined}>{v}</Typography.Text> },
                { title: "临期", dataIndex: "dueSoon", width: 60, render: (v: number) => <Typography.Text type={v ? "warning" : undefined}>{v}</Typography.Text> },
                { title: "在办", dataIndex: "open", width: 60 },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title="逾期、临期事项（一键催办）" data-testid="console-late">
            <Table<Task>
              rowKey="id"
              size="small"
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              dataSource={late}
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
          </Card>
        </Col>
      </Row>
    </div>
  );
}
