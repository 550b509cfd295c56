import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatKronor,
  formatSek,
  groupThousands,
  parseGroupedOreIn,
  parsePlainAmount,
  roundToUnit,
} from "../src/domain/money.js";
import { parseAmount, type NumberFormat } from "../src/read/amount.js";
import { fieldColumns } from "../src/read/csv.js";
import { exactWidth, formatAmount, formatExact, plainAmount } from "../src/render/number.js";
import { numberNotes } from "../src/report/build.js";
import { visible, widthOf } from "../src/render/visible.js";

describe("amounts", () => {
  it("reads plain decimals exactly, in öre", () => {
    expect(parsePlainAmount("1234.5")).toBe(123450n);
    expect(parsePlainAmount("-0.07")).toBe(-7n);
    expect(parsePlainAmount("1e3")).toBeNull();
    expect(parsePlainAmount("1.234")).toBeNull();
    expect(formatKronor(-123456n)).toBe("-1234.56");
  });

  it("writes any amount exactly, in kronor with two decimals, as its digits divided say", () => {
    const amount = fc.oneof(
      fc.bigInt({ min: -10000n, max: 10000n }),
      fc.bigInt({ min: -(2n ** 53n) - 1000n, max: -(2n ** 53n) + 1000n }),
      fc.bigInt({ min: 2n ** 53n - 1000n, max: 2n ** 53n + 1000n }),
      fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
    );
    fc.assert(
      fc.property(amount, (ore) => {
        const abs = ore < 0n ? -ore : ore;
        const [kronor, cents] = [String(abs / 100n), String(abs % 100n).padStart(2, "0")];
        const sign = ore < 0n ? "-" : "";
        expect(formatKronor(ore)).toBe(`${sign}${kronor}.${cents}`);
        expect(formatExact(ore)).toBe(`${ore < 0n ? "\u2212" : ""}${groupThousands(kronor, "\u00a0")},${cents}`);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads the declared Swedish format and refuses what it does not allow", () => {
    const sv = { decimal: ",", thousands: " " } as const;
    expect(parseAmount("1 234,50", sv)).toEqual({ ore: 123450n });
    expect(parseAmount("−1\u00a0234,5", sv)).toEqual({ ore: -123450n });
    expect(parseAmount("1234,50", sv)).toEqual({ ore: 123450n });
    expect(parseAmount("1.234,5", { decimal: ".", thousands: "" })).toHaveProperty("problem");
    expect(parseAmount("12,345", sv)).toMatchObject({ problem: "'12,345' has more than two decimals" });
    expect(parseAmount("12 34,00", sv)).toHaveProperty("problem");
  });

  it("reads grouped kronor in place as parseAmount does, and leaves it whatever else it is asked", () => {
    const formats: NumberFormat[] = [
      { decimal: ",", thousands: " " },
      { decimal: ",", thousands: "." },
      { decimal: ".", thousands: " " },
    ];
    const grouped = (f: NumberFormat) => (s: string) => {
      const found = parseGroupedOreIn(s, 0, s.length, f.decimal.charCodeAt(0), f.thousands.charCodeAt(0));
      return found === null ? null : BigInt(found);
    };
    // Amounts as a file writes them: below 10^13 kronor, grouped with any of the spaces or not at all.
    const written = fc
      .tuple(
        fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }),
        fc.constantFrom(" ", "\u00a0", "\u202f", "."),
        fc.constantFrom(",", "."),
        fc.boolean(),
      )
      .map(([ore, space, decimal, group]) => {
        const abs = ore < 0n ? -ore : ore;
        const kronor = group ? groupThousands(String(abs / 100n), space) : String(abs / 100n);
        return { ore, text: `${ore < 0n ? "-" : ""}${kronor}${decimal}${String(abs % 100n).padStart(2, "0")}` };
      });
    const anyText = fc.string({ unit: fc.constantFrom(..."0123456789 .,+-\u00a0\u202f\u2212x"), maxLength: 14 });
    fc.assert(
      fc.property(fc.constantFrom(...formats), written, anyText, (format, { ore, text }, other) => {
        const read = grouped(format);
        const declared = parseAmount(text, format);
        if ("ore" in declared)
          expect(read(text)).toBe(ore); // taken in place whenever the format reads it
        else expect(read(text)).toBeNull();
        const found = read(other);
        if (found !== null) expect(parseAmount(other, format)).toEqual({ ore: found });
      }),
      { numRuns: 5000 },
    );
    const sv = grouped(formats[0]!);
    expect([sv("1 234,50"), sv("-12\u00a0345\u202f678"), sv("1234"), sv("+1 000,5")]).toEqual([
      123450n,
      -1234567800n,
      123400n,
      100050n,
    ]);
    expect([sv("1 23"), sv("1234 567"), sv("1  234"), sv(" 1 234"), sv("1 234 "), sv("12 345 678 901 234")]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it("rounds each figure on its own, half away from zero", () => {
    expect(roundToUnit(50_000n, "tkr").toString()).toBe("1");
    expect(roundToUnit(-50_000n, "tkr").toString()).toBe("-1");
    expect(roundToUnit(49_999n, "tkr").toString()).toBe("0");
    expect(formatAmount(-2_410_900_00n, "tkr")).toBe("\u22122\u00a0411");
    expect(formatAmount(-40_00n, "tkr")).toBe("0");
  });
});

describe("amounts written out", () => {
  // How amounts were written before, by bigint division and a regular expression: the reference.
  const slowly = (ore: bigint, separator: string) => {
    const abs = ore < 0n ? -ore : ore;
    const kronor = String(abs / 100n).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
    return `${kronor},${String(abs % 100n).padStart(2, "0")}`;
  };
  const amount = fc.oneof(
    fc.bigInt({ min: -10_000_000n, max: 10_000_000n }),
    fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }),
    fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }),
    // Öre near 2^53, where a division by 100 in floating point would round whole kronor up.
    fc.constantFrom(
      0n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 53n + 1n,
      -(2n ** 53n) - 1n,
      9_007_199_254_740_899n,
      -7_036_874_417_766_399n,
    ),
  );

  it("group thousands (or not, for machines) and keep every öre, of any size", () => {
    fc.assert(
      fc.property(amount, (ore) => {
        expect(formatSek(ore)).toBe(`${ore < 0n ? "-" : ""}${slowly(ore, " ")}`);
        expect(formatExact(ore)).toBe(`${ore < 0n ? "\u2212" : ""}${slowly(ore, "\u00a0")}`);
        expect(exactWidth(ore)).toBe(widthOf(formatExact(ore)));
        expect(formatKronor(ore)).toBe(`${ore < 0n ? "-" : ""}${slowly(ore, "").replace(",", ".")}`);
      }),
      { numRuns: 2000 },
    );
    expect(formatExact(-123_456_789n)).toBe("\u22121\u00a0234\u00a0567,89");
    expect(formatSek(5n)).toBe("0,05");
    expect(groupThousands("1048576", " ")).toBe("1 048 576");
    expect(groupThousands("100", " ")).toBe("100");
  });

  it("round figures in every unit as the exact decimal does, of any size, never as −0", () => {
    const Exact = Decimal.clone({ precision: 80 });
    const halves = fc.constantFrom(
      49_999n,
      50_000n,
      -50_000n,
      -49_999n,
      4_999_999n,
      5_000_000n,
      -5_000_000n,
      49n,
      -50n,
      // Öre just below a half krona, which floating point would round up to one.
      72_057_594_037_927_949n,
      -72_057_594_037_927_949n,
    );
    const near52 = fc.bigInt({ min: 2n ** 52n - 10_000_000n, max: 2n ** 52n + 10_000_000n });
    const figure = fc.oneof(
      amount,
      halves,
      near52,
      near52.map((ore) => -ore),
    );
    const units = fc.constantFrom("kr", "tkr", "mnkr") as fc.Arbitrary<"kr" | "tkr" | "mnkr">;
    fc.assert(
      fc.property(figure, units, (ore, unit) => {
        const divisor = { kr: 100, tkr: 100_000, mnkr: 100_000_000 }[unit];
        const decimals = unit === "mnkr" ? 1 : 0;
        const rounded = new Exact(ore.toString()).dividedBy(divisor).toDecimalPlaces(decimals, Exact.ROUND_HALF_UP);
        const digits = rounded.abs().toFixed(decimals);
        const [whole, tenths] = digits.split(".");
        const grouped = `${groupThousands(whole!, " ")}${tenths === undefined ? "" : `,${tenths}`}`;
        const negative = rounded.isNegative() && !rounded.isZero();
        expect(formatAmount(ore, unit)).toBe(`${negative ? "\u2212" : ""}${grouped.replace(/ /g, "\u00a0")}`);
        expect(plainAmount(ore, unit)).toBe(`${negative ? "-" : ""}${digits}`);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("texts made visible", () => {
  const unsafe =
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const command = /^[\s\u0085]*::/;
  // Every edge of the ranges visible escapes, and the characters beside them that it keeps.
  const edges =
    "\u0000\u001f\u0020\u007e\u007f\u0085\u009f\u00a0\u061b\u061c\u200d\u200e\u200f\u2027\u2028\u2029\u202a\u202e\u202f\u2065\u2066\u2069\u206a\ufffd\ufffe\uffff";
  const piece = fc.constantFrom(..."a :#å\n\t", "::", "##[", "\ud83d", "\ude00", "\ud83d\ude00", ...edges);
  const text = fc.oneof(
    fc.string({ unit: "grapheme" }),
    fc.string({ unit: "binary" }),
    fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join("")),
  );

  it("keep a text that needs no escape as it is, and leave nothing that breaks a line, a terminal or a CI log", () => {
    fc.assert(
      fc.property(text, (s) => {
        const shown = visible(s);
        expect(unsafe.test(shown)).toBe(false);
        expect(shown.includes("##[")).toBe(false);
        expect(command.test(shown)).toBe(false);
        if (!unsafe.test(s) && !s.includes("##[") && !command.test(s)) expect(shown).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("CSV columns", () => {
  it("finds where each field starts, honouring quotes", () => {
    expect(fieldColumns('a,"b,c",d', ",")).toEqual([1, 3, 9]);
    expect(fieldColumns("x;y", ";")).toEqual([1, 3]);
  });
});

describe("note numbers", () => {
  it("follow the first reference from the group statements, fixed numbers kept", () => {
    const row = (id: string, note?: string) => ({
      id,
      label: id,
      kind: "line" as const,
      select: [{ accounts: ["1000"] }],
      ...(note ? { note } : {}),
    });
    const note = (id: string, number?: number) => ({ id, title: id, rows: [row("x")], ...(number ? { number } : {}) });
    const numbers = numberNotes({
      statements: [{ id: "s", title: "S", scopes: ["group"], rows: [row("r1", "b"), row("r2", "a"), row("r3", "b")] }],
      notes: [note("a"), note("b"), note("c", 1), note("d")],
    });
    expect(Object.fromEntries(numbers)).toEqual({ b: 2, a: 3, c: 1, d: 4 });
  });
});

describe("the voucher registry", () => {
  it("finds every number used twice, in any order, whatever the numbering", async () => {
    const { VoucherRegistry } = await import("../src/model/voucher-registry.js");
    const fc = (await import("fast-check")).default;
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom("A", "B"),
            fc.oneof(fc.nat(40).map(String), fc.constantFrom("x1", "007", "1234567890123456", "999999999999999", "-1")),
          ),
        ),
        (vouchers) => {
          const registry = new VoucherRegistry();
          const seen = new Set<string>();
          for (const [series, no] of vouchers) {
            const key = `${series}|${/^\d+$/.test(no) ? Number(no) : no}`;
            expect(registry.add(series, no)).toBe(!seen.has(key));
            seen.add(key);
          }
          expect(registry.size).toBe(seen.size);
          // Two files' registries joined: the vouchers both hold are found again (|A| + |B| = |A ∪ B| + |A ∩ B|).
          const [first, second] = [new VoucherRegistry(), new VoucherRegistry()];
          const half = Math.floor(vouchers.length / 2);
          for (const [series, no] of vouchers.slice(0, half)) first.add(series, no);
          for (const [series, no] of vouchers.slice(half)) second.add(series, no);
          const again = first.merge(second.snapshot());
          expect(first.size).toBe(seen.size);
          expect(again.length + seen.size).toBe(
            new Set(vouchers.slice(0, half).map(([s, n]) => `${s}|${/^\d+$/.test(n) ? Number(n) : n}`)).size +
              new Set(vouchers.slice(half).map(([s, n]) => `${s}|${/^\d+$/.test(n) ? Number(n) : n}`)).size,
          );
        },
      ),
    );
  });
});

describe("the progress line", () => {
  it("shows on a terminal once a run takes more than a second, and never in a pipe", async () => {
    const { vi } = await import("vitest");
    const { progress } = await import("../src/cli/progress.js");
    const written: string[] = [];
    const tty = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const ci = process.env.CI;
    delete process.env.CI;
    const now = vi.spyOn(Date, "now").mockReturnValue(1_000_000);
    const bar = progress(tty);
    bar.onBytes?.(5e6);
    expect(written).toEqual([]);
    now.mockReturnValue(1_002_000);
    bar.onBytes?.(5e6);
    bar.done();
    now.mockRestore();
    if (ci !== undefined) process.env.CI = ci;
    expect(written).toEqual(["\r\u001b[Kreading 10 MB, 5 MB/s", "\r\u001b[K"]);
    expect(progress({ isTTY: false } as NodeJS.WriteStream).onBytes).toBeUndefined();
  });
});

describe("the quick amount reader", () => {
  it("reads exactly what the full parser reads, and refuses the same", async () => {
    const fc = (await import("fast-check")).default;
    const { parseAmount } = await import("../src/read/amount.js");
    const format = { decimal: ".", thousands: "" } as const;
    const comma = { decimal: ",", thousands: "" } as const;
    const text = fc.oneof(
      fc
        .tuple(
          fc.constantFrom("", "-", "+"),
          fc.bigInt({ min: 0n, max: 10n ** 16n }),
          fc.constantFrom("", ".5", ".05", ".50", ",5", ".", ".123"),
        )
        .map(([s, n, f]) => `${s}${n}${f}`),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        for (const f of [format, comma]) {
          const quick = parseAmount(t, f);
          const s = t.trim().replace(/^\u2212/, "-");
          const m = new RegExp(`^([+-]?)(\\d+)(?:\\${f.decimal}(\\d{1,2}))?$`).exec(s);
          if (m) {
            const ore = BigInt(m[2]!) * 100n + BigInt(((m[3] ?? "") + "00").slice(0, 2));
            expect(quick).toEqual({ ore: m[1] === "-" ? -ore : ore });
          } else expect(quick).toHaveProperty("problem");
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("reading text in chunks", () => {
  /** `bytes` cut into chunks of the sizes `cuts` gives in turn, each a view at `offset` into a larger buffer (its alignment). */
  const chunked = (bytes: Buffer, cuts: readonly number[], offset: number): Buffer[] => {
    const copy = Buffer.alloc(bytes.length + 8);
    bytes.copy(copy, offset);
    const chunks: Buffer[] = [];
    for (let at = 0, k = 0; at < bytes.length; k++) {
      const size = cuts[k % Math.max(cuts.length, 1)] ?? 4;
      chunks.push(copy.subarray(offset + at, offset + Math.min(at + size, bytes.length)));
      at += size;
    }
    return chunks;
  };
  /** The text a streaming decoder makes of `chunks`, one after another, and its end. */
  const decodedBy = (stream: { write(chunk: Buffer): string; end(): string }, chunks: readonly Buffer[]) =>
    chunks.map((c) => stream.write(c)).join("") + stream.end();

  it("decodes UTF-8 as TextDecoder does, wherever the chunks are cut, Latin-1 letters or not", async () => {
    const { Utf8Stream } = await import("../src/read/text.js");
    const fc = (await import("fast-check")).default;
    const latin1 = ["å", "Ä", "ö", "é", "\u0080", "ÿ", "§", "Skärm "];
    const other = ["€", "😀", "\ufeff", "–"];
    const broken = [
      [0xc3],
      [0xe2, 0x82],
      [0xc3, 0x41],
      [0xa5],
      [0xc1, 0x81],
      [0xf0, 0x9f],
      [0xed, 0xa0, 0x80],
      [0xc2, 0xc0],
    ];
    const ascii = ["a", "1930,", "\n", "Verifikation,", "x".repeat(300)];
    const piece = (weights: [number, number, number, number]) =>
      fc.oneof(
        { weight: weights[0], arbitrary: fc.constantFrom(...ascii).map((t) => Buffer.from(t)) },
        { weight: weights[1], arbitrary: fc.constantFrom(...latin1).map((t) => Buffer.from(t)) },
        { weight: weights[2], arbitrary: fc.constantFrom(...other).map((t) => Buffer.from(t)) },
        { weight: weights[3], arbitrary: fc.constantFrom(...broken).map((b) => Buffer.from(b)) },
      );
    // Sparse Latin-1 letters (latin1 written), dense ones (TextDecoder), and anything else.
    const text = fc.oneof(
      fc.array(piece([40, 1, 0, 0]), { maxLength: 400 }),
      fc.array(piece([2, 3, 0, 0]), { maxLength: 400 }),
      fc.array(piece([10, 3, 1, 1]), { maxLength: 200 }),
    );
    const cut = fc.array(fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 7, max: 20_000 })), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(text, cut, fc.integer({ min: 0, max: 3 }), (pieces, cuts, offset) => {
        const bytes = Buffer.concat(pieces);
        const decoded = decodedBy(new Utf8Stream(), chunked(bytes, cuts, offset));
        expect(decoded).toBe(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes));
      }),
      { numRuns: 1500 },
    );
  });

  it("decodes windows-1252 as the Encoding Standard does, chunks with bytes 0x80 to 0x9F (€, ’, –) and without", async () => {
    const { Windows1252Stream } = await import("../src/read/text.js");
    const fc = (await import("fast-check")).default;
    const iconv = (await import("iconv-lite")).default;
    // iconv-lite's table, but for the five bytes it leaves undefined, which the standard gives C1 controls.
    const expected = (bytes: Buffer) =>
      [...bytes]
        .map((b) =>
          [0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(b)
            ? String.fromCharCode(b)
            : iconv.decode(Buffer.from([b]), "win1252"),
        )
        .join("");
    expect(new Windows1252Stream().write(Buffer.from([0x80, 0x96, 0x92, 0xe5, 0x9f]))).toBe("€–’åŸ");
    const byte = fc.oneof(
      { weight: 30, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
      { weight: 5, arbitrary: fc.integer({ min: 0xa0, max: 0xff }) },
      { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0x9f }) },
    );
    const cut = fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 2000 }), cut, fc.integer({ min: 0, max: 3 }), (values, cuts, offset) => {
        const bytes = Buffer.from(values);
        const decoded = decodedBy(new Windows1252Stream(), chunked(bytes, cuts, offset));
        expect(decoded).toBe(expected(bytes));
      }),
      { numRuns: 1500 },
    );
    // Every byte, at every place in a word.
    for (let b = 0; b < 256; b++)
      for (let at = 0; at < 8; at++) {
        const bytes = Buffer.from([...Buffer.from("ABCDEFGH").subarray(0, at), b, 0x41]);
        expect(new Windows1252Stream().write(bytes)).toBe(expected(bytes));
      }
  });

  it("decodes every short run of bytes 0x80 and up as TextDecoder does, before ASCII, a letter or the end", async () => {
    const { Utf8Stream } = await import("../src/read/text.js");
    const high = [0x80, 0xa5, 0xbf, 0xc0, 0xc2, 0xc3, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    const runs = high.flatMap((a) => [[a], ...high.flatMap((b) => [[a, b], ...high.map((c) => [a, b, c])])]);
    // After a kilobyte of ASCII, so that a chunk of Latin-1 letters is written as latin1.
    const ascii = Buffer.from("x".repeat(1024));
    let differences = 0;
    for (const run of runs)
      for (const after of [[], [0x41], [0xc3, 0xa5]]) {
        const bytes = Buffer.concat([ascii, Buffer.from([...run, ...after])]);
        const expected = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
        for (const cuts of [[4096], [1025, 1], [1026], [1027]]) {
          if (decodedBy(new Utf8Stream(), chunked(bytes, cuts, 1)) !== expected) differences++;
        }
      }
    expect(differences).toBe(0);
  });

  it("reads ASCII chunks as they are and every other as its decoder does, wherever the chunks are cut", async () => {
    const { asciiFirst } = await import("../src/read/text.js");
    const fc = (await import("fast-check")).default;
    const iconv = (await import("iconv-lite")).default;
    // Text, and bytes that end a character too soon (a file cut or mixed): decoded as the decoder would.
    const piece = fc.oneof(
      fc
        .constantFrom("a", "1930;", "\n", "å", "Ö", "é", "\u0080", "ÿ", "€", "😀", "\ufeff", "Skärm ", "x".repeat(40))
        .map((t) => Buffer.from(t)),
      // a lead byte without its second, or with an ASCII one; a second byte alone; an overlong "A"
      fc.constantFrom(
        Buffer.from([0xc3]),
        Buffer.from([0xe2, 0x82]),
        Buffer.from([0xc3, 0x41]),
        Buffer.from([0xa5]),
        Buffer.from([0xc1, 0x81]),
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 40 })), (pieces, cuts) => {
        const bytes = Buffer.concat(pieces);
        const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
        const chunks: Buffer[] = [];
        for (let at = 0, k = 0; at < bytes.length; k++) {
          const size = cuts[k % Math.max(cuts.length, 1)] ?? 4;
          chunks.push(bytes.subarray(at, at + size));
          at += size;
        }
        // Node's decoder and iconv-lite's, as the CSV and SIE readers use them: a BOM kept.
        const web = new TextDecoder("utf-8", { ignoreBOM: true });
        const viaWeb = asciiFirst((c) => web.decode(c, { stream: true }));
        const lite = iconv.getDecoder("utf8", { stripBOM: false });
        const viaLite = asciiFirst((c) => lite.write(c));
        expect(chunks.map(viaWeb).join("") + web.decode()).toBe(text);
        expect(chunks.map(viaLite).join("") + (lite.end() ?? "")).toBe(
          iconv.decode(bytes, "utf8", { stripBOM: false }),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
