/**
 * Issue 14, items 1, 4 (CSV headers), 5, 7, 13 (CSV) and 14: CSV rows with another number of
 * fields than the header, a column named twice, a row that contradicts its file's entity, a quoted
 * text that swallows rows, CR line ends, floods of diagnostics, megabyte lines and quadratic
 * inputs. Each test asserts the exact diagnostics or the figures, and that no output has a stack
 * trace.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { readCsv, type CsvItem } from "../../src/read/csv.js";
import { VoucherRegistry } from "../../src/model/voucher-registry.js";
import { miniWorkspace, ROOT, runCli, type CliResult } from "../helpers.js";

const MINI = join(ROOT, "fixtures", "mini");
const HEADER = "series,voucher,date,account,amount,counterparty,text";
const B_CSV = readFileSync(join(MINI, "ledgers", "2013", "b.csv"), "utf8");
const A_CSV = readFileSync(join(MINI, "ledgers", "2013", "a.csv"), "utf8");
const OPENING = readFileSync(join(MINI, "ledgers", "2013", "opening.csv"), "utf8");
const lines = (...rows: string[]) => `${rows.join("\n")}\n`;
/** b.csv with line n (1-based, the header is 1) replaced. */
const bWithLine = (n: number, text: string) => {
  const rows = B_CSV.trimEnd().split("\n");
  rows[n - 1] = text;
  return lines(...rows);
};

type Config = {
  years: Record<
    string,
    { ledgers: Record<string, unknown>[]; openingBalances?: Record<string, unknown>[] } & Record<string, unknown>
  >;
} & Record<string, unknown>;
/** fixtures/mini's consolidate.json, changed. */
const config = (change: (c: Config) => void): string => {
  const c = JSON.parse(readFileSync(join(MINI, "consolidate.json"), "utf8")) as Config;
  change(c);
  return JSON.stringify(c, null, 2);
};

interface Found {
  code: string;
  severity: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  hint: string | null;
}

const noTrace = (r: CliResult) => expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);

async function check(dir: string): Promise<{ code: number; diagnostics: Found[] }> {
  const r = await runCli(["check", "--dir", ".", "--format", "json"], dir);
  noTrace(r);
  expect(r.stderr).toBe("");
  return { code: r.code, diagnostics: JSON.parse(r.stdout) as Found[] };
}

/** The diagnostics without their hints, which other tests pin down. */
const brief = (ds: Found[]) => ds.map(({ hint: _hint, ...d }) => d);

/** The statements of a workspace (exit 0 required). */
async function statements(dir: string): Promise<unknown> {
  const r = await runCli(["2013", "--dir", ".", "--format", "json"], dir);
  noTrace(r);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as { statements: unknown; notes: unknown };
  return { statements: report.statements, notes: report.notes };
}
const MINI_STATEMENTS = statements(miniWorkspace());

describe("item 1: a row with another number of fields than the header", () => {
  it("more fields: an unquoted decimal comma in the last column is refused at the row, not read as 900 kr", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/b.csv": lines(
        "series,voucher,date,account,counterparty,text,amount",
        "A,1,2013-04-30,6591,a,Administration april,250.00",
        "A,1,2013-04-30,2440,a,Administration april,-250.00",
        "B,1,2013-06-30,1930,,Försäljning juni,900,50",
        "B,1,2013-06-30,3010,,Försäljning juni,-900.50",
      ),
    });
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.diagnostics).toEqual([
      {
        code: "E-CSV-FIELDS",
        severity: "error",
        message:
          "the row has 8 fields, but the header has 7: '900,50' is probably an amount with a decimal comma, read as two fields",
        file: "ledgers/2013/b.csv",
        line: 4,
        column: 43,
        hint: 'Quote a field that holds a comma ("900,50"), or write the file with semicolons and declare "numberFormat": { "decimal": "," } in consolidate.json. Every row has as many fields as the header.',
      },
    ]);
  });

  it("more fields: 1,234.50 is not read as 1 kr", async () => {
    const dir = miniWorkspace({ "ledgers/2013/b.csv": bWithLine(4, "B,1,2013-06-30,1930,1,234.50,,Försäljning juni") });
    const r = await check(dir);
    expect(brief(r.diagnostics)).toEqual([
      {
        code: "E-CSV-FIELDS",
        severity: "error",
        message:
          "the row has 8 fields, but the header has 7: '1,234.50' is probably an amount with a comma between thousands, read as two fields",
        file: "ledgers/2013/b.csv",
        line: 4,
        column: 23,
      },
    ]);
  });

  it("fewer fields: refused when a required column is left off, read when only optional ones are", async () => {
    const amountLast = "series,voucher,date,account,counterparty,text,amount";
    const missing = miniWorkspace({
      "ledgers/2013/b.csv": lines(
        amountLast,
        "A,1,2013-04-30,6591,a,Administration april,250.00",
        "A,1,2013-04-30,2440,a,Administration april,-250.00",
        "B,1,2013-06-30,1930,,900.50",
        "B,1,2013-06-30,3010,,Försäljning juni,-900.50",
      ),
    });
    const r = await check(missing);
    expect(r.code).toBe(1);
    expect(r.diagnostics).toEqual([
      {
        code: "E-CSV-FIELDS",
        severity: "error",
        message: "the row has 6 fields, but the header has 7: it has no amount",
        file: "ledgers/2013/b.csv",
        line: 4,
        column: 28,
        hint: "A row may leave off only optional columns at its end; check the delimiters of this row against the header.",
      },
    ]);
    // The text (and the counterparty before it) left off the end: the same figures.
    const short = miniWorkspace({
      "ledgers/2013/b.csv": bWithLine(4, "B,1,2013-06-30,1930,900.50").replace(
        "B,1,2013-06-30,3010,-900.50,,Försäljning juni",
        "B,1,2013-06-30,3010,-900.50,",
      ),
    });
    expect((await check(short)).diagnostics).toEqual([]);
    expect(await statements(short)).toEqual(await MINI_STATEMENTS);
  });

  it("the same for opening balances and budgets", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/opening.csv": OPENING.replace("b,1930,,500.00", "b,1930,,500,00"),
      "budgets/2013/a.csv": lines("account,line,amount", "3810,,-1000,00", "5010,,400.00,x"),
      "consolidate.json": config((c) => (c.years["2013"]!.budgets = [{ path: "budgets/2013/a.csv", entity: "a" }])),
    });
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(brief(r.diagnostics.filter((d) => d.code === "E-CSV-FIELDS"))).toEqual([
      {
        code: "E-CSV-FIELDS",
        severity: "error",
        message:
          "the row has 4 fields, but the header has 3: '-1000,00' is probably an amount with a decimal comma, read as two fields",
        file: "budgets/2013/a.csv",
        line: 2,
        column: 13,
      },
      {
        code: "E-CSV-FIELDS",
        severity: "error",
        message:
          "the row has 4 fields, but the header has 3: a field holds the delimiter ',' without quotes (an unquoted decimal comma is the usual cause)",
        file: "budgets/2013/a.csv",
        line: 3,
        column: 14,
      },
      {
        code: "E-CSV-FIELDS",
        severity: "error",
        message:
          "the row has 5 fields, but the header has 4: '500,00' is probably an amount with a decimal comma, read as two fields",
        file: "ledgers/2013/opening.csv",
        line: 4,
        column: 13,
      },
    ]);
  });
});

describe("item 4: a column named twice is refused at the header", () => {
  it("amount twice", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/b.csv": B_CSV.replace(HEADER, "series,voucher,date,account,amount,counterparty,amount")
        .split("\n")
        .map((l, i) => (i === 0 || l === "" ? l : l.replace(/,[^,]*$/, ",9999.00")))
        .join("\n"),
    });
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.diagnostics).toEqual([
      {
        code: "E-CSV-COLUMN-DUPLICATE",
        severity: "error",
        message: "the header names column 'amount' twice (fields 5 and 7)",
        file: "ledgers/2013/b.csv",
        line: 1,
        column: 49,
        hint: "Each column is named once: rename or remove one of them.",
      },
    ]);
  });

  it("a column mapped to amount, and a column amount", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/b.csv": B_CSV.replace(HEADER, "series,voucher,date,account,Belopp,counterparty,text,amount")
        .split("\n")
        .map((l, i) => (i === 0 || l === "" ? l : `${l},1.00`))
        .join("\n"),
      "consolidate.json": config((c) => (c.years["2013"]!.ledgers[1]!.csv = { columns: { amount: "Belopp" } })),
    });
    const r = await check(dir);
    expect(r.diagnostics).toEqual([
      {
        code: "E-CSV-COLUMN-DUPLICATE",
        severity: "error",
        message:
          "the header has a column 'Belopp', which consolidate.json maps to amount, and a column 'amount' as well (fields 5 and 8)",
        file: "ledgers/2013/b.csv",
        line: 1,
        column: 54,
        hint: 'Each column is read once: remove the mapping "amount": "Belopp" from "csv": { "columns" }, or rename or remove one of the columns.',
      },
    ]);
  });
});

describe("item 5: a row naming another entity than consolidate.json gives its file", () => {
  it("is an error at the row, for a known and an unknown entity, and is booked on neither", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/b.csv": lines(
        `entity,${HEADER}`,
        "b,A,1,2013-04-30,6591,250.00,a,Administration april",
        "b,A,1,2013-04-30,2440,-250.00,a,Administration april",
        "a,B,1,2013-06-30,1930,900.50,,Försäljning juni",
        "zzz,B,1,2013-06-30,3010,-900.50,,Försäljning juni",
      ),
    });
    const r = await check(dir);
    expect(r.code).toBe(1);
    const hint =
      "Correct the row, or remove \"entity\" from this file's entry in consolidate.json so that each row's own entity is used.";
    expect(r.diagnostics).toEqual([
      {
        code: "E-ENTITY-CONFLICT",
        severity: "error",
        message: "the row's entity is 'a', but consolidate.json gives this file the entity 'b'",
        file: "ledgers/2013/b.csv",
        line: 4,
        column: 1,
        hint,
      },
      {
        code: "E-ENTITY-CONFLICT",
        severity: "error",
        message: "the row's entity is 'zzz', but consolidate.json gives this file the entity 'b'",
        file: "ledgers/2013/b.csv",
        line: 5,
        column: 1,
        hint,
      },
    ]);
  });

  it("the same for opening balances", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/opening-b.csv": lines("entity,account,counterparty,amount", "b,1930,,500.00", "a,2091,,-500.00"),
      "ledgers/2013/opening.csv": lines("entity,account,counterparty,amount", "a,1930,,1000.00", "a,2091,,-1000.00"),
      "consolidate.json": config((c) =>
        c.years["2013"]!.openingBalances!.push({ path: "ledgers/2013/opening-b.csv", entity: "b" }),
      ),
    });
    const r = await check(dir);
    expect(brief(r.diagnostics.filter((d) => d.code === "E-ENTITY-CONFLICT"))).toEqual([
      {
        code: "E-ENTITY-CONFLICT",
        severity: "error",
        message: "the row's entity is 'a', but consolidate.json gives this file the entity 'b'",
        file: "ledgers/2013/opening-b.csv",
        line: 3,
        column: 1,
      },
    ]);
  });
});

describe("item 7: a quoted text that runs on over rows", () => {
  it("is warned about when the lines it swallows look like rows", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/b.csv": lines(
        HEADER,
        'A,1,2013-04-30,6591,250.00,a,"Administration april',
        "A,1,2013-04-30,2440,-250.00,a,Administration april",
        "B,1,2013-06-30,1930,900.50,,Försäljning juni",
        'B,1,2013-06-30,3010,-900.50,,Försäljning juni"',
      ),
    });
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(brief(r.diagnostics.filter((d) => d.code === "W-CSV-MULTILINE"))).toEqual([
      {
        code: "W-CSV-MULTILINE",
        severity: "warning",
        message:
          "a quoted field runs on over 3 lines that look like rows of the file (lines 3–5): they are read as part of its text",
        file: "ledgers/2013/b.csv",
        line: 2,
        column: 30,
      },
    ]);
  });

  it("over more than 100 lines is an unclosed quote where it began, and the lines after it are read as rows", async () => {
    const vouchers = Array.from({ length: 80 }, (_, i) => [
      `C,${i + 1},2013-07-01,5010,10.00,,Hyra`,
      `C,${i + 1},2013-07-01,${i === 70 ? "1939" : "1930"},-10.00,,Hyra`,
    ]).flat();
    const dir = miniWorkspace({
      "ledgers/2013/b.csv": lines(
        ...B_CSV.trimEnd().split("\n").slice(0, 3),
        'B,1,2013-06-30,1930,900.50,,"Försäljning juni',
        "B,1,2013-06-30,3010,-900.50,,Försäljning juni",
        ...vouchers,
      ),
    });
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(brief(r.diagnostics)).toEqual([
      {
        code: "E-CSV-SYNTAX",
        severity: "error",
        message: "CSV syntax: a quoted field is not closed within 100 lines",
        file: "ledgers/2013/b.csv",
        line: 4,
        column: 29,
      },
      // a row far below, read as a row of its own
      {
        code: "E-ACCOUNT-UNKNOWN",
        severity: "error",
        message: expect.stringMatching(/^account 1939 is not in the chart of accounts/) as unknown as string,
        file: "ledgers/2013/b.csv",
        line: 6 + 2 * 70 + 1,
        column: 17,
      },
    ]);
  });
});

describe("item 13: CR line ends, floods of diagnostics, megabyte lines", () => {
  it("a CR-only CSV (Excel for Mac) gives the same statements", async () => {
    const cr = (t: string) => t.replace(/\n/g, "\r");
    const dir = miniWorkspace({
      "ledgers/2013/a.csv": cr(A_CSV),
      "ledgers/2013/b.csv": cr(B_CSV),
      "ledgers/2013/opening.csv": cr(OPENING),
    });
    expect((await check(dir)).diagnostics).toEqual([]);
    expect(await statements(dir)).toEqual(await MINI_STATEMENTS);
  });

  it("lists at most 1 000 diagnostics of a code in a file, then says how many more", async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => [
      `C,${i + 1},2013-07-01,1939,10.00,,Hyra`,
      `C,${i + 1},2013-07-01,1930,-10.00,,Hyra`,
    ]).flat();
    const dir = miniWorkspace({ "ledgers/2013/b.csv": lines(...B_CSV.trimEnd().split("\n"), ...rows) });
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.diagnostics).toHaveLength(1001);
    expect(r.diagnostics[999]).toMatchObject({ code: "E-ACCOUNT-UNKNOWN", line: 2004 });
    // at the first line not listed
    expect(r.diagnostics[1000]).toEqual({
      code: "E-ACCOUNT-UNKNOWN",
      severity: "error",
      message: "…and 200 more like this, lines 2006–2404, not listed (1 000 are)",
      file: "ledgers/2013/b.csv",
      line: 2006,
      column: null,
      hint: null,
    });
  });

  it("130 000 faulty rows: no crash, a bounded output", async () => {
    let rows = B_CSV;
    for (let i = 1; i <= 65_000; i++)
      rows += `C,${i},2013-07-01,1939,10.00,,Hyra\nC,${i},2013-07-01,1930,-10.00,,Hyra\n`;
    const dir = miniWorkspace({ "ledgers/2013/b.csv": rows });
    const r = await runCli(["check", "--dir", "."], dir);
    noTrace(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("…and 64 000 more like this, lines 2006–130004, not listed (1 000 are)");
    expect(r.stdout.length).toBeLessThan(10_000);
  }, 60_000);

  it("an excerpt shows at most 200 characters of a line", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/b.csv": bWithLine(4, `B,1,2013-06-30,1939,900.50,,${"Försäljning ".repeat(30_000)}`),
    });
    const r = await runCli(["check", "--dir", "."], dir);
    expect(r.code).toBe(1);
    const excerpt = r.stdout.split("\n").find((l) => l.startsWith("4 | "))!;
    expect(excerpt).toBe(`4 | B,1,2013-06-30,1939,900.50,,${"Försäljning ".repeat(30)}`.slice(0, 204) + "…");
  });
});

describe("item 14: reading is linear in the input", () => {
  const rows = (n: number, from = 1) =>
    Array.from({ length: n }, (_, i) => [
      `C,${from + i},2013-07-01,5010,10.00,,Hyra lokal ${from + i}`,
      `C,${from + i},2013-07-01,1930,-10.00,,Hyra lokal ${from + i}`,
    ]).flat();

  it("a stray inch mark early in a 3 MB ledger: one E-CSV-SYNTAX where it stands, in seconds", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/b.csv":
        lines(
          ...B_CSV.trimEnd().split("\n").slice(0, 3),
          'B,1,2013-06-30,1930,900.50,,Skärm 24"',
          "B,1,2013-06-30,3010,-900.50,,Skärm",
        ) + `${rows(40_000).join("\n")}\n`,
    });
    const started = Date.now();
    const r = await check(dir);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(1);
    expect(r.diagnostics).toEqual([
      {
        code: "E-CSV-SYNTAX",
        severity: "error",
        message: "CSV syntax: a quote inside a field that is not quoted as a whole",
        file: "ledgers/2013/b.csv",
        line: 4,
        column: 37,
        hint: 'Quote a field as a whole and write a quote inside it twice: "Skärm 24""".',
      },
    ]);
  }, 30_000);

  it("a line of 3 MB is refused where it begins (and its voucher not checked), and the lines after it are read", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/b.csv": lines(
        HEADER,
        `A,9,2013-06-30,1930,1.00,,${"x".repeat(3_000_000)}`,
        "A,9,2013-06-30,3010,-1.00,,Försäljning",
        ...B_CSV.trimEnd().split("\n").slice(1),
      ),
    });
    const r = await check(dir);
    expect(brief(r.diagnostics)).toEqual([
      {
        code: "E-CSV-SYNTAX",
        severity: "error",
        message: "CSV syntax: the line is longer than 1 048 576 characters; it is not read",
        file: "ledgers/2013/b.csv",
        line: 2,
        column: 1,
      },
    ]);
  });

  it("400 000 shuffled voucher numbers with gaps are registered in a few seconds, duplicates found", () => {
    const n = 400_000;
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const numbers = Array.from({ length: n }, (_, i) => 2 * i + 1);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [numbers[i], numbers[j]] = [numbers[j]!, numbers[i]!];
    }
    const started = Date.now();
    const registry = new VoucherRegistry();
    let added = 0;
    for (const x of numbers) if (registry.add("A", String(x))) added++;
    let again = 0;
    for (const x of numbers.slice(0, 1000)) if (!registry.add("A", String(x))) again++;
    const took = Date.now() - started;
    expect([added, again, registry.size]).toEqual([n, 1000, n]);
    expect(took).toBeLessThan(5_000); // the spliced arrays before: 26 s
    // Numbered backwards, the series still becomes one range.
    const backwards = new VoucherRegistry();
    for (let x = 5000; x >= 1; x--) backwards.add("B", String(x));
    expect(backwards.snapshot().ranges).toEqual([["B", [1, 5000]]]);
  });

  it("the reader gives what csv-parse gives, and refuses what it refuses, wherever the chunks end", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-csv-"));
    let run = 0;
    const read = async (text: string, chunkBytes: number) => {
      const path = join(dir, `${run++}.csv`);
      writeFileSync(path, text);
      const items: CsvItem[] = [];
      for await (const batch of readCsv(path, "t.csv", { delimiter: ",", chunkBytes })) items.push(...batch);
      return items;
    };
    const unit = fc.constantFrom("a", "å", ",", '"', "\n", " ");
    const ending = fc.constantFrom("\n", "\r\n", "\r");
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit, maxLength: 40 }),
        ending,
        fc.integer({ min: 1, max: 9 }),
        async (body, eol, chunkBytes) => {
          // One kind of line end per file (csv-parse takes the first as the file's).
          const text = `h1,h2\n${body}`.replace(/\n/g, eol);
          let expected: string[][] | undefined;
          try {
            expected = (parse(text, { delimiter: ",", relax_column_count: true }) as string[][]).filter(
              (r) => !(r.length === 1 && r[0]!.trim() === ""), // blank lines are skipped
            );
          } catch {
            expected = undefined;
          }
          const items = await read(text, chunkBytes);
          const errors = items.filter((i) => "error" in i && i.error.severity === "error");
          if (expected === undefined) expect(errors.length).toBeGreaterThan(0);
          else {
            expect(errors).toEqual([]);
            const got = items.flatMap((i) =>
              "header" in i ? [[...i.header.original]] : "record" in i ? [[...i.record.values]] : [],
            );
            expect(got).toEqual(expected);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("reads rows whose fields are quoted (quotes doubled, delimiters inside) to their values and columns", async () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-quoted-"));
    let run = 0;
    const field = fc.tuple(
      fc.string({ unit: fc.constantFrom("a", "ö", ",", '"', " ", "1"), maxLength: 8 }),
      fc.boolean(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 20 }),
        async (rows) => {
          // A value holding a quote or the delimiter must be quoted; any other may be.
          const cell = ([v, quoted]: [string, boolean]) =>
            quoted || v.includes('"') || v.includes(",") ? `"${v.replace(/"/g, '""')}"` : v;
          const written = rows.map((r) => r.map(cell).join(","));
          const path = join(dir, `${run++}.csv`);
          writeFileSync(path, `h1,h2\n${written.join("\n")}\n`);
          const records = [];
          for await (const batch of readCsv(path, "t.csv", { delimiter: "," }))
            for (const item of batch) {
              expect("error" in item).toBe(false);
              if ("record" in item) records.push(item.record);
            }
          const kept = rows.flatMap((r, i) =>
            r.length === 1 && r[0]![0].trim() === "" ? [] : [{ r, line: written[i]! }],
          );
          expect(records.map((rec) => [...rec.values])).toEqual(kept.map(({ r }) => r.map(([v]) => v)));
          records.forEach((rec, k) => {
            const starts = [1];
            kept[k]!.r.forEach((f, j) => starts.push(starts[j]! + cell(f).length + 1));
            expect(rec.values.map((_, j) => rec.columnAt(j))).toEqual(starts.slice(0, rec.values.length));
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
