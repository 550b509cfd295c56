import { formatKronor, type Unit } from "../domain/money.js";
import type { Report } from "../report/build.js";
import { sections, type Section } from "./common.js";
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
 * A text a spreadsheet would read as a formula (= + - @, or a leading tab or CR) gets a leading
 * apostrophe, so that a label or a name can never run as one when the file is opened.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * Every figure of the report as one flat table, a row per table row and column: exact kronor and
 * the figure in the chosen unit as printed (a percentage with two decimals in `amount`, unit %). UTF-8, CRLF line ends; `bom` for Excel on Windows.
 */
export function renderCsv(report: Report, unit: Unit, options: { bom?: boolean } = {}): string {
  return renderTablesCsv(sections(report, unit), unit, options);
}

/** Tables as the same flat CSV. */
export function renderTablesCsv(tables: readonly Section[], unit: Unit, options: { bom?: boolean } = {}): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const s of tables)
    for (const row of s.rows)
      s.columns.forEach((column, y) => {
        const value = row.values[y] ?? 0n;
        const note = s.note ?? row.note;
        const text = [s.statement, s.scope, row.id, row.label, row.kind].map((t) => field(neutralise(t)));
        lines.push(
          [
            ...text,
            note === undefined ? "" : String(note),
            String(column.year),
            field(neutralise(column.header)),
            row.kind === "percent" ? "" : formatKronor(value),
            row.kind === "percent" ? "%" : unit,
            row.kind === "percent" ? formatKronor(value) : plainAmount(value, unit),
          ].join(","),
        );
      });
  return `${options.bom ? "\ufeff" : ""}${lines.join("\r\n")}\r\n`;
}
