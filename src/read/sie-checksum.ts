import { createRequire } from "node:module";
import { codepages } from "./codepages.js";
import type { SieField } from "./sie.js";

/** The character sets a SIE file comes in; the checksum is taken over the file's own. */
export type SieChecksumEncoding = "utf8" | "cp437" | "win1252" | "latin9";

const NON_ASCII = /[\u0080-\uffff]/;

type Zlib = typeof import("node:zlib");
let zlib: Zlib | undefined;
/** node:zlib's CRC-32, loaded with the first checksum: most runs check none (4 ms of a start). */
const crc32 = (bytes: Buffer, crc: number) =>
  (zlib ??= createRequire(import.meta.url)("node:zlib") as Zlib).crc32(bytes, crc);

/**
 * The #KSUMMA checksum as "SIE filformat, utgåva 4B" (2008-09-30) defines it in chapter 10,
 * Kontrollsummering (10.11–10.14, "Vilka delar av filinnehållet ska kontrollsummeras?"):
 *
 * - CRC-32 with the reflected polynomial EDB88320, preset to FFFFFFFF and inverted at the end:
 *   the standard CRC-32 (ISO-HDLC) of node:zlib, which chains across calls.
 * - Over the records after the opening `#KSUMMA` up to, not including, the closing `#KSUMMA n`:
 *   the caller feeds those records, and only those, in file order.
 * - Over each record's label and its fields' contents, nothing between them: no blanks or tabs
 *   between fields, no quotes around a field, no braces around an object list or a voucher's
 *   rows (the `{` and `}` records count for nothing); an escaped quote `\"` counts as `"`. In an
 *   object list each dimension and object counts like a field.
 * - In code page 437 (PC8), the only character set the standard allows; a file in another
 *   encoding is checked over its own bytes, as its writer can only have summed those.
 *
 * The closing record states the sum as an unsigned decimal (as the spec's C example returns it).
 */
export class SieChecksum {
  #crc = 0;
  readonly #encoding: string;

  constructor(encoding: SieChecksumEncoding) {
    this.#encoding = encoding;
  }

  /** Adds one record, tokenised: the label as written and the fields unquoted and unescaped. */
  addRecord(label: string, fields: readonly SieField[]): void {
    if (label === "{" || label === "}") return;
    let text = label;
    for (const f of fields) {
      if (typeof f === "string") text += f;
      else for (const [dimension, object] of f.objects) text += dimension + object;
    }
    const bytes = NON_ASCII.test(text) ? codepages().encode(text, this.#encoding) : Buffer.from(text, "latin1");
    this.#crc = crc32(bytes, this.#crc);
  }

  /** The checksum of the records added so far, 0 to 2^32 - 1. */
  get value(): number {
    return this.#crc >>> 0;
  }

  /**
   * Whether the closing record's field states this sum: as the unsigned decimal the standard
   * means, or as the same 32 bits read as a signed number, which some writers print.
   */
  matches(declared: string): boolean {
    if (!/^-?\d{1,10}$/.test(declared)) return false;
    const n = Number(declared);
    return n === this.value || (n < 0 && n + 2 ** 32 === this.value);
  }
}
