import { createReadStream } from "node:fs";
import { CsvError } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import iconv from "iconv-lite";
import { hasUtf8Bom, isUtf8, sampleBytes } from "./bytes.js";
import type { Diagnostic } from "../domain/types.js";

/** One line of a CSV file: its values in header order, by name on request. */
export class CsvRecord {
  #columns: number[] | undefined;

  constructor(
    readonly line: number,
    /** Values in the order of the header's columns (a short line has fewer). */
    readonly values: readonly string[],
    private readonly header: CsvHeaderIndex,
  ) {}

  /** Field values by header name. */
  get fields(): Readonly<Record<string, string>> {
    const fields: Record<string, string> = {};
    const names = this.header.names;
    for (let i = 0; i < names.length; i++) {
      const v = this.values[i];
      if (v !== undefined && names[i] !== "") fields[names[i]!] = v;
    }
    return fields;
  }

  /** 1-based column where a header's field starts on this line. */
  columnOf(name: string): number {
    this.#columns ??= fieldColumns(rebuild(this.values, this.header.delimiter), this.header.delimiter);
    return this.#columns[this.header.index.get(name) ?? 0] ?? 1;
  }
}

interface CsvHeaderIndex {
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly delimiter: string;
}

export interface CsvHeader {
  readonly names: readonly string[];
  readonly line: number;
  /** Position of each named column. */
  readonly index: ReadonlyMap<string, number>;
}

const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "a quoted field is not closed",
  CSV_INVALID_CLOSING_QUOTE: "a quote inside a field that is not quoted as a whole",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "characters after a field's closing quote",
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: "the line has another number of fields than the header",
};

/** Start columns (1-based) of each field of one CSV record, honouring quotes. */
export function fieldColumns(raw: string, delimiter: string): number[] {
  const starts = [1];
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) starts.push(i + 2);
  }
  return starts;
}

/** How a CSV file is written; what is not declared is detected where that can be done safely. */
export interface CsvDialect {
  readonly delimiter?: "," | ";" | "\t";
  readonly encoding?: "utf8" | "windows-1252";
  /** The file's header names for the tool's columns: {"amount": "Belopp", "account": "Konto"}. */
  readonly columns?: Readonly<Record<string, string>>;
}

const DELIMITERS = [",", ";", "\t"] as const;

/** UTF-8 when the bytes are (with or without BOM); otherwise Windows-1252, what Excel writes. */
export const detectCsvEncoding = (sample: Uint8Array): "utf8" | "windows-1252" =>
  hasUtf8Bom(sample) || isUtf8(sample) ? "utf8" : "windows-1252";

/** Fields of a line split by a delimiter, honouring quotes (for counting only). */
const fieldCount = (line: string, delimiter: string) => fieldColumns(line, delimiter).length;

/**
 * The delimiter from the header and the line after it: the only one of , ; tab the header uses,
 * or the one that splits both lines alike. Null when that does not decide it.
 */
export function detectDelimiter(header: string, next?: string): "," | ";" | "\t" | null {
  const used = DELIMITERS.filter((d) => fieldCount(header, d) > 1);
  if (used.length === 0) return ",";
  if (used.length === 1) return used[0]!;
  const consistent = next === undefined ? [] : used.filter((d) => fieldCount(next, d) === fieldCount(header, d));
  return consistent.length === 1 ? consistent[0]! : null;
}

export type CsvItem = { header: CsvHeader } | { record: CsvRecord } | { error: Diagnostic };

/**
 * Streams a CSV file with a header row. Yields the header first, then one record per line,
 * each with its line number; syntax errors become a diagnostic and end the file.
 */
export async function* readCsv(
  path: string,
  file: string,
  dialect: CsvDialect = {},
  onBytes?: (bytes: number) => void,
): AsyncGenerator<CsvItem[]> {
  const bytes = await sampleBytes(path);
  const encoding = dialect.encoding ?? detectCsvEncoding(bytes);
  const first = iconv
    .decode(bytes, encoding === "utf8" ? "utf8" : "win1252")
    .replace(/^\ufeff/, "")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "");
  const found = dialect.delimiter ?? detectDelimiter(first[0] ?? "", first[1]);
  if (found === null) {
    yield [
      {
        error: {
          code: "E-CSV-DIALECT",
          severity: "error",
          message:
            "cannot tell the delimiter: the header holds more than one of , ; and tab, and the lines do not decide it",
          file,
          line: 1,
          column: 1,
          hint: 'Declare it in consolidate.json: "csv": { "delimiter": ";" }.',
        },
      },
    ];
    return;
  }
  const delimiter = found;
  const stream = createReadStream(path);
  const rename = new Map(Object.entries(dialect.columns ?? {}).map(([tool, header]) => [header, tool]));
  let header: CsvHeaderIndex | undefined;
  const emit = (record: string[], line: number): { header: CsvHeader } | { record: CsvRecord } => {
    if (!header) {
      const names = record.map((n) => n.trim()).map((n) => rename.get(n) ?? n);
      header = { names, index: new Map(names.map((n, i) => [n, i])), delimiter };
      return { header: { names, line, index: header.index } };
    }
    return { record: new CsvRecord(line, record, header) };
  };
  const syntaxError = (message: string, line: number): { error: Diagnostic } => ({
    error: {
      code: "E-CSV-SYNTAX",
      severity: "error",
      message: `CSV syntax: ${message}`,
      file,
      line,
      column: 1,
      hint: "Check the quotes and delimiters of this line.",
    },
  });
  // Measured: csv-parse's stream spends most of a large file's time on lines that hold no quote
  // at all. Such lines are split here; every line with quotes (and the lines a quoted field runs
  // over) goes to csv-parse.
  const quotes = (text: string) => text.split('"').length - 1;
  const parseQuoted = (text: string, line: number) => {
    try {
      const rows = parseSync(text, { delimiter, relax_column_count: true }) as string[][];
      return rows[0] ? emit(rows[0], line) : undefined;
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      return syntaxError(CSV_PROBLEMS[err.code] ?? err.message, line);
    }
  };
  const decoder = new TextDecoder(encoding === "utf8" ? "utf-8" : "windows-1252");
  let pending = "";
  let lineNo = 0;
  let open: { line: number; text: string } | undefined;
  // Plain loops rather than a generator per line: measured, generators cost a tenth of the run.
  const lines = (text: string, out: CsvItem[]) => {
    let start = 0;
    let quote = text.indexOf('"');
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      if (open || lineNo === 0 || (quote >= 0 && quote < nl)) {
        oneLine(text.slice(start, nl), out);
        if (quote >= 0 && quote < nl) quote = text.indexOf('"', nl);
      } else {
        // The common line: no quotes, so its fields lie between delimiters (measured faster than
        // slicing the line and splitting it).
        lineNo++;
        const end = text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        const values: string[] = [];
        let from = start;
        for (let d = text.indexOf(delimiter, from); d >= 0 && d < end; d = text.indexOf(delimiter, from)) {
          values.push(text.slice(from, d));
          from = d + 1;
        }
        values.push(text.slice(from, end));
        if (values.length > 1 || values[0]!.trim() !== "") out.push(emit(values, lineNo));
      }
      start = nl + 1;
    }
    pending = text.slice(start);
    return out;
  };
  const oneLine = (raw: string, out: CsvItem[]) => {
    lineNo++;
    let line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (open) {
      open.text += `\n${line}`;
      if (quotes(open.text) % 2 === 0) {
        const r = parseQuoted(open.text, open.line);
        open = undefined;
        if (r) out.push(r);
      }
      return;
    }
    if (line.length === 0 || line.trim() === "") return;
    if (!line.includes('"')) out.push(emit(line.split(delimiter), lineNo));
    else if (quotes(line) % 2 === 0) {
      const r = parseQuoted(line, lineNo);
      if (r) out.push(r);
    } else open = { line: lineNo, text: line };
  };
  // One batch per chunk read: awaiting once per record would cost more than the parsing.
  for await (const chunk of stream) {
    onBytes?.((chunk as Buffer).length);
    yield lines(pending + decoder.decode(chunk as Buffer, { stream: true }), []);
  }
  const rest = pending + decoder.decode();
  const last: CsvItem[] = [];
  if (rest !== "") oneLine(rest, last);
  if (open) last.push(syntaxError(CSV_PROBLEMS.CSV_QUOTE_NOT_CLOSED!, open.line));
  if (last.length) yield last;
}

/** A record written back as a line: the same columns as the file for all but unusual quoting. */
function rebuild(record: readonly string[], delimiter: string): string {
  return record
    .map((v) => (v.includes(delimiter) || v.includes('"') ? `"${v.replace(/"/g, '""')}"` : v))
    .join(delimiter);
}
