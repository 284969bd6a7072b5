import { describe, expect, it } from "vitest";
import { ACTION_SPECS, actionButtons, validateTransition } from "./actions";
import { byUrgency, deadlineLook } from "./deadline";
import { filtersFromSearch, filtersToQuery, filtersToSearch } from "./filters";
import { allowedChildLeadUnits, validateChild } from "./decompose";

describe("deadline colours", () => {
  it("maps states to the three-colour scheme", () => {
    expect(deadlineLook("overdue").tagColor).toBe("red");
    expect(deadlineLook("due_soon").tagColor).toBe("gold");
    expect(deadlineLook("normal").tagColor).toBe("blue");
    expect(deadlineLook("on_time").tagColor).toBe("green");
    expect(deadlineLook("late").label).toBe("逾期办结");
    expect(deadlineLook("whatever").label).toBe("—");
    expect(deadlineLook(null).tagColor).toBe("default");
  });

  it("sorts overdue first, then due soon, then by date", () => {
    const items = [
      { s: "normal", d: "2026-01-01" },
      { s: "due_soon", d: "2026-03-01" },
      { s: "overdue", d: "2026-05-01" },
      { s: "due_soon", d: "2026-02-01" },
    ];
    expect(byUrgency(items, (i) => i.s, (i) => i.d).map((i) => i.d)).toEqual([
      "2026-05-01",
      "2026-02-01",
      "2026-03-01",
      "2026-01-01",
    ]);
  });
});

describe("allowed actions → buttons", () => {
  it("shows exactly the allowed actions, primary first", () => {
    const buttons = actionButtons(["cancel", "sign", "suspend"]);
    expect(buttons.map((b) => b.action)).toEqual(["sign", "suspend", "cancel"]);
    expect(buttons[0].label).toBe("签收");
    expect(buttons[2].danger).toBe(true);
  });

  it("shows nothing when nothing is allowed and leaves out actions this build does not know", () => {
    expect(actionButtons([])).toEqual([]);
    expect(actionButtons(undefined)).toEqual([]);
    expect(actionButtons(["frobnicate", "sign"]).map((b) => b.action)).toEqual(["sign"]);
  });

  it("puts each request on its own card and sends only transitions to the transitions endpoint", () => {
    const all = Object.keys(ACTION_SPECS);
    expect(actionButtons(all).map((b) => b.action).sort()).toEqual(
      ["approve", "cancel", "dispute", "edit", "issue", "reopen", "request_extension", "resume", "return", "sign", "submit", "suspend"].sort(),
    );
    expect(actionButtons(all, "children").map((b) => b.action)).toEqual(["decompose"]);
    expect(actionButtons(all, "reports").map((b) => b.action)).toEqual(["report"]);
    expect(actionButtons(all, "supervision").map((b) => b.action)).toEqual(["instruct", "coordinate", "supervise"]);
    const requests = actionButtons(all).filter((b) => !b.transition).map((b) => b.action);
    expect(requests.sort()).toEqual(["dispute", "edit", "request_extension"]);
  });

  it("requires a reason where the loop does", () => {
    expect(validateTransition("return", "")).toBe("请填写理由");
    expect(validateTransition("return", "  ")).toBe("请填写理由");
    expect(validateTransition("return", "材料不全")).toBeNull();
    expect(validateTransition("sign", undefined)).toBeNull();
  });
});

describe("task filters in the URL", () => {
  it("round-trips", () => {
    const filters = { status: ["assigned", "in_progress"], deadline_state: "overdue", lead_unit_id: 3, q: "营商环境" };
    const search = filtersToSearch(filters).toString();
    expect(filtersFromSearch(search)).toEqual(filters);
  });

  it("drops junk", () => {
    expect(filtersFromSearch("lead_unit_id=abc&due_before=tomorrow&q=%20&status=,a,,a")).toEqual({ status: ["a"] });
  });

  it("builds the API query without empty values", () => {
    expect(filtersToQuery({ status: [], q: "", root_id: 7 })).toEqual({ root_id: 7 });
  });
});

describe("decomposition checks", () => {
  const units = [
    { id: 1, name: "市政府", parent_id: null },
    { id: 2, name: "区", parent_id: 1 },
    { id: 3, name: "街道", parent_id: 2 },
    { id: 4, name: "住建局", parent_id: 1 },
    { id: 5, name: "商务局", parent_id: 1 },
  ];
  const parent = { deadline: "2026-06-30", lead_unit_id: 2, cooperating_unit_ids: [4] };

  it("allows the lead, its subtree and cooperating units", () => {
    expect([...allowedChildLeadUnits(parent, units)].sort()).toEqual([2, 3, 4]);
  });

  it("rejects a later deadline and a foreign lead unit", () => {
    const errors = validateChild({ title: "子任务", lead_unit_id: 5, deadline: "2026-07-01" }, parent, units);
    expect(errors.deadline).toContain("2026-06-30");
    expect(errors.lead_unit_id).toBeDefined();
  });

  it("accepts a valid child", () => {
    expect(validateChild({ title: "子任务", lead_unit_id: 3, deadline: "2026-06-30" }, parent, units)).toEqual({});
  });
});

import { changedFields, editableOf } from "./taskForm";

describe("task edit", () => {
  it("sends only changed fields", () => {
    expect(
      changedFields(
        { title: "a", lead_unit_id: 3, cooperating_unit_ids: [1, 2], deadline: "2026-12-31", source_ref: null },
        { title: "a", lead_unit_id: 3, cooperating_unit_ids: [1, 2, 4], deadline: "2027-01-31", source_ref: null },
      ),
    ).toEqual({ cooperating_unit_ids: [1, 2, 4], deadline: "2027-01-31" });
  });
});

describe("a form that edits some fields (the decomposition page's child editor)", () => {
  const form = ["title", "lead_unit_id", "deadline"] as const;

  it("offers those the API lists, in the form's order", () => {
    expect(editableOf(form, ["deadline", "content", "title", "lead_unit_id", "tags"])).toEqual(["title", "lead_unit_id", "deadline"]);
    // Signed for: the lead unit is settled.
    expect(editableOf(form, ["title", "content", "deadline", "milestones"])).toEqual(["title", "deadline"]);
  });

  it("offers nothing the API does not list", () => {
    expect(editableOf(form, ["milestones", "progress"])).toEqual([]);
    expect(editableOf(form, [])).toEqual([]);
  });
});
