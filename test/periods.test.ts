import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closingOf, movementOf, type BalanceRow } from "../src/domain/balance.js";
import { parsePeriod, samePeriodIn, type Period } from "../src/domain/period.js";
import { loadYear } from "../src/model/ledger.js";
import { loadWorkspace } from "../src/model/workspace.js";
import { miniWorkspace, runCli, SJUHARAD } from "./helpers.js";

/** Issue 16: any part of a year, read while streaming; the parts add up to the year. */
const YEAR: Period = { start: "2013-01-01", end: "2013-12-31" };

describe("periods as people write them", () => {
  it.each([
    ["2013-01-01..2013-08-31", "2013-01-01", "2013-08-31"],
    ["2013-01..2013-08", "2013-01-01", "2013-08-31"],
    ["2013-02", "2013-02-01", "2013-02-28"],
    ["jan-aug", "2013-01-01", "2013-08-31"],
    ["maj–aug", "2013-05-01", "2013-08-31"],
    ["T2", "2013-05-01", "2013-08-31"],
    ["q4", "2013-10-01", "2013-12-31"],
    ["H1", "2013-01-01", "2013-06-30"],
  ])("%s is %s – %s", (text, start, end) => {
    expect(parsePeriod(text, YEAR)).toEqual({ period: { start, end } });
  });

  it("in a broken fiscal year, months and tertials follow the fiscal year", () => {
    const fiscal = { start: "2009-07-01", end: "2010-06-30" };
    expect(parsePeriod("jan-feb", fiscal)).toEqual({ period: { start: "2010-01-01", end: "2010-02-28" } });
    expect(parsePeriod("T1", fiscal)).toEqual({ period: { start: "2009-07-01", end: "2009-10-31" } });
  });

  it("refuses what is not a period, and one outside the year", () => {
    for (const text of [
      "2013-13",
      "aug-13",
      "T4",
      "2013-08-31..2013-01-01",
      "2014-01..2014-02",
      "2013-02-30..2013-03-01",
    ])
      expect(parsePeriod(text, YEAR)).toHaveProperty("problem");
  });

  it("the same part of the year before keeps the month's end", () => {
    expect(
      samePeriodIn(
        { start: "2012-01-01", end: "2012-02-29" },
        { start: "2012-01-01", end: "2012-12-31" },
        { start: "2011-01-01", end: "2011-12-31" },
      ),
    ).toEqual({
      start: "2011-01-01",
      end: "2011-02-28",
    });
  });
});

const ACCOUNTS = ["1510", "1930", "2440", "3010", "5010"];
const posting = fc.record({
  day: fc.integer({ min: 0, max: 364 }),
  debit: fc.constantFrom(...ACCOUNTS),
  credit: fc.constantFrom(...ACCOUNTS),
  amount: fc.integer({ min: 1, max: 10_000_000 }),
  entity: fc.constantFrom("a", "b"),
});
const isoDay = (day: number) => new Date(Date.UTC(2013, 0, 1 + day)).toISOString().slice(0, 10);
const money = (ore: number) => `${Math.floor(ore / 100)}.${String(ore % 100).padStart(2, "0")}`;

/** Cuts of the year: each a last day of a period, the last one the year's end. */
const cuts = fc
  .uniqueArray(fc.integer({ min: 0, max: 363 }), { maxLength: 5 })
  .map((days) => [...days.sort((x, y) => x - y).map(isoDay), "2013-12-31"]);

async function rowsOf(dir: string, window?: Period): Promise<BalanceRow[]> {
  const ws = (await loadWorkspace(dir)).value!;
  const { ledgers, diagnostics } = await loadYear(ws, 2013, window ? { window } : {});
  expect(diagnostics).toEqual([]);
  return [...ledgers.rows];
}

const byKey = (rows: readonly BalanceRow[], f: (r: BalanceRow) => bigint) => {
  const out = new Map<string, bigint>();
  for (const r of rows)
    out.set(
      `${r.entity}|${r.account}|${r.counterparty}`,
      (out.get(`${r.entity}|${r.account}|${r.counterparty}`) ?? 0n) + f(r),
    );
  for (const [k, v] of out) if (v === 0n) out.delete(k);
  return out;
};
const isResult = (key: string) => key.split("|")[1]! >= "3000";

describe("the parts of a year add up to the year", () => {
  it("result accounts: the parts' movements sum to the year's; balance accounts: each part closes at the year's balance on its last day", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(posting, { minLength: 1, maxLength: 40 }), cuts, async (postings, ends) => {
        const valid = postings.filter((p) => p.debit !== p.credit);
        fc.pre(valid.some((p) => p.entity === "a") && valid.some((p) => p.entity === "b"));
        const linesOf = (entity: string) =>
          valid
            .filter((p) => p.entity === entity)
            .flatMap((p, i) => [
              `V,${i + 1},${isoDay(p.day)},${p.debit},${money(p.amount)},,Post ${i + 1}`,
              `V,${i + 1},${isoDay(p.day)},${p.credit},-${money(p.amount)},,Post ${i + 1}`,
            ]);
        const header = "series,voucher,date,account,amount,counterparty,text\n";
        const dir = miniWorkspace({
          "ledgers/2013/a.csv": `${header}${linesOf("a").join("\n")}\n`,
          "ledgers/2013/b.csv": `${header}${linesOf("b").join("\n")}\n`,
        });
        const year = await rowsOf(dir);
        let start = YEAR.start;
        const sums = new Map<string, bigint>();
        for (const end of ends) {
          const part = await rowsOf(dir, { start, end });
          for (const [k, v] of byKey(part, movementOf)) if (isResult(k)) sums.set(k, (sums.get(k) ?? 0n) + v);
          // The balance sheet at the part's end: the year's opening and every posting up to that day.
          const upTo = await rowsOf(dir, { start: YEAR.start, end });
          const closing = byKey(part, closingOf);
          for (const [k, v] of byKey(upTo, closingOf))
            if (!isResult(k) && !k.includes("|2099|")) expect(closing.get(k) ?? 0n, `${end} ${k}`).toBe(v);
          const d = new Date(`${end}T00:00:00Z`);
          d.setUTCDate(d.getUTCDate() + 1);
          start = d.toISOString().slice(0, 10);
        }
        expect(new Map([...sums].filter(([, v]) => v !== 0n))).toEqual(
          new Map([...byKey(year, movementOf)].filter(([k]) => isResult(k))),
        );
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});

describe("the Sjuhärad example by parts of 2013", () => {
  interface Report {
    statements: { id: string; scope: string; rows: { id: string; values: string[] }[] }[];
    notes: { id: string; rows: { id: string; values: string[] }[] }[];
  }
  const report = async (period?: string) => {
    const r = await runCli(["2013", "--dir", SJUHARAD, "--format", "json", ...(period ? ["--period", period] : [])]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Report;
  };

  it("the whole year as a period is the year, every statement and note", async () => {
    const [year, whole] = [await report(), await report("2013-01..2013-12")];
    expect(whole.statements).toEqual(year.statements);
    expect(whole.notes).toEqual(year.notes);
  });

  it("T1 + T2 + T3: the income statements and cash flows add up to the year's; the balance sheet at T3's end is the year's", async () => {
    const year = await report();
    const parts = await Promise.all(["T1", "T2", "T3"].map((p) => report(p)));
    // A row a part leaves out when zero is zero.
    const value = (r: Report, s: { id: string; scope: string }, row: string) =>
      BigInt(
        (
          r.statements.find((x) => x.id === s.id && x.scope === s.scope)!.rows.find((x) => x.id === row)?.values[0] ??
          "0.00"
        ).replace(".", ""),
      );
    for (const s of year.statements.filter((x) => x.id === "income" || x.id === "cashflow"))
      for (const row of s.rows.filter((r) => !/likvida-medel|vid-arets/.test(r.id)))
        expect(
          parts.reduce((t, p) => t + value(p, s, row.id), 0n),
          `${s.id} ${s.scope} ${row.id}`,
        ).toBe(value(year, s, row.id));
    for (const s of year.statements.filter((x) => x.id === "balance"))
      for (const row of s.rows) expect(value(parts[2]!, s, row.id), `balance ${row.id}`).toBe(value(year, s, row.id));
  });
});
