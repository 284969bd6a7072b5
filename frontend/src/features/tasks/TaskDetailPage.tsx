import { useEffect } from "react";
import { Link, useLocation, useParams } from "react-router";
import { Alert, Breadcrumb, Button, Card, Col, Descriptions, Empty, Result, Row, Space, Spin, Table, Tag, Timeline, Typography } from "antd";
import { ApartmentOutlined, FileTextOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { $api } from "@/lib/http";
import { isProblem, problemMessage } from "@/lib/problem";
import { useIsMobile } from "@/app/useIsMobile";
import TaskActions from "./TaskActions";
import { ACTION_SPECS } from "./actions";
import { DeadlineTag, ProgressBar, StatusTag } from "./tags";
import { ASSIGNMENT_ROLES, ASSIGNMENT_STATES, FEEDBACK_CYCLES, SOURCE_TYPES, statusLabel } from "./status";
import { deadlineLook } from "./deadline";
import type { Assignment, TaskDetail, TreeNode } from "./types";
import ReportsCard from "@/features/reports/ReportsCard";
import { ExtensionsCard, DisputesCard } from "./RequestsCards";
import EventsTimeline from "./EventsTimeline";
import SupervisionPanel from "@/features/supervision/SupervisionPanel";
import ObligationsCard from "./ObligationsCard";
import AttachmentsCard from "@/features/attachments/AttachmentsCard";

const fmt = (t?: string | null) => (t ? dayjs(t).format("YYYY-MM-DD HH:mm") : "—");

function AssignmentsCard({ task }: { task: TaskDetail }) {
  const mobile = useIsMobile();
  const assignments: Assignment[] = task.assignments ?? [];
  return (
    <Card size="small" title="承办单位" data-testid="assignments">
      <Table<Assignment>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={assignments}
        scroll={mobile ? { x: 560 } : undefined}
        columns={[
          { title: "单位", render: (_, a) => a.unit.name },
          {
            title: "角色",
            dataIndex: "capacity",
            width: 70,
            render: (c: string) => <Tag color={c === "lead" ? "red" : "blue"}>{ASSIGNMENT_ROLES[c] ?? c}</Tag>,
          },
          {
            title: "状态",
            dataIndex: "state",
            width: 90,
            render: (s: string) => <Tag color={ASSIGNMENT_STATES[s]?.color}>{ASSIGNMENT_STATES[s]?.label ?? s}</Tag>,
          },
          { title: "签收时间", dataIndex: "signed_at", width: 140, render: fmt },
          {
            title: "时限",
            width: 150,
            render: (_, a) => (a.deadline_state ? <DeadlineTag state={a.deadline_state} date={a.due_date} /> : a.due_date ?? "—"),
          },
        ]}
      />
    </Card>
  );
}

function MilestonesCard({ task }: { task: TaskDetail }) {
  const milestones = task.milestones ?? [];
  return (
    <Card size="small" title="时间节点">
      {milestones.length ? (
        <Timeline
          items={milestones.map((m) => {
            const late = !m.done_date && dayjs(m.planned_date).isBefore(dayjs(), "day");
            return {
              color: m.done_date ? "green" : late ? "red" : "blue",
              children: (
                <div>
                  <div>{m.title}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    计划 {m.planned_date}
                    {m.done_date ? ` · 完成 ${m.done_date}` : late ? " · 已超期" : ""}
                  </Typography.Text>
                </div>
              ),
            };
          })}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="未设置时间节点" />
      )}
    </Card>
  );
}

function ChildrenCard({ task }: { task: TaskDetail }) {
  const tree = $api.useQuery(
    "get",
    "/api/v1/tasks/{task_id}/tree",
    { params: { path: { task_id: task.id } } },
    { enabled: task.children_count > 0 },
  );
  const children: TreeNode[] = task.children_count > 0 ? ((tree.data as TreeNode | undefined)?.children ?? []) : [];
  return (
    <Card
      size="small"
      title={`子任务（${task.children_count}）`}
      extra={
        <Space>
          {task.allowed_actions.includes("decompose") && (
            <Link to={`/tasks/${task.id}/decompose`}>
              <Button size="small" type="primary" ghost data-testid="decompose">
                {ACTION_SPECS.decompose.label}
              </Button>
            </Link>
          )}
          <Link to={`/tasks/${task.root_id ?? task.id}/tree`}>
            <Button size="small" icon={<ApartmentOutlined />}>
              任务树
            </Button>
          </Link>
        </Space>
      }
    >
      {children.length ? (
        <Table<TreeNode>
          rowKey="id"
          size="small"
          pagination={false}
          loading={tree.isLoading}
          dataSource={children}
          expandable={{ childrenColumnName: "_none" }}
          scroll={{ x: 560 }}
          columns={[
            { title: "子任务", dataIndex: "title", render: (t, c) => <Link to={`/tasks/${c.id}`}>{t}</Link> },
            { title: "牵头单位", width: 160, render: (_, c) => c.lead_unit?.name ?? "—" },
            { title: "状态", width: 90, render: (_, c) => <StatusTag status={c.status} /> },
            { title: "时限", width: 160, render: (_, c) => <DeadlineTag state={c.deadline_state} date={c.deadline} /> },
          ]}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未分解" />
      )}
    </Card>
  );
}

export default function TaskDetailPage() {
  const taskId = Number(useParams().taskId);
  const mobile = useIsMobile();
  const query = $api.useQuery("get", "/api/v1/tasks/{task_id}", { params: { path: { task_id: taskId } } });
  const { hash } = useLocation();
  const loaded = !!query.data;
  useEffect(() => {
    // Links such as the console's 催办 open a section of the page (#supervision).
    if (loaded && hash) setTimeout(() => document.getElementById(hash.slice(1))?.scrollIntoView({ behavior: "smooth" }), 300);
  }, [loaded, hash]);

  if (query.isPending) {
    return (
      <div className="center-screen">
        <Spin />
      </div>
    );
  }
  if (query.error || !query.data) {
    if (isProblem(query.error) && query.error.status === 404) {
      return <Result status="404" title="未找到该任务" subTitle="任务不存在，或不在您的查看范围内。" data-testid="task-not-found" />;
    }
    return <Alert type="error" showIcon message={problemMessage(query.error)} />;
  }
  const task = query.data as TaskDetail;
  const look = deadlineLook(task.deadline_state);

  return (
    <div className="task-detail" data-testid="task-detail">
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[
          { title: <Link to="/tasks">督办任务</Link> },
          ...(task.ancestors ?? []).map((a) => ({ title: <Link to={`/tasks/${a.id}`}>{a.title}</Link> })),
          { title: task.title },
        ]}
      />
      <Card size="small" style={{ marginBottom: 12, borderTop: `3px solid ${look.color}` }}>
        <div className="page-header" style={{ marginBottom: 8 }}>
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="task-title">
              {task.title}
            </Typography.Title>
            <StatusTag status={task.status} />
            <DeadlineTag state={task.deadline_state} date={task.deadline} />
          </Space>
          <TaskActions task={task} size={mobile ? "small" : "middle"} />
        </div>
        <ProgressBar percent={task.progress} state={task.deadline_state} />
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={16}>
          <Space direction="vertical" style={{ width: "100%" }} size={12}>
            <Card size="small" title="基本信息">
              <Descriptions column={mobile ? 1 : 2} size="small" bordered>
                <Descriptions.Item label="来源">{SOURCE_TYPES[task.source_type ?? ""] ?? task.source_type ?? "—"}</Descriptions.Item>
                <Descriptions.Item label="文号/出处">{task.source_ref || "—"}</Descriptions.Item>
                <Descriptions.Item label="牵头单位">{task.lead_unit?.name ?? "—"}</Descriptions.Item>
                <Descriptions.Item label="责任领导">{task.leader_name ?? "—"}</Descriptions.Item>
                <Descriptions.Item label="办结时限">{task.deadline ?? "—"}</Descriptions.Item>
                <Descriptions.Item label="原定时限">{task.original_deadline ?? "—"}</Descriptions.Item>
                <Descriptions.Item label="回告周期">{FEEDBACK_CYCLES[task.feedback_cycle ?? ""] ?? task.feedback_cycle ?? "—"}</Descriptions.Item>
                <Descriptions.Item label="状态">{statusLabel(task.status)}</Descriptions.Item>
                <Descriptions.Item label="办理要求" span={mobile ? 1 : 2}>
                  <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }}>{task.content || "—"}</Typography.Paragraph>
                </Descriptions.Item>
              </Descriptions>
            </Card>
            <AssignmentsCard task={task} />
            <ChildrenCard task={task} />
            <ReportsCard task={task} />
            <ObligationsCard taskId={task.id} />
            <ExtensionsCard task={task} />
            <DisputesCard task={task} />
            <SupervisionPanel task={task} />
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Space direction="vertical" style={{ width: "100%" }} size={12}>
            <MilestonesCard task={task} />
            <AttachmentsCard taskId={task.id} canUpload={task.allowed_actions.includes("attach")} />
            <Card size="small" title={<><FileTextOutlined /> 流转记录</>}>
              <EventsTimeline taskId={task.id} />
            </Card>
          </Space>
        </Col>
      </Row>
    </div>
  );
}
