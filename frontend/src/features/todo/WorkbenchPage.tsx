import { Card, Empty, Typography } from "antd";
import { useSession } from "@/features/auth/session";

export default function WorkbenchPage() {
  const { me } = useSession();
  return (
    <div>
      <div className="page-header">
        <Typography.Title level={4}>工作台</Typography.Title>
        <Typography.Text type="secondary">
          {me?.display_name}，{me?.unit.name}
        </Typography.Text>
      </div>
      <Card>
        <Empty description="暂无待办" />
      </Card>
    </div>
  );
}
