import { useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { Alert, Badge, Button, Card, Input, Progress, Result, Space, Spin, Tag, Tooltip, Tree, Typography, type GetRef } from "antd";
import { ApartmentOutlined } from "@ant-design/icons";
import type { DataNode } from "antd/es/tree";
import { $api } from "@/lib/http";
import { isProblem, problemMessage } from "@/lib/problem";
import { useIsMobile } from "@/app/useIsMobile";
import { deadlineLook } from "./deadline";
import { statusLabel } from "./status";
import { branchKeys, countNodes, expandToMatches, keysToDepth } from "./tree";
import type { TreeNode } from "./types";

function NodeTitle({ node, mobile, hit }: { node: TreeNode; mobile: boolean; hit: boolean }) {
  // A collapsed branch shows its worst state (the colour a leader sees), a leaf its own.
  const shown = node.rollup?.worst_deadline_state ?? node.deadline_state;
  const look = deadlineLook(shown);
  return (
    <div className="tree-node" data-node-id={node.id}>
      <Badge color={look.color} />
      <span className={`tree-node-title${hit ? " tree-node-hit" : ""}`}>{node.title}</span>
      {node.context_only ? (
        <Tag>上级任务</Tag>
      ) : (
        <>
          {!mobile && <span className="tree-node-unit">{node.lead_unit?.short_name ?? ""}</span>}
          <Tag color={deadlineLook(node.deadline_state).tagColor} className="tree-node-tag">
            {node.deadline ?? "—"}
          </Tag>
          {!mobile && <span className="tree-node-status">{statusLabel(node.status)}</span>}
          <Tooltip title={node.behind_schedule ? "落后于序时进度" : undefined}>
            <Progress
              percent={node.progress ?? 0}
              size="small"
              status={node.behind_schedule ? "exception" : undefined}
              style={{ width: mobile ? 70 : 120, margin: 0 }}
            />
          </Tooltip>
          {node.rollup && node.children.length > 0 && (
            <span className="tree-node-rollup">
              {node.rollup.overdue_count > 0 && <Tag color="red">逾期 {node.rollup.overdue_count}</Tag>}
              {!mobile && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  未结 {node.rollup.open_count} · 已结 {node.rollup.completed_count}
                </Typography.Text>
              )}
            </span>
          )}
        </>
      )}
    </div>
  );
}

/** The whole tree of a key work in one request, virtualised so thousands of nodes stay smooth. */
export default function TaskTreePage() {
  const taskId = Number(useParams().taskId);
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const query = $api.useQuery("get", "/api/v1/tasks/{task_id}/tree", { params: { path: { task_id: taskId } } });
  const roots = useMemo<TreeNode[]>(() => (query.data ? [query.data as TreeNode] : []), [query.data]);
  const [expanded, setExpanded] = useState<number[] | null>(null);
  const [search, setSearch] = useState("");
  const [hits, setHits] = useState<Set<number>>(new Set());
  const treeRef = useRef<GetRef<typeof Tree>>(null);

  const treeData = useMemo(() => {
    const convert = (n: TreeNode): DataNode => ({
      key: n.id,
      title: <NodeTitle node={n} mobile={mobile} hit={hits.has(n.id)} />,
      children: n.children.length ? n.children.map(convert) : undefined,
    });
    return roots.map(convert);
  }, [roots, mobile, hits]);

  if (query.isPending) {
    return (
      <div className="center-screen">
        <Spin />
      </div>
    );
  }
  if (query.error) {
    if (isProblem(query.error) && query.error.status === 404) return <Result status="404" title="未找到该任务" />;
    return <Alert type="error" showIcon message={problemMessage(query.error)} />;
  }

  const total = countNodes(roots);
  const expandedKeys = expanded ?? keysToDepth(roots, 2);

  function find(value: string) {
    setSearch(value);
    const q = value.trim();
    if (!q) {
      setHits(new Set());
      return;
    }
    const { expanded: keys, matches } = expandToMatches(roots, (n) => n.title.includes(q) || (n.lead_unit?.name ?? "").includes(q));
    setHits(new Set(matches));
    setExpanded([...new Set([...expandedKeys, ...keys])]);
    // Bring the first match into view once the expanded rows exist.
    if (matches.length) setTimeout(() => treeRef.current?.scrollTo({ key: matches[0], align: "top" }), 50);
  }

  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>
          <ApartmentOutlined /> 任务树
        </Typography.Title>
        <Space wrap>
          <Typography.Text type="secondary">共 {total} 个节点</Typography.Text>
          <Button size="small" onClick={() => setExpanded(branchKeys(roots))}>
            全部展开
          </Button>
          <Button size="small" onClick={() => setExpanded([])}>
            全部收起
          </Button>
          <Link to={`/tasks/${taskId}`}>
            <Button size="small">任务详情</Button>
          </Link>
        </Space>
      </div>
      <Card size="small">
        <Space wrap style={{ marginBottom: 8 }}>
          <Input.Search placeholder="查找任务或单位" allowClear onSearch={find} style={{ width: 240 }} />
          {search && <Typography.Text type="secondary">找到 {hits.size} 项</Typography.Text>}
          <Space size={12} wrap>
            {(["overdue", "due_soon", "normal", "on_time", "late"] as const).map((s) => (
              <Badge key={s} color={deadlineLook(s).color} text={deadlineLook(s).label} />
            ))}
          </Space>
        </Space>
        <Tree
          ref={treeRef}
          data-testid="task-tree"
          treeData={treeData}
          height={mobile ? 520 : 600}
          itemHeight={36}
          virtual
          blockNode
          expandedKeys={expandedKeys}
          onExpand={(keys) => setExpanded(keys.map(Number))}
          onSelect={(keys) => keys.length && navigate(`/tasks/${keys[0]}`)}
        />
      </Card>
    </div>
  );
}
