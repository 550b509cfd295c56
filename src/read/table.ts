import type { Diagnostic } from "../domain/types.js";
import { parseAmount, type AmountResult, type NumberFormat } from "./amount.js";
import { readCsv, readCsvInto, shortText, type CsvConsumer, type CsvDialect } from "./csv.js";
import { cellName, isWorkbook, numberAmount, readXlsx } from "./xlsx.js";

/**
 * A table with a header row, from a CSV file or a sheet of a workbook: what the ledger, budget and
 * opening-balance readers consume, whichever the file is.
 */
export interface TableRecord {
  /** The file's line, or the sheet's row. */
  readonly line: number;
  /** Values in the order of the header's columns. */
  readonly values: readonly string[];
  readonly fields: Readonly<Record<string, string>>;
  /** Where a header's field stands on this line: its character (CSV) or its column, A = 1 (workbook). */
  columnOf(name: string): number;
  /** Where the i-th field stands (CSV: past the line's end for a field the line lacks). */
  columnAt?(i: number): number;
  /** The number a field's cell holds (workbooks), to be read as it is, not as text in a format. */
  numberOf?(name: string): number | undefined;
  /** A cell the reader could not read (a diagnostic says why): the row counts, but not its values. */
  readonly unreadable?: boolean;
}

export interface TableHeader {
  /** The names, mapped to the tool's (`csv.columns`). */
  readonly names: readonly string[];
  /** The names as the file writes them (CSV). */
  readonly original?: readonly string[];
  readonly line: number;
  readonly index: ReadonlyMap<string, number>;
  /** Where each name stands: its character (CSV) or its sheet column (workbooks). */
  readonly columns?: readonly number[];
  /** The CSV file's delimiter. */
  readonly delimiter?: string;
}

export type TableItem = { header: TableHeader } | { record: TableRecord } | { error: Diagnostic };

/** A CSV dialect, and for workbooks the sheet to read. */
export interface TableOptions extends CsvDialect {
  readonly sheet?: string;
}

/** Streams a table: a workbook's sheet when the file is one (.xlsx), otherwise CSV. */
export async function* readTable(
  path: string,
  file: string,
  options: TableOptions = {},
  onBytes?: (bytes: number) => void,
): AsyncGenerator<TableItem[]> {
  // readXlsx loads exceljs on its first workbook, so that CSV runs do not pay for it.
  if (isWorkbook(path)) yield* readXlsx(path, file, { columns: options.columns, sheet: options.sheet }, onBytes);
  else yield* readCsv(path, file, { ...options, unreadableRecords: true }, onBytes);
}

/** What readTableInto hands a table's items to (CsvConsumer; a workbook's lines are never plain text). */
export interface TableConsumer {
  item(item: TableItem): void;
  readonly done?: boolean;
  quickLine?: CsvConsumer["quickLine"];
}

/** readTable, its items handed to `consumer` one at a time, in order, as they are read. */
export async function readTableInto(
  path: string,
  file: string,
  options: TableOptions,
  onBytes: ((bytes: number) => void) | undefined,
  consumer: TableConsumer,
): Promise<void> {
  if (!isWorkbook(path)) return readCsvInto(path, file, { ...options, unreadableRecords: true }, onBytes, consumer);
  for await (const batch of readTable(path, file, options, onBytes))
    for (const item of batch) {
      if (consumer.done) return;
      consumer.item(item);
    }
}

/**
 * A row with another number of fields than the header: more is always an error (a field that
 * holds the delimiter without quotes, usually a decimal comma); fewer only when a required column
 * is among those the row leaves off at its end.
 */
export function fieldCountProblem(
  file: string,
  r: TableRecord,
  header: TableHeader,
  required: readonly string[],
): Diagnostic | undefined {
  const have = r.values.length;
  const want = header.names.length;
  if (have === want) return undefined;
  const counts = `the row has ${have} fields, but the header has ${want}`;
  if (have > want) {
    // 900,50 or 1,234.50 in a comma-separated file: two fields, 900 and 50, 1 and 234.50
    const v = r.values;
    // A minus or a minus sign (U+2212), escaped: the bundles hold no character past U+00FF (test/start.test.ts).
    const DECIMAL = [/^[-\u2212]?\d[\d ]*$/, /^\d{1,2}$/] as const;
    const THOUSANDS = [/^[-\u2212]?\d{1,3}$/, /^\d{3}([.]\d{1,2})?$/] as const;
    const fits = (i: number, [whole, part]: readonly [RegExp, RegExp]) =>
      i >= 0 && i + 1 < have && whole.test(v[i]!.trim()) && part.test(v[i + 1]!.trim());
    const first = (kind: readonly [RegExp, RegExp]) => v.findIndex((_, i) => fits(i, kind));
    // Where the amount column is split, or else the first place that looks so.
    const at = header.index.get("amount") ?? -1;
    let split = -1;
    if (header.delimiter === ",")
      split = fits(at, DECIMAL) || fits(at, THOUSANDS) ? at : first(DECIMAL) >= 0 ? first(DECIMAL) : first(THOUSANDS);
    const what = split >= 0 && !fits(split, DECIMAL) ? "a comma between thousands" : "a decimal comma";
    const comma = (header.delimiter ?? ",") === ",";
    const shown = header.delimiter === "\t" ? "tab" : `'${header.delimiter ?? ","}'`;
    return {
      code: "E-CSV-FIELDS",
      severity: "error",
      message:
        split >= 0
          ? `${counts}: '${shortText(`${v[split]},${v[split + 1]}`, 30)}' is probably an amount with ${what}, read as two fields`
          : `${counts}: a field holds the delimiter ${shown} without quotes${comma ? " (an unquoted decimal comma is the usual cause)" : ""}`,
      file,
      line: r.line,
      column: r.columnAt?.(split >= 0 ? split + 1 : want) ?? 1,
      hint: comma
        ? 'Quote a field that holds a comma ("900,50"), or write the file with semicolons and declare "numberFormat": { "decimal": "," } in consolidate.json. Every row has as many fields as the header.'
        : "Quote a field that holds the delimiter. Every row has as many fields as the header.",
    };
  }
  const missing = header.names.slice(have).filter((n) => required.includes(n));
  if (missing.length === 0) return undefined;
  const optional = header.names.slice(have).filter((n) => !required.includes(n));
  return {
    code: "E-CSV-FIELDS",
    severity: "error",
    message: `${counts}: it has no ${missing.join(", ")}`,
    file,
    line: r.line,
    column: r.columnAt?.(have) ?? 1,
    hint: `A row may leave off only optional columns at its end${optional.length ? ` (here ${optional.join(", ")})` : ""}; check the delimiters of this row against the header.`,
  };
}

/**
 * A record's amount: a workbook's number exactly as the cell holds it, text (CSV, or a text cell)
 * in the declared number format.
 */
export function tableAmount(r: TableRecord, name: string, text: string, format: NumberFormat): AmountResult {
  const n = r.numberOf?.(name);
  if (n !== undefined) return numberAmount(n);
  let read = parseAmount(text, format);
  // A field of megabytes is quoted in the message by its start, not whole.
  if ("problem" in read && text.length > 60)
    read = { ...read, problem: read.problem.split(text).join(shortText(text)) };
  // A workbook's text cell where a number belongs: say so in the words of the spreadsheet.
  return r.numberOf && "problem" in read && read.code === "E-AMOUNT-INVALID" && text.trim() !== ""
    ? {
        ...read,
        hint: "The cell holds text: enter the amount as a number (Excel aligns numbers to the right), kronor, debit positive, credit negative.",
      }
    : read;
}

/**
 * A diagnostic on a workbook's cell names the cell as Excel does: the location gives row and column
 * number (ledgers/2013/kansli.xlsx:14:5), the message ends "(cell E14)".
 */
export function withCellName(d: Diagnostic): Diagnostic {
  if (!d.file || !d.line || !d.column || !isWorkbook(d.file)) return d;
  const cell = cellName(d.line, d.column);
  return new RegExp(`\\b${cell}\\b`).test(d.message) ? d : { ...d, message: `${d.message} (cell ${cell})` };
}
