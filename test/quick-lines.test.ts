import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { readCsvInto, type CsvItem } from "../src/read/csv.js";
import { loadYear } from "../src/model/ledger.js";
import { quickPath } from "../src/model/ledger-file.js";
import type { NumberFormat } from "../src/read/amount.js";
import { loadWorkspace } from "../src/model/workspace.js";
import { yearWorkspace } from "./helpers.js";

/**
 * A CSV ledger's lines are read in place (CsvLedgerRows.quickLine), quoted fields too; a line the
 * quick path cannot take goes through the reader's records. The same file read both ways (the
 * quick path turned off: quickPath) must give the same rows and the same diagnostics, to the
 * column, in each number format a workspace may declare.
 */
/** Per column: values the quick path takes, and values it must leave to the records (or ones read alike by both). */
const FIELDS = {
  entity: [
    ["a", "b"],
    ["", " a", "x", 'a"'],
  ],
  series: [
    ["A", "B", "AB"],
    ["", '"A"B'],
  ],
  voucher: [
    ["1", "2", "10", "01", "x-1"],
    ["", "1 2", "1.5", '1"'],
  ],
  date: [
    ["2025-01-31", "2025-03-01", "2025-12-31", "2024-12-31", "20250115", "20251231"],
    ["2025-02-29", "20250229", "2025013", "2025-1-5", "", '2025"01-31', '"2025-01-31'],
  ],
  account: [
    ["1930", "3010", "5010", "2440", "9999", "01930"],
    ["193", "1234567", "19a0", " 1930", "0193", "", '19"30'],
  ],
  // Amounts in every format a file may declare (and so, for its own, also in the others').
  amount: [
    [
      ...["100.00", "-100.00", "100", "100.5", "+5.00", "-0.07", "0", "100,50", "-0,07"],
      ...["1 234,50", "-12 345 678", "1\u00a0234,5", "1\u202f234", "1.234,56", "-1.234", "1 234.5", "123 456"],
    ],
    [
      ...["1,5", "", "abc", "-", '1"', "1.2.3", "1 23", "1234 567", "1  234", " 1 234", "1 234 ", "12 34,5"],
      ...["1 234,567", "1.234.5", "1 234,", "- 1 234", "1.234 567", "12345678901234", "1 234 567 890 123 4"],
    ],
  ],
  counterparty: [["", "a", " b ", "M1", "zz", "b", " "], ['K"1']],
  text: [
    ["t", "Verifikation", "", "ä ö", "a,b", "två\nrader"],
    ['t"', 'a "b"'],
  ],
  "dim.projekt": [
    ["", "P1", "P2", "ä"],
    [" P1", 'P"1'],
  ],
  "dim.ansvar": [
    ["", "100", "200"],
    ["1 0", '"'],
  ],
} as const;
type Column = keyof typeof FIELDS;
const COLUMNS = Object.keys(FIELDS) as Column[];
const REQUIRED: readonly Column[] = ["entity", "series", "voucher", "date", "account", "amount", "counterparty"];

/** A column's value: mostly one the quick path takes, so that runs of such lines are common. */
const value = (c: Column): fc.Arbitrary<string> => {
  const [good, bad] = FIELDS[c];
  return fc.oneof(
    { arbitrary: fc.constantFrom(...good), weight: 12 },
    { arbitrary: fc.constantFrom(...bad), weight: 1 },
  );
};

/** The number formats a workspace may declare. */
const FORMATS: readonly NumberFormat[] = [
  { decimal: ".", thousands: "" },
  { decimal: ",", thousands: "" },
  { decimal: ",", thousands: " " },
  { decimal: ",", thousands: "." },
  { decimal: ".", thousands: " " },
];

const row = fc.record({
  values: fc.record(Object.fromEntries(COLUMNS.map((c) => [c, value(c)])) as { [C in Column]: fc.Arbitrary<string> }),
  /** -1: the last field left off; 1: a field too many; 0 mostly. */
  fields: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 1),
  /** The columns written in quotes. */
  quoted: fc.subarray(COLUMNS),
});

/** Runs of rows sharing a voucher, as ledgers write them. */
const voucher = fc.tuple(row, fc.array(row, { minLength: 1, maxLength: 4 })).map(([first, rest]) =>
  [first, ...rest].map((r) => ({
    ...r,
    values: { ...r.values, series: first.values.series, voucher: first.values.voucher, date: first.values.date },
  })),
);

const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;

function ledgerText(header: Column[], rows: Row[]): string {
  const lines = rows.map(({ values, fields, quoted }) => {
    const cells = header.map((c) => (quoted.includes(c) || /[,\n]/.test(values[c]) ? quote(values[c]) : values[c]));
    if (fields < 0) cells.pop();
    if (fields > 0) cells.push("extra");
    return cells.join(",");
  });
  return `${header.join(",")}\n${lines.join("\n")}\n`;
}
type Row = { values: Record<Column, string>; fields: number; quoted: readonly Column[] };

async function load(
  header: Column[],
  rows: Row[] | string,
  records: boolean,
  entityInConfig: boolean,
  numberFormat: NumberFormat = FORMATS[0]!,
) {
  const dir = yearWorkspace({
    entities: ["a", "b"],
    members: ["M1"],
    ledgers: [
      {
        path: "l.csv",
        ...(entityInConfig ? { entity: "a" } : {}),
        numberFormat,
        text: typeof rows === "string" ? `${header.join(",")}\n${rows}` : ledgerText(header, rows),
      },
    ],
  });
  const ws = (await loadWorkspace(dir)).value!;
  quickPath.enabled = !records;
  try {
    const { ledgers, diagnostics } = await loadYear(ws, 2025);
    return { rows: ledgers.rows, diagnostics: diagnostics.map((d) => ({ ...d, file: basename(d.file!) })) };
  } finally {
    quickPath.enabled = true;
  }
}

describe("a CSV ledger's lines read in place", () => {
  it("give the rows and diagnostics of the same lines read as records", async () => {
    await fc.assert(
      fc.asyncProperty(
        // Every column a ledger needs, in any order, with free dimensions or not.
        fc
          .shuffledSubarray(
            COLUMNS.filter((c) => c !== "text"),
            { minLength: 7 },
          )
          .filter((order) => REQUIRED.every((c) => (order as readonly Column[]).includes(c))),
        fc.array(voucher, { maxLength: 12 }),
        // The entity: on the rows, in consolidate.json, or both (the rows then naming it, or another).
        fc.constantFrom("rows", "config", "both"),
        fc.constantFrom(...FORMATS),
        async (order, vouchers, entityAt, format) => {
          const entityInConfig = entityAt !== "rows";
          const header = [...order.filter((c) => !(entityAt === "config" && c === "entity")), "text"] as Column[];
          const rows = vouchers.flat();
          const plain = await load(header, rows, false, entityInConfig, format);
          const records = await load(header, rows, true, entityInConfig, format);
          expect(plain).toEqual(records);
        },
      ),
      { numRuns: 120 },
    );
  }, 120_000);

  it("as the first line of a file too, for each value it must leave to the records", async () => {
    const good = Object.fromEntries(COLUMNS.map((c) => [c, FIELDS[c][0][0]])) as Record<Column, string>;
    const header = [...COLUMNS];
    for (const format of FORMATS)
      for (const c of COLUMNS)
        for (const bad of FIELDS[c][1]) {
          const rows = [
            { values: { ...good, [c]: bad }, fields: 0, quoted: [] },
            { values: good, fields: 0, quoted: [] },
          ];
          expect(await load(header, rows, false, false, format)).toEqual(await load(header, rows, true, false, format));
        }
  });

  it("lines whose quotes the records word", async () => {
    const lines = [
      'a,"A"11,2025-01-31,1930,100.00,,t', // a character after a closing quote, and a field fewer
      'a,A,1,2025-01-31,1930,100.00,"K\n1",t', // a quoted field over two lines, not the last one
      'a,A,1,2025-01-31,1930,100.00,K"1,t', // a quote within a field not quoted as a whole
      'a,A,1,2025-01-31,1930,"100.00"",t', // a doubled quote ending a quoted field
    ];
    for (const line of lines) {
      const text = `${line}\na,A,1,2025-01-31,3010,-100.00,,t\n`;
      expect(await load([...COLUMNS], text, false, false)).toEqual(await load([...COLUMNS], text, true, false));
    }
  });

  it("doubled quotes in a quoted field, in any column, unfolded as the records unfold them", async () => {
    const fields = ["a", "A", "1", "2025-01-31", "1930", "100.00", "", "t", "P1", "100"];
    const quoted = (i: number, value: string) => fields.map((f, k) => (k === i ? `"${value}"` : `"${f}"`)).join(",");
    const values = ['x""y', '""', '""""', 'a""', '""b', 'a "", b'];
    for (let i = 0; i < fields.length; i++)
      for (const value of values) {
        const text = `${quoted(i, value)}\n${quoted(-1, "")}\n"a","A","1","2025-01-31","3010","-200.00","","t","P1","100"\n`;
        const plain = await load([...COLUMNS], text, false, false);
        expect(plain, `${COLUMNS[i]} ${value}`).toEqual(await load([...COLUMNS], text, true, false));
      }
  });

  it("balanced vouchers, as ledgers mostly hold, give the rows and findings of the records", async () => {
    // Vouchers that balance, of 1 to 11 postings, with amounts alike or not, numbers used again,
    // and now and then a line that fails a rule or cannot be read. The property above draws its
    // amounts at random, so that its vouchers seldom balance; here the voucher rules mostly pass,
    // and a number used again must be found as such, at its line and column, by both readings.
    const posting = fc.record({
      ore: fc.integer({ min: -3, max: 3 }).map((k) => k * 2500),
      account: fc.constantFrom("1930", "3010", "5010", "2440", "1939"),
      counterparty: fc.constantFrom("", "", "", "b", "M1", "zz"),
      amount: fc.constantFrom("ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "bad"),
    });
    const balanced = fc.record({
      number: fc.constantFrom("1", "2", "3", "4", "5", "6"),
      date: fc.constantFrom("2025-01-31", "2025-06-30", "2026-01-01"),
      postings: fc.array(posting, { minLength: 0, maxLength: 10 }),
      entity: fc.constantFrom("a", "a", "a", "b", "x"),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(balanced, { maxLength: 10 }), async (vouchers) => {
        const lines = vouchers.flatMap(({ number, date, postings, entity }) => {
          const total = postings.reduce((t, p) => t + p.ore, 0);
          const all = [...postings, { ore: -total, account: "1930", counterparty: "", amount: "ok" }];
          return all.map((p) => {
            const amount = p.amount === "ok" ? (p.ore / 100).toFixed(2) : "1.2.3";
            return `${entity},A,${number},${date},${p.account},${amount},${p.counterparty},t`;
          });
        });
        const text = `${lines.join("\n")}\n`;
        const header = [...REQUIRED, "text"] as Column[];
        expect(await load(header, text, false, false)).toEqual(await load(header, text, true, false));
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it("keeps each line's free dimensions: a block repeated with other dimensions is no repeat", async () => {
    const header = [...REQUIRED, "text", "dim.projekt"] as Column[];
    const voucher = (second: string) =>
      ["P1", second]
        .flatMap((p) => [`a,A,1,2025-01-31,1930,100.00,,t,${p}`, `a,A,1,2025-01-31,3010,-100.00,,t,${p}`])
        .join("\n");
    const codes = async (records: boolean, second: string) =>
      (await load(header, `${voucher(second)}\n`, records, false)).diagnostics.map((d) => d.code);
    for (const records of [false, true]) {
      expect(await codes(records, "P2")).toEqual([]);
      expect(await codes(records, "P1")).toEqual(["E-VOUCHER-REPEATED"]);
    }
  });
});

describe("readCsvInto", () => {
  it("offers each line after the header to quickLine, in order with the items", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-quick-"));
    const path = join(dir, "t.csv");
    writeFileSync(path, 'a,b\n1,2\n"3",4\n5,6\r\n7,"8\n9"\n10,11');
    const seen: string[] = [];
    await readCsvInto(path, "t.csv", {}, undefined, {
      item: (item: CsvItem) =>
        seen.push(
          "header" in item
            ? `header ${item.header.names.join("|")}`
            : "record" in item
              ? `record ${item.record.line}: ${item.record.values.join("|")}`
              : `error ${item.error.code}`,
        ),
      quickLine: (text, start, end, line, quoted) => {
        seen.push(`quick ${line}: ${text.slice(start, end)}${quoted ? " (quoted)" : ""}`);
        return text.slice(start, end) === "1,2";
      },
    });
    expect(seen).toEqual([
      "header a|b",
      "quick 2: 1,2", // taken
      'quick 3: "3",4 (quoted)', // declined: read as a record
      "record 3: 3|4",
      "quick 4: 5,6 (quoted)", // after a line with a quote, each line is offered as one that may hold one
      "record 4: 5|6",
      'quick 5: 7,"8 (quoted)', // a quoted field over the line's end: quickLine must decline it
      "record 5: 7|8\n9",
      "record 7: 10|11", // the last line, without a line end, is read when the file ends
    ]);
  });
});
