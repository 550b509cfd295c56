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

/**
 * A streaming UTF-8 decoder that gives what TextDecoder("utf-8", { ignoreBOM: true }) gives, faster
 * for text that is ASCII but for some letters of Latin-1, as Swedish ledgers are (an å here and
 * there): those two-byte characters are written as the one byte latin1 has for them, the ASCII
 * around them copied, and the whole read as latin1. Node 20's TextDecoder takes every such chunk
 * through ICU, a twentieth of reading a CSV whose every fiftieth line holds an å; written so, half
 * that (measured). A chunk with any other character, or dense with Latin-1 letters (one per
 * RUN_BYTES bytes or more), goes to TextDecoder, and so does every chunk while TextDecoder may hold
 * the first bytes of a character (as asciiFirst).
 */
export class Utf8Stream {
  /** Made when a chunk first needs it: most files never do (a TextDecoder costs a few µs, a file each). */
  #decoder: TextDecoder | undefined;
  /** Whether the decoder holds nothing: the last chunk it read ended on no unfinished character. */
  #clean = true;

  write(chunk: Buffer): string {
    if (this.#clean) {
      if (isAscii(chunk)) return chunk.toString("latin1");
      const end = chunk.length - unfinishedTail(chunk);
      const text = asLatin1(chunk, end);
      if (text !== undefined) {
        if (end === chunk.length) return text;
        this.#clean = false;
        return text + this.#utf8().decode(chunk.subarray(end), { stream: true });
      }
    }
    // The decoder may hold up to three bytes: a chunk shorter than that may end what they begin.
    this.#clean = chunk.length >= 3 && unfinishedTail(chunk) === 0;
    return this.#utf8().decode(chunk, { stream: true });
  }

  /** The text of the bytes held at the end, a character left unfinished a U+FFFD. */
  end(): string {
    return this.#decoder?.decode() ?? "";
  }

  #utf8(): TextDecoder {
    return (this.#decoder ??= new TextDecoder("utf-8", { ignoreBOM: true }));
  }
}

/**
 * A streaming decoder of windows-1252 as the WHATWG Encoding Standard decodes it (what Excel writes
 * for a Swedish CSV): latin1 but for the bytes 0x80 to 0x9F, which are € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’
 * “ ” • – — ˜ ™ š › œ ž Ÿ (and five C1 controls). A chunk without such bytes is read as latin1, in
 * about half TextDecoder's time (measured). Node 20's TextDecoder("windows-1252") is not used: since
 * 20.18.3 it decodes as latin1 when not streaming (nodejs/node#60888), a – or € a control character.
 * A character is one byte: nothing is held between chunks.
 */
export class Windows1252Stream {
  write(chunk: Buffer): string {
    const text = chunk.toString("latin1");
    return hasC1Byte(chunk) ? text.replace(C1, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]!) : text;
  }

  end(): string {
    return "";
  }
}

const C1 = /[\x80-\x9f]/g;
/** windows-1252's characters for the bytes 0x80 to 0x9F, in order (WHATWG Encoding Standard, index-windows-1252). */
const WINDOWS_1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

/** Whether a byte from 0x80 to 0x9F is among `bytes`: four at a time, as bytes whose top three bits are 100. */
function hasC1Byte(bytes: Buffer): boolean {
  const { words, lead } = wordsOf(bytes);
  const isC1 = (b: number) => (b & 0xe0) === 0x80;
  for (let i = 0; i < lead && i < bytes.length; i++) if (isC1(bytes[i]!)) return true;
  for (let w = 0; w < words.length; w++) {
    const marked = (words[w]! & 0xe0e0e0e0) ^ 0x80808080; // a byte 0 where the byte was 0x80 to 0x9F
    if (((marked - 0x01010101) & ~marked & 0x80808080) !== 0) return true;
  }
  for (let i = lead + 4 * words.length; i < bytes.length; i++) if (isC1(bytes[i]!)) return true;
  return false;
}

/** Past one run of Latin-1 letters per this many bytes, TextDecoder decodes a chunk faster (measured). */
const RUN_BYTES = 512;

/** The thread's buffer for text written as latin1 (asLatin1), grown to the largest chunk. */
let latin1 = Buffer.alloc(0);

/**
 * The text of bytes[0, end) when each of its characters is ASCII or a Latin-1 letter written in two
 * bytes (0xC2 or 0xC3, then 0x80 to 0xBF), with fewer than end / RUN_BYTES runs of such letters;
 * else undefined.
 */
function asLatin1(bytes: Buffer, end: number): string | undefined {
  if (latin1.length < end) latin1 = Buffer.allocUnsafe(Math.max(end, 64 * 1024));
  const out = latin1;
  const high = new HighBytes(bytes, end);
  let runs = end / RUN_BYTES;
  let o = 0;
  let from = 0;
  for (let i = high.first(0); i < end; i = high.first(from)) {
    if (--runs < 0) return undefined;
    o += bytes.copy(out, o, from, i);
    for (; i + 1 < end && (bytes[i]! & 0xfe) === 0xc2 && (bytes[i + 1]! & 0xc0) === 0x80; i += 2)
      out[o++] = ((bytes[i]! & 1) << 6) | (bytes[i + 1]! & 0x3f) | 0x80;
    if (i < end && bytes[i]! >= 0x80) return undefined;
    from = i;
  }
  o += bytes.copy(out, o, from, end);
  return out.toString("latin1", 0, o);
}

/**
 * How many bytes at the end may be the start of a character still to come: from the last lead
 * byte among the last three, when fewer bytes follow it than it announces (some of which cannot
 * begin a character after all: counted all the same, they are decoded as they would be).
 */
function unfinishedTail(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back]!;
    if (b >= 0xc0) return back < (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) ? back : 0;
    if (b < 0x80) return 0;
  }
  return 0;
}

/** The whole 32-bit words of a buffer, from its first byte at a multiple of 4 in memory. */
interface Words {
  readonly words: Uint32Array;
  /** The index of the first word's first byte in the buffer. */
  readonly lead: number;
}

function wordsOf(bytes: Buffer): Words {
  const lead = (4 - (bytes.byteOffset & 3)) & 3;
  const count = Math.max(0, (bytes.length - lead) >> 2);
  return { words: new Uint32Array(bytes.buffer, bytes.byteOffset + lead, count), lead };
}

/**
 * The bytes of 0x80 or more in bytes[0, end), found in turn. Swedish text's letters are mostly å ä
 * ö, whose first byte is 0xC3: found by the native search, the bytes before it checked to be ASCII
 * natively too (cachegrind, a million quoted postings with an å every fiftieth voucher: 0.7 % fewer
 * instructions in all than a loop over words in JavaScript, which V8 must also compile). Once a chunk
 * shows another byte of 0x80 or more, its words are looked through, as each native check could
 * look through the rest of the chunk again.
 */
class HighBytes {
  readonly #bytes: Buffer;
  readonly #end: number;
  #words: Words | undefined;
  /** The first 0xC3 at or after the last index asked for, or end. */
  #nextC3 = -1;

  constructor(bytes: Buffer, end: number) {
    this.#bytes = bytes;
    this.#end = end;
  }

  /** The index of the first byte of 0x80 or more in bytes[from, end), or end. */
  first(from: number): number {
    const bytes = this.#bytes;
    if (this.#words === undefined) {
      if (this.#nextC3 < from) {
        const c3 = bytes.indexOf(0xc3, from);
        this.#nextC3 = c3 < 0 || c3 > this.#end ? this.#end : c3;
      }
      if (isAscii(bytes.subarray(from, this.#nextC3))) return this.#nextC3;
      this.#words = wordsOf(bytes);
    }
    return firstHigh(bytes, this.#words, from, this.#end);
  }
}

/** The index of the first byte of 0x80 or more in bytes[from, to), or `to`: four bytes at a time. */
function firstHigh(bytes: Uint8Array, { words, lead }: Words, from: number, to: number): number {
  let i = from;
  for (; i < to && (i < lead || ((i - lead) & 3) !== 0); i++) if (bytes[i]! >= 0x80) return i;
  let w = (i - lead) >> 2;
  const last = Math.min(words.length, (to - lead) >> 2);
  while (w < last && (words[w]! & 0x80808080) === 0) w++;
  for (i = Math.max(i, lead + 4 * w); i < to; i++) if (bytes[i]! >= 0x80) return i;
  return to;
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
