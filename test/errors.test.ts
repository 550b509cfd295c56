import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { miniWorkspace, runCli, yearWorkspace } from "./helpers.js";

const header = "series,voucher,date,account,amount,counterparty,text";

/** B's ledger: the given lines, then its twin of A's internal invoice (so that only the intended error shows). */
const b = (lines: string) =>
  [header, lines, "A,1,2013-04-30,6591,250.00,a,Intern faktura", "A,1,2013-04-30,2440,-250.00,a,Intern faktura"].join(
    "\n",
  );

function missingLedger(): string {
  const group = JSON.parse(readFileSync(join(miniWorkspace(), "consolidate.json"), "utf8")) as {
    years: Record<string, { ledgers: { path: string; entity: string }[] }>;
  };
  group.years["2013"]!.ledgers.push({ path: "ledgers/c.csv", entity: "a" });
  return JSON.stringify(group);
}

describe("the mini workspace", () => {
  it("is clean and consolidates", async () => {
    const r = await runCli(["2013", "--dir", miniWorkspace(), "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      statements: { scope: string; rows: { id: string; values: string[] }[] }[];
      internal: { eliminated: string[] };
    };
    const group = report.statements.find((s) => s.scope === "group")!;
    expect(group.rows.find((x) => x.id === "resultat")!.values).toEqual(["1500.50"]);
    expect(report.internal.eliminated).toEqual(["250.00"]);
  });
});

describe("broken input ends with file:line:col, a stable code and the right exit code, never a stack trace", () => {
  // name, files to break, exit code, the diagnostic, how many diagnostics in all
  const cases: [string, Record<string, string>, number, RegExp, number?][] = [
    [
      "a non-numeric amount",
      { "ledgers/2013/b.csv": b(`B,1,2013-06-30,1930,12x,,Försäljning\nB,1,2013-06-30,3010,-12,,Försäljning`) },
      1,
      /ledgers\/2013\/b\.csv:2:21: error E-AMOUNT-INVALID: '12x' is not a number/,
    ],
    [
      "an amount in another number format",
      { "ledgers/2013/b.csv": b(`B,1,2013-06-30,1930,"1.234,50",,x\nB,1,2013-06-30,3010,-1234.50,,x`) },
      1,
      /ledgers\/2013\/b\.csv:2:21: error E-AMOUNT-AMBIGUOUS: '1\.234,50' does not use the declared decimal '\.', no thousands separator: its value is ambiguous/,
    ],
    [
      "an unknown account",
      { "ledgers/2013/b.csv": b(`B,1,2013-06-30,1931,10,,x\nB,1,2013-06-30,3010,-10,,x`) },
      1,
      /ledgers\/2013\/b\.csv:2:16: error E-ACCOUNT-UNKNOWN: account 1931 is not in the chart of accounts/,
    ],
    [
      "an unbalanced voucher",
      { "ledgers/2013/b.csv": b(`B,7,2013-06-30,1930,10,,x\nB,7,2013-06-30,3010,-9.99,,x`) },
      1,
      /ledgers\/2013\/b\.csv:2:3: error E-VOUCHER-UNBALANCED: voucher B 7 does not balance: debits and credits differ by 0,01 kr/,
    ],
    [
      "a missing column",
      { "ledgers/2013/b.csv": `series,voucher,date,account,text\nB,1,2013-06-30,1930,x` },
      1,
      /ledgers\/2013\/b\.csv:1:1: error E-CSV-COLUMN-MISSING: missing column\(s\) amount/,
    ],
    [
      "a date outside the year",
      { "ledgers/2013/b.csv": b(`B,1,2012-12-31,1930,10,,x\nB,1,2012-12-31,3010,-10,,x`) },
      1,
      /ledgers\/2013\/b\.csv:2:5: error E-DATE-OUTSIDE-YEAR: posting dated 2012-12-31 lies outside the fiscal year 2013/,
      2,
    ],
    [
      "an unknown counterparty",
      { "ledgers/2013/b.csv": b(`B,1,2013-06-30,1930,10,,x\nB,1,2013-06-30,3010,-10,zz,x`) },
      1,
      /ledgers\/2013\/b\.csv:3:25: error E-COUNTERPARTY-UNKNOWN: counterparty 'zz'/,
    ],
    [
      "a ledger file that is not there",
      { "consolidate.json": missingLedger() },
      2,
      /ledgers\/c\.csv: error E-FILE-UNREADABLE: .*ledgers\/c\.csv does not exist/,
    ],
    [
      "invalid JSON in the group definition",
      { "consolidate.json": '{ "name": ' },
      2,
      /consolidate\.json:1:\d+: error E-WORKSPACE-SYNTAX: invalid JSON: value expected/,
    ],
  ];
  it.each(cases)("%s", async (_name, files, exit, message, count = 1) => {
    const dir = miniWorkspace(files);
    const r = await runCli(["2013", "--dir", dir]);
    expect(r.code).toBe(exit);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stderr).toMatch(new RegExp(`\\n${count} error\\(s\\), 0 warning\\(s\\)\\n`)); // no cascades
    expect(r.stdout).toBe(""); // statements are refused
  });

  it("shows the offending line with a caret under the field, and a hint", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/b.csv": b(`B,1,2013-06-30,1930,12x,,Försäljning\nB,1,2013-06-30,3010,-12,,Försäljning`),
    });
    const r = await runCli(["2013", "--dir", dir]);
    expect(r.stderr).toContain(
      ["2 | B,1,2013-06-30,1930,12x,,Försäljning", "  |                     ^", "hint: "].join("\n"),
    );
  });

  it("words each file's header on its own, a header sound for one file and short of a column for another", async () => {
    // One header in four files: the entity column is needed only where consolidate.json gives none.
    // (Files naming no entity are read first, so this guards each file's wording; it cannot order a
    // sound header before a faulty one to test the cache's key.)
    const lines = ["series,voucher,date,account,amount", "A,1,2025-03-01,1930,10", "A,1,2025-03-01,3010,-10"];
    const text = lines.join("\n");
    const dir = yearWorkspace({
      entities: ["a", "b"],
      ledgers: [
        { path: "a.csv", entity: "a", text },
        { path: "x.csv", text },
        { path: "b.csv", entity: "b", text },
        { path: "y.csv", text },
      ],
    });
    const r = await runCli(["check", "--dir", dir, "--jobs", "1"]);
    expect(r.code).toBe(1);
    for (const file of ["x", "y"])
      expect(r.stdout).toMatch(
        new RegExp(`/${file}\\.csv:1:1: error E-CSV-COLUMN-MISSING: missing column\\(s\\) entity`),
      );
    expect(r.stdout).toMatch(/\n2 error\(s\), 0 warning\(s\)\n/);
  });

  it("exits 2 when the workspace does not exist", async () => {
    const r = await runCli(["2013", "--dir", "/nonexistent/workspace"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error E-WORKSPACE-MISSING: no workspace at \/nonexistent\/workspace/);
  });

  it("exits 2 when a ledger cannot be read", async () => {
    const dir = miniWorkspace();
    chmodSync(join(dir, "ledgers", "2013", "b.csv"), 0o000);
    const r = await runCli(["2013", "--dir", dir]);
    // root reads any file; elsewhere the file is reported unreadable
    expect([0, 1]).toContain(r.code);
  });

  it("exits 2 for a year the workspace does not have, and for usage errors", async () => {
    expect((await runCli(["2019", "--dir", miniWorkspace()])).code).toBe(2);
    expect((await runCli(["20x3"])).code).toBe(2);
    expect((await runCli(["2013", "--format", "pdf"])).code).toBe(2);
  });

  it("prints the statements anyway with --force, and still exits 1", async () => {
    const dir = miniWorkspace({ "ledgers/2013/b.csv": b(`B,1,2013-06-30,1931,10,,x\nB,1,2013-06-30,3010,-10,,x`) });
    const r = await runCli(["2013", "--dir", dir, "--force"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Årets resultat");
  });
});

describe("internal items that do not match", () => {
  it("are booked to Differens interna poster and reported per pair", async () => {
    const b = [
      header,
      "A,1,2013-04-30,6591,240.00,a,Intern faktura",
      "A,1,2013-04-30,2440,-240.00,a,Intern faktura",
    ].join("\n");
    const dir = miniWorkspace({ "ledgers/2013/b.csv": b });
    const r = await runCli(["2013", "--dir", dir, "--format", "json", "--force"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /E-INTERNAL-MISMATCH: 2013: internal revenue and costs between Enhet A \(-250,00\) and Enhet B \(240,00\) differ by -10,00 kr/,
    );
    const report = JSON.parse(r.stdout) as {
      statements: { scope: string; rows: { id: string; values: string[] }[] }[];
      internal: { differences: { kind: string; amounts: string[]; difference: string }[] };
    };
    const group = report.statements.find((s) => s.scope === "group")!;
    expect(group.rows.find((x) => x.id === "differens")!.values).toEqual(["10.00"]);
    // the group result still equals the sum of the units' results
    const results = report.statements
      .filter((s) => s.rows.some((x) => x.id === "resultat"))
      .map((s) => s.rows.find((x) => x.id === "resultat")!.values[0]);
    expect(Number(results[0])).toBeCloseTo(Number(results[1]) + Number(results[2]), 2);
    expect(report.internal.differences.map((d) => [d.kind, d.amounts, d.difference])).toEqual([
      ["balance", ["250.00", "-240.00"], "10.00"],
      ["result", ["-250.00", "240.00"], "-10.00"],
    ]);
  });
});

describe("continuity between years", () => {
  const twoYears = (opening2013: string) => {
    const dir = miniWorkspace({
      "ledgers/2012/a.csv": `${header}\nB,1,2012-03-31,1930,1000.00,,x\nB,1,2012-03-31,3810,-1000.00,M1,x`,
      "ledgers/2012/b.csv": `${header}\nB,1,2012-06-30,1930,500.00,,x\nB,1,2012-06-30,3010,-500.00,,x`,
      "ledgers/2013/opening.csv": opening2013,
    });
    const group = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8")) as { years: Record<string, unknown> };
    group.years["2012"] = {
      ledgers: [
        { path: "ledgers/2012/a.csv", entity: "a" },
        { path: "ledgers/2012/b.csv", entity: "b" },
      ],
    };
    (group.years["2013"] as { openingBalances: unknown[] }).openingBalances = [{ path: "ledgers/2013/opening.csv" }];
    writeFileSync(join(dir, "consolidate.json"), JSON.stringify(group));
    return dir;
  };

  it("a year opens where the previous closed, with the result moved to retained earnings", async () => {
    const dir = twoYears(
      "entity,account,counterparty,amount\na,1930,,1000.00\na,2091,,-1000.00\nb,1930,,500.00\nb,2091,,-500.00",
    );
    const r = await runCli(["2013", "--dir", dir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("a difference names entity, account and both amounts", async () => {
    const dir = twoYears(
      "entity,account,counterparty,amount\na,1930,,900.00\na,2091,,-900.00\nb,1930,,500.00\nb,2091,,-500.00",
    );
    const r = await runCli(["2013", "--dir", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "ledgers/2013/opening.csv:2:9: error E-OPENING-CONTINUITY: a opens 2013 on account 1930 with 900,00 kr, but closed 2012 with 1 000,00 kr",
    );
    expect(r.stderr).toContain(
      "E-OPENING-CONTINUITY: a opens 2013 on equity in total (with last year's result) with -900,00 kr, but closed 2012 with -1 000,00 kr",
    );
    expect(r.stderr).toMatch(/\n2 error\(s\)/);
  });
});
