import { describe, expect, it } from "vitest";
import { nextLevel } from "./labels";

describe("supervision escalation", () => {
  it("suggests the next level up", () => {
    expect(nextLevel([])).toBe("reminder");
    expect(nextLevel(["reminder"])).toBe("urge");
    expect(nextLevel(["urge", "reminder"])).toBe("notice");
    expect(nextLevel(["referral"])).toBe("referral");
  });
});
