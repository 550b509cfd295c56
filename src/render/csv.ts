import { type Ore, type Unit } from "../domain/money.js";
import type { Report } from "../report/build.js";
import type { KoncernSection } from "../koncern/report.js";
import { DRAFT_MARK, sections, type Section } from "./common.js";
import { plainAmount } from "./number.js";

export const CSV_COLUMNS = [
  "statement",
  "scope",
  "row_id",
  "label",
  "kind",
  "note",
  "year",
  "column",
  "amount_kr",
  "unit",
  "amount",
] as const;

/**
 * How the file is written: `rfc4180` (comma, decimal point, UTF-8, for scripts) or `excel-sv` (what
 * Excel with Swedish settings opens on a double-click: semicolons, decimal comma, a byte-order mark).
 * Both end lines with CRLF.
 */
export const CSV_DIALECTS = ["rfc4180", "excel-sv"] as const;
export type CsvDialect = (typeof CSV_DIALECTS)[number];

export interface CsvOptions {
  /** `rfc4180` (the default) or `excel-sv`. */
  readonly dialect?: CsvDialect;
  /** Begin with a UTF-8 byte-order mark (always for `excel-sv`). */
  readonly bom?: boolean;
  /** Mark the file a draft: a first row that says the data has errors (a report printed with --force). */
  readonly draft?: boolean;
}

/**
 * A text a spreadsheet would read as a formula (= + - @, or a leading tab or CR) gets a leading
 * apostrophe, so that a label or a name can never run as one when the file is opened.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Exact kronor with two decimals and the dialect's decimal sign: "-1234.50", or "-1234,50" for excel-sv. */
function kronor(ore: Ore, decimal: "." | ","): string {
  const abs = ore < 0n ? -ore : ore;
  return `${ore < 0n ? "-" : ""}${abs / 100n}${decimal}${String(abs % 100n).padStart(2, "0")}`;
}

/**
 * Every figure of the report as one flat table, a row per table row and column: exact kronor and
 * the figure in the chosen unit as printed (a percentage with two decimals in `amount`, unit %).
 * CRLF line ends; RFC 4180 by default, or the dialect of Swedish Excel.
 */
export function renderCsv(report: Report, unit: Unit, options: CsvOptions = {}): string {
  return renderTablesCsv(
    sections(report, unit),
    unit,
    { ...options, draft: options.draft ?? report.draft === true },
    report.koncern ? koncernRecords(report.koncern) : [],
  );
}

/**
 * A kommunkoncern's koncernmatris (statement "koncernmatris", scope the matrix column) and
 * elimination journal (statement "journal", scope the entry) as more rows of the same table, in
 * exact kronor (debit positive; shares and rates applied without rounding, so some have more
 * than two decimals).
 */
function koncernRecords(koncern: KoncernSection): string[][] {
  const out: string[][] = [];
  for (const y of koncern.years) {
    for (const r of y.matrix.rows)
      for (const c of y.matrix.columns)
        out.push([
          "koncernmatris",
          c.id,
          r.id,
          r.label,
          "line",
          "",
          String(y.year),
          c.label,
          r.values[c.id]!,
          "kr",
          r.values[c.id]!,
        ]);
    for (const j of y.journal)
      for (const l of j.lines)
        out.push([
          "journal",
          j.id,
          l.line,
          j.text,
          j.step,
          "",
          String(y.year),
          `andel ${j.share}`,
          l.amount,
          "kr",
          l.amount,
        ]);
  }
  return out;
}

/** Tables as the same flat CSV. */
export function renderTablesCsv(
  tables: readonly Section[],
  unit: Unit,
  options: CsvOptions = {},
  exact: readonly (readonly string[])[] = [],
): string {
  const excel = options.dialect === "excel-sv";
  const separator = excel ? ";" : ",";
  const decimal = excel ? "," : ".";
  // A field with the separator, a quote or a line break is quoted, quotes doubled (RFC 4180).
  const special = excel ? /[";\r\n]/ : /[",\r\n]/;
  const field = (s: string) => (special.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const text = (s: string) => field(neutralise(s));
  const lines = [CSV_COLUMNS.join(separator)];
  if (options.draft)
    lines.push(["draft", "group", "utkast", DRAFT_MARK, "draft", "", "", "", "", "", ""].map(text).join(separator));
  for (const s of tables)
    for (const row of s.rows)
      s.columns.forEach((column, y) => {
        const value = row.values[y] ?? 0n;
        const note = s.note ?? row.note;
        const percent = row.kind === "percent";
        lines.push(
          [
            ...[s.statement, s.scope, row.id, row.label, row.kind].map(text),
            note === undefined ? "" : String(note),
            String(column.year),
            text(column.header),
            percent ? "" : kronor(value, decimal),
            percent ? "%" : unit,
            percent ? kronor(value, decimal) : plainAmount(value, unit, decimal),
          ].join(separator),
        );
      });
  // Exact amounts (amount_kr and amount, columns 8 and 10) take the dialect's decimal sign.
  for (const record of exact)
    lines.push(record.map((v, i) => (i === 8 || i === 10 ? v.replace(".", decimal) : text(v))).join(separator));
  return `${options.bom || excel ? "\ufeff" : ""}${lines.join("\r\n")}\r\n`;
}
