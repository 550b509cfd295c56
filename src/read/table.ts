import type { Diagnostic } from "../domain/types.js";
import { parseAmount, type AmountResult, type NumberFormat } from "./amount.js";
import { readCsv, type CsvDialect } from "./csv.js";
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
  /** The number a field's cell holds (workbooks), to be read as it is, not as text in a format. */
  numberOf?(name: string): number | undefined;
  /** A cell the reader could not read (a diagnostic says why): the row counts, but not its values. */
  readonly unreadable?: boolean;
}

export interface TableHeader {
  readonly names: readonly string[];
  readonly line: number;
  readonly index: ReadonlyMap<string, number>;
  /** The sheet column of each name (workbooks). */
  readonly columns?: readonly number[];
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
  else yield* readCsv(path, file, options, onBytes);
}

/**
 * A record's amount: a workbook's number exactly as the cell holds it, text (CSV, or a text cell)
 * in the declared number format.
 */
export function tableAmount(r: TableRecord, name: string, text: string, format: NumberFormat): AmountResult {
  const n = r.numberOf?.(name);
  if (n !== undefined) return numberAmount(n);
  const read = parseAmount(text, format);
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
