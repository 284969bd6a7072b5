import { useState } from "react";
import { Alert, Button, Card, Input, Select, Space, Table, Tag, Typography } from "antd";
import { AuditOutlined, SafetyCertificateOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { $api } from "@/lib/http";
import { useCursorPages } from "@/lib/useCursorPages";
import { LoadMore } from "@/lib/LoadMore";
import { problemMessage } from "@/lib/problem";
import type { components } from "@/api/schema";

type Entry = components["schemas"]["AuditRead"];

const OUTCOME: Record<string, { label: string; color: string }> = {
  success: { label: "成功", color: "green" },
  failure: { label: "失败", color: "orange" },
  denied: { label: "拒绝", color: "red" },
  locked: { label: "锁定", color: "magenta" },
};

export default function AuditPage() {
  const [filters, setFilters] = useState<{ action?: string; outcome?: string }>({});
  const list = useCursorPages("/api/v1/audit", { ...filters, limit: 100 });
  const verify = $api.useQuery("get", "/api/v1/audit/verify", {}, { enabled: false, retry: false });
  const rows = list.items;
  const verification = verify.data as { ok?: boolean; checked?: number; first_bad_seq?: number | null } | undefined;

  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>
          <AuditOutlined /> 审计日志
        </Typography.Title>
        <Button icon={<SafetyCertificateOutlined />} onClick={() => verify.refetch()} loading={verify.isFetching}>
          校验哈希链
        </Button>
      </div>
      {verification && (
        <Alert
          style={{ marginBottom: 12 }}
          type={verification.ok ? "success" : "error"}
          showIcon
          message={verification.ok ? "哈希链完整，未发现篡改" : "哈希链校验失败，日志可能被篡改"}
          description={<pre style={{ margin: 0, whiteSpace: "pre-wrap" }}>{JSON.stringify(verification, null, 2)}</pre>}
        />
      )}
      {verify.isError && <Alert type="error" showIcon message={problemMessage(verify.failureReason)} style={{ marginBottom: 12 }} />}
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            placeholder="操作，如 auth.login"
            allowClear
            style={{ width: 220 }}
            onSearch={(v) => setFilters((f) => ({ ...f, action: v.trim() || undefined }))}
          />
          <Select
            placeholder="结果"
            allowClear
            style={{ width: 120 }}
            options={Object.entries(OUTCOME).map(([value, o]) => ({ value, label: o.label }))}
            onChange={(v) => setFilters((f) => ({ ...f, outcome: v ?? undefined }))}
          />
        </Space>
        {list.error && <Alert type="error" showIcon message={problemMessage(list.error)} />}
        <Table<Entry>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 1000 }}
          columns={[
            { title: "序号", dataIndex: "seq", width: 80 },
            { title: "时间", dataIndex: "at", width: 160, render: (t) => dayjs(t).format("YYYY-MM-DD HH:mm:ss") },
            { title: "操作人", dataIndex: "actor_username", width: 120, render: (v) => v ?? "—" },
            { title: "操作", dataIndex: "action", width: 180 },
            {
              title: "对象",
              width: 140,
              render: (_, r) => (r.target_type ? `${r.target_type}#${r.target_id ?? ""}` : "—"),
            },
            {
              title: "结果",
              dataIndex: "outcome",
              width: 80,
              render: (o: string) => <Tag color={OUTCOME[o]?.color}>{OUTCOME[o]?.label ?? o}</Tag>,
            },
            { title: "IP", dataIndex: "ip", width: 120, render: (v) => v ?? "—" },
            {
              title: "详情",
              dataIndex: "detail",
              ellipsis: true,
              render: (d) => <Typography.Text type="secondary">{JSON.stringify(d)}</Typography.Text>,
            },
          ]}
        />
        <LoadMore pages={list} />
      </Card>
    </div>
  );
}
