import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { readCsvInto, type CsvItem } from "../src/read/csv.js";
import { loadYear } from "../src/model/ledger.js";
import { loadWorkspace } from "../src/model/workspace.js";
import { yearWorkspace } from "./helpers.js";

/**
 * A CSV ledger's lines are read in place (CsvLedgerRows.quickLine), quoted fields too; a line the
 * quick path cannot take goes through the reader's records. A file whose amounts may hold a
 * thousands separator is read through the records alone, and none of the values below reads
 * otherwise for it: the same file read both ways must give the same rows and the same
 * diagnostics, to the column.
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
    ["2025-01-31", "2025-03-01", "2025-12-31", "2024-12-31"],
    ["2025-02-29", "20250115", "2025-1-5", "", '2025"01-31', '"2025-01-31'],
  ],
  account: [
    ["1930", "3010", "5010", "2440", "9999", "01930"],
    ["193", "1234567", "19a0", " 1930", "0193", "", '19"30'],
  ],
  amount: [
    ["100.00", "-100.00", "100", "100.5", "+5.00", "-0.07", "0"],
    ["1,5", "", "abc", "-", '1"', "1.2.3"],
  ],
  counterparty: [["", "a", " b ", "M1", "zz", "b", " "], ['K"1']],
  text: [
    ["t", "Verifikation", "", "ä ö", "a,b", "två\nrader"],
    ['t"', 'a "b"'],
  ],
} as const;
type Column = keyof typeof FIELDS;
const COLUMNS = Object.keys(FIELDS) as Column[];

/** A column's value: mostly one the quick path takes, so that runs of such lines are common. */
const value = (c: Column): fc.Arbitrary<string> => {
  const [good, bad] = FIELDS[c];
  return fc.oneof(
    { arbitrary: fc.constantFrom(...good), weight: 12 },
    { arbitrary: fc.constantFrom(...bad), weight: 1 },
  );
};

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

async function load(header: Column[], rows: Row[] | string, records: boolean, entityInConfig: boolean) {
  const dir = yearWorkspace({
    entities: ["a", "b"],
    members: ["M1"],
    ledgers: [
      {
        path: "l.csv",
        ...(entityInConfig ? { entity: "a" } : {}),
        ...(records ? { numberFormat: { thousands: " " } } : {}),
        text: typeof rows === "string" ? `${header.join(",")}\n${rows}` : ledgerText(header, rows),
      },
    ],
  });
  const ws = (await loadWorkspace(dir)).value!;
  const { ledgers, diagnostics } = await loadYear(ws, 2025);
  // A diagnostic of an amount names the declared format: the same but for the separator.
  const format = (text: string | undefined) => text?.replaceAll("thousands 'space'", "no thousands separator");
  return {
    rows: ledgers.rows,
    diagnostics: diagnostics.map((d) => ({
      ...d,
      file: basename(d.file!),
      message: format(d.message),
      hint: format(d.hint),
    })),
  };
}

describe("a CSV ledger's lines read in place", () => {
  it("give the rows and diagnostics of the same lines read as records", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(
          COLUMNS.filter((c) => c !== "text"),
          { minLength: 7, maxLength: 7 },
        ),
        fc.array(voucher, { maxLength: 12 }),
        fc.boolean(),
        async (order, vouchers, entityInConfig) => {
          const header = [...order.filter((c) => !(entityInConfig && c === "entity")), "text"] as Column[];
          const rows = vouchers.flat();
          const plain = await load(header, rows, false, entityInConfig);
          const records = await load(header, rows, true, entityInConfig);
          expect(plain).toEqual(records);
        },
      ),
      { numRuns: 80 },
    );
  }, 120_000);

  it("as the first line of a file too, for each value it must leave to the records", async () => {
    const good = Object.fromEntries(COLUMNS.map((c) => [c, FIELDS[c][0][0]])) as Record<Column, string>;
    const header = [...COLUMNS];
    for (const c of COLUMNS)
      for (const bad of FIELDS[c][1]) {
        const rows = [
          { values: { ...good, [c]: bad }, fields: 0, quoted: [] },
          { values: good, fields: 0, quoted: [] },
        ];
        expect(await load(header, rows, false, false)).toEqual(await load(header, rows, true, false));
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
      "quick 4: 5,6",
      "record 4: 5|6",
      'quick 5: 7,"8 (quoted)', // a quoted field over the line's end: quickLine must decline it
      "record 5: 7|8\n9",
      "record 7: 10|11", // the last line, without a line end, is read when the file ends
    ]);
  });
});
