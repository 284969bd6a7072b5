import { Link } from "react-router";
import { Alert, Badge, Card, Col, Empty, List, Row, Space, Spin, Statistic, Typography } from "antd";
import dayjs from "dayjs";
import { $api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { useSession } from "@/features/auth/session";
import { DeadlineTag } from "@/features/tasks/tags";
import { TODO_KINDS, todoTarget, urgentCounts } from "./todo";

/** 工作台: what waits on the caller, grouped by kind, most urgent first. */
export default function WorkbenchPage() {
  const { me } = useSession();
  const query = $api.useQuery("get", "/api/v1/todo", {}, { refetchInterval: 60_000 });
  const groups = query.data?.groups ?? [];
  const urgent = urgentCounts(groups);

  return (
    <div data-testid="workbench">
      <div className="page-header">
        <Typography.Title level={4}>工作台</Typography.Title>
        <Typography.Text type="secondary">
          {me?.display_name} · {me?.unit.name} · {dayjs().format("YYYY年M月D日 dddd")}
        </Typography.Text>
      </div>
      {query.error && <Alert type="error" showIcon message={problemMessage(query.error)} />}
      {query.isPending ? (
        <div className="center-screen">
          <Spin />
        </div>
      ) : (
        <>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={12} sm={8} lg={4}>
              <Card size="small">
                <Statistic title="全部待办" value={query.data?.total ?? 0} />
              </Card>
            </Col>
            <Col xs={12} sm={8} lg={4}>
              <Card size="small" style={{ borderTop: "3px solid #cf1322" }}>
                <Statistic title="已逾期" value={urgent.overdue} valueStyle={{ color: "#cf1322" }} />
              </Card>
            </Col>
            <Col xs={12} sm={8} lg={4}>
              <Card size="small" style={{ borderTop: "3px solid #d48806" }}>
                <Statistic title="临期" value={urgent.dueSoon} valueStyle={{ color: "#d48806" }} />
              </Card>
            </Col>
            {groups
              .filter((g) => g.count > 0)
              .slice(0, 3)
              .map((g) => (
                <Col xs={12} sm={8} lg={4} key={g.kind}>
                  <Card size="small">
                    <Statistic title={TODO_KINDS[g.kind]?.label ?? g.kind} value={g.count} valueStyle={{ color: TODO_KINDS[g.kind]?.color }} />
                  </Card>
                </Col>
              ))}
          </Row>
          {query.data?.total === 0 ? (
            <Card>
              <Empty description="暂无待办事项" />
            </Card>
          ) : (
            <Row gutter={[12, 12]}>
              {groups
                .filter((g) => g.count > 0)
                .map((g) => (
                  <Col xs={24} lg={12} key={g.kind}>
                    <Card
                      size="small"
                      data-testid={`todo-${g.kind}`}
                      title={
                        <Space>
                          <Badge color={TODO_KINDS[g.kind]?.color} />
                          {TODO_KINDS[g.kind]?.label ?? g.kind}
                          <Typography.Text type="secondary">{g.count} 项</Typography.Text>
                        </Space>
                      }
                    >
                      <List
                        size="small"
                        dataSource={g.items}
                        renderItem={(item) => (
                          <List.Item>
                            <div style={{ display: "flex", flexDirection: "column", gap: 2, minWidth: 0, width: "100%" }}>
                              <Link to={todoTarget(item)} style={{ fontWeight: 500 }}>
                                {item.title}
                              </Link>
                              <Space wrap size={6}>
                                {item.due_date || item.deadline_state ? <DeadlineTag state={item.deadline_state} date={item.due_date} /> : null}
                                {item.unit_name && <Typography.Text type="secondary">{item.unit_name}</Typography.Text>}
                                {item.since && (
                                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                                    {dayjs(item.since).format("MM-DD HH:mm")} 起
                                  </Typography.Text>
                                )}
                              </Space>
                            </div>
                          </List.Item>
                        )}
                      />
                      {g.count > g.items.length && (
                        <Typography.Text type="secondary">另有 {g.count - g.items.length} 项，请在任务列表中查看</Typography.Text>
                      )}
                    </Card>
                  </Col>
                ))}
            </Row>
          )}
        </>
      )}
    </div>
  );
}
