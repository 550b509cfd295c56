import { mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { miniWorkspace, runCli } from "../helpers.js";

/**
 * Issue 14, the bookkeeping attacks: a voucher repeated right after itself (item 2), a file or an
 * opening balance given twice (3), a key written twice in JSON (4), ids that differ only in case
 * and a source with both `entity` and `unitsDimension` (6), SIE dates that are no day and a
 * balance stated twice (8), JSON nested thousands deep or larger than a string can hold, and
 * member codes such as `constructor` and `__proto__` (15). Each was silently wrong or crashed.
 */

interface Diagnostic {
  code: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
}

interface Report {
  statements: { id: string; scope: string; rows: { id: string; values: string[] }[] }[];
}

const LEDGER = "series,voucher,date,account,amount,counterparty,text";

/** file:line:col: CODE: message, as the text output says it. */
const said = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}: ${d.code}: ${d.message}`;

async function check(dir: string, args: string[] = ["check", "--dir", "."]) {
  const r = await runCli([...args, "--format", "json"], dir);
  expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/); // never a stack trace
  return { code: r.code, said: (JSON.parse(r.stdout || "[]") as Diagnostic[]).map(said) };
}

/** The statements of a run (--force prints them from data with errors too). */
async function statements(dir: string, force = false) {
  const r = await runCli(["2013", "--dir", ".", "--format", "json", ...(force ? ["--force"] : [])], dir);
  expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  return (JSON.parse(r.stdout) as Report).statements;
}

type Group = {
  entities: { id: string; name: string }[];
  members: { code: string; name: string }[];
  years: Record<
    string,
    { ledgers: Record<string, unknown>[]; openingBalances?: { path: string }[]; populations?: unknown }
  >;
} & Record<string, unknown>;

/** Edits a workspace's consolidate.json; returns its new text. */
function editGroup(dir: string, edit: (g: Group) => void): string {
  const g = JSON.parse(readFileSync(join(dir, "consolidate.json"), "utf8")) as Group;
  edit(g);
  const text = `${JSON.stringify(g, null, 2)}\n`;
  writeFileSync(join(dir, "consolidate.json"), text);
  return text;
}

/** Line and column (1-based) of the n-th occurrence of a text. */
function where(text: string, needle: string, nth = 1): string {
  let at = -1;
  for (let i = 0; i < nth; i++) at = text.indexOf(needle, at + 1);
  expect(at).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, at).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

/** Unit a's books of fixtures/mini as a SIE file: its opening balances (#IB) and its two vouchers. */
const A_SIE = [
  "#FLAGGA 0",
  "#SIETYP 4",
  "#RAR 0 20130101 20131231",
  "#IB 0 1930 1000.00",
  "#IB 0 2091 -1000.00",
  '#VER B 1 20130331 "Medlemsavgift kv 1"',
  "{",
  "#TRANS 1930 {} 1000.00",
  "#TRANS 3810 {20 M1} -1000.00",
  "}",
  '#VER B 2 20130430 "Administration april"',
  "{",
  "#TRANS 1510 {20 b} 250.00",
  "#TRANS 3590 {20 b} -250.00",
  "}",
  '#VER A 1 20130510 "Hyra maj"',
  "{",
  "#TRANS 5010 {} 400.00",
  "#TRANS 1930 {} -400.00",
  "}",
];

/** fixtures/mini with unit a's ledger a SIE file; b's opening balances only, unless told otherwise. */
function sieWorkspace(
  lines: readonly string[],
  opening = "entity,account,counterparty,amount\nb,1930,,500.00\nb,2091,,-500.00\n",
) {
  const dir = miniWorkspace({ "ledgers/2013/a.se": `${lines.join("\r\n")}\r\n`, "ledgers/2013/opening.csv": opening });
  rmSync(join(dir, "ledgers/2013/a.csv"));
  editGroup(
    dir,
    (g) => (g.years["2013"]!.ledgers[0] = { path: "ledgers/2013/a.se", entity: "a", motpartDimension: 20 }),
  );
  return dir;
}

describe("item 2: a voucher repeated right after itself", () => {
  it("CSV: the same rows again (two exports joined where they overlap) merge into one voucher that balances: refused", async () => {
    const dir = miniWorkspace();
    const b = join(dir, "ledgers/2013/b.csv");
    writeFileSync(
      b,
      `${readFileSync(b, "utf8")}B,1,2013-06-30,1930,900.50,,Försäljning juni\nB,1,2013-06-30,3010,-900.50,,Försäljning juni\n`,
    );
    expect(await check(dir)).toEqual({
      code: 1,
      said: [
        "ledgers/2013/b.csv:6:16: E-VOUCHER-REPEATED: voucher B 1 books the same postings twice: lines 6–7 repeat lines 4–5",
      ],
    });
  });

  it("CSV: a balancing block pasted twice inside a longer voucher is refused; the same amounts with their own texts are not", async () => {
    const rows = (texts: string[]) =>
      [
        LEDGER,
        "A,1,2013-04-30,6591,250.00,a,Administration april",
        "A,1,2013-04-30,2440,-250.00,a,Administration april",
        ...texts.flatMap((t) => [`B,1,2013-06-30,1930,450.25,,${t}`, `B,1,2013-06-30,3010,-450.25,,${t}`]),
        "",
      ].join("\n");
    const pasted = miniWorkspace({
      "ledgers/2013/b.csv": rows(["Försäljning juni", "Försäljning juni", "Försäljning juli"]),
    });
    expect(await check(pasted)).toEqual({
      code: 1,
      said: [
        "ledgers/2013/b.csv:6:16: E-VOUCHER-REPEATED: voucher B 1 books the same postings twice: lines 6–7 repeat lines 4–5",
      ],
    });
    const twoSales = miniWorkspace({ "ledgers/2013/b.csv": rows(["Försäljning 1 juni", "Försäljning 2 juni"]) });
    expect(await check(twoSales)).toEqual({ code: 0, said: [] });
  });

  it("JSON: a voucher object again with the same series, number and date is that voucher a second time", async () => {
    const dir = miniWorkspace({
      "ledgers/2013/b.json": [
        "{",
        '  "vouchers": [',
        '    { "series": "A", "number": 1, "date": "2013-04-30", "postings": [',
        '      { "account": "6591", "amount": "250.00", "counterparty": "a" },',
        '      { "account": "2440", "amount": "-250.00", "counterparty": "a" } ] },',
        '    { "series": "B", "number": 1, "date": "2013-06-30", "postings": [',
        '      { "account": "1930", "amount": "900.50" },',
        '      { "account": "3010", "amount": "-900.50" } ] },',
        '    { "series": "B", "number": 1, "date": "2013-06-30", "postings": [',
        '      { "account": "1930", "amount": "900.50" },',
        '      { "account": "3010", "amount": "-900.50" } ] }',
        "  ]",
        "}",
      ].join("\n"),
    });
    editGroup(dir, (g) => (g.years["2013"]!.ledgers[1]!.path = "ledgers/2013/b.json"));
    expect(await check(dir)).toEqual({
      code: 1,
      said: [
        "ledgers/2013/b.json:9:32: E-VOUCHER-DUPLICATE: voucher B 1 of b appears more than once: again right after itself, dated 2013-06-30",
      ],
    });
  });

  it("SIE: a #VER again with the same series, number and date; the same number on another date continues it, as registers write", async () => {
    expect(await check(sieWorkspace(A_SIE))).toEqual({ code: 0, said: [] });
    const twice = sieWorkspace([...A_SIE.slice(0, 15), ...A_SIE.slice(10)]);
    expect(await check(twice)).toEqual({
      code: 1,
      said: [
        "ledgers/2013/a.se:16:8: E-VOUCHER-DUPLICATE: voucher B 2 of a appears more than once: again right after itself, dated 2013-04-30",
      ],
    });
    // #VER # 1 each month (bl0001-typ4.se of the real corpus): one voucher, as before
    const register = ["#VER # 1 20130131", "{", "#TRANS 5010 {} 10.00", "#TRANS 1930 {} -10.00", "}"];
    const monthly = sieWorkspace([...A_SIE, ...register, ...register.map((l) => l.replace("0131", "0228"))]);
    expect((await check(monthly)).code).toBe(0);
  });
});

describe("item 3: a file or an opening balance given twice", () => {
  it("the same opening-balance file listed twice, spelt otherwise or through a link, is refused at its second listing", async () => {
    for (const second of ["./ledgers/2013/opening.csv", "ledgers/2013/opening-link.csv"]) {
      const dir = miniWorkspace();
      symlinkSync("opening.csv", join(dir, "ledgers/2013/opening-link.csv"));
      const text = editGroup(dir, (g) => g.years["2013"]!.openingBalances!.push({ path: second }));
      const first = where(text, '"ledgers/2013/opening.csv"').split(":")[0];
      expect(await check(dir)).toEqual({
        code: 2,
        said: [
          `consolidate.json:${where(text, `"${second}"`)}: E-WORKSPACE-FILE-TWICE: "${second}" is listed twice for 2013: it is already an opening balance file of the year (line ${first}), and would be counted twice`,
        ],
      });
    }
    const ledger = miniWorkspace();
    const text = editGroup(ledger, (g) => g.years["2013"]!.ledgers.push({ path: "ledgers/2013/b.csv", entity: "b" }));
    expect((await check(ledger)).said).toEqual([
      `consolidate.json:${where(text, '"ledgers/2013/b.csv"', 2)}: E-WORKSPACE-FILE-TWICE: "ledgers/2013/b.csv" is listed twice for 2013: it is already a ledger of the year (line ${where(text, '"ledgers/2013/b.csv"').split(":")[0]}), and would be counted twice`,
    ]);
    // A ledger listed again as an opening balance file: the two lists are compared with each other.
    const both = miniWorkspace();
    const listed = editGroup(both, (g) => g.years["2013"]!.openingBalances!.push({ path: "ledgers/2013/a.csv" }));
    expect(listed.indexOf('"openingBalances"')).toBeGreaterThan(listed.indexOf('"ledgers"'));
    expect((await check(both)).said).toEqual([
      `consolidate.json:${where(listed, '"ledgers/2013/a.csv"', 2)}: E-WORKSPACE-FILE-TWICE: "ledgers/2013/a.csv" is listed twice for 2013: it is already a ledger of the year (line ${where(listed, '"ledgers/2013/a.csv"').split(":")[0]}), and would be counted twice`,
    ]);
  });

  it("straight from SIE files: the same file given twice", async () => {
    const dir = miniWorkspace({ "a.se": `${A_SIE.join("\n")}\n` });
    expect(await check(dir, ["check", "2013", "a.se", "./a.se"])).toEqual({
      code: 2,
      said: [
        "./a.se:null:null: E-WORKSPACE-FILE-TWICE: ./a.se is given twice (the first time as a.se): it would be counted twice",
      ],
    });
  });

  it("an opening file with every row twice: each second row is refused, and counted once", async () => {
    const dir = miniWorkspace();
    const opening = join(dir, "ledgers/2013/opening.csv");
    const text = readFileSync(opening, "utf8");
    writeFileSync(opening, text + text.split("\n").slice(1).join("\n"));
    expect(await check(dir)).toEqual({
      code: 1,
      said: [2, 3, 4, 5].map(
        (line) =>
          `ledgers/2013/opening.csv:${line + 4}:3: E-OPENING-DUPLICATE: a second opening balance of ${line < 4 ? "a" : "b"} on account ${line % 2 ? "2091" : "1930"} (the first is at ledgers/2013/opening.csv:${line}:3): it is not counted`,
      ),
    });
    expect(await statements(dir, true)).toEqual(await statements(miniWorkspace()));
  });

  it("a SIE #IB and an opening.csv for the same unit", async () => {
    const dir = sieWorkspace(A_SIE, readFileSync(join(miniWorkspace(), "ledgers/2013/opening.csv"), "utf8"));
    expect(await check(dir)).toEqual({
      code: 1,
      said: [
        "ledgers/2013/opening.csv:2:3: E-OPENING-DUPLICATE: a second opening balance of a on account 1930 (the first is at ledgers/2013/a.se:4:12): it is not counted",
        "ledgers/2013/opening.csv:3:3: E-OPENING-DUPLICATE: a second opening balance of a on account 2091 (the first is at ledgers/2013/a.se:5:12): it is not counted",
      ],
    });
    expect(await statements(dir, true)).toEqual(await statements(sieWorkspace(A_SIE)));
  });
});

describe("item 4 (JSON) and item 15: keys twice, deep nesting, a file larger than a string", () => {
  const jsonLedger = (text: string) => {
    const dir = miniWorkspace({ "ledgers/2013/b.json": text });
    editGroup(dir, (g) => (g.years["2013"]!.ledgers[1]!.path = "ledgers/2013/b.json"));
    return dir;
  };

  it("a posting's amount written twice is refused at the second key", async () => {
    const dir = jsonLedger(
      [
        "{",
        '  "vouchers": [',
        '    { "series": "A", "number": 1, "date": "2013-04-30", "postings": [',
        '      { "account": "6591", "amount": "250.00", "counterparty": "a" },',
        '      { "account": "2440", "amount": "-250.00", "counterparty": "a" } ] },',
        '    { "series": "B", "number": 1, "date": "2013-06-30", "postings": [',
        '      { "account": "1930", "amount": "900.50", "amount": "9005.00" },',
        '      { "account": "3010", "amount": "-900.50" } ] }',
        "  ]",
        "}",
      ].join("\n"),
    );
    expect(await check(dir)).toEqual({
      code: 1,
      said: [
        'ledgers/2013/b.json:7:48: E-JSON-DUPLICATE-KEY: the key "amount" appears twice in one object (first on line 7, column 28): which one counts cannot be told',
      ],
    });
  });

  it("a year written twice in consolidate.json (a bad merge) is refused at the second", async () => {
    const dir = miniWorkspace();
    const json = readFileSync(join(dir, "consolidate.json"), "utf8");
    const year = json.slice(json.indexOf('    "2013": {'), json.lastIndexOf("    }") + 5);
    const text = json.replace(year, `${year},\n${year.replace("a.csv", "a-old.csv")}`);
    writeFileSync(join(dir, "consolidate.json"), text);
    expect(await check(dir)).toEqual({
      code: 2,
      said: [
        `consolidate.json:${where(text, '"2013"', 2)}: E-WORKSPACE-DUPLICATE-KEY: the key "2013" appears twice in one object (first on line ${where(text, '"2013"').replace(":", ", column ")}): which one counts cannot be told`,
      ],
    });
  });

  it("JSON nested 3 000 deep: a diagnostic where it goes past 100 levels, in a ledger and in consolidate.json", async () => {
    const deep = `${"[".repeat(3000)}${"]".repeat(3000)}`;
    expect(await check(jsonLedger(`{"vouchers": ${deep}}`))).toEqual({
      code: 1,
      said: [
        "ledgers/2013/b.json:1:113: E-JSON-SYNTAX: invalid JSON: lists and objects nest more than 100 levels deep",
      ],
    });
    const dir = miniWorkspace();
    const text = editGroup(dir, (g) => (g.name = "NAME"));
    writeFileSync(join(dir, "consolidate.json"), text.replace('"NAME"', deep));
    const [line, column] = where(text, '"NAME"').split(":").map(Number);
    expect(await check(dir)).toEqual({
      code: 2,
      said: [
        `consolidate.json:${line}:${column! + 99}: E-WORKSPACE-SYNTAX: invalid JSON: lists and objects nest more than 100 levels deep`,
      ],
    });
  });

  it("a JSON ledger over 512 MB: too large to read as JSON, use CSV", async () => {
    const dir = jsonLedger("");
    truncateSync(join(dir, "ledgers/2013/b.json"), 600 * 2 ** 20); // sparse: no disk used
    const r = await runCli(["check", "--dir", "."], dir);
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      "ledgers/2013/b.json: error E-FILE-UNREADABLE: ledgers/2013/b.json is too large to read as JSON (600 MB): a JSON file is read whole, and Node.js holds at most 512 MB in one string",
    );
    expect(r.stdout).toContain("hint: Write a ledger this large as CSV, which is read as a stream, line by line.");
    rmSync(dir, { recursive: true });
  }, 60_000);
});

describe("item 6: ids that differ only in case; entity and unitsDimension together", () => {
  it("entities 'a' and 'A', or a member 'B' beside entity 'b', are refused: SIE matches ids without regard to case", async () => {
    const dir = miniWorkspace();
    const text = editGroup(dir, (g) => {
      g.entities.push({ id: "A", name: "Enhet A (stor)" });
      g.members.push({ code: "B", name: "Kommun B" });
    });
    const line = (needle: string) => where(text, needle).split(":")[0];
    expect(await check(dir)).toEqual({
      code: 2,
      said: [
        `consolidate.json:${where(text, '"A"')}: E-WORKSPACE-DUPLICATE-ID: 'A' and 'a' (line ${line('"a"')}) differ only in upper and lower case: they name the same entity or member`,
        `consolidate.json:${where(text, '"B"')}: E-WORKSPACE-DUPLICATE-ID: 'B' and 'b' (line ${line('"b"')}) differ only in upper and lower case: they name the same entity or member`,
      ],
    });
  });

  it("straight from SIE files: files a.se and A.se, or units 'a' and 'A' of one file", async () => {
    const dir = miniWorkspace();
    const sie = (units = "") =>
      ["#FLAGGA 0", "#SIETYP 4", "#RAR 0 20130101 20131231", units, "#IB 0 1930 100.00", "#IB 0 2091 -100.00", ""].join(
        "\n",
      );
    mkdirSync(join(dir, "x"));
    mkdirSync(join(dir, "y"));
    writeFileSync(join(dir, "x/a.se"), sie());
    writeFileSync(join(dir, "y/A.se"), sie());
    expect(await check(dir, ["check", "2013", "x/a.se", "y/A.se"])).toEqual({
      code: 2,
      said: [
        "y/A.se:null:null: E-WORKSPACE-DUPLICATE-ID: the files of the units 'a' and 'A' differ only in upper and lower case: they would be one unit",
      ],
    });
    writeFileSync(join(dir, "x/group.se"), sie('#DIM 1 Enhet\n#OBJEKT 1 a "Enhet a"\n#OBJEKT 1 A "Enhet A"'));
    expect(await check(dir, ["check", "2013", "x/group.se", "--units-dim", "1"])).toEqual({
      code: 2,
      said: [
        "x/group.se:null:null: E-WORKSPACE-DUPLICATE-ID: the units 'a' and 'A' (objects of dimension 1) differ only in upper and lower case: they would be one unit",
      ],
    });
  });

  it("a source with both entity and unitsDimension is refused: the units would be ignored", async () => {
    const dir = miniWorkspace();
    const text = editGroup(dir, (g) => Object.assign(g.years["2013"]!.ledgers[0]!, { unitsDimension: 1 }));
    const [line] = where(text, '"ledgers/2013/a.csv"').split(":").map(Number);
    expect(await check(dir)).toEqual({
      code: 2,
      said: [
        `consolidate.json:${line! - 1}:9: E-WORKSPACE-SCHEMA: years.2013.ledgers.0: 'entity' and 'unitsDimension' exclude each other: a file is one entity (entity), or holds several, the objects of a dimension (unitsDimension); with both, its units would be ignored`,
      ],
    });
  });
});

describe("item 8: SIE dates that are no day; a balance stated twice", () => {
  it("#RAR, #OMFATTN, #VER and #TRANS dates are refused at their field", async () => {
    const lines = [...A_SIE];
    lines.splice(3, 0, "#OMFATTN 20130631");
    lines[2] = "#RAR 0 20130101 20131232";
    lines[6] = '#VER B 1 20130230 "Medlemsavgift kv 1"';
    lines[14] = "#TRANS 3590 {20 b} -250.00 2013-13-45";
    expect(await check(sieWorkspace(lines))).toEqual({
      code: 1,
      said: [
        "ledgers/2013/a.se:3:17: E-SIE-DATE: #RAR: '20131232' is not a date: 2013-12 has 31 days",
        "ledgers/2013/a.se:4:10: E-SIE-DATE: #OMFATTN: '20130631' is not a date: 2013-06 has 30 days",
        "ledgers/2013/a.se:7:10: E-SIE-DATE: #VER: '20130230' is not a date: 2013-02 has 28 days",
        "ledgers/2013/a.se:15:28: E-SIE-DATE: #TRANS: '2013-13-45' is not a date: there is no month 13",
      ],
    });
  });

  it("a #IB stated twice is refused at the second, and counted once", async () => {
    const lines = [...A_SIE];
    lines.splice(4, 0, "#IB 0 1930 1000.00");
    const dir = sieWorkspace(lines);
    expect(await check(dir)).toEqual({
      code: 1,
      said: [
        "ledgers/2013/a.se:5:7: E-SIE-DUPLICATE: #IB 0 1930 is stated twice (first on line 4): the second is not counted",
      ],
    });
    expect(await statements(dir, true)).toEqual(await statements(sieWorkspace(A_SIE)));
  });
});

describe("item 15: member codes that every JavaScript object has", () => {
  const feeWorkspace = () => {
    const dir = miniWorkspace({
      "ledgers/2013/a.csv": [
        LEDGER,
        "B,1,2013-03-31,1930,1705.00,,Medlemsavgift",
        "B,1,2013-03-31,3810,-1000.00,constructor,Medlemsavgift",
        "B,1,2013-03-31,3810,-200.00,__proto__,Medlemsavgift",
        "B,1,2013-03-31,3810,-505.00,toString,Medlemsavgift",
        "B,2,2013-04-30,1510,250.00,b,Administration april",
        "B,2,2013-04-30,3590,-250.00,b,Administration april",
        "A,1,2013-05-10,5010,400.00,,Hyra maj",
        "A,1,2013-05-10,1930,-400.00,,Hyra maj",
        "",
      ].join("\n"),
    });
    editGroup(dir, (g) => {
      g.members = [
        { code: "constructor", name: "Kommun Konstruktör" },
        { code: "__proto__", name: "Kommun Proto" },
        { code: "toString", name: "Kommun Sträng" },
      ];
      g.years["2013"] = { ...g.years["2013"]!, populations: { constructor: 100, ["__proto__"]: 20, toString: 50 } };
      g.fees = [
        {
          id: "avgift",
          label: "Medlemsavgift",
          entity: "a",
          accounts: ["3810"],
          years: { 2013: { perInhabitant: "10.00", fixedFor: { toString: "5.00" } } },
        },
      ];
    });
    return dir;
  };
  const fees = async (dir: string) => {
    const r = await runCli(["fees", "2013", "--dir", ".", "--format", "json"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { activities: { members: Record<string, unknown>[] }[] };
    return report.activities[0]!.members.map((m) => [m.member, m.population, m.fixed, m.computed, m.booked]);
  };

  it("constructor, __proto__ and toString as member codes: each member's own fee, population and fixed part", async () => {
    const expected = [
      ["constructor", 100, "0.00", "1000.00", "1000.00"],
      ["__proto__", 20, "0.00", "200.00", "200.00"],
      ["toString", 50, "5.00", "505.00", "505.00"],
    ];
    const dir = feeWorkspace();
    expect(await fees(dir)).toEqual(expected);
    expect(await check(dir)).toEqual({ code: 0, said: [] });
    // the same populations from a file beside the ledgers
    writeFileSync(join(dir, "populations.csv"), "member,population\nconstructor,100\n__proto__,20\ntoString,50\n");
    editGroup(dir, (g) => Object.assign(g.years["2013"]!, { populations: { path: "populations.csv" } }));
    expect(await fees(dir)).toEqual(expected);
  });
});
