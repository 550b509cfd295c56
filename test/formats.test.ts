import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { CSV_COLUMNS } from "../src/render/csv.js";
import { DRAFT_MARK } from "../src/render/common.js";
import { chooseFormat } from "../src/render/formats.js";
import { miniWorkspace, ROOT, runCli, SJUHARAD } from "./helpers.js";

type CsvRecord = Record<(typeof CSV_COLUMNS)[number], string>;

interface JsonRow {
  id: string;
  kind: string;
  values: string[];
}
interface JsonReport {
  draft?: boolean;
  years: number[];
  statements: { id: string; scope: string; rows: JsonRow[] }[];
  notes: { number: number; rows: JsonRow[] }[];
  equityByEntity?: { entities: { entity: string; values: string[] }[] };
  tables?: { id: string; statement?: string; scope: string; columns: { header: string }[]; rows: JsonRow[] }[];
}

/** "1234.50" or "-0.07" (JSON) → öre. */
const oreOfJson = (s: string) => BigInt(s.replace(".", ""));

/**
 * A field as Excel with Swedish settings reads it: a number when it is digits with an optional
 * minus and a decimal comma ("-1234,50"), else text. Thousands separators or "−" would make it text.
 */
function swedishNumber(s: string): number | string {
  return /^-?\d+(,\d+)?$/.test(s) ? Number(s.replace(",", ".")) : s;
}

/** Every figure of the JSON report, keyed as the CSV keys its rows: statement (a note's with its number), scope, row, column. */
function jsonFigures(report: JsonReport): Map<string, string> {
  const out = new Map<string, string>();
  const years = report.years.map(String);
  const put = (statement: string, scope: string, rows: readonly JsonRow[], columns: readonly string[]) =>
    rows.forEach((r) => columns.forEach((c, i) => out.set(`${statement}|${scope}|${r.id}|${c}`, r.values[i]!)));
  for (const s of report.statements) put(s.id, s.scope, s.rows, years);
  for (const n of report.notes) put(`note ${n.number}`, "group", n.rows, years);
  const equity = report.equityByEntity?.entities ?? [];
  for (const e of equity) years.forEach((y, i) => out.set(`equity|group|${e.entity}|${y}`, e.values[i]!));
  // The exports add the units' equity up on a row of their own.
  if (equity.length)
    years.forEach((y, i) => {
      const sum = equity.reduce((t, e) => t + oreOfJson(e.values[i]!), 0n);
      out.set(`equity|group|summa|${y}`, (Number(sum) / 100).toFixed(2));
    });
  for (const t of report.tables ?? [])
    put(
      t.id === "budget" ? `budget:${t.statement}` : t.id,
      t.scope,
      t.rows,
      t.columns.map((c) => c.header),
    );
  return out;
}

describe("--csv excel-sv: the CSV Swedish Excel opens in columns, numbers as numbers", () => {
  let bytes: Buffer;
  let records: CsvRecord[];
  let json: JsonReport;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-excel-sv-"));
    const out = join(dir, "sjuharad-2013.csv");
    const csv = await runCli(["2013", "--dir", SJUHARAD, "--budget", "--csv", "excel-sv", "--out", out]);
    expect(csv.stderr).toBe("");
    expect(csv.code).toBe(0);
    bytes = readFileSync(out);
    records = parse(bytes, { delimiter: ";", columns: true, bom: true, record_delimiter: "\r\n" }) as CsvRecord[];
    const r = await runCli(["2013", "--dir", SJUHARAD, "--budget", "--format", "json"]);
    json = JSON.parse(r.stdout) as JsonReport;
  });

  it("is UTF-8 with a byte-order mark, semicolons and CRLF", () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8").slice(1);
    expect(text.split("\r\n")[0]).toBe(CSV_COLUMNS.join(";"));
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(text.split("\r\n")[1]).toBe(
      "income;group;verksamhetens-intakter;Verksamhetens intäkter;line;1;2013;2013;29715800,00;tkr;29716",
    );
  });

  it("read back with a semicolon and decimal-comma reader, gives the JSON report's amounts to the öre", () => {
    const figures = jsonFigures(json);
    expect(records.length).toBe(figures.size);
    let amounts = 0;
    for (const r of records) {
      const statement = r.statement === "note" ? `note ${r.note}` : r.statement;
      const key = `${statement}|${r.scope}|${r.row_id}|${r.column}`;
      const expected = figures.get(key);
      expect(expected, key).toBeDefined();
      const exact = r.kind === "percent" ? r.amount : r.amount_kr;
      const value = swedishNumber(exact);
      expect(typeof value, `${key}: ${exact}`).toBe("number");
      expect(BigInt(exact.replace(",", "")), key).toBe(oreOfJson(expected!));
      expect(typeof swedishNumber(r.amount), `${key}: ${r.amount}`).toBe("number");
      amounts++;
    }
    expect(amounts).toBeGreaterThan(300);
    const result = records.find((r) => r.scope === "group" && r.row_id === "arets-resultat" && r.year === "2013")!;
    expect([swedishNumber(result.amount_kr), swedishNumber(result.amount), result.unit]).toEqual([
      2702100,
      2702,
      "tkr",
    ]);
    const soliditet = records.find((r) => r.row_id === "soliditet" && r.year === "2013")!;
    expect([soliditet.amount, soliditet.unit, swedishNumber(soliditet.amount)]).toEqual(["17,51", "%", 17.51]);
    const costs = records.find((r) => r.row_id === "verksamhetens-kostnader" && r.year === "2012")!;
    expect([costs.amount_kr, costs.amount]).toEqual(["-63300005,00", "-63300"]);
  });

  it("in mnkr, gives one decimal with a comma", async () => {
    const r = await runCli(["2013", "--dir", SJUHARAD, "--csv", "excel-sv", "--unit", "mnkr"]);
    const rows = parse(r.stdout, { delimiter: ";", columns: true, bom: true }) as CsvRecord[];
    const income = rows.find((x) => x.scope === "group" && x.row_id === "verksamhetens-intakter" && x.year === "2013")!;
    expect([income.amount, income.unit, swedishNumber(income.amount)]).toEqual(["29,7", "mnkr", 29.7]);
  });

  it("keeps the formula-injection guard, and quotes a field with a semicolon", async () => {
    const dir = miniWorkspace();
    const layout = JSON.parse(readFileSync(join(dir, "layout.json"), "utf8")) as {
      statements: { rows: { label: string }[] }[];
    };
    layout.statements[0]!.rows[0]!.label = '=HYPERLINK("http://x";"y")';
    writeFileSync(join(dir, "layout.json"), JSON.stringify(layout));
    const r = await runCli(["2013", "--dir", dir, "--csv", "excel-sv"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`"'=HYPERLINK(""http://x"";""y"")"`);
    const rows = parse(r.stdout, { delimiter: ";", columns: true, bom: true }) as CsvRecord[];
    const texts = rows.flatMap((x) => [x.statement, x.scope, x.row_id, x.label, x.kind, x.column]);
    expect(texts).toContain(`'=HYPERLINK("http://x";"y")`);
    expect(texts.filter((t) => /^[=+\-@\t\r]/.test(t))).toEqual([]);
  });

  it("the default stays RFC 4180: comma, decimal point, no byte-order mark", async () => {
    const r = await runCli(["2013", "--dir", SJUHARAD, "--format", "csv"]);
    expect(r.stdout.split("\r\n")[1]).toBe(
      "income,group,verksamhetens-intakter,Verksamhetens intäkter,line,1,2013,2013,29715800.00,tkr,29716",
    );
    const mnkr = await runCli(["2013", "--dir", SJUHARAD, "--format", "csv", "--unit", "mnkr"]);
    expect(mnkr.stdout.split("\r\n")[1]).toBe(
      "income,group,verksamhetens-intakter,Verksamhetens intäkter,line,1,2013,2013,29715800.00,mnkr,29.7",
    );
  });
});

describe("--out FILE picks the format from the extension", () => {
  it("for the report: .xlsx, .html, .csv, .md, .json, .txt (any case)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-ext-"));
    const starts: Record<string, string> = {
      "r.xlsx": "PK",
      "r.HTML": "<!DOCTYPE html>",
      "r.csv": "statement,scope,row_id",
      "r.md": "## Sjuhärads kommunalförbund: Resultaträkning 2013",
      "r.json": '{\n  "schema": "consolidate/report@1"',
      "r.txt": "Sjuhärads kommunalförbund\nResultaträkning 2013, belopp i tkr",
    };
    for (const [name, start] of Object.entries(starts)) {
      const r = await runCli(["2013", "--dir", SJUHARAD, "--out", join(dir, name)]);
      expect(r.stderr, name).toBe("");
      expect(r.code, name).toBe(0);
      expect(readFileSync(join(dir, name), "latin1").startsWith(Buffer.from(start).toString("latin1")), name).toBe(
        true,
      );
    }
  });

  it("for the member fees too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-ext-"));
    const out = join(dir, "avgifter.csv");
    const r = await runCli(["fees", "2013", "--dir", SJUHARAD, "--out", out, "--csv", "excel-sv"]);
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(out), { delimiter: ";", columns: true, bom: true }) as CsvRecord[];
    expect(rows.find((x) => x.row_id === "bor" && x.column === "Beräknad")).toMatchObject({
      amount_kr: "7613973,00",
      amount: "7613973",
      unit: "kr",
    });
    const book = join(dir, "avgifter.xlsx");
    expect((await runCli(["fees", "2013", "--dir", SJUHARAD, "--out", book])).code).toBe(0);
    expect(readFileSync(book).subarray(0, 2).toString()).toBe("PK");
  });

  it("refuses a --format that contradicts the name, and a name that names no format (exit 2, nothing written)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-ext-"));
    const cases: [string[], string][] = [
      [
        ["2013", "--dir", SJUHARAD, "--format", "html", "--out", join(dir, "r.xlsx")],
        `error: --format html does not fit the file ${join(dir, "r.xlsx")}, whose name says xlsx: leave out --format (the name decides), or name the file .html\n`,
      ],
      [
        ["fees", "2013", "--dir", SJUHARAD, "--format", "json", "--out", join(dir, "f.csv")],
        `error: --format json does not fit the file ${join(dir, "f.csv")}, whose name says csv: leave out --format (the name decides), or name the file .json\n`,
      ],
      [
        ["2013", "--dir", SJUHARAD, "--out", join(dir, "r.pdf")],
        `error: cannot tell the format from the name ${join(dir, "r.pdf")}: name the file .txt, .md, .json, .csv, .xlsx or .html, or give --format (for a PDF, write .html and print it from the browser)\n`,
      ],
      [
        ["2013", "--dir", SJUHARAD, "--csv", "excel-sv", "--out", join(dir, "r.xlsx")],
        "error: --csv excel-sv is for CSV output, but the format is xlsx\n",
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toBe(message);
      expect(r.stdout).toBe("");
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("an explicit --format that agrees, or a name without an extension, is fine", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-ext-"));
    expect((await runCli(["2013", "--dir", SJUHARAD, "--format", "md", "--out", join(dir, "r.md")])).code).toBe(0);
    expect((await runCli(["2013", "--dir", SJUHARAD, "--out", join(dir, "rapport")])).code).toBe(0);
    expect(readFileSync(join(dir, "rapport"), "utf8").startsWith("Sjuhärads kommunalförbund\n")).toBe(true);
    expect(chooseFormat(undefined, undefined, "text")).toBe("text");
    expect(chooseFormat(undefined, undefined, "csv")).toBe("csv");
    expect(chooseFormat("json", "a/b.c/report", "text")).toBe("json");
    expect(chooseFormat(undefined, "Rapport.Markdown", "text")).toBe("md");
    expect(chooseFormat("text", "out.log", "text")).toBe("text");
  });
});

/** B's ledger with A's internal invoice booked as 240.00 against A's 250.00: E-INTERNAL-MISMATCH. */
const MISMATCHED_B = [
  "series,voucher,date,account,amount,counterparty,text",
  "A,1,2013-04-30,6591,240.00,a,Intern faktura",
  "A,1,2013-04-30,2440,-240.00,a,Intern faktura",
].join("\n");

describe("--force from data with errors: a draft in every format", () => {
  let dir: string;
  beforeAll(() => {
    dir = miniWorkspace({ "ledgers/2013/b.csv": MISMATCHED_B });
  });
  const forced = async (...args: string[]) => {
    const r = await runCli(["2013", "--dir", dir, "--force", ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("E-INTERNAL-MISMATCH");
    return r.stdout;
  };

  it("text: the first and the last line", async () => {
    const lines = (await forced()).split("\n");
    expect(lines.slice(0, 3)).toEqual([DRAFT_MARK, "", "Testförbundet"]);
    expect(lines.at(-2)).toBe(DRAFT_MARK);
    expect(DRAFT_MARK).toBe("UTKAST – underlaget har fel som inte är rättade");
  });

  it("markdown: a quoted line at the top and at the end", async () => {
    const md = await forced("--format", "md");
    expect(md.startsWith(`> **${DRAFT_MARK}**\n\n## Testförbundet: Resultaträkning 2013\n`)).toBe(true);
    expect(md.endsWith(`> **${DRAFT_MARK}**\n`)).toBe(true);
  });

  it('json: "draft": true, per the schema', async () => {
    const text = await forced("--format", "json");
    expect(text.startsWith('{\n  "schema": "consolidate/report@1",\n  "draft": true,\n')).toBe(true);
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas", "report.schema.json"), "utf8")) as object;
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    const report = JSON.parse(text) as unknown;
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...(report as object), draft: false })).toBe(false);
    // Without errors, no draft.
    const clean = await runCli(["2013", "--dir", miniWorkspace(), "--format", "json"]);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).not.toHaveProperty("draft");
  });

  it("csv: a first row that says so, in both dialects", async () => {
    for (const [args, delimiter] of [
      [["--format", "csv"], ","],
      [["--csv", "excel-sv"], ";"],
    ] as const) {
      const rows = parse(await forced(...args), { delimiter, columns: true, bom: true }) as CsvRecord[];
      expect(rows[0]).toEqual({
        statement: "draft",
        scope: "group",
        row_id: "utkast",
        label: DRAFT_MARK,
        kind: "draft",
        note: "",
        year: "",
        column: "",
        amount_kr: "",
        unit: "",
        amount: "",
      });
      expect(rows.filter((r) => r.statement === "draft")).toHaveLength(1);
      expect(rows[1]).toMatchObject({ statement: "income", scope: "group" });
    }
  });

  it("xlsx: a red row at the top of every sheet, in the printed header too", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "consolidate-draft-")), "r.xlsx");
    await forced("--out", out);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    expect(book.worksheets.length).toBeGreaterThan(3);
    for (const sheet of book.worksheets) {
      expect(sheet.getCell("A1").value, sheet.name).toBe(DRAFT_MARK);
      expect(sheet.getCell("A1").font).toMatchObject({ bold: true, color: { argb: "FFC00000" } });
      expect(sheet.views[0], sheet.name).toMatchObject({ state: "frozen", ySplit: 3 });
      expect(sheet.pageSetup.printTitlesRow).toBe("1:3");
      expect(sheet.headerFooter.oddHeader).toContain(DRAFT_MARK);
    }
    // The figures move down a row, and the formulas with them.
    const group = book.getWorksheet("Koncernen")!;
    expect(group.getCell("A3").value).toBe("Belopp i tkr");
    const pairs = book.getWorksheet("Interna poster")!;
    expect((pairs.getRow(4).values as unknown[]).slice(1, 7)).toEqual([
      "Enhet A",
      "Enhet B",
      "balans",
      2013,
      250,
      -240,
    ]);
    expect(pairs.getCell("G4").value).toMatchObject({ formula: "E4+F4", result: 10 });
  });
});

describe("--unit mnkr: one decimal in every format", () => {
  it("markdown, html and the workbook", async () => {
    const md = await runCli(["2013", "--dir", SJUHARAD, "--format", "md", "--unit", "mnkr"]);
    expect(md.stdout).toContain("| Verksamhetens intäkter | 1 | 29,7 | 39,1 |");
    expect(md.stdout).toContain("| **Årets resultat** |  | **2,7** | **0,9** |");
    const html = await runCli(["2013", "--dir", SJUHARAD, "--format", "html", "--unit", "mnkr"]);
    expect(html.stdout).toContain(
      '<tr class="line"><td class="label">Verksamhetens intäkter</td><td class="note">1</td><td class="amount"><a href="#f-income-group-verksamhetens-intakter">29,7</a></td><td class="amount">39,1</td></tr>',
    );
    expect(html.stdout).toContain("<title>Kansli och Tillväxtmedel 2013: 2,2 mnkr</title>");
    const out = join(mkdtempSync(join(tmpdir(), "consolidate-mnkr-")), "r.xlsx");
    expect((await runCli(["2013", "--dir", SJUHARAD, "--unit", "mnkr", "--out", out])).code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const cell = book.getWorksheet("Koncernen")!.getCell("C6");
    expect(book.getWorksheet("Koncernen")!.getCell("A6").value).toBe("Verksamhetens intäkter");
    expect(cell.value).toBe(29715800);
    expect(cell.numFmt).toBe('#,##0.0,,;"−"#,##0.0,,');
  });
});
