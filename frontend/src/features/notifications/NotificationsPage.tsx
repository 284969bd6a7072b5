import { useState } from "react";
import { Link } from "react-router";
import { Alert, App, Badge, Button, Card, List, Segmented, Space, Tag, Typography } from "antd";
import { BellOutlined, CheckOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import type { components } from "@/api/schema";

type Notification = components["schemas"]["NotificationRead"];

const KINDS: Record<string, { label: string; color: string }> = {
  task_issued: { label: "交办", color: "blue" },
  due_soon: { label: "黄牌预警", color: "gold" },
  overdue: { label: "红牌逾期", color: "red" },
  ladder: { label: "预警", color: "orange" },
  supervision: { label: "督办", color: "volcano" },
  coordination: { label: "协调", color: "cyan" },
  instruction: { label: "批示", color: "purple" },
  escalated: { label: "升级提醒", color: "magenta" },
  delegation: { label: "代管", color: "geekblue" },
};

/** Where a notification opens: its link when it is an in-app path, else its task. */
export function notificationTarget(n: Pick<Notification, "link" | "task_id">): string | null {
  if (n.link && n.link.startsWith("/")) return n.link;
  return n.task_id ? `/tasks/${n.task_id}` : null;
}

export default function NotificationsPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<"all" | "unread">("unread");
  const list = useInfiniteQuery({
    queryKey: ["notifications", filter],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => {
      const { data, error } = await api.GET("/api/v1/notifications", {
        params: { query: { limit: 30, ...(filter === "unread" ? { unread: true } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
        signal,
      });
      if (error) throw error;
      return data!;
    },
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ["notifications"] }),
      queryClient.invalidateQueries({ queryKey: ["get", "/api/v1/notifications/unread-count"] }),
    ]);

  async function markRead(n: Notification) {
    if (n.read_at) return;
    const { error } = await api.POST("/api/v1/notifications/{notification_id}/read", { params: { path: { notification_id: n.id } } });
    if (error) message.error(problemMessage(error));
    await refresh();
  }

  async function receipt(n: Notification) {
    const { error } = await api.POST("/api/v1/notifications/{notification_id}/receipt", {
      params: { path: { notification_id: n.id } },
      body: { note: null },
    });
    if (error) message.error(problemMessage(error));
    else message.success("已签收回执");
    await refresh();
  }

  async function readAll() {
    const { error } = await api.POST("/api/v1/notifications/read-all", {});
    if (error) message.error(problemMessage(error));
    await refresh();
  }

  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>
          <BellOutlined /> 消息通知
        </Typography.Title>
        <Space wrap>
          <Segmented
            value={filter}
            onChange={(v) => setFilter(v as "all" | "unread")}
            options={[
              { value: "unread", label: "未读" },
              { value: "all", label: "全部" },
            ]}
          />
          <Button icon={<CheckOutlined />} onClick={readAll}>
            全部已读
          </Button>
        </Space>
      </div>
      <Card size="small">
        {list.error && <Alert type="error" showIcon message={problemMessage(list.error)} />}
        <List
          loading={list.isLoading}
          dataSource={items}
          locale={{ emptyText: filter === "unread" ? "没有未读消息" : "暂无消息" }}
          renderItem={(n) => {
            const target = notificationTarget(n);
            const kind = KINDS[n.kind];
            return (
              <List.Item
                onClick={() => markRead(n)}
                style={{ cursor: n.read_at ? undefined : "pointer" }}
                actions={[
                  n.requires_receipt && !n.receipt_at ? (
                    <Button key="r" size="small" type="primary" onClick={(e) => (e.stopPropagation(), receipt(n))}>
                      签收回执
                    </Button>
                  ) : null,
                  target ? (
                    <Link key="o" to={target} onClick={() => markRead(n)}>
                      查看
                    </Link>
                  ) : null,
                ].filter(Boolean)}
              >
                <List.Item.Meta
                  title={
                    <Space wrap size={4}>
                      {!n.read_at && <Badge status="processing" />}
                      <span style={{ fontWeight: n.read_at ? 400 : 600 }}>{n.title}</span>
                      {kind && <Tag color={kind.color}>{kind.label}</Tag>}
                      {n.urgent && <Tag color="red">紧急</Tag>}
                      {n.receipt_at && <Tag color="green">已回执</Tag>}
                    </Space>
                  }
                  description={
                    <>
                      <div style={{ whiteSpace: "pre-wrap" }}>{n.body}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {dayjs(n.created_at).format("YYYY-MM-DD HH:mm")}
                      </Typography.Text>
                    </>
                  }
                />
              </List.Item>
            );
          }}
        />
        {list.hasNextPage && (
          <div style={{ textAlign: "center" }}>
            <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
              加载更多
            </Button>
          </div>
        )}
      </Card>
    </div>
  );
}
