import { App, Button, Card, Segmented, Space, Table, Tag, Typography } from "antd";
import { PrinterOutlined } from "@ant-design/icons";
import { Link } from "react-router";
import { useState } from "react";
import { $api, api } from "@/lib/http";
import { problemMessage } from "@/lib/problem";
import type { components } from "@/api/schema";

type Slip = components["schemas"]["Slip"];

const COLORS: Record<string, { label: string; color: string }> = {
  red: { label: "红色督查单（逾期）", color: "red" },
  yellow: { label: "黄色督查单（滞后）", color: "gold" },
  blue: { label: "蓝色督查单（临期）", color: "blue" },
};

/** 三色督查单: the slips as data, and the printable page the office hands out. */
export default function SlipsCard() {
  const { message } = App.useApp();
  const [color, setColor] = useState<string>("all");
  const query = $api.useQuery("get", "/api/v1/slips", { params: { query: color === "all" ? {} : { color: color as never } } });

  async function print() {
    const { data, error } = await api.GET("/api/v1/slips/print", {
      params: { query: color === "all" ? {} : { color: color as never } },
      parseAs: "text",
    });
    if (error || data == null) {
      message.error(problemMessage(error));
      return;
    }
    const url = URL.createObjectURL(new Blob([data as string], { type: "text/html;charset=utf-8" }));
    window.open(url, "_blank");
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  return (
    <Card
      size="small"
      title="三色督查单"
      extra={
        <Space wrap>
          <Segmented
            size="small"
            value={color}
            onChange={(v) => setColor(String(v))}
            options={[
              { value: "all", label: "全部" },
              { value: "red", label: "红" },
              { value: "yellow", label: "黄" },
              { value: "blue", label: "蓝" },
            ]}
          />
          <Button size="small" icon={<PrinterOutlined />} onClick={print}>
            打印
          </Button>
        </Space>
      }
    >
      <Table<Slip>
        rowKey={(s) => `${s.task_id}-${s.color}`}
        size="small"
        loading={query.isLoading}
        dataSource={query.data ?? []}
        pagination={{ pageSize: 8, hideOnSinglePage: true }}
        scroll={{ x: 640 }}
        locale={{ emptyText: "没有需要出具督查单的事项" }}
        columns={[
          { title: "颜色", width: 90, render: (_, s) => <Tag color={COLORS[s.color]?.color}>{COLORS[s.color]?.label.slice(0, 2) ?? s.color}</Tag> },
          { title: "事项", render: (_, s) => <Link to={`/tasks/${s.task_id}`}>{s.title}</Link> },
          { title: "牵头单位", width: 120, render: (_, s) => s.lead_unit_name ?? "—" },
          { title: "时限", width: 110, dataIndex: "deadline_date" },
          {
            title: "进度/序时",
            width: 100,
            render: (_, s) => (
              <Typography.Text type={s.progress < s.expected_progress ? "danger" : undefined}>
                {s.progress}% / {s.expected_progress}%
              </Typography.Text>
            ),
          },
          { title: "原因", dataIndex: "reason", ellipsis: true },
        ]}
      />
    </Card>
  );
}
