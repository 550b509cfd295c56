import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ledgerRowIsValid } from "../src/model/ledger-file.js";
import { readingOrder } from "../src/model/ledger.js";
import { validateSchema } from "../src/validate/schema.js";
import { miniWorkspace, ROOT, runCli, SJUHARAD, ALLOW_EXAMPLE } from "./helpers.js";

/** Reading ledger files in threads (--jobs) must never change a figure or a diagnostic. */
describe("ledger files read in parallel threads", () => {
  const same = async (args: string[], cwd = ROOT) => {
    const one = await runCli([...args, "--jobs", "1"], cwd);
    const many = await runCli([...args, "--jobs", "4"], cwd);
    expect(many.code).toBe(one.code);
    expect(many.stdout).toBe(one.stdout);
    return one;
  };

  it("gives the Sjuhärad 2013 report of one thread, from CSV and from SIE", async () => {
    const csv = await same(["2013", "--dir", SJUHARAD, "--format", "json"]);
    expect(JSON.parse(csv.stdout).statements.length).toBeGreaterThan(0);
    await same(["2013", "--dir", join(ROOT, "fixtures", "sjuharad-sie"), "--format", "json", ...ALLOW_EXAMPLE]);
    await same([
      "2013",
      "--dir",
      join(ROOT, "fixtures", "sjuharad-sie-combined"),
      "--format",
      "json",
      ...ALLOW_EXAMPLE,
    ]);
  });

  it("gives the same report when the prior year's threads read the year, or end before a year of one file", async () => {
    // The prior year's readers wait for the year (model/readers.ts): a year of two files takes them,
    // a year of one file is read here and lets them go.
    const mini = (file: string) => readFileSync(join(ROOT, "fixtures", "mini", file), "utf8");
    for (const current of [["a", "b"], ["a"]]) {
      const config = JSON.parse(mini("consolidate.json")) as { years: Record<string, unknown> };
      const ledgers = (year: number, units: string[]) =>
        units.map((u) => ({ path: `ledgers/${year}/${u}.csv`, entity: u }));
      config.years = {
        "2012": { ledgers: ledgers(2012, ["a", "b"]), openingBalances: [{ path: "ledgers/2013/opening.csv" }] },
        "2013": { ledgers: ledgers(2013, current) },
      };
      const dir = miniWorkspace({
        "consolidate.json": JSON.stringify(config),
        "ledgers/2012/a.csv": mini("ledgers/2013/a.csv").replaceAll(",2013-", ",2012-"),
        "ledgers/2012/b.csv": mini("ledgers/2013/b.csv").replaceAll(",2013-", ",2012-"),
      });
      const report = await same(["2013", "--format", "json", "--force"], dir);
      expect(JSON.parse(report.stdout).years).toEqual([2013, 2012]);
    }
  });

  it("finds the same problems, also a voucher number used again in another file", async () => {
    const many = await same(["check", "--format", "json"], join(ROOT, "fixtures", "invalid", "many-faults"));
    expect(JSON.parse(many.stdout).length).toBeGreaterThan(5);
    const dup = await same(
      ["check", "--format", "json"],
      join(ROOT, "fixtures", "invalid", "voucher-duplicate-across-files"),
    );
    expect(JSON.parse(dup.stdout)).toMatchObject([
      { code: "E-VOUCHER-DUPLICATE", file: "ledgers/2013/b-december.csv", line: 4, column: 3 },
    ]);
  });
});

describe("the quick ledger-row check", () => {
  const field = fc.oneof(
    fc.constantFrom("", "A", "1", "12", "1930", "19300", "193000", "1930000", "2013-02-28", "2013-02-29", "2012-02-29"),
    fc.constantFrom("2013-13-01", "2013-04-31", "2013-4-30", "x1", "V-1_a", "1 2", "-5.00", "2000-02-29", "1900-02-29"),
    fc.string({ maxLength: 12 }),
  );
  it("refuses an empty date, before and after it has accepted a real one", () => {
    const withDate = (date: string) => ledgerRowIsValid(undefined, "A", "1", date, "1930", "12.00");
    expect(withDate("")).toBe(false);
    expect(withDate("2013-02-28")).toBe(true);
    expect(withDate("")).toBe(false);
  });

  it("a ledger whose first row has no date: the schema's error at the date, not a date outside the year", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/a.csv":
        "series,voucher,date,account,amount,counterparty,text\nB,1,,1930,1000.00,,x\nB,1,2013-03-31,3810,-1000.00,M1,x\n",
    });
    const r = await runCli(["check", "2013", "--dir", ".", "--format", "json"], dir);
    expect(JSON.parse(r.stdout)).toMatchObject([{ code: "E-SCHEMA", file: "ledgers/2013/a.csv", line: 2, column: 5 }]);
  });

  it("never accepts a row the schema refuses", () => {
    fc.assert(
      fc.property(
        fc.option(field, { nil: undefined }),
        fc.tuple(field, field, field, field, field),
        (entity, [series, voucher, date, account, amount]) => {
          const row: Record<string, string> = { series, voucher, date, account, amount };
          if (entity !== undefined) row.entity = entity;
          const schemaAccepts = validateSchema("ledger-row", row, "x.csv", () => ({ line: 1, column: 1 })).length === 0;
          expect(ledgerRowIsValid(entity, series, voucher, date, account, amount)).toBe(schemaAccepts);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe("the order ledger files are read in", () => {
  const job = (path: string, entity?: string) => ({
    path,
    year: 2025,
    source: { path, ...(entity ? { entity } : {}) },
  });
  const jobs = [job("b.csv", "e10"), job("a.csv", "e2"), job("c.csv"), job("d.csv", "e100")];

  it("is the order of their rows in the year (entity, then path) while no file is much larger than the rest", () => {
    expect(readingOrder(jobs, [100, 100, 100, 100], 2)).toEqual([2, 0, 3, 1]);
    expect(readingOrder(jobs, [100, 5000, 90, 110], 1)).toEqual([2, 0, 3, 1]);
  });

  it("is the largest first when one file is more than half a thread's share, so that no thread is left with it at the end", () => {
    expect(readingOrder(jobs, [100, 5000, 90, 110], 2)).toEqual([1, 3, 0, 2]);
  });
});
