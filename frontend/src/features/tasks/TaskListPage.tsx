import { useMemo, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Alert, App, Button, Card, DatePicker, Input, Select, Space, Table, Typography, Badge } from "antd";
import { FileExcelOutlined, PlusOutlined, ProfileOutlined, ReloadOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { useCursorPages } from "@/lib/useCursorPages";
import { LoadMore } from "@/lib/LoadMore";
import { problemMessage } from "@/lib/problem";
import { UnitPicker } from "@/features/org/units";
import { useSession } from "@/features/auth/session";
import { DEADLINE_STATES, deadlineLook } from "./deadline";
import { activeFilterCount, filtersFromSearch, filtersToQuery, filtersToSearch, type TaskFilters } from "./filters";
import { SOURCE_TYPES, TASK_STATUSES } from "./status";
import { DeadlineTag, ProgressBar, StatusTag } from "./tags";
import type { Task } from "./types";
import { useIsMobile } from "@/app/useIsMobile";
import { LeaderSelect } from "./fields";
import { downloadLedger } from "./ledger";

export default function TaskListPage() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(params), [params]);
  const navigate = useNavigate();
  const { can } = useSession();
  const mobile = useIsMobile();

  const set = (patch: Partial<TaskFilters>) => setParams(filtersToSearch({ ...filters, ...patch }), { replace: true });

  const list = useCursorPages("/api/v1/tasks", { ...filtersToQuery(filters), limit: 50 });
  const rows: Task[] = list.items;

  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  async function exportLedger() {
    setExporting(true);
    try {
      await downloadLedger(filters);
    } catch (e) {
      message.error(problemMessage(e, "导出失败，请稍后重试"));
    } finally {
      setExporting(false);
    }
  }

  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>
          <ProfileOutlined /> 督办任务
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => list.refetch()}>
            刷新
          </Button>
          <Button icon={<FileExcelOutlined />} loading={exporting} onClick={exportLedger} title="按当前筛选条件导出 Excel 台账">
            导出台账
          </Button>
          {can("tasks:manage") && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/tasks/new")}>
              新建任务
            </Button>
          )}
        </Space>
      </div>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }} data-testid="task-filters">
          <Input.Search
            key={filters.q ?? ""}
            defaultValue={filters.q}
            placeholder="关键词（标题、文号）"
            allowClear
            style={{ width: 220 }}
            onSearch={(q) => set({ q: q.trim() || undefined })}
          />
          <Select
            mode="multiple"
            placeholder="状态"
            allowClear
            style={{ minWidth: 160 }}
            value={filters.status ?? []}
            options={Object.entries(TASK_STATUSES).map(([value, s]) => ({ value, label: s.label }))}
            onChange={(status) => set({ status })}
          />
          <Select
            placeholder="时限状态"
            allowClear
            style={{ minWidth: 130 }}
            value={filters.deadline_state}
            options={DEADLINE_STATES.map((value) => ({ value, label: <Badge color={deadlineLook(value).color} text={deadlineLook(value).label} /> }))}
            onChange={(deadline_state) => set({ deadline_state })}
          />
          <div style={{ width: 220 }}>
            <UnitPicker
              placeholder="牵头单位"
              value={filters.lead_unit_id}
              onChange={(v) => set({ lead_unit_id: (v as number | undefined) ?? undefined })}
            />
          </div>
          <div style={{ width: 200 }}>
            <UnitPicker
              placeholder="参与单位（牵头或配合）"
              value={filters.unit_id}
              onChange={(v) => set({ unit_id: (v as number | undefined) ?? undefined })}
            />
          </div>
          <div style={{ width: 160 }}>
            <LeaderSelect value={filters.leader_id ?? null} onChange={(v) => set({ leader_id: v ?? undefined })} />
          </div>
          <Select
            placeholder="来源"
            allowClear
            style={{ width: 140 }}
            value={filters.source_type}
            options={Object.entries(SOURCE_TYPES).map(([value, label]) => ({ value, label }))}
            onChange={(source_type) => set({ source_type })}
          />
          <DatePicker.RangePicker
            placeholder={["时限起", "时限止"]}
            value={[filters.due_after ? dayjs(filters.due_after) : null, filters.due_before ? dayjs(filters.due_before) : null]}
            onChange={(range) =>
              set({ due_after: range?.[0]?.format("YYYY-MM-DD"), due_before: range?.[1]?.format("YYYY-MM-DD") })
            }
          />
          {activeFilterCount(filters) > 0 && (
            <Button type="link" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
              清除筛选
            </Button>
          )}
        </Space>
        {list.error && <Alert type="error" showIcon message={problemMessage(list.error)} style={{ marginBottom: 12 }} />}
        <Table<Task>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: mobile ? 720 : 1000 }}
          rowClassName={(t) => `deadline-row-${t.deadline_state ?? "none"}`}
          columns={[
            {
              title: "任务",
              dataIndex: "title",
              render: (title, t) => (
                <div>
                  <Link to={`/tasks/${t.id}`}>{title}</Link>
                  {t.source_ref && <div className="muted" style={{ fontSize: 12 }}>{t.source_ref}</div>}
                </div>
              ),
            },
            { title: "状态", dataIndex: "status", width: 90, render: (s) => <StatusTag status={s} /> },
            {
              title: "办结时限",
              width: 170,
              render: (_, t) => <DeadlineTag state={t.deadline_state} date={t.deadline} />,
            },
            { title: "牵头单位", width: 180, ellipsis: true, render: (_, t) => t.lead_unit?.name ?? "—" },
            { title: "进度", width: 150, render: (_, t) => <ProgressBar percent={t.progress} state={t.deadline_state} /> },
          ]}
        />
        <LoadMore pages={list} />
      </Card>
    </div>
  );
}
