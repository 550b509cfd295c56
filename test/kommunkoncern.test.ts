import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { Decimal } from "decimal.js";
import ExcelJS from "exceljs";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "./helpers.js";
import { explainKoncern } from "../src/koncern/explain.js";
import { loadKoncernWorkspace } from "../src/koncern/load.js";
import { consolidateKoncernYear } from "../src/koncern/run.js";

/**
 * fixtures/kommunkoncern (issue 15): the tool's sammanställda räkenskaper against expected.json,
 * the independent calculation committed beside the data (fixtures/kommunkoncern/expected.mjs,
 * sharing no code with the tool). Statements to the öre, the matrix and journal exactly.
 */
const DIR = join(ROOT, "fixtures", "kommunkoncern");
const expected = JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as Expected;

interface ExpectedRow {
  id: string;
  kommunen: string;
  kommunkoncernen: string;
}
interface Expected {
  years: Record<
    string,
    {
      statements: { income: ExpectedRow[]; balance: ExpectedRow[] };
      matrix: { columns: { id: string }[]; rows: { id: string; values: Record<string, string> }[] };
      bridges: { equity: { closing: { sum: string }; opening: { sum: string } }; result: { sum: string } };
      ansvarsforbindelser: { rows: ExpectedRow[] };
      journal: {
        id: string;
        step: string;
        lines?: { line: string; amount: string }[];
        sources?: Record<string, string[]>;
        kind?: string;
      }[];
    }
  >;
}

interface Row {
  id: string;
  kind: string;
  values: string[];
}
interface Report {
  years: number[];
  statements: { id: string; scope: string; rows: Row[] }[];
  notes: { id: string; columns?: { header: string }[]; rows: Row[] }[];
  koncern: {
    parent: string;
    years: {
      year: number;
      matrix: {
        columns: { id: string }[];
        rows: { id: string; values: Record<string, string> }[];
        totals: Record<string, string>;
      };
      openingMatrix: { totals: Record<string, string> };
      journal: {
        id: string;
        step: string;
        lines: { line: string; amount: string }[];
        sources?: Record<string, string[]>;
      }[];
      bridges: {
        equity: { closing: { sum: string; holds: boolean }; opening: { sum: string; holds: boolean } };
        result: { sum: string; holds: boolean };
      };
    }[];
  };
}

/** Exact kronor to öre, half away from zero, as the statements present them. */
const toOre = (s: string) => new Decimal(s).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
const same = (a: string, b: string) => new Decimal(a).eq(new Decimal(b));

let report: Report;
beforeAll(async () => {
  const r = await runCli(["2024", "--dir", DIR, "--format", "json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  report = JSON.parse(r.stdout) as Report;
});

describe("the Ekbacka kommunkoncern against the independent calculation", () => {
  it("validates against schemas/report.schema.json", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas", "report.schema.json"), "utf8")) as object;
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(["income", "balance"] as const)("%s: Kommunen and Kommunkoncernen, both years, to the öre", (id) => {
    expect(report.years).toEqual([2024, 2023]);
    for (const [scope, key] of [
      ["group", "kommunkoncernen"],
      ["entity:kommunen", "kommunen"],
    ] as const) {
      const rows = report.statements.find((s) => s.id === id && s.scope === scope)!.rows;
      report.years.forEach((year, y) => {
        for (const want of expected.years[year]!.statements[id]) {
          const got = rows.find((r) => r.id === want.id);
          expect(got, `${scope} ${want.id}`).toBeDefined();
          expect(got!.values[y], `${scope} ${year} ${want.id}`).toBe(toOre(want[key]));
        }
      });
    }
  });

  it("the koncernmatris: every cell exactly, every column summing to zero", () => {
    for (const y of report.koncern.years) {
      const want = expected.years[y.year]!.matrix;
      expect(y.matrix.columns.map((c) => c.id)).toEqual(want.columns.map((c) => c.id));
      for (const row of want.rows)
        for (const [column, value] of Object.entries(row.values)) {
          const got = y.matrix.rows.find((r) => r.id === row.id)!.values[column]!;
          expect(same(got, value), `${y.year} ${row.id} ${column}: ${got} ≠ ${value}`).toBe(true);
        }
      for (const total of [...Object.values(y.matrix.totals), ...Object.values(y.openingMatrix.totals)])
        expect(new Decimal(total).isZero()).toBe(true);
    }
  });

  it("the bridges hold and give the independent figures", () => {
    for (const y of report.koncern.years) {
      const want = expected.years[y.year]!.bridges;
      const b = y.bridges;
      expect([b.equity.closing.holds, b.equity.opening.holds, b.result.holds]).toEqual([true, true, true]);
      expect(same(b.equity.closing.sum, want.equity.closing.sum)).toBe(true);
      expect(same(b.equity.opening.sum, want.equity.opening.sum)).toBe(true);
      expect(same(b.result.sum, want.result.sum)).toBe(true);
    }
  });

  it("the elimination journal: the same entries with the same lines, internal pairs citing both parties' vouchers", () => {
    for (const y of report.koncern.years) {
      const want = expected.years[y.year]!.journal.filter((j) => j.lines);
      const got = y.journal;
      expect(got.map((j) => j.id).sort()).toEqual(want.map((j) => j.id).sort());
      for (const w of want) {
        const g = got.find((j) => j.id === w.id)!;
        const lines = (ls: { line: string; amount: string }[]) =>
          Object.fromEntries(ls.map((l) => [l.line, new Decimal(l.amount).toFixed()]));
        expect(lines(g.lines), w.id).toEqual(lines(w.lines!));
        if (w.step === "internal" && w.kind === "result") expect(g.sources, w.id).toEqual(w.sources);
        if (w.step === "internal")
          for (const [entity, places] of Object.entries(g.sources ?? {})) {
            expect(places.length, `${w.id} ${entity}`).toBeGreaterThan(0);
            for (const p of places) expect(p).toMatch(new RegExp(`^sie/${y.year}/${entity}\\.se:\\d+$`));
          }
      }
    }
  });

  it("ansvarsförbindelser after the guarantees to koncernföretag, with both columns", () => {
    const note = report.notes.find((n) => n.id === "ansvarsforbindelser")!;
    expect(note.columns!.map((c) => c.header)).toEqual([
      "Kommunen 2024",
      "Kommunen 2023",
      "Kommunkoncernen 2024",
      "Kommunkoncernen 2023",
    ]);
    for (const want of expected.years["2024"]!.ansvarsforbindelser.rows) {
      const got = note.rows.find((r) => r.id === want.id)!;
      expect([got.values[0], got.values[2]], want.id).toEqual([toOre(want.kommunen), toOre(want.kommunkoncernen)]);
    }
  });

  it("the cash flow analysis ends at the change in Kassa och bank, for both columns and years", () => {
    for (const scope of ["group", "entity:kommunen"]) {
      const rows = report.statements.find((s) => s.id === "cashflow" && s.scope === scope)!.rows;
      const balance = report.statements.find((s) => s.id === "balance" && s.scope === scope)!.rows;
      const v = (id: string, y: number) => new Decimal(rows.find((r) => r.id === id)!.values[y]!);
      for (const y of [0, 1]) {
        // Each figure is rounded to öre on its own (the group's are exact to the tenth of an öre).
        const change = v("likvida-medel-slut", y).minus(v("likvida-medel-borjan", y));
        expect(change.minus(v("arets-kassaflode", y)).abs().lte("0.01")).toBe(true);
        expect(v("likvida-medel-slut", y).toFixed(2)).toBe(balance.find((r) => r.id === "kassa-och-bank")!.values[y]);
      }
    }
  });
});

describe("the Ekbacka kommunkoncern as printed", () => {
  it("text: Kommunen and Kommunkoncernen side by side, as municipal annual reports print them", async () => {
    const r = await runCli(["2024", "--dir", DIR]);
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(join(ROOT, "test", "golden", "kommunkoncern-2024.txt"));
  });

  it("xlsx: the koncernmatris's formulas recompute to the printed figures", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "koncern-")), "koncern.xlsx");
    const r = await runCli(["2024", "--dir", DIR, "--out", out]);
    expect(r.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const statements = book.getWorksheet("Koncernen")!;
    // The statements sheet: label → the Kommunkoncernen 2024 figure (exact kronor in the cell).
    const header = statements.getRow(2).values as unknown[];
    const koncernColumn = header.indexOf("Kommunkoncernen 2024");
    expect(koncernColumn).toBeGreaterThan(0);
    const printed = new Map<string, number>();
    statements.eachRow((row) => {
      const label = row.getCell(1).value;
      const cell = row.getCell(koncernColumn).value as number | { result: number } | null;
      if (typeof label === "string" && cell !== null && !printed.has(label))
        printed.set(label, typeof cell === "number" ? cell : cell.result);
    });
    for (const year of [2024, 2023]) {
      const sheet = book.getWorksheet(`Koncernmatris ${year}`)!;
      const width = (sheet.getRow(2).values as unknown[]).length - 1;
      const sums = new Array<number>(width + 1).fill(0);
      let lines = 0;
      let compared = 0;
      sheet.eachRow((row, n) => {
        const formula = row.getCell(width).value as { formula?: string } | null;
        if (n <= 2 || !formula?.formula?.startsWith("SUM(B")) return;
        lines++;
        // SUM(B:…) over the entity and step columns, recomputed from the cells.
        let total = 0;
        for (let c = 2; c < width; c++) total += row.getCell(c).value as number;
        for (let c = 2; c < width; c++) sums[c]! += row.getCell(c).value as number;
        sums[width]! += total;
        const label = row.getCell(1).value as string;
        const assets = [
          "Immateriella",
          "Mark",
          "Maskiner",
          "Finansiella anläggningstillgångar",
          "Bidrag",
          "Förråd",
          "Fordringar",
          "Kortfristiga placeringar",
          "Kassa",
        ];
        // Statements present income and assets positive, costs, equity and liabilities as credits.
        const presented = assets.some((p) => label.startsWith(p)) ? total : -total;
        if (year === 2024 && printed.has(label)) {
          compared++;
          expect(Math.abs(printed.get(label)! - presented), label).toBeLessThan(0.006);
        }
      });
      expect(lines).toBe(report.koncern.years.find((y) => y.year === year)!.matrix.rows.length);
      if (year === 2024) expect(compared).toBeGreaterThanOrEqual(20);
      for (let c = 2; c <= width; c++) expect(Math.abs(sums[c]!)).toBeLessThan(1e-4);
    }
  });

  it("a share that changes restates the opening balance sheet and says so; the bridges still hold", async () => {
    const dir = mkdtempSync(join(tmpdir(), "koncern-share-"));
    cpSync(DIR, dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8")) as {
      entities: { id: string; shares: Record<string, string> }[];
    };
    config.entities.find((e) => e.id === "rtj")!.shares["2024"] = "0.35";
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(config));
    const r = await runCli(["2024", "--dir", dir, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const changed = JSON.parse(r.stdout) as Report & { tables: { id: string; footnote?: string }[] };
    const note = changed.tables.find((t) => t.id === "koncernforetag")!.footnote!;
    expect(note).toContain("Ägarandelarna ändrades under 2024: Räddningstjänsten Sjöbygden från 30 % till 35 %.");
    const y = changed.koncern.years[0]!;
    expect([y.bridges.equity.closing.holds, y.bridges.equity.opening.holds, y.bridges.result.holds]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it("full consolidation, a declared departure: every entity in full, the other owners' part as minority interest", async () => {
    const dir = mkdtempSync(join(tmpdir(), "koncern-full-"));
    cpSync(DIR, dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8")) as Record<string, unknown>;
    config.method = "full-with-minority";
    config.methodDeparture = "Koncernen har tidigare konsoliderats fullständigt enligt K3.";
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(config));
    const r = await runCli(["2024", "--dir", dir, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const full = JSON.parse(r.stdout) as Report;
    // The other owners' part from the entities' own figures (expected.json): equity before the
    // year's result with untaxed reserves net of tax, and the year's result with the
    // bokslutsdispositioner net of tax.
    const e = (expected.years["2024"] as unknown as { entities: Record<string, EntityFigures> }).entities;
    const net = new Decimal("0.794");
    const others = { energi: new Decimal("0.4"), rtj: new Decimal("0.7") };
    let equity = new Decimal(0);
    let result = new Decimal(0);
    for (const [id, part] of Object.entries(others)) {
      const x = e[id]!;
      const before = new Decimal(x.equity.closing).minus(x.result);
      equity = equity.plus(part.times(before.plus(new Decimal(x.untaxedReserves.opening).times(net))));
      result = result.plus(part.times(new Decimal(x.result).plus(new Decimal(x.bokslutsdispositioner).times(net))));
    }
    const row = (statement: string, id: string) =>
      full.statements.find((s) => s.id === statement && s.scope === "group")!.rows.find((x) => x.id === id)!.values[0];
    expect(row("balance", "minoritetsintresse")).toBe(toOre(equity.toFixed()));
    expect(row("income", "varav-minoritetens-andel")).toBe(toOre(result.toFixed()));
    // Equity with the minority: the bridge with every entity at 1.
    const y = full.koncern.years[0]!;
    expect([y.bridges.equity.closing.holds, y.bridges.equity.opening.holds, y.bridges.result.holds]).toEqual([
      true,
      true,
      true,
    ]);
    expect(y.matrix.columns.map((c) => c.id)).toContain("minority");
    for (const total of Object.values(y.matrix.totals)) expect(new Decimal(total).isZero()).toBe(true);
  });

  it("full consolidation without the reason for the departure is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "koncern-full-"));
    cpSync(DIR, dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8")) as Record<string, unknown>;
    config.method = "full-with-minority";
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(config, null, 2));
    const r = await runCli(["2024", "--dir", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("E-WORKSPACE-SCHEMA");
    expect(r.stderr).toContain("methodDeparture");
  });
});

describe("a kommunkoncern told from a federation", () => {
  it("by its parent, even when the key is written with escapes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "koncern-escaped-"));
    cpSync(DIR, dir, { recursive: true });
    const file = join(dir, "consolidate.json");
    const text = readFileSync(file, "utf8");
    expect(text).toContain('"parent"');
    writeFileSync(file, text.replace('"parent"', '"p\\u0061rent"'));
    const r = await runCli(["2024", "--dir", dir, "--format", "json"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout)).toEqual(report);
  });
});

describe("the Ekbacka kommunkoncern explained", () => {
  it("every row of the resultaträkning and balansräkning, Kommunen and Kommunkoncernen: the printed figure, adding up through the matrix", async () => {
    const kws = (await loadKoncernWorkspace(DIR)).value!;
    const y = await consolidateKoncernYear(kws, 2024);
    let explained = 0;
    for (const s of report.statements)
      for (const row of s.rows) {
        const e = explainKoncern(kws.definition, y.matrix, y.rows, s.id, row.id, s.scope);
        expect("problem" in e ? e.problem : toOreString(e.figure), `${s.scope} ${s.id}/${row.id}`).toBe(row.values[0]);
        expect("problem" in e ? false : e.addsUp).toBe(true);
        explained++;
      }
    expect(explained).toBeGreaterThan(100);
  });
});

const toOreString = (ore: bigint) =>
  `${ore < 0n ? "-" : ""}${(ore < 0n ? -ore : ore) / 100n}.${String((ore < 0n ? -ore : ore) % 100n).padStart(2, "0")}`;

interface EntityFigures {
  result: string;
  bokslutsdispositioner: string;
  untaxedReserves: { opening: string; closing: string };
  equity: { opening: string; closing: string };
}
