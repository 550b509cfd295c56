import { describe, expect, it } from "vitest";
import { miniWorkspace, runCli } from "../helpers.js";

/** Header names that are also names of Object.prototype are columns like any other. */
describe("a CSV header named __proto__ or constructor", () => {
  it.each(["__proto__", "constructor", "toString"])(
    "%s: an unknown column, said plainly, never a crash",
    async (name) => {
      const dir = miniWorkspace({
        "ledgers/2013/b.csv": `series,voucher,date,account,amount,counterparty,${name}\nB,1,2013-06-30,1930,900.50,,x\nB,1,2013-06-30,3010,-900.50,,x\n`,
      });
      const r = await runCli(["check", "2013", "--dir", "."], dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`error E-CSV-COLUMN-UNKNOWN: unknown column '${name}'`);
      expect(r.stdout + r.stderr).not.toMatch(/internal error|\n\s+at /);
    },
  );
});
