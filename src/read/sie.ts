import { readBatches, readThrough, type ChunkReader } from "./files.js";
import { codepages, decodeCp437 } from "./codepages.js";
import { hasUtf8Bom, isUtf8 } from "./bytes.js";
import { asciiFirst, QUOTE, Utf8Stream } from "./text.js";
import type { Diagnostic } from "../domain/types.js";

/** The encodings SIE files come in: declared PC8 (code page 437), but also UTF-8 and CP1252. */
export type SieEncoding = "utf8" | "cp437" | "win1252";

/** Where a line stands: its number, and the 1-based column of its label (0) and each field (i + 1). */
export interface SiePlace {
  readonly line: number;
  readonly columns: readonly number[];
}

/** The columns of a line's label and fields, found again only when a diagnostic needs them. */
function columnsOf(line: string): number[] {
  const columns: number[] = [];
  tokenize(line, columns);
  return columns;
}

/** One SIE record: `#LABEL field field {dim obj dim obj} …`, with where each field starts. */
export class SieRecord implements SiePlace {
  // Declared, not defined, and set in the constructor: one is made for most lines of a file, and a
  // field defined with an initializer costs a call each (measured, as CsvPosting's).
  declare readonly label: string;
  declare readonly fields: readonly SieField[];
  declare readonly line: number;
  declare readonly raw: string;
  declare private columnsFound: readonly number[] | undefined;

  constructor(label: string, fields: readonly SieField[], line: number, raw: string) {
    this.label = label;
    this.fields = fields;
    this.line = line;
    this.raw = raw;
    this.columnsFound = undefined;
  }

  get columns(): readonly number[] {
    return (this.columnsFound ??= columnsOf(this.raw));
  }
}

/** A line a consumer read where it stands in a chunk (SieConsumer.quickLine), from `start` to `end`. */
export class SieLine implements SiePlace {
  // Declared and set in the constructor, as SieRecord's fields.
  declare readonly line: number;
  declare private readonly text: string;
  declare private readonly start: number;
  declare private readonly end: number;
  declare private columnsFound: readonly number[] | undefined;

  constructor(line: number, text: string, start: number, end: number) {
    this.line = line;
    this.text = text;
    this.start = start;
    this.end = end;
    this.columnsFound = undefined;
  }

  get columns(): readonly number[] {
    return (this.columnsFound ??= columnsOf(this.text.slice(this.start, this.end)));
  }
}

/** The fields of a `{` or `}`: none. */
const NO_FIELDS: readonly SieField[] = Object.freeze([]);

/** The object list `{}`, shared: most voucher rows have no objects. */
const NO_OBJECTS: SieField = Object.freeze({ objects: Object.freeze([]) });

/** A plain field, or an object list `{1 "kansli" 20 "navet"}` as [dimension, object] pairs. */
export type SieField = string | { readonly objects: readonly (readonly [string, string])[] };

// Swedish letters (å ä ö Å Ä Ö é) as CP1252 and as CP437 bytes.
const CP1252_LETTERS = new Set([0xe5, 0xe4, 0xf6, 0xc5, 0xc4, 0xd6, 0xe9]);
const CP437_LETTERS = new Set([0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x82]);

/**
 * The encoding, decided from the bytes, since many files declare PC8 but are not: a BOM or valid
 * UTF-8 with non-ASCII bytes is UTF-8; otherwise the code page whose Swedish letters the bytes
 * resemble more, CP437 (what PC8 means) when in doubt.
 */
export function detectEncoding(sample: Uint8Array): SieEncoding {
  if (hasUtf8Bom(sample)) return "utf8";
  const counts = highBytes(sample);
  if (counts.high === 0) return "cp437";
  if (isUtf8(sample)) return "utf8";
  return counts.cp1252 > counts.cp437 ? "win1252" : "cp437";
}

/**
 * The bytes of a sample above ASCII, and how many of them are Swedish letters in each code page:
 * a loop of its own, whose optimized code (each thread's first file compiles it mid-loop) holds
 * nothing that runs after it, and so nothing without type feedback.
 */
function highBytes(sample: Uint8Array): { high: number; cp1252: number; cp437: number } {
  const counts = { high: 0, cp1252: 0, cp437: 0 };
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b < 0x80) continue;
    counts.high++;
    if (CP1252_LETTERS.has(b)) counts.cp1252++;
    if (CP437_LETTERS.has(b)) counts.cp437++;
  }
  return counts;
}

export const SPACE = 32;
export const TAB = 9;
const BACKSLASH = 92;
export const OPEN = 123;
export const CLOSE = 125;
const LF = 10;
/** The longest line a SIE file may have; a longer one is refused, never held in memory. */
const MAX_LINE = 1 << 20;

/** A line being split: its text and where the split stands (one, reused: splitting is synchronous). */
const cursor = { line: "", i: 0, n: 0, unclosed: undefined as number | undefined };

function skipSpace(): void {
  const { line, n } = cursor;
  let i = cursor.i;
  for (let c = line.charCodeAt(i); i < n && (c === SPACE || c === TAB); c = line.charCodeAt(++i));
  cursor.i = i;
}

/** A field: quoted (spaces and \" escapes inside), or up to a space, a tab or a brace. */
function token(): string {
  const { line, n } = cursor;
  let i = cursor.i;
  if (line.charCodeAt(i) === QUOTE) {
    const start = i;
    const close = line.indexOf('"', i + 1);
    // The common quoted field has no escapes: one slice.
    if (close >= 0) {
      const text = line.slice(start + 1, close);
      if (!text.includes("\\")) {
        cursor.i = close + 1;
        return text;
      }
    }
    let out = "";
    i++;
    while (i < n && line.charCodeAt(i) !== QUOTE) {
      if (line.charCodeAt(i) === BACKSLASH && i + 1 < n) i++;
      out += line[i];
      i++;
    }
    // Some writers cut a long text without its closing quote: the text runs to the line's end.
    if (i >= n) cursor.unclosed ??= start + 1;
    else i++;
    cursor.i = i;
    return out;
  }
  const start = i;
  for (
    let c = line.charCodeAt(i);
    i < n && c !== SPACE && c !== TAB && c !== CLOSE && c !== OPEN;
    c = line.charCodeAt(++i)
  );
  cursor.i = i;
  return line.slice(start, i);
}

/**
 * Splits one line into label and fields; quoted fields may hold spaces and \" escapes. `columns`
 * receives where each field starts.
 */
export function tokenize(
  line: string,
  columns?: number[],
): { label: string; fields: SieField[]; unclosed?: number } | { problem: string; column: number } {
  return (columns === undefined ? plainTokens(line) : undefined) ?? tokens(line, columns);
}

/** The common line's label and fields (plainFields); undefined for any other line. */
export function plainTokens(line: string): { label: string; fields: SieField[] } | undefined {
  const fields = plainFields(line);
  return fields && { label: plainLabel, fields };
}

/**
 * The label of the line plainFields split last (one line is split at a time, as with `cursor`):
 * readSie makes its record of it and the fields, with no object between.
 */
let plainLabel = "";

/**
 * The fields of the common line, split at its spaces, its label left in plainLabel: indented or
 * not, no tab after that; fields plain, quoted without escapes ("Bank"), or an object list of such
 * parts (`{}`, `{20 e08}`: a voucher and its rows as most programs write them, and the `{` and `}`
 * around the rows). Undefined for any other line, which `tokens` reads. Measured: half the time of
 * the general tokenizer, which is a sixth of reading a SIE file.
 */
function plainFields(line: string): SieField[] | undefined {
  const n = line.length;
  let start = 0;
  for (let c = line.charCodeAt(0); start < n && (c === SPACE || c === TAB); c = line.charCodeAt(++start));
  if (line.includes("\t", start)) return undefined;
  let end = line.indexOf(" ", start);
  if (end < 0) end = n;
  plainLabel = line.slice(start, end);
  const fields: SieField[] = [];
  for (;;) {
    while (end < n && line.charCodeAt(end) === SPACE) end++;
    if (end >= n) return fields;
    start = end;
    if (line.charCodeAt(start) === QUOTE) {
      end = line.indexOf('"', start + 1);
      if (end < 0 || (end + 1 < n && line.charCodeAt(end + 1) !== SPACE)) return undefined;
      const text = line.slice(start + 1, end);
      if (text.includes("\\")) return undefined;
      fields.push(text);
      end++;
      continue;
    }
    if (line.charCodeAt(start) === OPEN) {
      const close = listClose(line, start, n);
      if (close < 0) return undefined;
      const objects = close === start + 1 ? NO_OBJECTS : plainObjects(line, start + 1, close);
      if (objects === undefined) return undefined;
      fields.push(objects);
      end = close + 1;
      continue;
    }
    end = line.indexOf(" ", start);
    if (end < 0) end = n;
    const field = line.slice(start, end);
    if (hasBraceOrQuote(field)) return undefined;
    fields.push(field);
  }
}

/** Where the object list opened at `open` closes: its }, set off by a space; -1 if not so on the line. */
export function listClose(text: string, open: number, end: number): number {
  const close = text.indexOf("}", open + 1);
  return close < 0 || close >= end || (close + 1 < end && text.charCodeAt(close + 1) !== SPACE) ? -1 : close;
}

/**
 * An object list's pairs between its braces (`from` after the {, `close` at the }), each part
 * plain or quoted without escapes and set off by spaces (`{20 e08}`, `{1 "100"}`); undefined for
 * any other, which `tokens` reads or explains (an odd number of parts, say).
 */
export function plainObjects(line: string, from: number, close: number): SieField | undefined {
  if (from === close) return NO_OBJECTS; // `{}`: most voucher rows
  const parts: string[] = [];
  for (let i = from; i < close;) {
    const c = line.charCodeAt(i);
    if (c === SPACE) {
      i++;
      continue;
    }
    let part: string;
    if (c === QUOTE) {
      const q = line.indexOf('"', i + 1);
      if (q < 0 || q > close) return undefined;
      part = line.slice(i + 1, q);
      if (part.includes("\\")) return undefined;
      i = q + 1;
      if (i < close && line.charCodeAt(i) !== SPACE) return undefined;
    } else {
      let j = i;
      for (let d = c; j < close && d !== SPACE; d = line.charCodeAt(++j))
        if (d === QUOTE || d === TAB || d === OPEN) return undefined;
      part = line.slice(i, j);
      i = j;
    }
    parts.push(part);
  }
  if (parts.length % 2 !== 0) return undefined;
  const objects: [string, string][] = [];
  for (let k = 0; k < parts.length; k += 2) objects.push([parts[k]!, parts[k + 1]!]);
  return objects.length === 0 ? NO_OBJECTS : { objects };
}

/** Whether a field holds {, } or a quote (one pass: measured faster than three searches). */
function hasBraceOrQuote(field: string): boolean {
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    if (c === OPEN || c === CLOSE || c === QUOTE) return true;
  }
  return false;
}

// The fields of a line read where it stands in a chunk (SieConsumer.quickLine), as plainFields reads them.

/**
 * The text of the first of the fields from `from` to the line's end ("" for none), when every one
 * is plain or quoted without escapes (plainFieldEnd); undefined for any other.
 */
export function firstText(text: string, from: number, end: number): string | undefined {
  let first = "";
  for (let field = 0; from < end; field++) {
    const to = plainFieldEnd(text, from, end);
    if (to < 0) return undefined;
    if (field === 0) first = fieldText(text, from, to);
    from = skipSpaces(text, to, end);
  }
  return first;
}

/** A field's text: within its quotes, if quoted. */
export function fieldText(text: string, from: number, to: number): string {
  return text.charCodeAt(from) === QUOTE ? text.slice(from + 1, to - 1) : text.slice(from, to);
}

/** Past the spaces from `i` that set a field off. */
export function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  return i;
}

/** Where a field from `from` ends: at the next space, or the line's end. */
export function fieldEnd(text: string, from: number, end: number): number {
  const space = text.indexOf(" ", from);
  return space < 0 || space > end ? end : space;
}

/**
 * Where a field from `from` ends when plainFields would read it: quoted without escapes and set
 * off by a space, or plain without a brace, quote or tab; -1 for any other.
 */
export function plainFieldEnd(text: string, from: number, end: number): number {
  if (text.charCodeAt(from) !== QUOTE) {
    const to = fieldEnd(text, from, end);
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === OPEN || c === CLOSE || c === QUOTE || c === TAB) return -1;
    }
    return to;
  }
  const close = text.indexOf('"', from + 1);
  if (close < 0 || close >= end || (close + 1 < end && text.charCodeAt(close + 1) !== SPACE)) return -1;
  for (let i = from + 1; i < close; i++) if (text.charCodeAt(i) === BACKSLASH) return -1;
  return close + 1;
}

/** tokenize for any line. */
function tokens(
  line: string,
  columns?: number[],
): { label: string; fields: SieField[]; unclosed?: number } | { problem: string; column: number } {
  cursor.line = line;
  cursor.i = 0;
  cursor.n = line.length;
  cursor.unclosed = undefined;
  const n = line.length;
  skipSpace();
  columns?.push(cursor.i + 1);
  const labelStart = cursor.i;
  let i = cursor.i;
  for (let c = line.charCodeAt(i); i < n && c !== SPACE && c !== TAB; c = line.charCodeAt(++i));
  cursor.i = i;
  const label = line.slice(labelStart, i);
  const fields: SieField[] = [];
  for (;;) {
    skipSpace();
    if (cursor.i >= n) break;
    columns?.push(cursor.i + 1);
    if (line.charCodeAt(cursor.i) === OPEN) {
      if (line.charCodeAt(cursor.i + 1) === CLOSE) {
        fields.push(NO_OBJECTS);
        cursor.i += 2;
        continue;
      }
      const open = cursor.i;
      cursor.i++;
      const parts: string[] = [];
      for (;;) {
        skipSpace();
        if (cursor.i >= n) return { problem: "an object list is not closed with }", column: open + 1 };
        if (line.charCodeAt(cursor.i) === CLOSE) {
          cursor.i++;
          break;
        }
        // A brace ends a plain part without a character of it: read as a part, it would be an
        // empty one, again and again.
        if (line.charCodeAt(cursor.i) === OPEN)
          return { problem: "an object list holds a {: object lists do not nest", column: cursor.i + 1 };
        parts.push(token());
      }
      if (parts.length % 2 !== 0)
        return { problem: "an object list must hold pairs of dimension and object", column: open + 1 };
      const objects: [string, string][] = [];
      for (let k = 0; k < parts.length; k += 2) objects.push([parts[k]!, parts[k + 1]!]);
      fields.push({ objects });
    } else if (line.charCodeAt(cursor.i) === CLOSE)
      return { problem: "a } closes no object list", column: cursor.i + 1 };
    else fields.push(token());
  }
  const unclosed = cursor.unclosed;
  return unclosed === undefined ? { label, fields } : { label, fields, unclosed };
}

/** Whether a line holds only white space (as trim() sees it), without a trimmed copy of each line. */
function isBlank(line: string): boolean {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === SPACE || line.charCodeAt(i) === TAB)) i++;
  if (i === line.length) return true;
  const c = line.charCodeAt(i);
  return c > 32 && c < 127 ? false : line.trim() === "";
}

/** A label in capitals; the usual label, written so already, as it is. */
function upperCase(label: string): string {
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c >= 97 && c <= 122) return label.toUpperCase();
    if (c > 127) return label.toUpperCase();
  }
  return label;
}

/**
 * A streaming decoder of the encoding. A BOM is kept, and taken off the first line (record): the
 * decoder may first see a later chunk.
 */
function decoderFor(encoding: SieEncoding): { write: (chunk: Buffer) => string; end: () => string } {
  if (encoding === "cp437") return { write: decodeCp437, end: () => "" };
  if (encoding === "utf8") {
    const utf8 = new Utf8Stream();
    return { write: (chunk) => utf8.write(chunk), end: () => utf8.end() };
  }
  const win1252 = codepages().getDecoder("win1252", { stripBOM: false });
  return { write: (chunk) => win1252.write(chunk), end: () => win1252.end() ?? "" };
}

/** A SIE file's text whole, decoded as readSie decodes it (for excerpts of its lines). */
export function decodeSie(bytes: Buffer, encoding: SieEncoding): string {
  const decoder = decoderFor(encoding);
  return decoder.write(bytes) + decoder.end();
}

export type SieItem = { encoding: SieEncoding } | SieRecord | { error: Diagnostic };

/**
 * Streams the records of a SIE file, never holding the file whole: encoding decided from the
 * bytes, CRLF or LF, indented rows, the `{` and `}` that enclose a voucher's rows as records of
 * their own. Lines that cannot be split into fields become diagnostics. `chunkBytes`: how much is
 * read and split at a time (64 KiB), less for a reader that stops early.
 */
export function readSie(
  path: string,
  file: string,
  onBytes?: (bytes: number) => void,
  chunkBytes?: number,
): AsyncGenerator<SieItem[]> {
  return readBatches(path, (sample) => sieReader(sample, file), { chunkBytes, onBytes });
}

/** What readSieInto hands a file's items to, one at a time and in order, as they are read. */
export interface SieConsumer {
  item(item: SieItem): void;
  /**
   * Offered each line after the first that lies whole in a chunk read, `text` from `start` to
   * `end` (its line end left off), before a record is made of it: true when the consumer has read
   * the line itself, and no record is made.
   */
  quickLine?(text: string, start: number, end: number, line: number): boolean;
}

/**
 * readSie, its items handed to `consumer` as they are read rather than yielded a chunk's at a
 * time: a garbage collection while a chunk is being read then finds only the line at hand alive.
 */
export async function readSieInto(
  path: string,
  file: string,
  onBytes: ((bytes: number) => void) | undefined,
  consumer: SieConsumer,
): Promise<void> {
  return readThrough(path, (sample) => sieReader(sample, file, consumer), { onBytes });
}

/** Where the reader puts items: a batch, or straight into a consumer. */
interface ItemSink {
  push(item: SieItem): void;
}

/** The reader of a SIE file whose first bytes are `sample` (sampleBytes); its items go to `consumer` when there is one. */
function sieReader(sample: Buffer, file: string, consumer?: SieConsumer): ChunkReader<SieItem> {
  const encoding = detectEncoding(sample);
  const direct: ItemSink | undefined = consumer && { push: (item) => consumer.item(item) };
  const quick = consumer?.quickLine ? consumer : undefined;
  // The encoding is the first item: given at once, or with the first batch.
  let first: SieItem[] | undefined = [{ encoding }];
  if (direct) {
    direct.push(first[0]!);
    first = undefined;
  }
  const decoder = decoderFor(encoding);
  const decode = asciiFirst(decoder.write);
  let lineNo = 0;
  const record = (raw: string, out: ItemSink) => {
    lineNo++;
    let line = raw;
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line === "{" || line === "}") {
      out.push(new SieRecord(line, NO_FIELDS, lineNo, line)); // a third of a file's lines
      return;
    }
    if (isBlank(line)) return;
    const fields = plainFields(line);
    if (fields) {
      out.push(new SieRecord(upperCase(plainLabel), fields, lineNo, line));
      return;
    }
    const t = tokens(line);
    if ("problem" in t) {
      out.push({
        error: {
          code: "E-SIE-SYNTAX",
          severity: "error",
          message: t.problem,
          file,
          line: lineNo,
          column: t.column,
          hint: 'Quote fields that hold spaces: "text"; write \\" for a quote inside.',
        },
      });
    } else {
      out.push(new SieRecord(upperCase(t.label), t.fields, lineNo, line));
      if (t.unclosed !== undefined)
        out.push({
          error: {
            code: "W-SIE-QUOTE",
            severity: "warning",
            message: "a quoted text is not closed: it is read to the end of the line",
            file,
            line: lineNo,
            column: t.unclosed,
            hint: "The exporting program cut a long text; check the text in the accounting system.",
          },
        });
    }
  };
  // One batch per chunk read: awaiting once per record would cost more than the parsing.
  // Lines end in CRLF, LF or a lone CR (old Mac exports, and files that mix them). Each chunk is
  // searched once: a line that spans chunks is kept as its text so far (pieces joined by +, which
  // V8 copies once, when the line is read), so a long line costs its length.
  let partial = "";
  let partialLength = 0;
  let tooLong = false;
  let afterCR = false; // a chunk ended in CR: an LF that opens the next one ends nothing
  const endLine = (tail: string, out: ItemSink) => {
    if (tooLong) {
      lineNo++;
      out.push({
        error: {
          code: "E-SIE-SYNTAX",
          severity: "error",
          message: `the line is longer than ${MAX_LINE} characters: it is not read`,
          file,
          line: lineNo,
          column: 1,
          hint: "A SIE record is one short line; the file is damaged or not a SIE file.",
        },
      });
    } else record(partial + tail, out);
    partial = "";
    partialLength = 0;
    tooLong = false;
  };
  const records = (text: string): SieItem[] => {
    const batch: SieItem[] = first ?? [];
    first = undefined;
    const out = direct ?? batch;
    let start = afterCR && text.charCodeAt(0) === LF ? 1 : 0;
    afterCR = false;
    let lf = text.indexOf("\n", start);
    let cr = text.indexOf("\r", start);
    while (lf >= 0 || cr >= 0) {
      const i = cr < 0 || (lf >= 0 && lf < cr) ? lf : cr;
      if (quick && partialLength === 0 && lineNo > 0 && quick.quickLine!(text, start, i, lineNo + 1)) lineNo++;
      else endLine(text.slice(start, i), out);
      let next = i + 1;
      if (i === cr) {
        if (next === text.length) afterCR = true;
        else if (text.charCodeAt(next) === LF) next++;
      }
      start = next;
      if (lf >= 0 && lf < start) lf = text.indexOf("\n", start);
      if (cr >= 0 && cr < start) cr = text.indexOf("\r", start);
    }
    if (start < text.length) {
      partialLength += text.length - start;
      if (partialLength > MAX_LINE) tooLong = true;
      else partial += text.slice(start);
    }
    return batch;
  };
  return {
    done: () => false,
    chunk: (chunk) => records(decode(chunk)),
    // The last line, if no line end closes it, is ended here, not in `records`: optimized code of
    // `records` found no type feedback there at each thread's first file's end, and was thrown away.
    end() {
      const last = records(decoder.end());
      if (partialLength > 0 || tooLong) endLine("", direct ?? last);
      return last;
    },
  };
}
