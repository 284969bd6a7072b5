import type { Task } from "@/features/tasks/types";
import { Link } from "react-router";
import { Button } from "antd";

/** Opens the task's supervision panel (催办/督办) on its page. */
export default function UrgeButton({ task }: { task: Task }) {
  return (
    <Link to={`/tasks/${task.id}#supervision`}>
      <Button size="small" danger>
        催办
      </Button>
    </Link>
  );
}
