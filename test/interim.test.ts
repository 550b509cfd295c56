import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, SJUHARAD } from "./helpers.js";

/** Issue 16: the delårsrapport, January–August 2013 of the Sjuhärad example, with its forecast files. */
interface Row {
  id: string;
  kind: string;
  values: string[];
}
interface Report {
  years: number[];
  periods?: { label: string; start: string; end: string }[];
  statements: { id: string; scope: string; rows: Row[] }[];
  tables?: {
    id: string;
    scope: string;
    statement?: string;
    columns: { header: string }[];
    rows: Row[];
    footnote?: string;
  }[];
}

async function json(args: string[], dir = SJUHARAD): Promise<Report> {
  const r = await runCli([...args, "--dir", dir, "--format", "json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}
const ore = (s: string) => BigInt(s.replace(".", ""));

describe("consolidate interim 2013 --period jan-aug", () => {
  it("the statements are the part of the year's, beside the same part of 2012", async () => {
    const [interim, period] = [
      await json(["interim", "2013", "--period", "jan-aug"]),
      await json(["2013", "--period", "jan-aug"]),
    ];
    expect(interim.statements).toEqual(period.statements);
    expect(interim.periods!.map((p) => p.label)).toEqual(["jan–aug 2013", "jan–aug 2012"]);
  });

  it("the forecast beside the budget: the rest of the year and the deviation follow from it; the result is the forecast files' own", async () => {
    const r = await json(["interim", "2013", "--period", "jan-aug"]);
    const tables = r.tables!.filter((t) => t.id === "forecast");
    expect(tables.map((t) => t.scope).sort()).toEqual(["entity:kansli", "entity:mc", "entity:navet", "group"]);
    const group = tables.find((t) => t.scope === "group")!;
    expect(group.columns.map((c) => c.header)).toEqual([
      "Budget 2013",
      "Utfall jan–aug 2013",
      "Prognos resten av året",
      "Prognos 2013",
      "Avvikelse mot budget",
    ]);
    const outcome = r.statements.find((s) => s.id === "income" && s.scope === "group")!.rows;
    for (const row of group.rows) {
      const [budget, done, rest, year, deviation] = row.values.map(ore);
      expect(done, row.id).toBe(ore(outcome.find((o) => o.id === row.id)?.values[0] ?? "0.00"));
      expect(rest, row.id).toBe(year! - done!);
      expect(deviation, row.id).toBe(year! - budget!);
    }
    // The group's forecast result: every unit's forecast added up (internal items cancel out).
    const files = ["kansli", "navet", "mc"].flatMap((u) =>
      readFileSync(join(SJUHARAD, "forecasts", "2013", `${u}.csv`), "utf8")
        .trim()
        .split("\n")
        .slice(1),
    );
    const total = -files.reduce((t, l) => t + ore(l.split(",")[2]!), 0n);
    expect(ore(group.rows.find((x) => x.id === "arets-resultat")!.values[3]!)).toBe(total);
    const balanskrav = r.tables!.find((t) => t.id === "balanskrav-prognos")!;
    expect(ore(balanskrav.rows.find((x) => x.id === "balanskravsresultat")!.values[0]!)).toBe(total);
  });

  it("without a forecast it says there is none, and invents nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "interim-"));
    cpSync(SJUHARAD, dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8")) as {
      years: Record<string, { forecasts?: unknown }>;
    };
    delete config.years["2013"]!.forecasts;
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(config));
    const r = await json(["interim", "2013", "--period", "jan-aug"], dir);
    const forecast = r.tables!.filter((t) => t.id === "forecast");
    expect(forecast).toHaveLength(1);
    expect(forecast[0]!.rows).toEqual([]);
    expect(forecast[0]!.footnote).toContain("Ingen helårsprognos");
    const text = await runCli(["interim", "2013", "--period", "jan-aug", "--dir", dir]);
    expect(text.stdout).toContain("Ingen helårsprognos");
  });

  it("forecast files on the command line stand for the workspace's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "interim-"));
    const file = join(dir, "navet.csv");
    writeFileSync(file, "account,counterparty,amount,text\n3040,,-6000000.00,Prognos\n7020,,4000000.00,Prognos\n");
    const r = await json(["interim", "2013", "--period", "T2", "--forecast", file]);
    const navet = r.tables!.find((t) => t.id === "forecast" && t.scope === "entity:navet")!;
    expect(navet.rows.find((x) => x.id === "arets-resultat")!.values.at(-2)).toBe("2000000.00");
    expect(r.periods![0]!.label).toBe("maj–aug 2013");
  });

  it("a period is required, and the whole year is the year's report", async () => {
    expect((await runCli(["interim", "2013", "--dir", SJUHARAD])).code).toBe(2);
    const whole = await runCli(["interim", "2013", "--dir", SJUHARAD, "--period", "2013-01..2013-12"]);
    expect(whole.code).toBe(2);
    expect(whole.stderr).toContain("whole year");
  });

  it("a kommunkoncern's delårsrapport: Kommunen and Kommunkoncernen for the part of the year", async () => {
    const r = await runCli([
      "interim",
      "2024",
      "--dir",
      join(ROOT, "fixtures", "kommunkoncern"),
      "--period",
      "jan-aug",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Kommunkoncernen jan–aug 2024");
  });
});
