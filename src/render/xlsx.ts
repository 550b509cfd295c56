import type ExcelJS from "exceljs";
import { excelJs } from "../start/exceljs.js";
import { formatKronor, type Ore, type Unit } from "../domain/money.js";
import type { Report, RowReport } from "../report/build.js";
import type { KoncernSection } from "../koncern/report.js";
import { DRAFT_MARK, entityName, kindLabel, sections, type Section } from "./common.js";
import { inUnit, UNIT_DECIMALS } from "./number.js";
import { xmlChars } from "./visible.js";

/** Kronor per unit: the format shows the unit, the cell keeps exact kronor. */
const SCALE: Record<Unit, string> = { kr: "", tkr: ",", mnkr: ",," };

/**
 * Swedish presentation in the unit, each figure rounded on its own as in the text output: Excel
 * shows thousands with the locale's separator (a space in Swedish), the decimal comma (mnkr has one
 * decimal: 29,7) and the real minus sign. A negative amount under half of the last digit is shown
 * as 0, not "−0", as the text output shows it.
 */
export function amountFormat(ore: Ore, unit: Unit): string {
  const decimals = UNIT_DECIMALS[unit];
  const digits = `#,##0${decimals ? `.${"0".repeat(decimals)}` : ""}${SCALE[unit]}`;
  return ore < 0n && inUnit(ore, unit).isZero() ? `${digits};${digits}` : `${digits};"−"${digits}`;
}

/**
 * A percentage: the cell holds the fraction (0.1751), shown with one decimal and a space before the
 * sign as Swedish writes it: Excel and LibreOffice with Swedish settings show "17,5 %".
 */
export const PERCENT_FORMAT = '0.0" "%';

const EXACT_FORMAT = '#,##0.00;"−"#,##0.00';

/** Exact kronor as a spreadsheet number (öre as hundredths). */
const kronor = (ore: Ore) => Number(formatKronor(ore));

/** Sheets of the tables beside the statements, by the ids of the tables they hold. */
const OTHER_TABLES: readonly (readonly [string, readonly string[]])[] = [
  ["Helårsprognos", ["forecast", "balanskrav-prognos"]],
  ["Den kommunala koncernen", ["koncernforetag", "omfattning", "eget-kapital", "resultat"]],
];

/** A spreadsheet column's letters from its 0-based index: A … Z, AA … (a koncernmatris can be wide). */
const columnLetter = (i: number): string =>
  (i >= 26 ? columnLetter(Math.floor(i / 26) - 1) : "") + String.fromCharCode(65 + (i % 26));

const DRAFT_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFE0E0" } };

/**
 * A report from data with errors: a red row at the top of the sheet (frozen, and repeated on every
 * printed page with the header rows), the same words in the page header, and a red tab.
 */
function markDraft(sheet: ExcelJS.Worksheet, width: number): number {
  const row = sheet.addRow([DRAFT_MARK]);
  row.font = { bold: true, size: 14, color: { argb: "FFC00000" } };
  for (let c = 1; c <= width; c++) row.getCell(c).fill = DRAFT_FILL;
  sheet.headerFooter = {
    oddHeader: `&C&"-,Bold"&KC00000${DRAFT_MARK}`,
    evenHeader: `&C&"-,Bold"&KC00000${DRAFT_MARK}`,
  };
  sheet.properties.tabColor = { argb: "FFC00000" };
  return 1;
}

const strong = (row: RowReport) => row.kind === "subtotal" || row.kind === "total" || row.kind === "group";

/** Sheet names Excel keeps for itself, in any case. */
const RESERVED_SHEET_NAMES = new Set(["history"]);

/** The longest start of `text` of at most `max` UTF-16 units, never half a surrogate pair. */
function cut(text: string, max: number): string {
  let out = "";
  for (const c of text) {
    if (out.length + c.length > max) break;
    out += c;
  }
  return out.trim();
}

/**
 * A sheet name Excel accepts, for any entity name: at most 31 characters, none of : \ / ? * [ ] or
 * a control character, not "History" (Excel's own), unique in any case. An apostrophe becomes ’:
 * Excel refuses one at either end, and exceljs writes the name unquoted into the print titles.
 */
function sheetName(wanted: string, taken: Set<string>): string {
  const free = (name: string) => !taken.has(name.toLowerCase()) && !RESERVED_SHEET_NAMES.has(name.toLowerCase());
  const base =
    cut(
      xmlChars(wanted)
        // eslint-disable-next-line no-control-regex
        .replace(/[:\\/?*[\]\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ")
        .replace(/\ufffd/g, "")
        .replace(/'/g, "\u2019")
        .replace(/\s+/g, " "),
      31,
    ) || "Blad";
  let name = base;
  for (let i = 2; !free(name); i++) name = `${cut(base, 31 - String(i).length - 1)} ${i}`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * Every text cell as XML 1.0 can carry it: exceljs writes U+FFFE, U+FFFF and a lone surrogate as
 * they are, which makes the workbook ill-formed (Excel and exceljs refuse to open it); each becomes
 * U+FFFD, and so does a control character (which exceljs would drop without a trace).
 */
function xmlSafeCells(book: ExcelJS.Workbook): void {
  book.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === "string" && xmlChars(cell.value) !== cell.value) cell.value = xmlChars(cell.value);
      }),
    ),
  );
}

function printSetup(sheet: ExcelJS.Worksheet, headerRows: number) {
  sheet.views = [{ state: "frozen", ySplit: headerRows, xSplit: 0 }];
  sheet.pageSetup = {
    paperSize: 9, // A4
    orientation: "portrait",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    margins: { left: 0.7, right: 0.7, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
    printTitlesRow: `1:${headerRows}`,
  };
}

/** A sheet of tables (statements or notes): label, Not, then a column per year. */
function tablesSheet(
  book: ExcelJS.Workbook,
  name: string,
  heading: string,
  unit: Unit,
  tables: readonly Section[],
  options: SheetOptions = {},
) {
  const sheet = book.addWorksheet(name);
  const columns = tables[0]?.columns ?? [];
  const labelWidth = Math.min(60, Math.max(24, ...tables.flatMap((t) => t.rows.map((r) => r.label.length + 2))));
  sheet.columns = [{ width: labelWidth }, { width: 5 }, ...columns.map(() => ({ width: 14 }))];
  const draft = options.draft ? markDraft(sheet, 2 + columns.length) : 0;
  sheet.addRow([heading]).font = { bold: true, size: 14 };
  const head = sheet.addRow([
    `Belopp i ${unit}`,
    "Not",
    ...columns.map((c) => (c.header === String(c.year) ? c.year : c.header)),
  ]);
  head.font = { bold: true };
  head.eachCell((c, col) => {
    c.border = { bottom: { style: "thin" } };
    if (col > 1) c.alignment = { horizontal: "right" };
  });
  for (const t of tables) {
    sheet.addRow([]);
    sheet.addRow([options.whom ? `${options.whom(t)}: ${t.title}` : t.title]).font = { bold: true, size: 12 };
    if (t.subtitle) sheet.addRow([t.subtitle]).font = { italic: true };
    // Rows are numbered before they are written: a group row adds the lines below it.
    const first = sheet.rowCount + 1;
    const rowOf = new Map(t.rows.map((r, i) => [r.id, first + i]));
    for (const r of t.rows) {
      const row = sheet.addRow([r.label, r.note ?? null]);
      const font = strong(r) ? { bold: true } : r.kind === "of-which" ? { italic: true } : {};
      row.getCell(1).font = font;
      if (r.kind === "of-which") row.getCell(1).alignment = { indent: 1 };
      columns.forEach((_, y) => {
        const col = columnLetter(2 + y);
        const cell = row.getCell(3 + y);
        const value = r.values[y] ?? 0n;
        cell.font = font;
        if (r.kind === "percent") {
          cell.value = Number(value) / 10000; // hundredths of a percent → a fraction, shown as %
          cell.numFmt = PERCENT_FORMAT;
          return;
        }
        const terms = r.sum?.map((id) => `${col}${rowOf.get(id)!}`);
        cell.value = terms ? { formula: terms.join("+") || "0", result: kronor(value) } : kronor(value);
        cell.numFmt = amountFormat(value, unit);
      });
    }
    if (t.footnote) {
      const foot = sheet.addRow([t.footnote]);
      foot.font = { italic: true, size: 9 };
      sheet.mergeCells(foot.number, 1, foot.number, 2 + columns.length);
      foot.getCell(1).alignment = { wrapText: true, vertical: "top" };
      foot.height = 15 * Math.ceil(t.footnote.length / 90);
    }
  }
  printSetup(sheet, 2 + draft);
}

interface SheetOptions {
  /** Mark the sheet a draft (a report from data with errors). */
  readonly draft?: boolean;
  /** Whom a table is about, named in its heading (the budget sheet holds one table per unit). */
  readonly whom?: (table: Section) => string;
}

/** The internal items as booked on both sides, exact, with the difference as a formula. */
function reconciliationSheet(book: ExcelJS.Workbook, name: string, report: Report) {
  const sheet = book.addWorksheet(name);
  const entity = entityName(report);
  sheet.columns = [22, 22, 10, 8, 18, 18, 16].map((width) => ({ width }));
  const draft = report.draft ? markDraft(sheet, 7) : 0;
  sheet.addRow(["Interna poster, avstämning, belopp i kr (debet positivt)"]).font = { bold: true, size: 14 };
  sheet.addRow(["Från", "Till", "Slag", "År", "Intäkt, fordran", "Kostnad, skuld", "Differens"]).font = { bold: true };
  for (const p of report.internal.pairs) {
    const row = sheet.addRow([
      entity(p.entities[0]),
      entity(p.entities[1]),
      kindLabel(p.kind),
      p.year,
      ...p.amounts.map(kronor),
    ]);
    const n = row.number;
    row.getCell(7).value = { formula: `E${n}+F${n}`, result: kronor(p.difference) };
    for (const c of [5, 6, 7]) row.getCell(c).numFmt = EXACT_FORMAT;
    if (p.difference !== 0n) row.getCell(7).font = { color: { argb: "FFC00000" }, bold: true };
  }
  printSetup(sheet, 2 + draft);
}

/**
 * A kommunkoncern's koncernmatris per year: a column per entity at share and per step, each line
 * a row; Koncernen and each column's sum are formulas, so the sheet recomputes to the statements.
 */
function koncernSheets(book: ExcelJS.Workbook, taken: Set<string>, report: Report, koncern: KoncernSection) {
  for (const y of koncern.years) {
    const sheet = book.addWorksheet(sheetName(`Koncernmatris ${y.year}`, taken));
    const columns = y.matrix.columns;
    sheet.columns = [{ width: 44 }, ...columns.map(() => ({ width: 17 }))];
    const draft = report.draft ? markDraft(sheet, 1 + columns.length) : 0;
    sheet.addRow([`Koncernmatris ${y.year}, belopp i kr (debet positivt)`]).font = { bold: true, size: 14 };
    const head = sheet.addRow(["Rad", ...columns.map((c) => c.label)]);
    head.font = { bold: true };
    head.alignment = { wrapText: true, vertical: "bottom" };
    const first = sheet.rowCount + 1;
    const last = columnLetter(columns.length - 1); // the column before Koncernen
    for (const r of y.matrix.rows) {
      const row = sheet.addRow([r.label, ...columns.map((c) => Number(r.values[c.id]))]);
      const n = row.number;
      row.getCell(1 + columns.length).value = {
        formula: `SUM(B${n}:${last}${n})`,
        result: Number(r.values["koncernen"]),
      };
      for (let c = 2; c <= 1 + columns.length; c++) row.getCell(c).numFmt = EXACT_FORMAT;
    }
    const end = sheet.rowCount;
    const total = sheet.addRow([
      "Summa (noll i varje kolumn)",
      ...columns.map((c, i) => ({
        formula: `SUM(${columnLetter(i + 1)}${first}:${columnLetter(i + 1)}${end})`,
        result: Number(y.matrix.totals[c.id]),
      })),
    ]);
    total.font = { bold: true };
    total.eachCell((c, col) => {
      if (col > 1) c.numFmt = EXACT_FORMAT;
    });
    printSetup(sheet, 2 + draft);
    sheet.pageSetup.orientation = "landscape";
  }
  journalSheet(book, sheetName("Elimineringsjournal", taken), report, koncern);
}

/** Every entry of the matrix with its text, share, lines and the vouchers behind an internal pair. */
function journalSheet(book: ExcelJS.Workbook, name: string, report: Report, koncern: KoncernSection) {
  const sheet = book.addWorksheet(name);
  sheet.columns = [8, 30, 14, 8, 34, 18, 70].map((width) => ({ width }));
  const draft = report.draft ? markDraft(sheet, 7) : 0;
  sheet.addRow(["Elimineringsjournal, belopp i kr (debet positivt)"]).font = { bold: true, size: 14 };
  sheet.addRow(["År", "Post", "Steg", "Andel", "Rad", "Belopp", "Text och verifikationer"]).font = { bold: true };
  const entity = entityName(report);
  for (const y of koncern.years)
    for (const j of y.journal) {
      const vouchers = Object.entries(j.sources ?? {})
        .map(([id, places]) => `${entity(id)}: ${places.join(", ")}`)
        .join("; ");
      j.lines.forEach((l, i) => {
        const row = sheet.addRow([
          y.year,
          j.id,
          j.step,
          Number(j.share),
          l.line,
          Number(l.amount),
          i === 0 ? [j.text, vouchers].filter(Boolean).join(" — ") : null,
        ]);
        row.getCell(6).numFmt = EXACT_FORMAT;
      });
    }
  printSetup(sheet, 2 + draft);
}

function inputsSheet(book: ExcelJS.Workbook, name: string, report: Report) {
  const sheet = book.addWorksheet(name);
  sheet.columns = [{ width: 44 }, { width: 68 }];
  const draft = report.draft ? markDraft(sheet, 2) : 0;
  sheet.addRow(["Indata"]).font = { bold: true, size: 14 };
  sheet.addRow(["Fil", "SHA-256"]).font = { bold: true };
  for (const i of report.inputs) sheet.addRow([i.path, i.sha256]);
  printSetup(sheet, 2 + draft);
}

/** A workbook of tables only (member fees, say): one sheet per group of tables. */
export async function renderTablesXlsx(
  year: number,
  sheets: readonly { readonly name: string; readonly heading: string; readonly tables: readonly Section[] }[],
  unit: Unit,
): Promise<Uint8Array> {
  const book = new (await excelJs()).Workbook();
  book.creator = "consolidate";
  book.created = book.modified = new Date(Date.UTC(year, 11, 31));
  const taken = new Set<string>();
  for (const s of sheets) {
    // Tables about different entities (a saldobalans per unit) say whose each is.
    const whom = new Set(s.tables.map((t) => t.heading)).size > 1 ? { whom: (t: Section) => t.heading } : {};
    tablesSheet(book, sheetName(s.name, taken), s.heading, unit, s.tables, whom);
  }
  xmlSafeCells(book);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/**
 * The report as a workbook: the group's statements, each entity's, the notes, the internal-items
 * reconciliation and the inputs with their SHA-256. Cells hold exact kronor (numbers, never text)
 * shown in the unit; sums are formulas over the rows they add, so the workbook can be audited.
 */
export async function renderXlsx(report: Report, unit: Unit): Promise<Uint8Array> {
  const book = new (await excelJs()).Workbook();
  book.creator = "consolidate";
  // A fixed date keeps the same report the same file.
  book.created = book.modified = new Date(Date.UTC(report.years[0]!, 11, 31));
  const taken = new Set<string>();
  const all = sections(report, unit);
  const draft = { draft: report.draft === true };
  const group = all.filter(
    (s) => s.scope === "group" && (s.statement === "equity" || report.statements.some((st) => st.id === s.statement)),
  );
  tablesSheet(book, sheetName("Koncernen", taken), report.group.name, unit, group, draft);
  for (const e of report.entities) {
    const own = all.filter((s) => s.scope === `entity:${e.id}` && !s.statement.startsWith("budget:"));
    if (own.length) tablesSheet(book, sheetName(e.name, taken), own[0]!.heading, unit, own, draft);
  }
  const budget = all.filter((s) => s.statement.startsWith("budget:"));
  const entity = entityName(report);
  if (budget.length)
    tablesSheet(book, sheetName("Budgetuppföljning", taken), `${report.group.name}, budgetuppföljning`, unit, budget, {
      ...draft,
      // The group's table and each unit's look alike: each heading says whose it is.
      whom: (t) => (t.scope.startsWith("entity:") ? entity(t.scope.slice("entity:".length)) : report.group.name),
    });
  const overview = all.filter((s) => s.statement === "overview");
  if (overview.length)
    tablesSheet(book, sheetName(overview[0]!.title, taken), report.group.name, unit, overview, draft);
  // The other tables beside the statements, a sheet per kind: the forecast, the kommunkoncern's.
  for (const [name, ids] of OTHER_TABLES) {
    const tables = all.filter((s) => ids.includes(s.statement));
    if (tables.length)
      tablesSheet(book, sheetName(name, taken), report.group.name, unit, tables, {
        ...draft,
        whom: (t) => (t.scope.startsWith("entity:") ? entity(t.scope.slice("entity:".length)) : report.group.name),
      });
  }
  const notes = all.filter((s) => s.statement === "note");
  if (notes.length) tablesSheet(book, sheetName("Noter", taken), `${report.group.name}, noter`, unit, notes, draft);
  if (report.koncern) koncernSheets(book, taken, report, report.koncern);
  reconciliationSheet(book, sheetName("Interna poster", taken), report);
  inputsSheet(book, sheetName("Indata", taken), report);
  xmlSafeCells(book);
  return new Uint8Array(await book.xlsx.writeBuffer());
}
