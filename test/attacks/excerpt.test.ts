import { describe, expect, it } from "vitest";
import { miniWorkspace, runCli } from "../helpers.js";

describe("an excerpt of a very long line", () => {
  it("shows a window around the field, with the caret under it", async () => {
    const long = "x".repeat(20_000);
    const dir = miniWorkspace({
      "ledgers/2013/b.csv": `text,series,voucher,date,account,amount,counterparty\n${long},B,1,2013-06-30,1930,9OO.50,\n${long},B,1,2013-06-30,3010,-900.50,\n`,
    });
    const r = await runCli(["check", "2013", "--dir", "."], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    const at = lines.findIndex((l) => l.includes("error E-AMOUNT-INVALID"));
    const [shown, caret] = [lines[at + 2]!, lines[at + 3]!];
    expect(shown.length).toBeLessThan(260);
    expect(shown).toContain("…");
    expect(shown[caret.indexOf("^")]).toBe("9");
    expect(shown.slice(caret.indexOf("^"), caret.indexOf("^") + 6)).toBe("9OO.50");
  });
});
