import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import chalk from "chalk";
import { Decimal } from "decimal.js";
import fc from "fast-check";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ore, Unit } from "../src/domain/money.js";
import { runReport } from "../src/cli/pipeline.js";
import type { Report } from "../src/report/build.js";
import { DRAFT_MARK, kindLabel, sections, type Section } from "../src/render/common.js";
import { CSV_COLUMNS, renderCsv } from "../src/render/csv.js";
import { renderHtml } from "../src/render/html.js";
import { formatAmount, formatExact, formatFigure, plainAmount } from "../src/render/number.js";
import { renderTablesText, renderText } from "../src/render/text.js";
import { textOf } from "../src/render/streamed.js";
import { visible, widthOf } from "../src/render/visible.js";
import { amountFormat, PERCENT_FORMAT, renderXlsx } from "../src/render/xlsx.js";
import { miniWorkspace, ROOT, runCli, SJUHARAD } from "./helpers.js";

async function reportOf(dir: string, year: number): Promise<Report> {
  const r = await runReport(dir, year, { budget: true });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.report!;
}

/** Every table row of the report with the figures the text output prints for it. */
function printedRows(report: Report, unit: Unit) {
  return sections(report, unit).flatMap((s) =>
    s.rows.map((r) => ({ section: s, row: r, printed: r.values.map((v) => formatFigure(v, r.kind, unit)) })),
  );
}

const oreOf = (kronor: Decimal): Ore => BigInt(kronor.times(100).toFixed(0));

describe("exports of the Sjuhärad 2013 report", () => {
  let report: Report;
  beforeAll(async () => {
    report = await reportOf(SJUHARAD, 2013);
  });

  it("the text output prints every figure the exports are checked against", () => {
    const lines = textOf(renderText(report, "tkr"))
      .split("\n")
      .map((l) => l.replace(/ +/g, " ").trim());
    for (const { row, printed } of printedRows(report, "tkr")) {
      const shown = lines.some((l) => l.startsWith(row.label.trim()) && l.endsWith(printed.join(" ")));
      expect(shown, `${row.label}: ${printed.join(" ")}`).toBe(true);
    }
  });

  it("the text output prints a reconciliation of any length (200 000 internal pairs)", () => {
    const pair = report.internal.pairs[0]!;
    const many = { ...report, internal: { ...report.internal, pairs: Array.from({ length: 200_000 }, () => pair) } };
    const text = textOf(renderText(many, "tkr"));
    expect(text.split("\n").filter((l) => l.includes(formatExact(pair.amounts[0])))).toHaveLength(200_000);
  });

  it("the text output's reconciliation, made a run of lines at a time, lines up as the whole table padded at once", () => {
    // The table as it was made before: every cell made first, each column as wide as its widest.
    const wholeTable = (cells: string[][]) => {
      const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => widthOf(row[c]!))));
      const pad = (text: string, c: number) => " ".repeat(widths[c]! - widthOf(text));
      return cells.map((row) =>
        row
          .map((x, c) => (c < 3 ? x + pad(x, c) : pad(x, c) + x))
          .join("  ")
          .trimEnd(),
      );
    };
    const name = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom("Enhet \ud83d\ude00", "Å", "a\u0301", "Förvaltning   "),
    );
    const amount = fc.oneof(
      fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
      fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }),
    );
    fc.assert(
      fc.property(
        fc.array(name, { minLength: 2, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), amount, amount), { minLength: 1, maxLength: 600 }),
        (names, drawn) => {
          const entities = names.map((n, i) => ({ id: `e${i}`, name: n }));
          const pairs = drawn.map(([a, b, x, y], i) => ({
            entities: [entities[a % entities.length]!.id, entities[b % entities.length]!.id] as const,
            kind: report.internal.pairs[i % report.internal.pairs.length]!.kind,
            year: 2013,
            amounts: [x, i % 3 === 0 ? -x : y] as const,
            difference: i % 3 === 0 ? 0n : x + y,
          }));
          const text = textOf(renderText({ ...report, entities, internal: { ...report.internal, pairs } }, "tkr"));
          const lines = text.split("\n");
          const first = lines.indexOf("Interna poster, avstämning, belopp i kr (debet positivt)") + 2;
          const shown = (id: string) => visible(entities.find((e) => e.id === id)!.name);
          const cells = [
            ["Från → till", "Slag", "År", "Intäkt, fordran", "Kostnad, skuld", "Differens"],
            ...pairs.map((p) => [
              `${shown(p.entities[0])} → ${shown(p.entities[1])}`,
              visible(kindLabel(p.kind)),
              "2013",
              formatExact(p.amounts[0]),
              formatExact(p.amounts[1]),
              formatExact(p.difference),
            ]),
          ];
          expect(lines.slice(first, first + cells.length)).toEqual(wholeTable(cells));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the text output's tables, one after another with the same labels, line up as each table padded on its own", () => {
    // A table as it was made before tables shared their frames: every cell made, then padded. (A
    // table beside the statements has no Not column; the group's statements with one are golden.)
    const wholeTable = (t: Section, unit: Unit) => {
      const first = t.withNotes ? 2 : 1;
      const headers = t.columns.map((c) => visible(c.header));
      const widths = [0, ...(t.withNotes ? [3] : []), ...headers.map((h) => Math.max(9, h.length + 1))];
      const cells: string[][] = [["", ...(t.withNotes ? ["Not"] : []), ...headers]];
      t.rows.forEach((row, i) => {
        if (i > 0 && ["subtotal", "total", "group"].includes(row.kind)) cells.push([]);
        const label = row.kind === "of-which" ? `  ${visible(row.label)}` : visible(row.label);
        widths[0] = Math.max(widths[0]!, label.length);
        const figures = row.values.slice(0, headers.length).map((v) => formatFigure(v, row.kind, unit));
        figures.forEach((f, v) => (widths[first + v] = Math.max(widths[first + v]!, f.length + 1)));
        cells.push([label, ...(t.withNotes ? [row.note === undefined ? "" : String(row.note)] : []), ...figures]);
      });
      return cells.map((row) => {
        let last = widths.length - 1;
        while (last >= 0 && /^[ \t]*$/.test(row[last] ?? "")) last--;
        return row
          .slice(0, last + 1)
          .map((cell, c) => {
            const pad = " ".repeat(Math.max(0, widths[c]! - widthOf(cell)));
            return c === 0 ? (c === last ? cell.trimEnd() : cell + pad) : pad + (c === last ? cell.trimEnd() : cell);
          })
          .join("  ");
      });
    };
    const label = fc.constantFrom("Intäkter", "Kostnader ", "Årets resultat", "Ränta \ud83d\ude00", "", "  ");
    const kind = fc.constantFrom("line", "subtotal", "total", "group", "of-which", "percent");
    const row = fc.record({ label, kind, note: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }) });
    const columns = fc.constantFrom(["2013"], ["2014"], ["2013", "2012"], ["Budget 2013", "Utfall 2013"]);
    // Tables that print the same rows under the same headers share a frame: each table here is
    // the first one's rows, or those with one thing changed (a label, a kind, the headers).
    const change = fc.oneof(
      fc.constant({}),
      fc.record({ at: fc.nat(4), label }),
      fc.record({ at: fc.nat(4), kind }),
      fc.record({ columns }),
    );
    const amount = fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n });
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 5 }),
        columns,
        fc.array(fc.tuple(change, fc.array(fc.array(amount, { maxLength: 3 }), { minLength: 5, maxLength: 5 })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.constantFrom<Unit>("kr", "tkr", "mnkr"),
        (first, headers, drawn, unit) => {
          const tables: Section[] = drawn.map(([changed, amounts], i) => {
            const at = "at" in changed && changed.at < first.length ? changed.at : -1;
            const rows = first.map((r, k) => ({
              id: `r${k}`,
              label: k === at && "label" in changed ? changed.label : r.label,
              kind: k === at && "kind" in changed ? changed.kind : r.kind,
              note: r.note,
              values: amounts[k]!,
            }));
            return {
              statement: "income",
              scope: `entity:e${i}`,
              heading: `Enhet ${i}`,
              title: "Resultaträkning",
              columns: ("columns" in changed ? changed.columns : headers).map((header, y) => ({
                header,
                year: 2013 - y,
              })),
              withNotes: false,
              rows,
            };
          });
          const expected = tables.flatMap((t) => [
            `Enhet ${t.scope.slice(8)}`,
            `Resultaträkning, belopp i ${unit}`,
            "",
            ...wholeTable(t, unit),
            "",
          ]);
          // Drawn in colour first: no frame made for colours is reused without them.
          const level = chalk.level;
          chalk.level = 1;
          try {
            renderTablesText("Tabeller", tables, unit);
          } finally {
            chalk.level = level;
          }
          expect(renderTablesText("Tabeller", tables, unit)).toBe(["Tabeller", "", ...expected, ""].join("\n"));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the text output ends no line in blanks, whatever the names end in, and keeps the rest of each line", () => {
    const spaced = {
      ...report,
      group: { name: `${report.group.name}  ` },
      notes: report.notes.map((n) => ({ ...n, title: `${n.title} ` })),
      statements: report.statements.map((s) => ({ ...s, subtitle: "Ej reviderad   " })),
    };
    const text = textOf(renderText(spaced, "tkr"));
    expect(text.split("\n").filter((l) => /[ \t]$/.test(l))).toEqual([]);
    expect(text).toContain("\nEj reviderad\n");
    expect(text).toContain(`\n${report.group.name}\n`);
    expect(text).toContain(`${report.notes[0]!.number} ${report.notes[0]!.title}\n`);
    // Blanks inside a line are the line's own.
    expect(text).toContain(`\n${report.group.name}  , `);
  });

  it("the text output in colour is the same text with colours: the same padding, line for line", () => {
    // A difference shows in red; the pair's cell is as wide as uncoloured.
    const pair = { ...report.internal.pairs[0]!, difference: 123n };
    const differing = { ...report, internal: { ...report.internal, pairs: [pair, ...report.internal.pairs] } };
    const plain = textOf(renderText(differing, "tkr"));
    const level = chalk.level;
    chalk.level = 1;
    try {
      const coloured = textOf(renderText(differing, "tkr"));
      expect(coloured).toContain("\u001b[31m");
      // eslint-disable-next-line no-control-regex
      expect(coloured.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain);
    } finally {
      chalk.level = level;
    }
  });

  it("the text output measures a cell as its characters, colours left out", () => {
    const piece = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.constantFrom("\u001b[31m", "\u001b[0m", "\u001b[1;4m", "\ud83d\ude00", "\ud83d", "\ude00", "å"),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const text = pieces.join("");
        // eslint-disable-next-line no-control-regex
        expect(widthOf(text)).toBe([...text.replace(/\u001b\[[0-9;]*m/g, "")].length);
      }),
      { numRuns: 2000 },
    );
  });

  it("csv: one flat RFC 4180 table with every figure, exact and as printed", () => {
    const csv = renderCsv(report, "tkr");
    expect(csv.split("\r\n")[0]).toBe(CSV_COLUMNS.join(","));
    expect(csv.startsWith("\ufeff")).toBe(false);
    expect(renderCsv(report, "tkr", { bom: true }).startsWith("\ufeffstatement,")).toBe(true);
    const records = parse(csv, { columns: true }) as Record<(typeof CSV_COLUMNS)[number], string>[];
    const plain = (s: string) =>
      s
        .replace(/\u00a0/g, "")
        .replace(",", ".")
        .replace("\u2212", "-");
    const expected = printedRows(report, "tkr").flatMap(({ section, row, printed }) =>
      section.columns.map((column, y) => ({
        statement: section.statement,
        scope: section.scope,
        row_id: row.id,
        label: row.label,
        kind: row.kind,
        note: String(section.note ?? row.note ?? ""),
        year: String(column.year),
        column: column.header,
        amount_kr: row.kind === "percent" ? "" : plain(formatExact(row.values[y]!)),
        unit: row.kind === "percent" ? "%" : "tkr",
        amount: row.kind === "percent" ? plain(formatExact(row.values[y]!)) : plain(printed[y]!),
      })),
    );
    expect(records).toEqual(expected);
    const result = records.find((r) => r.scope === "group" && r.row_id === "arets-resultat" && r.year === "2013");
    expect(result).toMatchObject({ amount_kr: "2702100.00", amount: "2702" });
    const soliditet = records.find((r) => r.row_id === "soliditet" && r.year === "2013");
    expect(soliditet).toMatchObject({ statement: "overview", unit: "%", amount: "17.51" });
    const budget = records.filter((r) => r.statement === "budget:income" && r.scope === "entity:kansli");
    expect(budget.filter((r) => r.row_id === "arets-resultat").map((r) => [r.column, r.amount])).toEqual([
      ["Budget 2013", "-545"],
      ["Utfall 2013", "2161"],
      ["Avvikelse", "2706"],
    ]);
  });

  it("xlsx: numeric cells and formulas that give the printed figures, frozen headers, A4", async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await renderXlsx(report, "tkr")) as unknown as ExcelJS.Buffer);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      "Koncernen",
      "Kansli och Tillväxtmedel",
      "Navet",
      "Medarbetarcentrum",
      "Budgetuppföljning",
      "Femårsöversikt",
      "Noter",
      "Interna poster",
      "Indata",
    ]);
    const sheetOf = (scope: string, statement: string) =>
      book.getWorksheet(
        statement === "note"
          ? "Noter"
          : statement === "overview"
            ? "Femårsöversikt"
            : statement.startsWith("budget:")
              ? "Budgetuppföljning"
              : scope === "group"
                ? "Koncernen"
                : report.entities.find((e) => `entity:${e.id}` === scope)!.name,
      )!;
    /** A cell's value in exact kronor, formulas evaluated from the cells they name. */
    const evaluate = (sheet: ExcelJS.Worksheet, address: string): Decimal => {
      const v = sheet.getCell(address).value;
      if (typeof v === "number") return new Decimal(v.toFixed(2));
      const f = v as ExcelJS.CellFormulaValue;
      expect(typeof f.formula).toBe("string");
      return f.formula === "0"
        ? new Decimal(0)
        : f.formula.split("+").reduce((t, ref) => t.plus(evaluate(sheet, ref)), new Decimal(0));
    };
    let formulas = 0;
    const cursor = new Map<ExcelJS.Worksheet, number>();
    for (const { section, row, printed } of printedRows(report, "tkr")) {
      const sheet = sheetOf(section.scope, section.statement);
      // Rows appear in order; find this one from where the last one was.
      let n = cursor.get(sheet) ?? 3;
      while (sheet.getCell(`A${n}`).value !== row.label && n < 2000) n++;
      if (n >= 2000) throw new Error(`${sheet.name}: ${section.title}: ${row.label} not found`);
      cursor.set(sheet, n + 1);
      section.columns.forEach((_, y) => {
        const address = `${String.fromCharCode(67 + y)}${n}`;
        const cell = sheet.getCell(address);
        if (row.kind === "percent") {
          expect(Math.round((cell.value as number) * 10000)).toBe(Number(row.values[y]));
          expect(cell.numFmt).toBe(PERCENT_FORMAT);
          return;
        }
        const value = evaluate(sheet, address);
        expect(oreOf(value), `${row.label} ${address}`).toBe(row.values[y]);
        expect(formatAmount(oreOf(value), "tkr")).toBe(printed[y]);
        expect(cell.numFmt).toBe(amountFormat(row.values[y]!, "tkr"));
        if (row.sum) {
          formulas++;
          const f = cell.value as ExcelJS.CellFormulaValue;
          expect(new Decimal(((f.result as number | undefined) ?? 0).toFixed(2)).equals(value)).toBe(true); // exceljs drops a result of 0
        } else expect(typeof cell.value).toBe("number");
      });
      if (section.withNotes && row.note) expect(sheet.getCell(`B${n}`).value).toBe(row.note);
    }
    expect(formulas).toBeGreaterThan(20);
    const group = book.getWorksheet("Koncernen")!;
    expect(group.getCell("A2").value).toBe("Belopp i tkr");
    expect(group.getRow(2).values).toEqual([undefined, "Belopp i tkr", "Not", 2013, 2012]);
    expect(group.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
    expect(group.pageSetup).toMatchObject({ paperSize: 9, orientation: "portrait", fitToWidth: 1 });
    expect(amountFormat(123_456_00n, "tkr")).toBe('#,##0,;"−"#,##0,');
    expect(amountFormat(-400_00n, "tkr")).toBe("#,##0,;#,##0,"); // −0,4 tkr is printed 0

    expect(PERCENT_FORMAT).toBe('0.0" "%'); // LibreOffice in Swedish shows 0.1751 as "17,5 %"
    const overview = book.getWorksheet("Femårsöversikt")!;
    const soliditet = overview.getRows(1, overview.rowCount)!.find((r) => r.getCell(1).value === "Soliditet, %")!;
    expect(soliditet.getCell(3).value).toBe(0.1751);

    // Each block of the budget sheet says whose budget it is.
    const budget = book.getWorksheet("Budgetuppföljning")!;
    const titles = budget
      .getRows(1, budget.rowCount)!
      .map((r) => String(r.getCell(1).value ?? ""))
      .filter((t) => t.includes("Budgetuppföljning, "));
    expect(titles).toEqual([
      "Sjuhärads kommunalförbund: Budgetuppföljning, resultaträkning 2013",
      "Kansli och Tillväxtmedel: Budgetuppföljning, resultaträkning 2013",
      "Navet: Budgetuppföljning, resultaträkning 2013",
      "Medarbetarcentrum: Budgetuppföljning, resultaträkning 2013",
    ]);

    const pairs = book.getWorksheet("Interna poster")!;
    expect(pairs.getCell("C3").value).toBe("balans");
    expect(pairs.getCell("C4").value).toBe("resultat");
    report.internal.pairs.forEach((p, i) => {
      const n = 3 + i;
      expect(pairs.getCell(`C${n}`).value).toBe(kindLabel(p.kind));
      expect(pairs.getCell(`G${n}`).value).toMatchObject({ formula: `E${n}+F${n}` });
      expect(oreOf(evaluateSum(pairs, n))).toBe(p.difference);
    });
    const inputs = book.getWorksheet("Indata")!;
    report.inputs.forEach((input, i) => {
      expect(inputs.getCell(`A${3 + i}`).value).toBe(input.path);
      expect(inputs.getCell(`B${3 + i}`).value).toBe(input.sha256);
    });
  });

  describe("html in headless Chromium", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
      });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("shows every printed figure, needs no network, and prints on 12 A4 pages", async () => {
      const dir = mkdtempSync(join(tmpdir(), "consolidate-html-"));
      const file = join(dir, "report.html");
      const html = textOf(renderHtml(report, "tkr"));
      expect(html).not.toMatch(/<script|<link|src=/i);
      writeFileSync(file, html);
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(`file://${file}`);
      expect(requests).toEqual([`file://${file}`]);
      const tables = await page.$$eval("section table", (ts) =>
        ts.map((t) =>
          [...t.querySelectorAll("tbody tr")].map((tr) =>
            [...tr.children].map((c) => (c as unknown as { innerText: string }).innerText),
          ),
        ),
      );
      const expected = sections(report, "tkr").map((s) =>
        s.rows.map((r) => [
          r.label,
          ...(s.withNotes ? [r.note === undefined ? "" : String(r.note)] : []),
          ...r.values.map((v) => formatFigure(v, r.kind, "tkr")),
        ]),
      );
      const reconciliation = tables.splice(sections(report, "tkr").filter((s) => s.statement !== "note").length, 1)[0]!;
      expect(tables).toEqual(expected);
      expect(reconciliation).toHaveLength(report.internal.pairs.length);
      const text = await page.innerText("body");
      expect(text).toContain("Interna poster på 1\u00a0142 tkr för 2013 och 1\u00a0973 tkr för 2012 har exkluderats");
      // A unit's name in the reconciliation never breaks over two lines (the page is A4 wide here).
      await page.setViewportSize({ width: 794, height: 1123 });
      const names = await page.$$eval("section.reconciliation td.label .unit", (spans) =>
        spans.map((s) => ({ text: s.textContent, lines: s.getClientRects().length })),
      );
      expect(names).toHaveLength(2 * report.internal.pairs.length);
      expect(names.filter((n) => n.lines !== 1)).toEqual([]);
      expect(names[0]!.text).toBe("Kansli och Tillväxtmedel\u00a0→");
      expect(text).toContain("Utgående eget kapital per resultatenhet");
      const bars = await page.$$eval("figure.chart svg rect title", (ts) => ts.map((t) => t.textContent));
      expect(bars).toEqual([
        "Kansli och Tillväxtmedel 2013: 2\u00a0161 tkr",
        "Kansli och Tillväxtmedel 2012: 1\u00a0784 tkr",
        "Navet 2013: 169 tkr",
        "Navet 2012: \u2212601 tkr",
        "Medarbetarcentrum 2013: 372 tkr",
        "Medarbetarcentrum 2012: \u2212270 tkr",
      ]);
      const pdf = await page.pdf({ preferCSSPageSize: true });
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      expect(pdf.toString("latin1").match(/\/Type\s*\/Page\b/g)).toHaveLength(12);
      // Page numbers in the bottom margin of every printed page (a CSS margin box).
      expect(html).toContain('@bottom-center { content: "Sida " counter(page) " av " counter(pages);');
      const printed = pdfPages(pdf);
      if (printed)
        expect(printed.map((p) => /^Sida (\d+) av (\d+)$/m.exec(p)?.slice(1))).toEqual(
          Array.from({ length: 12 }, (_, i) => [String(i + 1), "12"]),
        );
      expect(html).not.toContain("UTKAST");
      await page.close();
    });

    it("marks a report from data with errors (--force) a draft: a banner, and UTKAST on every printed page", async () => {
      const dir = miniWorkspace({ "ledgers/2013/b.csv": MISMATCHED_B });
      const out = join(dir, "report.html");
      const r = await runCli(["2013", "--dir", dir, "--force", "--out", out]);
      expect(r.code).toBe(1);
      const page = await browser.newPage();
      await page.goto(`file://${out}`);
      expect(await page.innerText("p.draft")).toBe(DRAFT_MARK);
      expect(await page.title()).toBe("UTKAST: Testförbundet 2013");
      const watermark = await page.$eval("div.watermark", (d) => {
        const style = d.ownerDocument.defaultView!.getComputedStyle(d);
        const box = d.getBoundingClientRect();
        return { text: d.textContent, position: style.position, width: box.width, height: box.height };
      });
      expect(watermark).toMatchObject({ text: "UTKAST", position: "fixed" });
      expect(watermark.width).toBeGreaterThan(500);
      expect(watermark.height).toBeGreaterThan(500);
      const pdf = await page.pdf({ preferCSSPageSize: true });
      const printed = pdfPages(pdf);
      if (printed) {
        expect(printed.length).toBeGreaterThan(1);
        for (const p of printed) {
          expect(p).toContain(DRAFT_MARK); // the top margin of every page
          expect(p).toContain("U\nT\nK\nA\nS\nT\n"); // and the watermark across it, letter by letter
        }
      }
      await page.close();
    });
  });
});

/** B's ledger with A's internal invoice booked as 240.00 against A's 250.00: E-INTERNAL-MISMATCH. */
const MISMATCHED_B = [
  "series,voucher,date,account,amount,counterparty,text",
  "A,1,2013-04-30,6591,240.00,a,Intern faktura",
  "A,1,2013-04-30,2440,-240.00,a,Intern faktura",
].join("\n");

let popplerAnnounced = false;
/**
 * The text of each page of a PDF, by pdftotext (Debian: poppler-utils), or undefined, announced
 * once, when it is not installed: the checks of printed text are skipped then.
 */
function pdfPages(pdf: Uint8Array): string[] | undefined {
  if (spawnSync("pdftotext", ["-v"]).error) {
    if (!popplerAnnounced) console.warn("skipped: the printed text of the PDF (pdftotext is not installed)");
    popplerAnnounced = true;
    return undefined;
  }
  const text = execFileSync("pdftotext", ["-raw", "-", "-"], { input: pdf }).toString("utf8");
  return text.split("\f").slice(0, -1);
}

function evaluateSum(sheet: ExcelJS.Worksheet, n: number): Decimal {
  const part = (c: string) => new Decimal((sheet.getCell(`${c}${n}`).value as number).toFixed(2));
  return part("E").plus(part("F"));
}

describe("units", () => {
  it("apply to csv, xlsx and html; JSON stays exact", async () => {
    const report = await reportOf(SJUHARAD, 2013);
    const mnkr = parse(renderCsv(report, "mnkr"), { columns: true }) as Record<string, string>[];
    expect(mnkr.find((r) => r.row_id === "summa-tillgangar" && r.year === "2013")).toMatchObject({
      unit: "mnkr",
      amount: plainAmount(
        report.statements.find((s) => s.id === "balance")!.rows.find((r) => r.id === "summa-tillgangar")!.values[0]!,
        "mnkr",
      ),
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await renderXlsx(report, "kr")) as unknown as ExcelJS.Buffer);
    expect(book.getWorksheet("Koncernen")!.getCell("A2").value).toBe("Belopp i kr");
    expect(amountFormat(100n, "mnkr")).toBe('#,##0.0,,;"−"#,##0.0,,');
    expect(amountFormat(-4_000_00n, "mnkr")).toBe("#,##0.0,,;#,##0.0,,"); // −0,04 mnkr is printed 0,0
    expect(textOf(renderHtml(report, "mnkr"))).toContain("Belopp i mnkr");
  });
});

describe("formula injection", () => {
  const evil = '=HYPERLINK("http://x","y")';
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "consolidate-inject-"));
    cpSync(SJUHARAD, dir, { recursive: true });
    const def = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8"));
    def.members[0].name = evil; // shown as a row of note 3 (by member)
    def.entities[1].name = "@Navet"; // a sheet name, a heading and a row of the equity table
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(def, null, 2));
    const ledger = join(dir, "ledgers", "2013", "navet.csv");
    const lines = readFileSync(ledger, "utf8").split("\n");
    const plain = lines.findIndex((l, i) => i > 0 && !l.includes('"'));
    lines[plain] = lines[plain]!.replace(/,[^,]*$/, `,"${evil.replace(/"/g, '""')}"`); // a voucher text
    writeFileSync(ledger, lines.join("\n"));
  });

  it("csv: no text field begins with = + - @, tab or CR", async () => {
    const r = await runCli(["2013", "--dir", dir, "--format", "csv"]);
    expect(r.code).toBe(0);
    const records = parse(r.stdout, { columns: true }) as Record<string, string>[];
    const texts = records.flatMap((rec) => [rec.statement, rec.scope, rec.row_id, rec.label, rec.kind]);
    expect(texts.filter((t) => /^[=+\-@\t\r]/.test(t!))).toEqual([]);
    expect(texts).toContain(`'${evil}`);
    expect(texts).toContain("'@Navet");
  });

  it("xlsx: the names are text cells, never formulas", async () => {
    const out = join(dir, "report.xlsx");
    const r = await runCli(["2013", "--dir", dir, "--format", "xlsx", "--out", out]);
    expect(r.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const found: ExcelJS.Cell[] = [];
    book.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (String(cell.value).includes("HYPERLINK") || String(cell.value).includes("@Navet")) found.push(cell);
        }),
      ),
    );
    expect(found.length).toBeGreaterThan(2);
    for (const cell of found) {
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
    }
    expect(book.worksheets.map((s) => s.name)).toContain("@Navet");
  });
});

describe("--out", () => {
  it("replaces a file only with a complete one, and leaves nothing behind on failure", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-out-"));
    const out = join(dir, "report.xlsx");
    writeFileSync(out, "the old report");
    const ok = await runCli(["2013", "--dir", SJUHARAD, "--format", "xlsx", "--out", out]);
    expect(ok.code).toBe(0);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe("PK");
    const failed = await runCli([
      "2013",
      "--dir",
      SJUHARAD,
      "--format",
      "html",
      "--out",
      join(dir, "missing", "r.html"),
    ]);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toBe(
      `error: cannot write ${join(dir, "missing", "r.html")}: its folder does not exist; nothing was written\n`,
    );
    expect(readdirSync(dir)).toEqual(["report.xlsx"]);
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });

  it("writes a workbook to a pipe when there is no --out", async () => {
    const piped = await runCli(["2013", "--dir", SJUHARAD, "--format", "xlsx"], ROOT);
    expect(piped.code).toBe(0);
    expect(piped.stdout.startsWith("PK")).toBe(true);
  });
});
