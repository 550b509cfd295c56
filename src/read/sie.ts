import { createReadStream } from "node:fs";
import iconv from "iconv-lite";
import { hasUtf8Bom, isUtf8, sampleBytes } from "./bytes.js";
import type { Diagnostic } from "../domain/types.js";

/** The encodings SIE files come in: declared PC8 (code page 437), but also UTF-8 and CP1252. */
export type SieEncoding = "utf8" | "cp437" | "win1252";

/** One SIE record: `#LABEL field field {dim obj dim obj} …`, with where each field starts. */
export interface SieRecord {
  readonly label: string;
  readonly fields: readonly SieField[];
  readonly line: number;
  /** 1-based start column of the label (index 0) and of each field (index i + 1). */
  readonly columns: readonly number[];
  readonly raw: string;
}

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
  let high = 0;
  let cp1252 = 0;
  let cp437 = 0;
  for (const b of sample) {
    if (b < 0x80) continue;
    high++;
    if (CP1252_LETTERS.has(b)) cp1252++;
    if (CP437_LETTERS.has(b)) cp437++;
  }
  if (high === 0) return "cp437";
  if (isUtf8(sample)) return "utf8";
  return cp1252 > cp437 ? "win1252" : "cp437";
}

/** Splits one line into label and fields; quoted fields may hold spaces and \" escapes. */
export function tokenize(
  line: string,
): { label: string; fields: SieField[]; columns: number[] } | { problem: string; column: number } {
  let i = 0;
  const n = line.length;
  const skipSpace = () => {
    while (i < n && (line[i] === " " || line[i] === "\t")) i++;
  };
  const token = (): string | { problem: string; column: number } => {
    if (line[i] === '"') {
      const start = i;
      let out = "";
      i++;
      while (i < n && line[i] !== '"') {
        if (line[i] === "\\" && i + 1 < n) i++;
        out += line[i];
        i++;
      }
      if (i >= n) return { problem: "a quoted field is not closed", column: start + 1 };
      i++;
      return out;
    }
    const start = i;
    while (i < n && line[i] !== " " && line[i] !== "\t" && line[i] !== "}" && line[i] !== "{") i++;
    return line.slice(start, i);
  };
  skipSpace();
  const columns = [i + 1];
  const labelEnd = line.slice(i).search(/[ \t]|$/);
  const label = line.slice(i, i + labelEnd);
  i += labelEnd;
  const fields: SieField[] = [];
  for (;;) {
    skipSpace();
    if (i >= n) break;
    columns.push(i + 1);
    if (line[i] === "{") {
      const open = i;
      i++;
      const parts: string[] = [];
      for (;;) {
        skipSpace();
        if (i >= n) return { problem: "an object list is not closed with }", column: open + 1 };
        if (line[i] === "}") {
          i++;
          break;
        }
        const t = token();
        if (typeof t !== "string") return t;
        parts.push(t);
      }
      if (parts.length % 2 !== 0)
        return { problem: "an object list must hold pairs of dimension and object", column: open + 1 };
      const objects: [string, string][] = [];
      for (let k = 0; k < parts.length; k += 2) objects.push([parts[k]!, parts[k + 1]!]);
      fields.push({ objects });
    } else {
      const t = token();
      if (typeof t !== "string") return t;
      fields.push(t);
    }
  }
  return { label, fields, columns };
}

/**
 * Streams the records of a SIE file, never holding the file whole: encoding decided from the
 * bytes, CRLF or LF, indented rows, the `{` and `}` that enclose a voucher's rows as records of
 * their own. Lines that cannot be split into fields become diagnostics.
 */
export async function* readSie(
  path: string,
  file: string,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<{ encoding: SieEncoding } | { record: SieRecord } | { error: Diagnostic }> {
  const encoding = detectEncoding(await sampleBytes(path));
  yield { encoding };
  const decoder = iconv.getDecoder(encoding === "win1252" ? "win1252" : encoding);
  let pending = "";
  let lineNo = 0;
  function* lines(text: string, final: boolean): Generator<string> {
    pending += text;
    let start = 0;
    for (;;) {
      const nl = pending.indexOf("\n", start);
      if (nl < 0) break;
      yield pending.slice(start, nl);
      start = nl + 1;
    }
    pending = pending.slice(start);
    if (final && pending !== "") {
      yield pending;
      pending = "";
    }
  }
  function* records(text: string, final: boolean): Generator<{ record: SieRecord } | { error: Diagnostic }> {
    for (let line of lines(text, final)) {
      lineNo++;
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      if (line.trim() === "") continue;
      const t = tokenize(line);
      if ("problem" in t) {
        yield {
          error: {
            code: "E-SIE-SYNTAX",
            severity: "error",
            message: t.problem,
            file,
            line: lineNo,
            column: t.column,
            hint: 'Quote fields that hold spaces: "text"; write \\" for a quote inside.',
          },
        };
      } else {
        yield {
          record: { label: t.label.toUpperCase(), fields: t.fields, line: lineNo, columns: t.columns, raw: line },
        };
      }
    }
  }
  for await (const chunk of createReadStream(path)) {
    onBytes?.((chunk as Buffer).length);
    yield* records(decoder.write(chunk as Buffer), false);
  }
  yield* records(decoder.end() ?? "", true);
}
