import { isAscii } from "node:buffer";

/** The char code of a double quote, which quotes a field in CSV and SIE alike. */
export const QUOTE = 34;

/**
 * A streaming decoder that takes a chunk of ASCII bytes as it is (every encoding read here writes
 * ASCII as ASCII): a copy, measured eight times faster than decoding, which was a twelfth of
 * reading a ledger. Any other chunk goes to `decode`, and so does every chunk after one that ended
 * inside a character, while `decode` may hold its first bytes. `decode` must not strip a BOM: its
 * first chunk need not be the file's first.
 */
export function asciiFirst(decode: (chunk: Buffer) => string): (chunk: Buffer) => string {
  let clean = true; // the last chunk ended on an ASCII byte: decode holds nothing
  return (chunk) => {
    if (clean && isAscii(chunk)) return chunk.toString("latin1");
    if (chunk.length > 0) clean = chunk[chunk.length - 1]! < 0x80;
    return decode(chunk);
  };
}

/** 1-based line and column of a character offset in a text. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Runs of digits in a text (account numbers, one at every line of a ledger), each cut out once:
 * looked up by the number its length and digits make, read where it stands.
 */
class DigitStrings {
  readonly #strings = new Map<number, string>();

  /** The text from `from` to `to`; undefined unless it is 1 to 13 digits. */
  of(text: string, from: number, to: number): string | undefined {
    const n = to - from;
    if (n < 1 || n > 13) return undefined;
    let key = n; // "0123" and "123" differ; at most 15 digits, exact in a number
    for (let i = from; i < to; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      key = key * 10 + d;
    }
    let digits = this.#strings.get(key);
    if (digits === undefined) this.#strings.set(key, (digits = text.slice(from, to)));
    return digits;
  }
}

/**
 * The account numbers this thread's ledgers have written (CSV and SIE), each cut out of a line
 * once a run: the files share one copy, whose hash the trial balance and the chart then compute
 * once.
 */
export const accountTexts = new DigitStrings();
