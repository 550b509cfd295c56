import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "./helpers.js";

/** fixtures/sie-conventions: one SIE export per convention real programs follow (see generate.mjs). */
const DIR = join(ROOT, "fixtures", "sie-conventions");
interface Case {
  year: number;
  files: string[];
  args: string[];
  exit: number;
  codes: string[];
  result: string;
  assets: string;
  revenue?: string;
  label?: string;
}
const cases = readdirSync(DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => [e.name, JSON.parse(readFileSync(join(DIR, e.name, "case.json"), "utf8")) as Case] as const);

interface JsonReport {
  periods?: { label: string }[];
  statements: { id: string; scope: string; rows: { id: string; values: string[] }[] }[];
}
const figure = (r: JsonReport, statement: string, row: string) =>
  r.statements.find((s) => s.id === statement && s.scope === "group")!.rows.find((x) => x.id === row)?.values[0];

describe("SIE conventions of real accounting programs, straight from the files", () => {
  it.each(cases)("%s: check finds what the case expects", async (name, c) => {
    const r = await runCli(["check", String(c.year), ...c.files, ...c.args, "--format", "json"], join(DIR, name));
    expect(r.code).toBe(c.exit);
    expect((JSON.parse(r.stdout) as { code: string }[]).map((d) => d.code).sort()).toEqual(c.codes);
  });

  it.each(cases)("%s: the report gives the books' result and total assets to the öre", async (name, c) => {
    const r = await runCli([String(c.year), ...c.files, ...c.args, "--format", "json"], join(DIR, name));
    expect(r.code).toBe(c.exit);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(figure(report, "income", "arets-resultat")).toBe(c.result);
    expect(figure(report, "balance", "summa-tillgangar")).toBe(c.assets);
    if (c.revenue) expect(figure(report, "income", "verksamhetens-intakter")).toBe(c.revenue);
    if (c.label) expect(report.periods?.[0]?.label).toBe(c.label);
  });

  it("says which dimensions it took for units and counterparties", async () => {
    const r = await runCli(["2013", "forbund.se"], join(DIR, "combined-federation"));
    expect(r.stderr).toContain('note: units: the objects of dimension 1 "Resultatenhet"');
    expect(r.stderr).toContain('note: counterparties: the objects of dimension 20 "Motpart"');
  });

  it("heads a broken fiscal year with its dates", async () => {
    const r = await runCli(["2013", "bolag.se"], join(DIR, "broken-fiscal-year"));
    expect(r.stdout).toContain("Resultaträkning 2013/14 (2013-07-01 – 2014-06-30), belopp i tkr");
  });
});

describe("messages for a user without a workspace", () => {
  it("points a refused report to check with the same files and options, quotes lines in the file's code page", async () => {
    const dir = join(DIR, "..", "sie", "res-mismatch");
    const r = await runCli(["2013", "a.se", "--motpart-dim", "20"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Run `consolidate check 2013 a.se --motpart-dim 20` for every problem");
    expect(r.stderr).not.toContain("--dir");
  });

  it("quotes a CP437 line with its Swedish letters", async () => {
    const r = await runCli(["check", "--dir", "."], join(DIR, "..", "sie", "quote-unclosed"));
    expect(r.stdout).toContain('56 | #VER A 1 20130510 "Hyra maj, lokal på Års');
  });
});

describe("fiscal years as headings name them", () => {
  it("a calendar year, a broken year, a shortened first year and a first year of 26 months", async () => {
    const { yearLabel, fiscalYear } = await import("../src/domain/period.js");
    expect(yearLabel(2013, fiscalYear(2013))).toBe("2013");
    expect(yearLabel(2009, fiscalYear(2009, "07-01"))).toBe("2009/10");
    expect(fiscalYear(2009, "07-01")).toEqual({ start: "2009-07-01", end: "2010-06-30" });
    expect(yearLabel(2011, { start: "2011-06-01", end: "2011-12-31" })).toBe("2011");
    expect(yearLabel(2014, { start: "2013-07-01", end: "2015-08-31" })).toBe("2013/15");
  });
});
