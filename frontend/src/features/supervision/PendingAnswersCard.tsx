import { Link } from "react-router";
import { Card, List, Space, Tag, Typography } from "antd";
import { $api } from "@/lib/http";
import { useUnitNames } from "@/features/org/units";
import { ACTION_LEVELS } from "./labels";

/** 督办记录 still waiting for the unit's written answer, across the office's tasks. */
export default function PendingAnswersCard() {
  const names = useUnitNames();
  const query = $api.useQuery("get", "/api/v1/supervision-actions", { params: { query: { unanswered: true, limit: 20 } } });
  const items = query.data?.items ?? [];
  return (
    <Card size="small" title={`待答复的督办（${items.length}${query.data?.next_cursor ? "+" : ""}）`} loading={query.isLoading}>
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: "没有待答复的督办" }}
        renderItem={(a) => (
          <List.Item extra={<Link to={`/tasks/${a.task_id}#supervision`}>查看事项</Link>}>
            <Space direction="vertical" size={0} style={{ minWidth: 0 }}>
              <Space size={4} wrap>
                <Tag color={ACTION_LEVELS[a.level]?.color}>{ACTION_LEVELS[a.level]?.label ?? a.level}</Tag>
                <span>{names.get(a.unit_id)?.short_name ?? `单位${a.unit_id}`}</span>
                {a.response_due_date && <Typography.Text type="secondary">答复期限 {a.response_due_date}</Typography.Text>}
              </Space>
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: 420 }}>
                {a.content}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
