import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { readSieInto, SieRecord, type SieItem } from "../src/read/sie.js";
import type { Located } from "../src/model/ledger-file.js";
import { SieScope } from "../src/model/sie/scope.js";
import { loadYear } from "../src/model/ledger.js";
import { SieVouchers } from "../src/model/sie/vouchers.js";
import { loadWorkspace } from "../src/model/workspace.js";
import { yearWorkspace } from "./helpers.js";

/**
 * A SIE ledger's #VER, `{`, `}` and #TRANS lines are read where they stand (SieVouchers.quickLine); a
 * line the quick path cannot take becomes a record. The same file read with the quick path turned
 * off must give the same rows and the same diagnostics, to the column.
 */
type Layout = "entity" | "units";

/** Per part of a #TRANS line: what the quick path takes, and what it must leave to the records. */
const PARTS = {
  indent: [["", "  ", "\t"], []],
  label: [["#TRANS"], ["#trans", "#TRANSX"]],
  separator: [
    [" ", "  "],
    ["\t", " \t"],
  ],
  account: [
    ["1930", "3010", "5010", "2440", "19300"],
    ["193a", '"1930"', "", "{}"],
  ],
  amount: [
    ["100.00", "-100.00", "5", "0.5", "-0.07", "+3.10"],
    ["1,00", "1e3", '"100.00"', "100.001", "-", "1.2.3"],
  ],
  date: [
    ["", '""', "20250131", "20250301", "2025-03-01"],
    ["20250230", "2025013", '"20250131"', "20251301", "{}", '""x'],
  ],
  text: [
    ["", '"t"', "plain", '"ä ö"', '""', '"a\tb"'],
    ['"a\\"b"', '"unclosed', "{x}", 'a"b', '"a\\\\"', '"a\\"', '"c:\\\\x" y', "a\tb"],
  ],
  rest: [
    ["", "1", '"sig"', "1 2"],
    ["{}", '"x\\"y"'],
  ],
} as const;
const OBJECTS: Record<Layout, readonly [readonly string[], readonly string[]]> = {
  entity: [
    ["{}", "{20 M1}", "{20 b}", '{20 "M1"}', "{ }", "{5 x}"],
    ["{20}", "{20 M1", '{20 "M\\"1"}', "{20\tM1}", "{20 M1}x", '{20 M1"}'],
  ],
  units: [
    ["{1 a}", "{1 b}", '{1 "a"}', "{1 a 20 M1}", "{20 M1 1 b}", "{1 B}"],
    ["{}", "{1}", "{1 a", "{1 c}", '{1 "a\\"b"}', "{1\ta}"],
  ],
};

const pick = (good: readonly string[], bad: readonly string[]): fc.Arbitrary<string> =>
  bad.length === 0
    ? fc.constantFrom(...good)
    : fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 12 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });

/** A part of a line, by its name in a table of what the quick path takes and what it leaves. */
type Parts = Readonly<Record<string, readonly [readonly string[], readonly string[]]>>;
const partOf =
  <P extends Parts>(parts: P) =>
  (name: keyof P) =>
    pick(parts[name]![0], parts[name]![1]);
const part = partOf(PARTS);

function transLine(layout: Layout): fc.Arbitrary<string> {
  return fc
    .record({
      indent: part("indent"),
      label: part("label"),
      separator: part("separator"),
      account: part("account"),
      objects: pick(...OBJECTS[layout]),
      amount: part("amount"),
      date: part("date"),
      text: part("text"),
      rest: part("rest"),
      fields: fc.integer({ min: 0, max: 3 }),
    })
    .map((p) => {
      const optional = [p.date || '""', p.text || '""', p.rest].slice(0, p.fields).filter((f) => f !== "");
      const fields = [p.account, p.objects, p.amount, ...optional].filter((f) => f !== "");
      return `${p.indent}${p.label}${p.separator}${fields.join(p.separator)}`;
    });
}

/** Per part of a #VER line: what the quick path takes, and what it must leave to the records. */
const VER_PARTS = {
  indent: [["", "  "], ["\t"]],
  label: [["#VER"], ["#ver", "#VERX"]],
  series: [
    ["A", "B", '"A"', '"B C"', '""'],
    ["{}", 'A"', '"A\\"B"', "{1 a}"],
  ],
  number: [
    ["1", "2", "3", '"2"'],
    ["{}", '"3', "4}"],
  ],
  date: [
    ["20250131", "20250301", "20250415"],
    ["20250230", '"20250131"', "2025-03-01", "{}", '""', "2025013"],
  ],
  text: [
    ['"Verifikation"', '""', "plain", '"ä ö"', '" padded "', '"a\tb"'],
    ['"a\\"b"', '"unclosed', "{x}", 'a"b', "a\tb"],
  ],
  rest: [
    ["", "20250201", '20250201 "sig"'],
    ["{}", '"x\\"y"'],
  ],
} as const;

function verLine(): fc.Arbitrary<string> {
  const of = partOf(VER_PARTS);
  return fc
    .record({
      indent: of("indent"),
      label: of("label"),
      series: of("series"),
      number: of("number"),
      date: of("date"),
      text: of("text"),
      rest: of("rest"),
      fields: fc.integer({ min: 2, max: 5 }),
    })
    .map((p) => {
      const fields = [p.series, p.number, p.date, p.text, p.rest].slice(0, p.fields).filter((f) => f !== "");
      return `${p.indent}${p.label} ${fields.join(" ")}`;
    });
}

/** A voucher: its #VER, the braces (now and then written otherwise) and its rows. */
function voucher(layout: Layout): fc.Arbitrary<string[]> {
  return fc
    .record({
      ver: verLine(),
      open: pick(["{"], ["  {", "{ ", "\t{", "{x"]),
      close: pick(["}"], [" }", "} ", "}x"]),
      rows: fc.array(transLine(layout), { minLength: 1, maxLength: 5 }),
      braces: pick(["both"], ["none", "open"]),
    })
    .map((v) => [
      v.ver,
      ...(v.braces === "none" ? [] : [v.open]),
      ...v.rows,
      ...(v.braces === "both" ? [v.close] : []),
    ]);
}

const HEADER = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", "#RAR 0 20250101 20251231", "#DIM 20 Motpart"];

async function load(layout: Layout, lines: readonly string[], records: boolean) {
  const dir = yearWorkspace({
    entities: ["a", "b"],
    members: ["M1"],
    ledgers: [
      {
        path: "l.se",
        ...(layout === "entity" ? { entity: "a" } : { unitsDimension: 1 }),
        motpartDimension: 20,
        text: `${[...HEADER, ...lines].join("\r\n")}\r\n`,
      },
    ],
  });
  const ws = (await loadWorkspace(dir)).value!;
  const quick = records ? vi.spyOn(SieVouchers.prototype, "quickLine").mockReturnValue(false) : undefined;
  try {
    const { ledgers, diagnostics } = await loadYear(ws, 2025);
    return { rows: ledgers.rows, diagnostics: diagnostics.map((d) => ({ ...d, file: basename(d.file!) })) };
  } finally {
    quick?.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

/**
 * What a file's voucher lines hand the sink, field by field and with where each field stands, and
 * what is reported: read with the quick path, or as records alone.
 */
const postingsDir = mkdtempSync(join(tmpdir(), "consolidate-sie-quick-"));
async function postings(layout: Layout, lines: readonly string[], quick: boolean) {
  const path = join(postingsDir, "l.se");
  writeFileSync(path, `${[...HEADER, ...lines].join("\n")}\n`);
  const seen: unknown[] = [];
  const accept = (l: Located) => {
    const p = l.posting;
    const fields = ["entity", "series", "voucher", "date", "account", "amount", "counterparty", "dimensions", "text"];
    const places = fields.map((f) => l.at(f));
    seen.push({
      ...Object.fromEntries(fields.map((f) => [f, p[f as keyof typeof p]])),
      source: p.source,
      key: l.voucherKey,
      places,
    });
    return p.account !== "19300"; // a row the rules refuse, now and then
  };
  const sink = { accept, reject: (...r: unknown[]) => void seen.push({ reject: r }) } as never;
  const source =
    layout === "entity"
      ? { path, entity: "a", motpartDimension: 20 }
      : { path, unitsDimension: 1, motpartDimension: 20 };
  const scope = new SieScope(path, source as never, ["a", "b"]);
  const vouchers = new SieVouchers(path, scope, sink, (...problem) => void seen.push({ problem }));
  await readSieInto(path, path, undefined, {
    item: (item) => void (item instanceof SieRecord && vouchers.read(item)),
    ...(quick ? { quickLine: (text, start, end, line) => vouchers.quickLine(text, start, end, line) } : {}),
  });
  return { seen, movement: vouchers.movement() };
}

describe("a SIE ledger's voucher lines read in place", () => {
  for (const layout of ["entity", "units"] as const)
    it(`give the rows, diagnostics and postings, field by field, of the same lines read as records (${layout === "entity" ? "a file per entity" : "units as objects"})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(voucher(layout), { maxLength: 10 }), async (vouchers) => {
          const lines = vouchers.flat();
          expect(await load(layout, lines, false)).toEqual(await load(layout, lines, true));
          expect(await postings(layout, lines, true)).toEqual(await postings(layout, lines, false));
        }),
        { numRuns: 150 },
      );
    }, 120_000);

  it("the same where lines run over the chunks the file is read in", async () => {
    const lines: string[] = [];
    for (let n = 1; n <= 3000; n++) {
      const text = n % 7 === 0 ? ` "${"x".repeat(n % 50)}"` : "";
      lines.push(`#VER A ${n} 2025${String((n % 12) + 1).padStart(2, "0")}15 "V ${n}"`, "{");
      lines.push(`#TRANS 1930 {20 M1} ${n}.50${text}`, `  #TRANS 3010 {} -${n}.50 "" "t ${n}"`, "}");
    }
    expect(await load("entity", lines, false)).toEqual(await load("entity", lines, true));
  });

  it("a row outside a voucher's braces, and a brace that closes none", async () => {
    const lines = [
      "#TRANS 1930 {} 1.00",
      "}",
      '#VER A 1 20250131 ""',
      "#TRANS 1930 {} 1.00",
      "{",
      "#TRANS 3010 {} -1.00",
      "}",
    ];
    expect(await load("entity", lines, false)).toEqual(await load("entity", lines, true));
  });

  it("an object list not closed on its line, a } on the next one, and dates in quotes", async () => {
    const lines = [
      '#VER A 1 20250131 ""',
      "{",
      "#TRANS 1930 {20 M1",
      "x 1 a} 5",
      '#TRANS 3010 {} -1.00 "20250301"',
      "#TRANS 3010 {} -2.00 20250301",
      '#TRANS 3010 {} -3.00 "20250301"',
      '#TRANS 3010 {} -4.00 "20250230"',
      "}",
    ];
    expect(await load("entity", lines, false)).toEqual(await load("entity", lines, true));
    expect(await postings("entity", lines, true)).toEqual(await postings("entity", lines, false));
  });
});

describe("readSieInto", () => {
  it("offers each line after the first to quickLine, in order with the items", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-sie-quick-"));
    const path = join(dir, "t.se");
    writeFileSync(path, "#FLAGGA 0\r\n{\r\n#TRANS 1930 {} 1\n\n}\r#VER A 1");
    const seen: string[] = [];
    await readSieInto(path, "t.se", undefined, {
      item: (item: SieItem) =>
        seen.push(
          "encoding" in item
            ? `encoding ${item.encoding}`
            : "label" in item
              ? `record ${item.line}: ${item.label} ${item.fields.length}`
              : `error ${item.error.code}`,
        ),
      quickLine: (text, start, end, line) => {
        seen.push(`quick ${line}: ${text.slice(start, end)}`);
        return text.slice(start, end) === "{";
      },
    });
    expect(seen).toEqual([
      "encoding cp437",
      "record 1: #FLAGGA 1", // the first line is never offered (a BOM may open it)
      "quick 2: {", // taken
      "quick 3: #TRANS 1930 {} 1", // declined: read as a record
      "record 3: #TRANS 3",
      "quick 4: ", // a blank line, declined and skipped
      "quick 5: }",
      "record 5: } 0",
      "record 6: #VER 2", // the last line, without a line end, is read when the file ends
    ]);
  });
});
