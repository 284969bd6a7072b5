import { Alert, Card, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { $api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import { useIsMobile } from "@/app/useIsMobile";
import { DeadlineTag } from "./tags";
import type { components } from "@/api/schema";

type Obligation = components["schemas"]["ObligationRead"];

const KINDS: Record<string, string> = { sign: "签收", report: "回告", complete: "办结", instruction: "批示落实", answer: "督办答复" };

/** Every unit's report obligations (回告节点) with their own deadline colours. */
export default function ObligationsCard({ taskId }: { taskId: number }) {
  const mobile = useIsMobile();
  const query = $api.useQuery("get", "/api/v1/tasks/{task_id}/obligations", { params: { path: { task_id: taskId } } });
  const rows = query.data ?? [];
  if (!rows.length && !query.error) return null;
  return (
    <Card size="small" title="回告节点" data-testid="obligations">
      {query.error && <Alert type="error" showIcon message={problemMessage(query.error)} />}
      <Table<Obligation>
        rowKey="id"
        size="small"
        pagination={{ pageSize: 8, hideOnSinglePage: true }}
        dataSource={rows}
        scroll={mobile ? { x: 560 } : undefined}
        columns={[
          { title: "单位", dataIndex: "unit_name", width: 110 },
          {
            title: "事项",
            render: (_, o) => (
              <span>
                <Tag>{KINDS[o.kind] ?? o.kind}</Tag>
                {o.title}
                {o.internal && <Typography.Text type="secondary">（内部时限）</Typography.Text>}
              </span>
            ),
          },
          {
            title: "时限",
            width: 170,
            render: (_, o) => (
              <>
                <DeadlineTag state={o.deadline_state} date={o.due_date} />
                {o.paused && <Tag color="warning">暂停计时</Tag>}
              </>
            ),
          },
          {
            title: "完成",
            width: 110,
            render: (_, o) => (o.fulfilled_at ? dayjs(o.fulfilled_at).format("MM-DD HH:mm") : o.closed ? "已关闭" : "—"),
          },
        ]}
      />
    </Card>
  );
}
