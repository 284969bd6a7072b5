import { Link } from "react-router";
import { Alert, Card, Col, Empty, Row, Spin, Statistic, Table, Typography } from "antd";
import { DashboardOutlined } from "@ant-design/icons";
import EChart from "@/lib/EChart";
import { $api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { deadlineLook } from "@/features/tasks/deadline";
import { statusLabel, TASK_STATUSES } from "@/features/tasks/status";
import { DeadlineTag, ProgressBar, StatusTag } from "@/features/tasks/tags";
import type { components } from "@/api/schema";

type KeyWork = components["schemas"]["KeyWork"];

/**
 * 领导驾驶舱: status counts, overdue by unit, progress per key work and the monthly trend,
 * aggregated by the API over everything in the caller's scope.
 */
export default function LeaderDashboard() {
  const query = $api.useQuery("get", "/api/v1/dashboard", {});

  if (query.isPending) {
    return (
      <div className="center-screen">
        <Spin />
      </div>
    );
  }
  if (query.error || !query.data) return <Alert type="error" showIcon message={problemMessage(query.error)} />;

  const data = query.data;
  const statusCount: Record<string, number> = Object.fromEntries(data.by_status.map((s) => [s.status, s.count]));
  const deadlineCount: Record<string, number> = Object.fromEntries(
    data.by_deadline_state.map((s) => [s.deadline_state, s.count]),
  );
  const units = data.units.slice(0, 12);
  const figures = {
    status: statusCount,
    deadline: deadlineCount,
    units: units.map((u) => ({ unit: u.unit_name, overdue: u.overdue, dueSoon: u.due_soon, open: u.open })),
    months: data.months.map((m) => ({ month: m.month, open: m.open, closed: m.completed })),
    works: data.key_works,
  };
  const open = data.total - (statusCount.completed ?? 0) - (statusCount.cancelled ?? 0);
  const statusOption = {
    tooltip: { trigger: "item" },
    legend: { bottom: 0, type: "scroll" },
    series: [
      {
        type: "pie",
        radius: ["40%", "68%"],
        data: Object.keys(TASK_STATUSES)
          .filter((s) => figures.status[s])
          .map((s) => ({ name: statusLabel(s), value: figures.status[s] })),
      },
    ],
  };
  const unitOption = {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: figures.units.map((u) => u.unit).reverse() },
    series: [
      { name: "逾期", type: "bar", stack: "s", color: deadlineLook("overdue").color, data: figures.units.map((u) => u.overdue).reverse() },
      { name: "临期", type: "bar", stack: "s", color: deadlineLook("due_soon").color, data: figures.units.map((u) => u.dueSoon).reverse() },
      { name: "其他在办", type: "bar", stack: "s", color: "#91caff", data: figures.units.map((u) => u.open - u.overdue - u.dueSoon).reverse() },
    ],
  };
  const trendOption = {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
    xAxis: { type: "category", data: figures.months.map((m) => m.month) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "已办结", type: "bar", stack: "m", color: "#389e0d", data: figures.months.map((m) => m.closed) },
      { name: "未办结", type: "bar", stack: "m", color: "#1677ff", data: figures.months.map((m) => m.open) },
    ],
  };

  return (
    <div data-testid="dashboard">
      <div className="page-header">
        <Typography.Title level={4}>
          <DashboardOutlined /> 领导驾驶舱
        </Typography.Title>
      </div>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {[
          { title: "督办事项", value: data.total, color: undefined },
          { title: "在办", value: open, color: "#1677ff" },
          { title: "已办结", value: figures.status.completed ?? 0, color: "#389e0d" },
          { title: "临期（黄牌）", value: figures.deadline.due_soon ?? 0, color: deadlineLook("due_soon").color },
          { title: "逾期（红牌）", value: figures.deadline.overdue ?? 0, color: deadlineLook("overdue").color },
          { title: "待审核", value: figures.status.pending_review ?? 0, color: "#722ed1" },
        ].map((s) => (
          <Col xs={12} sm={8} lg={4} key={s.title}>
            <Card size="small">
              <Statistic title={s.title} value={s.value} valueStyle={{ color: s.color }} />
            </Card>
          </Col>
        ))}
      </Row>
      {data.total === 0 ? (
        <Card>
          <Empty description="暂无督办事项" />
        </Card>
      ) : (
        <Row gutter={[12, 12]}>
          <Col xs={24} lg={10}>
            <Card size="small" title="事项状态">
              <EChart option={statusOption} height={280} testId="chart-status" />
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card size="small" title="各牵头单位在办与逾期">
              <EChart option={unitOption} height={280} testId="chart-units" />
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card size="small" title="重点工作进度">
              <Table<KeyWork>
                rowKey="id"
                size="small"
                pagination={{ pageSize: 8, hideOnSinglePage: true }}
                dataSource={figures.works}
                scroll={{ x: 560 }}
                columns={[
                  { title: "重点工作", dataIndex: "title", render: (t, r) => <Link to={`/tasks/${r.id}/tree`}>{t}</Link> },
                  { title: "牵头单位", width: 110, render: (_, r) => r.lead_unit_name ?? "—" },
                  { title: "状态", width: 80, render: (_, r) => <StatusTag status={r.status} /> },
                  { title: "时限", width: 150, render: (_, r) => <DeadlineTag state={r.deadline_state} date={r.deadline} /> },
                  { title: "进度", width: 140, render: (_, r) => <ProgressBar percent={r.progress} state={r.deadline_state} /> },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card size="small" title="按月到期事项">
              <EChart option={trendOption} height={280} testId="chart-trend" />
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
