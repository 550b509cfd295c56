import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { extname, posix } from "node:path";
import type { Diagnostic } from "../domain/types.js";
import type { AmountResult } from "./amount.js";
import { excelJs } from "../start/exceljs.js";

/**
 * Excel workbooks (.xlsx) as tables: the same stream of header, records and diagnostics the CSV
 * reader gives, so that ledgers, budgets and opening balances kept in Excel are read with the same
 * header mapping and checks. exceljs is loaded only when a workbook is read.
 *
 * Read with exceljs's streaming reader, not its whole-workbook reader: a ledger may fill a sheet
 * (1 048 576 rows), and the workbook reader holds every cell as an object (measured in the README,
 * "Ledgers in Excel"). The zip's parts are taken from its central directory in the order they are
 * needed (relationships, sheet names and the 1904 date system, styles that say which cells are
 * dates, shared strings, then the one sheet asked for, streamed row by row), whatever order the
 * program that wrote the file stored them in.
 */

/** The file extensions read as workbooks; other spreadsheet formats are refused with a way out. */
export const WORKBOOK_EXTENSIONS = new Set([".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"]);

export const isWorkbook = (path: string) => WORKBOOK_EXTENSIONS.has(extname(path).toLowerCase());

/** Excel's name for a column: 1 → A, 27 → AA. */
export function columnName(column: number): string {
  let name = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Excel's name for a cell: row 14, column 5 → E14. */
export const cellName = (row: number, column: number) => `${columnName(column)}${row}`;

/**
 * A number as the shortest decimal text that reads back as the same double, without exponent:
 * what Excel shows with enough decimals (1234.5, not 1234.5000000000002 unless it is that).
 */
export function plainNumber(n: number): string {
  const s = String(n);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const sign = s.startsWith("-") ? "-" : "";
  const mantissa = s.slice(sign.length, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A cell's number as an amount in öre, exactly: the double's shortest decimal text, which must have
 * at most two decimals. 1234.5 is 1234.50 kr; 0.1 + 0.2 (0.30000000000000004) is refused.
 */
export function numberAmount(n: number): AmountResult {
  const text = plainNumber(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m || !Number.isFinite(n))
    return {
      code: "E-AMOUNT-INVALID",
      problem: `'${text}' is not a number`,
      hint: "The amount holds kronor, debit positive, credit negative.",
    };
  if ((m[3] ?? "").length > 2)
    return {
      code: "E-AMOUNT-PRECISION",
      problem: `'${text}' has more than two decimals`,
      hint: `The cell holds the number ${text}, though Excel may show it rounded: round it to öre in the workbook (AVRUNDA(…;2), in English ROUND(…,2)) or type the amount.`,
    };
  const ore = BigInt(m[2]!) * 100n + BigInt((m[3] ?? "").padEnd(2, "0"));
  return { ore: m[1] === "-" ? -ore : ore };
}

/** One row of a sheet: its values as text in the header's order, by name on request. */
export class XlsxRecord {
  constructor(
    /** The sheet's row number. */
    readonly line: number,
    /** Values in the order of the header's named columns ("" for an empty cell). */
    readonly values: readonly string[],
    private readonly header: XlsxHeaderIndex,
    /** The cells that hold numbers (by position in values), for amounts read without a text format. */
    private readonly numbers: ReadonlyMap<number, number> | undefined,
    /** A cell of a named column could not be read (a formula without result); a diagnostic says why. */
    readonly unreadable: boolean,
  ) {}

  get fields(): Readonly<Record<string, string>> {
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    this.header.names.forEach((name, i) => (fields[name] = this.values[i]!));
    return fields;
  }

  /** The sheet column (A = 1) of a header's field. */
  columnOf(name: string): number {
    return this.header.columns[this.header.index.get(name) ?? 0] ?? 1;
  }

  /** The number a field's cell holds, when it holds a number rather than text. */
  numberOf(name: string): number | undefined {
    const i = this.header.index.get(name);
    return i === undefined ? undefined : this.numbers?.get(i);
  }
}

interface XlsxHeaderIndex {
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** The sheet column of each name. */
  readonly columns: readonly number[];
}

export interface XlsxHeader extends XlsxHeaderIndex {
  readonly line: number;
}

export type XlsxItem = { header: XlsxHeader } | { record: XlsxRecord } | { error: Diagnostic };

export interface XlsxOptions {
  /** The file's header names for the tool's columns, as for CSV. */
  readonly columns?: Readonly<Record<string, string>>;
  /** The sheet to read; by default the first (visible) one. */
  readonly sheet?: string;
}

/** What a cell holds, as far as a table of the tool cares. */
type Content =
  | { kind: "empty" }
  | { kind: "text"; text: string }
  | { kind: "number"; value: number }
  | { kind: "date"; iso: string }
  | { kind: "no-result"; formula: string }
  | { kind: "error"; formula?: string; value?: string };

const EMPTY: Content = { kind: "empty" };

// The narrow part of exceljs's streaming reader used here (its typings leave most of it out).
interface CellModel {
  type: number;
  value?: unknown;
  rawValue?: unknown;
  text?: unknown;
  formula?: string;
  sharedFormula?: string;
  result?: unknown;
}
interface StreamCell {
  readonly model: CellModel;
  readonly numFmt?: unknown;
}
interface StreamRow {
  readonly number: number;
  eachCell(f: (cell: StreamCell, column: number) => void): void;
}
type StreamSheet = AsyncIterable<StreamRow>;
type Text = AsyncIterable<string>;
interface Relationship {
  readonly Id: string;
  readonly Type?: string;
  readonly Target: string;
}
/**
 * exceljs's streaming reader, part by part: its own `parse()` walks the zip's entries in the
 * order they are stored and loses the ones still queued when the zip's end is reached (exceljs
 * issue 3064: "reading 'sheets'" on a sound workbook whose workbook.xml comes last, now and then).
 * So the parts are taken here from the zip's central directory, in the order they are needed.
 */
interface StreamBook {
  _parseRels(part: Text): Promise<void>;
  _parseWorkbook(part: Text): Promise<void>;
  _parseStyles(part: Text): Promise<void>;
  _parseSharedStrings(part: Text): AsyncIterable<{ index: number; text: unknown }>;
  _parseWorksheet(part: Text, sheetNo: string): Iterator<{ value: StreamSheet }>;
  model?: { sheets?: { name: string; id: number; state?: string; rId: string }[] };
  workbookRels?: Relationship[];
  properties?: { model?: { date1904?: boolean } };
}

const FORMULA = 6;
const HYPERLINK = 5;

/** exceljs's test for a date format: y, m, d, h, s or b outside quotes and brackets. */
const isDateFormat = (format: unknown) =>
  typeof format === "string" &&
  /[ymdhMsb]/.test(format.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, "")) &&
  format !== "General";

/** A date as YYYY-MM-DD, from the calendar day it names (Excel dates carry no time zone). */
const isoDay = (d: Date) => (Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10));

/** An Excel serial day number as YYYY-MM-DD (1900 date system, or 1904 where the workbook says so). */
const serialDay = (serial: number, date1904: boolean) =>
  isoDay(new Date(Math.round((serial - (date1904 ? 24107 : 25569)) * 86_400_000)));

const richText = (v: unknown): string | undefined =>
  typeof v === "object" && v !== null && "richText" in v && Array.isArray(v.richText)
    ? v.richText.map((r: { text?: unknown }) => String(r.text ?? "")).join("")
    : undefined;

function contentOf(cell: StreamCell, strings: readonly unknown[], date1904: boolean): Content {
  const m = cell.model;
  if (m.type === HYPERLINK) return text(m.text, strings);
  if (m.type === FORMULA || (typeof m.rawValue === "object" && m.rawValue !== null && "formula" in m.rawValue)) {
    const f = m.type === FORMULA ? m : (m.rawValue as CellModel);
    const formula = `=${f.formula ?? f.sharedFormula ?? ""}`;
    const result = f.result;
    if (result === undefined || result === null) return { kind: "no-result", formula };
    if (typeof result === "number") {
      if (Number.isNaN(result)) return { kind: "error", formula };
      if (isDateFormat(cell.numFmt)) {
        const iso = serialDay(result, date1904);
        return iso ? { kind: "date", iso } : { kind: "number", value: result };
      }
      return { kind: "number", value: result };
    }
    if (typeof result === "object" && "error" in result) return { kind: "error", formula, value: String(result.error) };
    if (result instanceof Date) {
      const iso = isoDay(result);
      return iso ? { kind: "date", iso } : EMPTY;
    }
    return { kind: "text", text: String(result) };
  }
  return text(m.rawValue ?? m.value, strings);
}

function text(v: unknown, strings: readonly unknown[]): Content {
  if (v === undefined || v === null) return EMPTY;
  if (typeof v === "number") return { kind: "number", value: v };
  if (typeof v === "string") return { kind: "text", text: v };
  if (typeof v === "boolean") return { kind: "text", text: v ? "TRUE" : "FALSE" };
  if (v instanceof Date) {
    const iso = isoDay(v);
    return iso ? { kind: "date", iso } : EMPTY;
  }
  if (typeof v === "object") {
    if ("sharedString" in v && typeof v.sharedString === "number") return text(strings[v.sharedString], []);
    const rich = richText(v);
    if (rich !== undefined) return { kind: "text", text: rich };
    if ("error" in v) return { kind: "error", value: String(v.error) };
    if ("text" in v) return text(v.text, strings);
  }
  return { kind: "text", text: String(v) };
}

const isBlank = (c: Content) => c.kind === "empty" || (c.kind === "text" && c.text.trim() === "");

/** The text a value stands for in a table: numbers in their shortest form, dates as YYYY-MM-DD. */
const asText = (c: Content): string =>
  c.kind === "text" ? c.text : c.kind === "number" ? plainNumber(c.value) : c.kind === "date" ? c.iso : "";

/** How a file that is no workbook begins, to say what it is instead. */
async function notAWorkbook(path: string): Promise<{ message: string; hint: string } | undefined> {
  const handle = await open(path, "r");
  const head = Buffer.alloc(4096);
  let read: number;
  try {
    ({ bytesRead: read } = await handle.read(head, 0, head.length, 0));
  } finally {
    await handle.close();
  }
  const bytes = head.subarray(0, read);
  const save = "Open it in Excel (or LibreOffice) and save it as an Excel workbook (.xlsx).";
  if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))
    return { message: "the file is an Excel 97–2003 workbook (.xls), which is not read", hint: save };
  if (!bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    if (read === 0) return { message: "the file is empty, not an Excel workbook", hint: save };
    if (bytes.includes(0)) return { message: "the file is not an Excel workbook (.xlsx)", hint: save };
    // Text: what some programs export "for Excel" under a workbook's name, or a CSV file.
    const start = bytes
      .toString("latin1")
      .replace(/^\xef\xbb\xbf/, "")
      .trimStart()
      .toLowerCase();
    if (start.includes("urn:schemas-microsoft-com:office:spreadsheet"))
      return { message: "the file is an Excel 2003 XML spreadsheet, not an Excel workbook (.xlsx)", hint: save };
    if (/^<(!doctype html|html|table|meta|head)\b/.test(start))
      return { message: "the file is a web page (HTML) exported for Excel, not an Excel workbook (.xlsx)", hint: save };
    return { message: "the file is text, not an Excel workbook", hint: "If it holds CSV, name it .csv." };
  }
  if (bytes.includes("opendocument.spreadsheet"))
    return { message: "the file is an OpenDocument spreadsheet (.ods), which is not read", hint: save };
  if (extname(path).toLowerCase() === ".xlsb")
    return { message: "the file is an Excel binary workbook (.xlsb), which is not read", hint: save };
  return undefined;
}

/** A part's name in the zip from a relationship's target: absolute, or relative to the folder of the part it is of. */
const partName = (target: string, folder: string) =>
  target.startsWith("/") ? target.slice(1) : posix.join(folder, target);

/**
 * A zip part as text, decoded as one stream: a character may be split between two chunks, which
 * exceljs decodes one by one (two U+FFFD for an å). A part that is not UTF-8 is refused.
 */
function utf8(name: string, part: NodeJS.ReadableStream, share: number, onBytes?: (bytes: number) => void) {
  return Readable.from(decode());
  async function* decode() {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    try {
      for await (const chunk of part) {
        onBytes?.(Math.round((chunk as Buffer).length * share));
        const text = decoder.decode(chunk as Buffer, { stream: true });
        if (text) yield text;
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    } catch (err) {
      throw err instanceof TypeError ? new Error(`its part ${name} is not UTF-8 text`) : err;
    }
  }
}

/**
 * Streams one sheet of a workbook as a table with a header row: the first row that holds anything
 * is the header, every later row that holds anything is a record (empty rows are skipped). Numbers
 * stay numbers (for amounts), dates become YYYY-MM-DD, formulas give their saved result.
 */
export async function* readXlsx(
  path: string,
  file: string,
  options: XlsxOptions = {},
  onBytes?: (bytes: number) => void,
): AsyncGenerator<XlsxItem[]> {
  const problem = (code: string, message: string, hint: string, line?: number, column?: number): XlsxItem => ({
    error: {
      code,
      severity: "error",
      message,
      file,
      ...(line === undefined ? {} : { line, column: column ?? 1 }),
      hint,
    },
  });
  const wrong = await notAWorkbook(path);
  if (wrong) {
    yield [problem("E-XLSX-INVALID", wrong.message, wrong.hint)];
    return;
  }
  const ExcelJS = await excelJs();
  const { default: StreamZip } = await import("node-stream-zip");
  const zip = new StreamZip.async({ file: path });
  const book = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: "emit",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  }) as unknown as StreamBook;
  const strings: unknown[] = [];
  const rename = new Map(Object.entries(options.columns ?? {}).map(([tool, header]) => [header, tool]));
  let wanted: { name: string; part: string; number: string } | undefined;
  try {
    const parts = await zip.entries();
    const text = async (name: string) => {
      const entry = parts[name];
      if (!entry) throw new Error(`its part ${name} is missing`);
      return utf8(name, await zip.stream(entry), entry.compressedSize / Math.max(entry.size, 1), onBytes);
    };
    // The workbook part is where the package's relationships say (xl/workbook.xml as every
    // program writes it, and where a package without them has it); its own relationships beside it.
    if (parts["_rels/.rels"]) await book._parseRels(await text("_rels/.rels"));
    const office = book.workbookRels?.find((r) => r.Type?.endsWith("/officeDocument"));
    const workbook = office ? partName(office.Target, "") : "xl/workbook.xml";
    const folder = posix.dirname(workbook);
    await book._parseRels(await text(posix.join(folder, "_rels", `${posix.basename(workbook)}.rels`)));
    await book._parseWorkbook(await text(workbook));
    if (!book.model?.sheets) throw new Error(`its list of sheets (${workbook}) cannot be read`);
    const related = (type: string) => book.workbookRels?.find((r) => r.Type?.endsWith(`/${type}`));
    const styles = related("styles");
    if (styles) await book._parseStyles(await text(partName(styles.Target, folder)));
    const shared = related("sharedStrings");
    if (shared)
      for await (const { index, text: value } of book._parseSharedStrings(await text(partName(shared.Target, folder))))
        strings[index] = value;
    wanted = chooseSheet(book, options.sheet, folder);
    if (wanted) {
      const sheet = book._parseWorksheet(await text(wanted.part), wanted.number).next().value as { value: StreamSheet };
      yield* readSheet(sheet.value, Boolean(book.properties?.model?.date1904));
    }
  } catch (err) {
    yield [
      problem(
        "E-XLSX-INVALID",
        `the file cannot be read as an Excel workbook: ${(err as Error).message}`,
        "Open it in Excel (or LibreOffice) and save it again as an Excel workbook (.xlsx).",
      ),
    ];
    return;
  } finally {
    await zip.close().catch(() => undefined);
  }
  if (!wanted) {
    const names = (book.model?.sheets ?? []).map((s) => s.name);
    yield [
      options.sheet === undefined
        ? problem("E-XLSX-SHEET", "the workbook has no worksheet", "The table is read from a sheet with a header row.")
        : problem(
            "E-XLSX-SHEET",
            `the workbook has no sheet '${options.sheet}'`,
            names.length === 1
              ? `Its only sheet is '${names[0]}': correct "sheet" in consolidate.json, or leave it out to read the first sheet.`
              : names.length
                ? `Its sheets are ${names.map((n) => `'${n}'`).join(", ")}: correct "sheet" in consolidate.json.`
                : "Correct the sheet's name in consolidate.json.",
          ),
    ];
  }

  /** The worksheet to read, by name, zip part and exceljs's sheet number: the named one, or the first visible. */
  function chooseSheet(b: StreamBook, name: string | undefined, folder: string) {
    const worksheets = new Map(
      (b.workbookRels ?? [])
        .filter((r) => r.Type?.endsWith("/worksheet"))
        .map((r) => [r.Id, partName(r.Target, folder)]),
    );
    const sheets = (b.model?.sheets ?? []).flatMap((s, i) => {
      const part = worksheets.get(s.rId);
      const number = /sheet(\d+)\.xml$/.exec(part ?? "")?.[1] ?? `${i + 1}`;
      return part ? [{ name: s.name, part, number, state: s.state }] : [];
    });
    if (name !== undefined) return sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
    return sheets.find((s) => s.state !== "hidden" && s.state !== "veryHidden") ?? sheets[0];
  }

  async function* readSheet(sheet: StreamSheet, date1904: boolean): AsyncGenerator<XlsxItem[]> {
    let header: (XlsxHeaderIndex & { byColumn: Map<number, number> }) | undefined;
    let headerRow = 0;
    const unnamed = new Set<number>();
    let batch: XlsxItem[] = [];
    for await (const row of sheet) {
      const cells: [number, Content][] = [];
      row.eachCell((cell, column) => {
        const content = contentOf(cell, strings, date1904);
        if (!isBlank(content)) cells.push([column, content]);
      });
      if (cells.length === 0) continue;
      if (!header) {
        const names: string[] = [];
        const columns: number[] = [];
        for (const [column, content] of cells) {
          if (content.kind === "no-result" || content.kind === "error") {
            batch.push(cellProblem(row.number, column, content));
            continue;
          }
          const name = asText(content).trim();
          names.push(rename.get(name) ?? name);
          columns.push(column);
        }
        header = {
          names,
          columns,
          index: new Map(names.map((n, i) => [n, i])),
          byColumn: new Map(columns.map((c, i) => [c, i])),
        };
        headerRow = row.number;
        batch.push({ header: { names, columns, index: header.index, line: row.number } });
        continue;
      }
      const values: string[] = new Array<string>(header.names.length).fill("");
      let numbers: Map<number, number> | undefined;
      let unreadable = false;
      for (const [column, content] of cells) {
        const i = header.byColumn.get(column);
        if (i === undefined) {
          if (!unnamed.has(column)) {
            unnamed.add(column);
            batch.push(
              problem(
                "E-XLSX-HEADER",
                `the header cell ${cellName(headerRow, column)} is empty, but the column holds values (the first in ${cellName(row.number, column)})`,
                "Every column with values needs its own name in the header row (a known column, or dim.NAME for a free dimension), or no values; merged header cells leave all but the first empty: unmerge them and name each column.",
                headerRow,
                column,
              ),
            );
          }
          continue;
        }
        if (content.kind === "no-result" || content.kind === "error") {
          batch.push(cellProblem(row.number, column, content));
          unreadable = true;
          continue;
        }
        values[i] = asText(content);
        if (content.kind === "number") (numbers ??= new Map()).set(i, content.value);
      }
      batch.push({ record: new XlsxRecord(row.number, values, header, numbers, unreadable) });
      if (batch.length >= 1000) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  function cellProblem(line: number, column: number, c: Content & { kind: "no-result" | "error" }): XlsxItem {
    const cell = cellName(line, column);
    return c.kind === "no-result"
      ? problem(
          "E-XLSX-FORMULA",
          `cell ${cell} holds the formula ${c.formula}, but the workbook has no saved result for it`,
          "The program that wrote the file did not calculate it: open the workbook in Excel (or LibreOffice), let it calculate and save it; or write the value instead of the formula.",
          line,
          column,
        )
      : problem(
          "E-XLSX-FORMULA",
          c.formula === undefined
            ? `cell ${cell} holds the error value ${c.value ?? ""}`.trimEnd()
            : `cell ${cell}: the formula ${c.formula} gives an error${c.value ? ` (${c.value})` : ""}`,
          "Correct the formula (or the cells it refers to) in the workbook so that it gives a value.",
          line,
          column,
        );
  }
}
