import type { components } from "@/api/schema";

type S = components["schemas"];

export type Task = S["TaskSummary"];
export type TaskDetail = S["TaskRead"];
export type Assignment = S["AssignmentRead"];
export type TreeNode = S["TaskTreeNode"];
export type TaskEvent = S["TaskEventRead"];
export type TaskCreate = S["TaskCreate"];
export type Report = S["ReportRead"];
export type Consolidation = S["Consolidation"];
export type Extension = S["ExtensionRead"];
export type Dispute = S["DisputeRead"];
