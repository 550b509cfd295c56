import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { runFees, runReport, runZeroConfig } from "../src/cli/pipeline.js";
import type { Ore } from "../src/domain/money.js";
import type { Report, RowReport } from "../src/report/build.js";
import { formatAmount } from "../src/render/number.js";
import { miniWorkspace, ROOT, runCli, SJUHARAD } from "./helpers.js";
import { published } from "./published.js";

const tkr = (v: Ore | undefined) =>
  formatAmount(v ?? 0n, "tkr")
    .replace(/\u00a0/g, " ")
    .replace("\u2212", "-");

async function reportOf(dir: string, year: number, budget = false): Promise<Report> {
  const r = await runReport(dir, year, { budget });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.report!;
}

const statement = (report: Report, id: string, scope = "group") =>
  report.statements.find((s) => s.id === id && s.scope === scope)!;
const row = (rows: readonly RowReport[], id: string) => rows.find((r) => r.id === id)!;

/** A copy of the Sjuhärad workspace with consolidate.json changed. */
function sjuharadWith(change: (definition: { years: Record<string, Record<string, unknown>> }) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "consolidate-sjuharad-"));
  cpSync(SJUHARAD, dir, { recursive: true });
  const definition = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8"));
  change(definition);
  writeFileSync(join(dir, "consolidate.json"), JSON.stringify(definition, null, 2));
  return dir;
}

describe("kassaflödesanalys", () => {
  it.each([2010, 2011, 2012, 2013])(
    "%s: reconciles to the change in kassa och bank, for the group and every unit",
    async (year) => {
      const report = await reportOf(SJUHARAD, year);
      const balance = statement(report, "balance");
      const cash = row(balance.rows, "kassa-och-bank");
      const group = statement(report, "cashflow");
      report.years.forEach((_, y) => {
        expect(row(group.rows, "likvida-medel-slut").values[y]).toBe(cash.values[y]);
        expect(row(group.rows, "arets-kassaflode").values[y]).toBe(
          row(group.rows, "likvida-medel-slut").values[y]! - row(group.rows, "likvida-medel-borjan").values[y]!,
        );
      });
      // The units' cash adds up to the group's: internal items move no cash between them here.
      const units = report.statements.filter((s) => s.id === "cashflow" && s.scope.startsWith("entity:"));
      expect(units).toHaveLength(3);
      const total = units.reduce((t, s) => t + row(s.rows, "likvida-medel-slut").values[0]!, 0n);
      expect(total).toBe(cash.values[0]);
    },
  );

  it("2013 as printed: årets kassaflöde 5 200 tkr, likvida medel 40 803 → 46 003", async () => {
    const cf = statement(await reportOf(SJUHARAD, 2013), "cashflow");
    expect(tkr(row(cf.rows, "arets-resultat").values[0])).toBe("2 702");
    expect(tkr(row(cf.rows, "arets-kassaflode").values[0])).toBe("5 200");
    expect(tkr(row(cf.rows, "likvida-medel-borjan").values[0])).toBe("40 803");
    expect(tkr(row(cf.rows, "likvida-medel-slut").values[0])).toBe("46 003");
  });
});

describe("the built-in layouts (SIE files without a workspace)", () => {
  it("have the cash-flow analysis, reconciled for the group and each unit, the balance requirement and the overview", async () => {
    const files = ["kansli", "navet", "mc"].map((u) => join(SJUHARAD, "sie", "2013", `${u}.se`));
    const r = await runZeroConfig(files, { year: 2013, motpartDimension: 20 });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const report = r.report!;
    const cash = row(statement(report, "balance").rows, "kassa-och-bank");
    expect(row(statement(report, "cashflow").rows, "likvida-medel-slut").values).toEqual(cash.values);
    expect(tkr(row(statement(report, "cashflow").rows, "arets-kassaflode").values[0])).toBe("5 200");
    expect(report.statements.filter((s) => s.id === "cashflow")).toHaveLength(4);
    expect(row(statement(report, "balanskrav").rows, "balanskravsresultat").values.map(tkr)).toEqual(["2 702", "912"]);
    expect(report.tables!.find((t) => t.id === "overview")!.columns.map((c) => c.year)).toEqual([2013, 2012]);
  });
});

describe("balanskravsutredning", () => {
  it("follows the income statement when the workspace declares no adjustments", async () => {
    const report = await reportOf(SJUHARAD, 2013);
    const bk = statement(report, "balanskrav");
    expect(row(bk.rows, "arets-resultat").values).toEqual(
      row(statement(report, "income").rows, "arets-resultat").values,
    );
    expect(row(bk.rows, "balanskravsresultat").values).toEqual(row(bk.rows, "arets-resultat").values);
    expect(row(bk.rows, "underskott-att-aterstalla").values).toEqual([0n, 0n]);
  });

  it("takes the declared adjustments and carries a deficit until it is restored", async () => {
    const dir = sjuharadWith((d) => {
      d.years["2011"]!.adjustments = { "till-resultatutjamningsreserv": "-2500000.00" }; // 1 882 − 2 500 = −618
      d.years["2012"]!.adjustments = {
        "orealiserade-vardepapper": "-100000.00",
        "till-resultatutjamningsreserv": "-1000000.00",
      }; // 912 − 100 − 1 000 = −188
    });
    const report = await reportOf(dir, 2013);
    const bk = statement(report, "balanskrav");
    expect(tkr(row(bk.rows, "orealiserade-vardepapper").values[1])).toBe("-100");
    expect(tkr(row(bk.rows, "resultat-efter-justeringar").values[1])).toBe("812");
    expect(tkr(row(bk.rows, "balanskravsresultat").values[1])).toBe("-188");
    // 2011 leaves 618 to restore, 2012 adds 188: 806; 2013's 2 702 restores it all.
    expect(row(bk.rows, "underskott-att-aterstalla").values.map(tkr)).toEqual(["0", "806"]);
  });
});

describe("femårsöversikt", () => {
  it("shows every year the workspace holds, latest first, from each year's statements", async () => {
    const report = await reportOf(SJUHARAD, 2013);
    const overview = report.tables!.find((t) => t.id === "overview")!;
    expect(overview.columns.map((c) => c.year)).toEqual([2013, 2012, 2011, 2010]);
    const values = (id: string) => row(overview.rows, id).values;
    for (const year of [2013, 2012, 2011, 2010]) {
      const r = await reportOf(SJUHARAD, year);
      const i = 2013 - year;
      const income = statement(r, "income").rows;
      expect(values("arets-resultat")[i]).toBe(row(income, "arets-resultat").values[0]);
      expect(values("summa-tillgangar")[i]).toBe(row(statement(r, "balance").rows, "summa-tillgangar").values[0]);
    }
    expect(values("arets-resultat").map(tkr)).toEqual(["2 702", "912", "1 882", "3 856"]);
    expect(values("eget-kapital").map(tkr)).toEqual(["10 328", "7 626", "6 714", "4 832"]);
    // Soliditet in hundredths of a percent: 10 328 200 / 58 985 200 = 17,51 %.
    expect(values("soliditet")[0]).toBe(1751n);
    const text = (await runCli(["2013", "--dir", SJUHARAD])).stdout;
    expect(text).toMatch(/Soliditet, % +17,5 +13,7 +15,1 +12,8/);
  });
});

describe("budget follow-up (--budget)", () => {
  const followUp = (report: Report, scope: string) =>
    report.tables!.find((t) => t.id === "budget" && t.scope === scope)!;

  it("shows the budgets of seed 000 beside the outcome, with the deviation", async () => {
    const report = await reportOf(SJUHARAD, 2013, true);
    const kansli = followUp(report, "entity:kansli");
    expect(kansli.columns.map((c) => c.header)).toEqual(["Budget 2013", "Utfall 2013", "Avvikelse"]);
    const figures = (table: typeof kansli, id: string) => row(table.rows, id).values.map(tkr);
    // Basverksamhet: 18 961 tkr of revenue and costs, plus 545 tkr of one-off costs.
    expect(figures(kansli, "forbundsbidrag-kansli")).toEqual(["16 494", "16 549", "55"]);
    expect(figures(kansli, "finansiella-intakter")).toEqual(["700", "549", "-151"]);
    expect(figures(kansli, "verksamhetens-kostnader")[0]).toBe("-19 506");
    expect(figures(kansli, "arets-resultat")).toEqual(["-545", "2 161", "2 706"]);
    const navet = followUp(report, "entity:navet");
    expect(figures(navet, "medlemsavgifter-navet")).toEqual(["5 835", "5 835", "0"]);
    expect(figures(navet, "arets-resultat")).toEqual(["0", "169", "169"]); // 16 994 in, 16 994 out
    const mc = followUp(report, "entity:mc");
    expect(figures(mc, "medlemsavgifter-mc")).toEqual(["2 045", "2 045", "0"]);
    expect(figures(mc, "verksamhetens-kostnader")[0]).toBe("-2 865");
    const group = followUp(report, "group");
    expect(figures(group, "arets-resultat")).toEqual(["-545", "2 702", "3 247"]);
    // The budgets' internal items do not agree between the units: the difference stays visible.
    expect(figures(group, "differens-interna-poster")[0]).toBe("1 230");
  });

  it("reads budgets by layout row (JSON) and from SIE #PBUDGET", async () => {
    const dir = miniWorkspace({
      "budgets/a.json": JSON.stringify({ entity: "a", budget: [{ line: "avgifter", amount: "1200.00" }] }),
      "budgets/b.se": [
        "#FLAGGA 0",
        "#SIETYP 4",
        "#RAR 0 20130101 20131231",
        "#PBUDGET 0 201301 3010 {} -500.00",
        "#PBUDGET 0 201307 3010 {} -500.50",
        "#PBUDGET -1 201201 3010 {} -9999.00",
        "",
      ].join("\n"),
    });
    const definition = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8"));
    definition.years["2013"].budgets = [{ path: "budgets/a.json" }, { path: "budgets/b.se", entity: "b" }];
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(definition));
    const report = await reportOf(dir, 2013, true);
    const a = report.tables!.find((t) => t.scope === "entity:a")!;
    const b = report.tables!.find((t) => t.scope === "entity:b")!;
    expect(row(a.rows, "avgifter").values[0]).toBe(120000n);
    expect(row(b.rows, "intakter").values[0]).toBe(100050n);
    expect(row(b.rows, "resultat").values[0]).toBe(100050n); // sums follow the rows
  });

  it("is refused, with exit code 2, for a year without budget files", async () => {
    const r = await runCli(["2012", "--dir", SJUHARAD, "--budget"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: 2012 has no budget files/);
  });
});

describe("consolidate fees", () => {
  it("reproduces note 3 of 2013 for every member from populations and rates", async () => {
    const { fees, diagnostics } = await runFees(SJUHARAD, 2013);
    expect(diagnostics).toEqual([]);
    const reference = published(2013);
    const note3 = reference.notes.find((n) => n.number === 3)!.rows.filter((r) => r.label !== "Summa");
    const office = fees!.activities.find((a) => a.id === "forbundsbidrag")!;
    expect(office.members.map((m) => [m.name, tkr(m.computed)])).toEqual(
      note3.map((r) => [r.label, r.values[0]!.toLocaleString("sv-SE").replace(/\u00a0/g, " ")]),
    );
    expect(office.members.every((m) => m.difference === 0n)).toBe(true);
    const varberg = office.members.find((m) => m.member === "VAR")!;
    expect(varberg).toMatchObject({ population: 58818, rate: 1100n, computed: 64699800n });
    const r = await runCli(["fees", "2013", "--dir", SJUHARAD]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Varberg \(58\s818 inv × 11 kr\) +646\s998 +646\s998 +0/);
  });

  it("reports a booking that differs from the fee model, with exit code 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-fees-"));
    cpSync(SJUHARAD, dir, { recursive: true });
    const ledger = join(dir, "ledgers", "2013", "kansli.csv");
    // Borås is charged 100 kr too much in the third quarter.
    const text = readFileSync(ledger, "utf8").replace(
      /(B,\d+,2013-09-30,1930,)(\d+)(\.\d\d,,"?Förbundsbidrag 2013 kv 3, Borås"?\n[^\n]*3810,-)(\d+)/,
      (_m, a: string, x: string, b: string, y: string) => `${a}${Number(x) + 100}${b}${Number(y) + 100}`,
    );
    expect(text).not.toBe(readFileSync(ledger, "utf8"));
    writeFileSync(ledger, text);
    const r = await runCli(["fees", "2013", "--dir", dir, "--format", "json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("E-FEE-DIFFERENCE");
    expect(r.stderr).toContain("Borås (BOR) was charged 7 614 073,00 kr, but the fee model gives 7 613 973,00 kr");
    const report = JSON.parse(r.stdout);
    const boras = report.activities[0].members.find((m: { member: string }) => m.member === "BOR");
    expect(boras).toMatchObject({ computed: "7613973.00", booked: "7614073.00", difference: "100.00" });
    const check = await runCli(["check", "--dir", dir, "--format", "json"]);
    expect(JSON.parse(check.stdout).map((d: { code: string }) => d.code)).toEqual(["E-FEE-DIFFERENCE"]);
  });

  it("computes fixed plus variable fees for the members that take part (seed 001's data protection)", async () => {
    const dir = miniWorkspace();
    const definition = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8"));
    definition.members.push({ code: "M2", name: "Kommun Två" }, { code: "M3", name: "Kommun Tre" });
    definition.years["2013"].populations = { M1: 10000, M2: 25000, M3: 40000 };
    definition.fees = [
      {
        id: "dataskydd",
        label: "Dataskyddsombud",
        entity: "a",
        accounts: ["3810"],
        years: { "2013": { members: ["M1", "M2"], fixed: "129000.00", perInhabitant: "1.25" } },
      },
    ];
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(definition));
    const { fees } = await runFees(dir, 2013);
    const members = fees!.activities[0]!.members;
    expect(members.map((m) => [m.member, m.computed, m.booked])).toEqual([
      ["M1", 14150000n, 100000n], // 129 000 + 10 000 × 1,25; the mini ledger books 1 000 kr
      ["M2", 16025000n, 0n],
    ]);
    for (const format of ["md", "csv", "html"]) {
      const r = await runCli(["fees", "2013", "--dir", dir, "--format", format]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(format === "csv" ? "141500" : "141\u00a0500");
    }
  });

  it("writes a workbook whose totals are formulas over the members", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "consolidate-fees-xlsx-")), "fees.xlsx");
    const r = await runCli(["fees", "2013", "--dir", SJUHARAD, "--format", "xlsx", "--out", out]);
    expect(r.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const sheet = book.getWorksheet("Medlemsavgifter")!;
    const rows: (string | number | ExcelJS.CellFormulaValue)[][] = [];
    sheet.eachRow((rw) => rows.push((rw.values as (string | number | ExcelJS.CellFormulaValue)[]).slice(1)));
    const boras = rows.find((rw) => String(rw[0]).startsWith("Borås (104"))!;
    expect(boras.slice(2)).toEqual([7613973, 7613973, 0]);
    const total = rows.find((rw) => rw[0] === "Summa")!;
    expect(total[2]).toMatchObject({ formula: expect.stringMatching(/^C\d+(\+C\d+){9}$/), result: 16549000 });
  });

  it("is refused, with exit code 2, for a workspace without fee models", async () => {
    const r = await runCli(["fees", "2013", "--dir", join(ROOT, "fixtures", "mini")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: the workspace declares no fee models/);
  });
});
