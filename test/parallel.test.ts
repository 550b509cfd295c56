import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
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

  it("reads last year from the year's SIE files (#RAR -1) in every thread alike", async () => {
    // A reading thread is sent only what reading looks at (model/workspace.ts, forReading): of
    // each year's ledgers, those a SIE reader asks about. Each file opens the year 100 kr off where
    // it closed last year: said once, by the comparison of the years, not again by the file's own
    // check, which a reader leaves to it when the file is last year's source too.
    const example = join(ROOT, "fixtures", "sjuharad-sie");
    const group = JSON.parse(readFileSync(join(example, "consolidate.json"), "utf8")) as {
      chart: string;
      layouts: Record<string, string>;
      years: Record<string, { ledgers: { path: string }[] }>;
    };
    const ledgers = group.years["2013"]!.ledgers;
    const openedOff = (sie: string) => {
      const moved = new Set<string>();
      return sie
        .split("\n")
        .filter((line) => !line.startsWith("#KSUMMA"))
        .map((line) => {
          const [label, index, account, amount] = line.split(" ");
          const side = account?.[0];
          if (label !== "#IB" || index !== "0" || (side !== "1" && side !== "2") || moved.has(side)) return line;
          moved.add(side);
          return `#IB 0 ${account} ${(Number(amount) + (side === "1" ? 100 : -100)).toFixed(2)}`;
        })
        .join("\n");
    };
    const dir = miniWorkspace({
      "consolidate.json": JSON.stringify({
        ...group,
        $schema: undefined,
        chart: join(example, group.chart),
        layouts: Object.fromEntries(Object.entries(group.layouts).map(([y, p]) => [y, join(example, p)])),
        years: { 2013: { ledgers: ledgers.map((s) => ({ ...s, path: basename(s.path) })) } },
      }),
    });
    // Byte for byte (PC8) but for the lines changed: read and written one byte a character.
    for (const s of ledgers)
      writeFileSync(join(dir, basename(s.path)), openedOff(readFileSync(join(example, s.path), "latin1")), "latin1");
    const report = await same(["2013", "--format", "json", "--force", ...ALLOW_EXAMPLE], dir);
    expect(JSON.parse(report.stdout).years).toEqual([2013, 2012]);
    const check = await same(["check", "2013", "--format", "json", ...ALLOW_EXAMPLE], dir);
    const codes = new Set((JSON.parse(check.stdout) as { code: string }[]).map((d) => d.code));
    expect(codes).toContain("E-OPENING-CONTINUITY");
    expect(codes).not.toContain("E-SIE-CONTINUITY");
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
