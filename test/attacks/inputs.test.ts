import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { miniWorkspace, ROOT, runCli } from "../helpers.js";

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

describe("a JSON ledger whose own entity differs from the one consolidate.json gives its file", () => {
  it("is refused at the entity, never booked on either", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/b.json": JSON.stringify({
        entity: "a",
        vouchers: [
          {
            series: "B",
            number: 1,
            date: "2013-06-30",
            postings: [
              { account: "1930", amount: "900.50" },
              { account: "3010", amount: "-900.50" },
            ],
          },
        ],
      }),
      "consolidate.json": JSON.stringify(
        Object.assign(JSON.parse(readFileSync(join(ROOT, "fixtures", "mini", "consolidate.json"), "utf8")), {
          years: {
            2013: {
              ledgers: [
                { path: "ledgers/2013/a.csv", entity: "a" },
                { path: "ledgers/2013/b.json", entity: "b" },
              ],
              openingBalances: [{ path: "ledgers/2013/opening.csv" }],
            },
          },
        }),
      ),
    });
    const r = await runCli(["check", "2013", "--dir", ".", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const codes = (JSON.parse(r.stdout) as { code: string; message: string }[]).map((d) => d.code);
    expect(codes[0]).toBe("E-ENTITY-CONFLICT");
  });
});
