import { describe, expect, it } from "vitest";
import { filenameFromDisposition } from "./download";

describe("filenameFromDisposition", () => {
  it("prefers the exact UTF-8 name to the ASCII fallback", () => {
    const header =
      "attachment; filename=\"task-ledger_20261123_1850.xlsx\"; filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E4%BA%8B%E9%A1%B9%E5%8F%B0%E8%B4%A6_20261123_1850.xlsx";
    expect(filenameFromDisposition(header, "x.xlsx")).toBe("督办事项台账_20261123_1850.xlsx");
  });

  it("takes the plain name, quoted or not, when there is no exact one", () => {
    expect(filenameFromDisposition('attachment; filename="report.pdf"', "x")).toBe("report.pdf");
    expect(filenameFromDisposition("attachment; filename=report.pdf", "x")).toBe("report.pdf");
  });

  it("falls back when the header is missing, unreadable or names nothing", () => {
    expect(filenameFromDisposition(null, "台账.xlsx")).toBe("台账.xlsx");
    expect(filenameFromDisposition("attachment", "台账.xlsx")).toBe("台账.xlsx");
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E7%9D", "台账.xlsx")).toBe("台账.xlsx");
    expect(filenameFromDisposition("attachment; filename=\"a.xlsx\"; filename*=UTF-8''%E7%9D", "x")).toBe("a.xlsx");
  });
});
