import { readBatches, readThrough, type ChunkOptions, type ChunkReader } from "./files.js";
import { hasUtf8Bom, isUtf8 } from "./bytes.js";
import { QUOTE, Utf8Stream, Windows1252Stream } from "./text.js";
import type { Diagnostic } from "../domain/types.js";
import { formatCount } from "../domain/money.js";

/** The longest line read, in characters (and the longest record over several lines): longer is refused. */
export const MAX_LINE_CHARS = 1 << 20;
/** The most lines a quoted field may run over; a longer one is taken for a quote that is not closed. */
export const MAX_FIELD_LINES = 100;

/** One line of a CSV file: its values in header order, by name on request. */
export class CsvRecord {
  #columns: readonly number[] | undefined;

  constructor(
    readonly line: number,
    /** Values in the order of the header's columns (a short line has fewer, a long one more). */
    readonly values: readonly string[],
    private readonly header: CsvHeaderIndex,
    /** Where each field starts (1-based), when the reader knows it; else found from the values. */
    columns?: readonly number[],
    /** A line that could not be read whole (a diagnostic says why): the values read before the fault. */
    readonly unreadable?: boolean,
  ) {
    this.#columns = columns;
  }

  /** Field values by header name. */
  get fields(): Readonly<Record<string, string>> {
    // No prototype: a header named __proto__ or constructor is a column like any other.
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    const names = this.header.names;
    for (let i = 0; i < names.length; i++) {
      const v = this.values[i];
      if (v !== undefined && names[i] !== "") fields[names[i]!] = v;
    }
    return fields;
  }

  /** 1-based column where a header's field starts on this line. */
  columnOf(name: string): number {
    return this.columnAt(this.header.index.get(name) ?? 0);
  }

  /** 1-based column where the i-th field starts; past the line's end for a field the line lacks. */
  columnAt(i: number): number {
    this.#columns ??= fieldColumns(rebuild(this.values, this.header.delimiter), this.header.delimiter);
    if (i < this.#columns.length) return this.#columns[i]!;
    const last = this.values.length - 1;
    return last < 0 ? 1 : (this.#columns[last] ?? 1) + rebuild([this.values[last]!], this.header.delimiter).length;
  }
}

interface CsvHeaderIndex {
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly delimiter: string;
}

export interface CsvHeader {
  /** The names, mapped to the tool's (`csv.columns`) and trimmed. */
  readonly names: readonly string[];
  /** The names as the file writes them, trimmed. */
  readonly original: readonly string[];
  readonly line: number;
  /** Position of each named column. */
  readonly index: ReadonlyMap<string, number>;
  /** The character (1-based) where each name starts on the header line. */
  readonly columns: readonly number[];
  readonly delimiter: string;
}

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

/** A dialect, and what the reader gives besides records. */
export interface CsvOptions extends CsvDialect {
  /**
   * After the syntax error of a line, also the values read before the fault, as a record marked
   * `unreadable`: a ledger then knows the voucher that lacks a line.
   */
  readonly unreadableRecords?: boolean;
  /** The bytes read at a time (tests: lines and quoted fields cut across the pieces). */
  readonly chunkBytes?: number;
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
  // A delimiter the header does not hold cannot split it: most headers are split once, not thrice.
  const used = DELIMITERS.filter((d) => header.includes(d) && fieldCount(header, d) > 1);
  if (used.length === 0) return ",";
  if (used.length === 1) return used[0]!;
  const consistent = next === undefined ? [] : used.filter((d) => fieldCount(next, d) === fieldCount(header, d));
  return consistent.length === 1 ? consistent[0]! : null;
}

export type CsvItem = { header: CsvHeader } | { record: CsvRecord } | { error: Diagnostic };

/**
 * A value quoted in a message: at most `max` characters, so that a field of megabytes does not
 * become a message of megabytes (the outputs show control characters visibly).
 */
export const shortText = (s: string, max = 60): string => (s.length <= max ? s : `${s.slice(0, max)}…`);

/** The characters of a line too long to read that are split into fields, to tell its voucher. */
const HEAD_CHARS = 4096;

/** A record being read: its values so far, and the quoted field that runs on when a line ends in one. */
interface Pending {
  readonly line: number;
  readonly values: string[];
  readonly columns: number[];
  /** The open quoted field's text so far. */
  parts: string[];
  quoted: boolean;
  /** Where the open quoted field began. */
  quoteLine: number;
  quoteColumn: number;
  /** The first quoted field that ran over a line end, for the warning. */
  span?: { line: number; column: number };
  /** The lines after the first, with their line ends: read again as lines when the quote is not closed. */
  readonly held: { text: string; end: string }[];
  chars: number;
}

/** One decoder for every file's first lines: a call that does not stream holds nothing after it. */
const UTF8 = new TextDecoder();

/**
 * The first `n` lines of a sample that hold more than blanks, decoded. Only the sample's start is
 * decoded and split when it holds them (a file's first lines decide its delimiter).
 */
function firstLines(bytes: Buffer, encoding: string, n: number): string[] {
  for (let size = 1024; ; size *= 4) {
    const head = bytes.subarray(0, size);
    const text = encoding === "utf8" ? UTF8.decode(head) : new Windows1252Stream().write(head);
    const lines = text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);
    // The last piece may be a line cut off by the sample's end, unless the sample is all there is.
    const whole = size >= bytes.length ? lines : lines.slice(0, -1);
    const filled = whole.filter((l) => l.trim() !== "");
    if (filled.length >= n || size >= bytes.length) return filled.slice(0, n);
  }
}

/**
 * Streams a CSV file with a header row. Yields the header first, then one record per line,
 * each with its line number; a line that cannot be read becomes a diagnostic at the place of the
 * fault, and reading goes on with the next line. Lines end in LF, CRLF or a lone CR (Excel for
 * Mac). Linear in the file's size: each character is looked at a bounded number of times, a line
 * longer than MAX_LINE_CHARS is refused where it begins (and never held), and a quoted field over
 * more than MAX_FIELD_LINES lines is taken for a quote that is not closed: its lines are read again
 * as rows of their own.
 */
export function readCsv(
  path: string,
  file: string,
  dialect: CsvOptions = {},
  onBytes?: (bytes: number) => void,
): AsyncGenerator<CsvItem[]> {
  return readBatches(path, (sample) => csvReader(sample, file, dialect), chunkOptions(dialect, onBytes));
}

const chunkOptions = (dialect: CsvOptions, onBytes?: (bytes: number) => void): ChunkOptions => ({
  chunkBytes: dialect.chunkBytes,
  onBytes,
});

/**
 * What readCsvInto hands its items to, one at a time and in the file's order, as they are read.
 * `quickLine` is offered each line after the header that is read whole from one piece of the file,
 * before it is split into a record: text[start, end) is the line, `line` its number, `quoted`
 * whether it may hold a quote (false: it holds none). When it returns true, it has taken the line,
 * and no record is made of it; when false, the line is read as any other. A line whose quoted
 * field does not close on it begins a record over several lines: quickLine must decline it.
 */
export interface CsvConsumer {
  item(item: CsvItem): void;
  /** Set when the consumer wants no more: reading stops at the end of the piece being read. */
  readonly done?: boolean;
  quickLine?: (text: string, start: number, end: number, line: number, quoted: boolean) => boolean;
}

/** readCsv, its items handed to `consumer` as they are read rather than yielded in batches. */
export async function readCsvInto(
  path: string,
  file: string,
  dialect: CsvOptions,
  onBytes: ((bytes: number) => void) | undefined,
  consumer: CsvConsumer,
): Promise<void> {
  return readThrough(path, (sample) => csvReader(sample, file, dialect, consumer), chunkOptions(dialect, onBytes));
}

/** Where the reader puts items: a batch, or straight into a consumer. */
interface ItemSink {
  push(item: CsvItem): void;
}

/** The reader of a CSV file whose first bytes are `bytes` (sampleBytes); its items go to `consumer` when there is one. */
function csvReader(bytes: Buffer, file: string, dialect: CsvOptions, consumer?: CsvConsumer): ChunkReader<CsvItem> {
  const encoding = dialect.encoding ?? detectCsvEncoding(bytes);
  const first = firstLines(bytes, encoding, 2);
  const found = dialect.delimiter ?? detectDelimiter(first[0] ?? "", first[1]);
  if (found === null) {
    const refused: CsvItem = {
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
    };
    return refusal(refused, consumer);
  }
  const delimiter = found;
  const DELIMITER = delimiter.charCodeAt(0);
  const rename = new Map(Object.entries(dialect.columns ?? {}).map(([tool, header]) => [header, tool]));
  let header: CsvHeaderIndex | undefined;
  const readHeader = (values: string[], line: number, columns?: number[]): { header: CsvHeader } => {
    const original = values.map((n) => n.trim());
    const names = original.map((n) => rename.get(n) ?? n);
    const index = new Map<string, number>();
    names.forEach((n, i) => index.set(n, index.get(n) ?? i)); // a name twice is refused by the reader of the table
    header = { names, index, delimiter };
    const at = columns ?? fieldColumns(rebuild(values, delimiter), delimiter);
    return { header: { names, original, line, index, columns: at, delimiter } };
  };
  /** The first line read is the header; every line after it a record. */
  const emit = (values: string[], line: number, columns?: number[]): { header: CsvHeader } | { record: CsvRecord } =>
    header ? { record: new CsvRecord(line, values, header, columns) } : readHeader(values, line, columns);
  const syntaxError = (message: string, line: number, column: number, hint: string): { error: Diagnostic } => ({
    error: { code: "E-CSV-SYNTAX", severity: "error", message: `CSV syntax: ${message}`, file, line, column, hint },
  });
  const QUOTES_HINT = 'Quote a field as a whole and write a quote inside it twice: "Skärm 24""".';
  const UNCLOSED_HINT =
    'A quoted field ends at a quote followed by the delimiter or the line end; the lines after this one are read as rows of their own. Close the quote where the text ends, and write a quote inside a text twice ("").';

  let lineNo = 0;
  let record: Pending | undefined;
  let quoting = false; // a line of the file has held a quote (lines)

  /** A line with nothing quoted: its fields lie between delimiters. */
  const plainLine = (text: string, out: ItemSink) => {
    lineNo++;
    if (text.trim() === "") return;
    out.push(emit(text.split(delimiter), lineNo));
  };

  /** The record's line could not be read: say where, and pass on what was read before the fault. */
  const refuse = (st: Pending, message: string, line: number, column: number, hint: string, out: ItemSink) => {
    record = undefined;
    out.push(syntaxError(message, line, column, hint));
    if (dialect.unreadableRecords && header)
      out.push({ record: new CsvRecord(st.line, st.values, header, st.columns, true) });
  };

  /**
   * The open quoted field is not closed where it should be (the file ends, a later quote does not
   * end a field, the field grows too long): said where it began, and the lines after that are read
   * again as lines of their own.
   */
  const unclosed = (message: string, out: ItemSink) => {
    const st = record!;
    refuse(st, message, st.quoteLine, st.quoteColumn, UNCLOSED_HINT, out);
    const again = st.held.slice(st.quoteLine - st.line);
    lineNo = st.quoteLine;
    for (const h of again) anyLine(h.text, h.end, out);
  };

  /** Reads one line of a record from `i` on; the record ends with the line unless a quoted field runs on. */
  const scan = (st: Pending, line: string, i: number, end: string, out: ItemSink) => {
    let nextQuote = line.indexOf('"', i);
    for (;;) {
      if (st.quoted) {
        const q = nextQuote >= i ? nextQuote : line.indexOf('"', i);
        if (q < 0) {
          st.parts.push(line.slice(i), end);
          st.span ??= { line: st.quoteLine, column: st.quoteColumn };
          return; // the field runs on over the line end
        }
        if (line.charCodeAt(q + 1) === QUOTE) {
          st.parts.push(line.slice(i, q + 1));
          i = q + 2;
          nextQuote = line.indexOf('"', i);
          continue;
        }
        st.parts.push(line.slice(i, q));
        st.values.push(st.parts.length === 1 ? st.parts[0]! : st.parts.join(""));
        st.parts = [];
        st.quoted = false;
        const after = q + 1;
        nextQuote = line.indexOf('"', after);
        if (after === line.length) return complete(st, out);
        if (line.charCodeAt(after) !== DELIMITER) {
          if (st.quoteLine < lineNo)
            return unclosed(
              `a quoted field is not closed (the quote on line ${lineNo} that would close it is followed by '${shortText(line.slice(after, after + 10))}')`,
              out,
            );
          return refuse(st, "characters after a field's closing quote", lineNo, after + 1, QUOTES_HINT, out);
        }
        i = after + 1;
        st.columns.push(i + 1);
        continue;
      }
      if (line.charCodeAt(i) === QUOTE) {
        st.quoted = true;
        st.quoteLine = lineNo;
        st.quoteColumn = i + 1;
        i++;
        if (nextQuote < i) nextQuote = line.indexOf('"', i);
        continue;
      }
      const d = line.indexOf(delimiter, i);
      const stop = d < 0 ? line.length : d;
      if (nextQuote >= 0 && nextQuote < stop)
        return refuse(
          st,
          "a quote inside a field that is not quoted as a whole",
          lineNo,
          nextQuote + 1,
          QUOTES_HINT,
          out,
        );
      st.values.push(line.slice(i, stop));
      if (d < 0) return complete(st, out);
      i = d + 1;
      st.columns.push(i + 1);
    }
  };

  /** A record read whole; a quoted field over lines that look like rows of the file is warned about. */
  const complete = (st: Pending, out: ItemSink) => {
    record = undefined;
    if (st.values.length === 1 && st.values[0]!.trim() === "") return; // "" alone, as a blank line
    out.push(emit(st.values, st.line, st.columns));
    if (!st.span || !header || header.names.length < 2) return;
    const rows: number[] = [];
    st.held.forEach((h, k) => {
      let n = 0;
      for (
        let d = h.text.indexOf(delimiter);
        d >= 0 && n < header!.names.length - 1;
        d = h.text.indexOf(delimiter, d + 1)
      )
        n++;
      if (n >= header!.names.length - 1) rows.push(st.line + 1 + k);
    });
    if (rows.length === 0) return;
    const over =
      rows.length === 1
        ? `line ${rows[0]}, which looks like a row of the file: it is`
        : `${rows.length} lines that look like rows of the file (lines ${rows[0]}–${rows[rows.length - 1]}): they are`;
    out.push({
      error: {
        code: "W-CSV-MULTILINE",
        severity: "warning",
        message: `a quoted field runs on over ${over} read as part of its text`,
        file,
        line: st.span.line,
        column: st.span.column,
        hint: "A quoted text may hold line breaks, but rows swallowed by a quote that is not closed are never booked. Close the quote where the text ends.",
      },
    });
  };

  /** One line of the file, with the line end it had. */
  const anyLine = (text: string, end: string, out: ItemSink): void => {
    if (text.length > MAX_LINE_CHARS) return longLine(text.slice(0, HEAD_CHARS), out);
    const st = record;
    if (st) {
      lineNo++;
      st.held.push({ text, end });
      st.chars += text.length;
      if (st.held.length > MAX_FIELD_LINES)
        return unclosed(`a quoted field is not closed within ${MAX_FIELD_LINES} lines`, out);
      if (st.chars > MAX_LINE_CHARS)
        return unclosed(`a quoted field is not closed within ${formatCount(MAX_LINE_CHARS)} characters`, out);
      return scan(st, text, 0, end, out);
    }
    if (header && !text.includes('"')) return plainLine(text, out);
    lineNo++;
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === "") return;
    const fresh: Pending = {
      line: lineNo,
      values: [],
      columns: [1],
      parts: [],
      quoted: false,
      quoteLine: 0,
      quoteColumn: 0,
      held: [],
      chars: text.length,
    };
    record = fresh;
    scan(fresh, text, 0, end, out);
  };

  /**
   * A line longer than MAX_LINE_CHARS: refused where it begins, never held whole. The fields of its
   * first characters (`head`) go with it as an unreadable record, so that a ledger knows its voucher.
   */
  const longLine = (head: string, out: ItemSink) => {
    while (record) unclosed(`a quoted field is not closed before line ${lineNo + 1}, which is too long to read`, out);
    lineNo++;
    out.push(
      syntaxError(
        `the line is longer than ${formatCount(MAX_LINE_CHARS)} characters; it is not read`,
        lineNo,
        1,
        "A row of a ledger is a few hundred characters at most: check that the file is a CSV table with a line per row.",
      ),
    );
    if (dialect.unreadableRecords && header)
      out.push({ record: new CsvRecord(lineNo, head.split(delimiter), header, undefined, true) });
  };

  // The line being read when a chunk ends: its text so far (pieces joined by +, which V8 copies
  // once, when the line is read), or only its length once it is too long to be read at all.
  let partial = "";
  let partLength = 0;
  let head = ""; // the first characters of a line too long to be read
  let carry = ""; // a CR at the end of a chunk, whose LF may come with the next one
  const keep = (piece: string) => {
    partLength += piece.length;
    if (partLength > MAX_LINE_CHARS) {
      if (partial !== "") head = partial.slice(0, HEAD_CHARS);
      else if (head === "") head = piece.slice(0, HEAD_CHARS);
      partial = "";
    } else partial += piece;
  };
  const endPartial = (piece: string, end: string, out: ItemSink) => {
    keep(piece);
    if (partLength > MAX_LINE_CHARS) longLine(head, out);
    else anyLine(partial, end, out);
    partial = "";
    partLength = 0;
    head = "";
  };

  /**
   * A line with quotes whose quoted fields all close on it, the fields found in place; false
   * (nothing read) for anything else, which the record reader above then reads or words.
   */
  const quotedLine = (text: string, start: number, end: number, quote: number, out: ItemSink): boolean => {
    const values: string[] = [];
    const columns: number[] = [];
    let i = start;
    for (;;) {
      columns.push(i - start + 1);
      if (i === quote) {
        let value = "";
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0 || q >= end) return false; // the field runs on over the line end
          if (q + 1 < end && text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        values.push(value);
        quote = text.indexOf('"', i);
        if (i === end) break;
        if (text.charCodeAt(i) !== DELIMITER) return false; // characters after a closing quote
        i++;
      } else {
        const d = text.indexOf(delimiter, i);
        const stop = d < 0 || d > end ? end : d;
        if (quote >= 0 && quote < stop) return false; // a quote inside a field not quoted as a whole
        values.push(text.slice(i, stop));
        if (stop === end) break;
        i = stop + 1;
      }
    }
    lineNo++;
    if (values.length > 1 || values[0]!.trim() !== "") out.push(emit(values, lineNo, columns));
    return true;
  };

  // Measured: most lines hold no quote, and splitting them in place, between delimiters, is what
  // makes large files fast. Once a line of the file has held a quote, the lines after it are
  // offered to quickLine as lines that may (quoting): in a file whose texts are quoted, each line
  // holds one, and looking for it first cost a search a line, as much as finding a field. Every
  // line quickLine declines goes through the record reader above.
  // The lines of a chunk from `start` on that end in it; returns where the unfinished one begins.
  const lines = (text: string, start: number, out: ItemSink): number => {
    let lf = text.indexOf("\n", start);
    let cr = text.indexOf("\r", start);
    let quote = text.indexOf('"', start);
    for (;;) {
      if (lf >= 0 && lf < start) lf = text.indexOf("\n", start);
      if (cr >= 0 && cr < start) cr = text.indexOf("\r", start);
      let end: number;
      let next: number;
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        end = cr;
        next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else if (lf >= 0) {
        end = lf;
        next = lf + 1;
      } else break;
      const ending = next - end === 2 ? "\r\n" : text[end]!;
      if (end - start > MAX_LINE_CHARS) longLine(text.slice(start, start + HEAD_CHARS), out);
      else {
        if (!quoting) {
          if (quote >= 0 && quote < start) quote = text.indexOf('"', start);
          quoting = quote >= 0 && quote < end;
        }
        if (record || !header) anyLine(text.slice(start, end), ending, out);
        else if (consumer?.quickLine?.(text, start, end, lineNo + 1, quoting)) lineNo++;
        else {
          if (quote >= 0 && quote < start) quote = text.indexOf('"', start);
          if (quote >= 0 && quote < end) {
            if (!quotedLine(text, start, end, quote, out)) anyLine(text.slice(start, end), ending, out);
          } else {
            lineNo++;
            const values: string[] = [];
            let from = start;
            for (let d = text.indexOf(delimiter, from); d >= 0 && d < end; d = text.indexOf(delimiter, from)) {
              values.push(text.slice(from, d));
              from = d + 1;
            }
            values.push(text.slice(from, end));
            if (values.length > 1 || values[0]!.trim() !== "") out.push(emit(values, lineNo));
          }
        }
      }
      start = next;
    }
    return start;
  };

  /**
   * A chunk's text: first the end of the line the last chunk left unfinished, then its own lines.
   * The line left over is kept here, not in `lines`: those closures are made anew for each file,
   * and optimized code of `lines` that called one of them was thrown away at the next file.
   */
  const direct: ItemSink | undefined = consumer && { push: (item) => consumer.item(item) };
  const chunkLines = (text: string): CsvItem[] => {
    const batch: CsvItem[] = [];
    const out = direct ?? batch;
    let start = 0;
    if (partLength > 0) {
      const lf = text.indexOf("\n");
      const cr = text.indexOf("\r");
      const end = cr >= 0 && (lf < 0 || cr < lf) ? cr : lf;
      if (end < 0) {
        keep(text);
        return batch;
      }
      start = end === cr && text.charCodeAt(cr + 1) === 10 ? cr + 2 : end + 1;
      endPartial(text.slice(0, end), start - end === 2 ? "\r\n" : text[end]!, out);
    }
    keep(text.slice(lines(text, start, out)));
    return batch;
  };

  // The BOM is kept, and taken off the first line (anyLine): the decoder may first see a later chunk.
  const decoder = textStream(encoding);
  // One batch per chunk read: awaiting once per record would cost more than the parsing.
  return {
    done: () => consumer?.done === true,
    chunk(chunk) {
      let text = carry + decoder.write(chunk);
      carry = "";
      if (text.charCodeAt(text.length - 1) === 13) {
        carry = "\r";
        text = text.slice(0, -1);
      }
      return chunkLines(text);
    },
    end() {
      const last = chunkLines(carry + decoder.end());
      const out = direct ?? last;
      if (partLength > 0) endPartial("", "", out);
      while (record) unclosed("a quoted field is not closed", out);
      return last;
    },
  };
}

/** The reader of a file that is not to be read: its one item says why, and it is done at once. */
function refusal(item: CsvItem, consumer?: CsvConsumer): ChunkReader<CsvItem> {
  consumer?.item(item);
  let given = consumer !== undefined;
  const once = () => {
    const batch = given ? [] : [item];
    given = true;
    return batch;
  };
  return { done: () => true, chunk: once, end: once };
}

/** A streaming decoder of a CSV file's encoding, a BOM kept. */
function textStream(encoding: string): { write(chunk: Buffer): string; end(): string } {
  return encoding === "utf8" ? new Utf8Stream() : new Windows1252Stream();
}

/** A record written back as a line: the same columns as the file for all but unusual quoting. */
function rebuild(record: readonly string[], delimiter: string): string {
  return record
    .map((v) => (v.includes(delimiter) || v.includes('"') ? `"${v.replace(/"/g, '""')}"` : v))
    .join(delimiter);
}
