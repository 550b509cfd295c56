import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { lineOf as groupLine, LINE_IDS } from "../src/koncern/lines.js";
import { ROOT, runCli, SJUHARAD } from "./helpers.js";

/** `consolidate balances`: the saldobalans per entity and for the group, checked against the report. */

const KOMMUNKONCERN = join(ROOT, "fixtures", "kommunkoncern");

interface LineRef {
  statement: string;
  row: string;
  label: string;
}
interface BalanceLine {
  account: string;
  name: string;
  lines: LineRef[];
  opening: string;
  debit: string;
  credit: string;
  closing: string;
}
interface BalanceScope {
  scope: string;
  name: string;
  rows: BalanceLine[];
  totals: { opening: string; debit: string; credit: string; closing: string };
}
interface Balances {
  schema: string;
  group: { name: string };
  year: number;
  period?: { start: string; end: string; label: string };
  scopes: BalanceScope[];
}
interface ReportRow {
  id: string;
  label: string;
  kind: string;
  values: string[];
}
interface Statement {
  id: string;
  scope: string;
  rows: ReportRow[];
}
interface Report {
  statements: Statement[];
}

/** Exact kronor as JSON writes them ("-1234.50") in öre. */
const ore = (kronor: string): bigint => {
  expect(kronor).toMatch(/^-?\d+\.\d\d$/);
  return BigInt(kronor.replace(".", ""));
};
const total = (values: readonly bigint[]) => values.reduce((a, b) => a + b, 0n);
const abs = (n: bigint) => (n < 0n ? -n : n);

async function jsonOf<T>(args: readonly string[]): Promise<T> {
  const r = await runCli(args);
  expect(r.stderr, args.join(" ")).toBe("");
  expect(r.code, args.join(" ")).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const scopeOf = (b: Balances, scope: string) => {
  const s = b.scopes.find((x) => x.scope === scope);
  expect(s, scope).toBeDefined();
  return s!;
};
const statementOf = (r: Report, id: string, scope: string) => {
  const s = r.statements.find((x) => x.id === id && x.scope === scope);
  expect(s, `${id} ${scope}`).toBeDefined();
  return s!;
};
const rowOf = (s: Statement, id: string) => {
  const row = s.rows.find((r) => r.id === id);
  expect(row, `${s.id}/${id}`).toBeDefined();
  return row!;
};
const landsOn = (a: BalanceLine, statement: string, row: string) =>
  a.lines.some((l) => l.statement === statement && l.row === row);

/** Every scope's totals are its rows' sums; the balances sum to zero, debits to minus the credits. */
function expectBalanced(s: BalanceScope) {
  const t = s.totals;
  expect(ore(t.opening), `${s.scope} opening`).toBe(0n);
  expect(ore(t.closing), `${s.scope} closing`).toBe(0n);
  expect(ore(t.debit), s.scope).toBe(-ore(t.credit));
  expect(ore(t.debit), s.scope).toBeGreaterThan(0n);
  for (const k of ["opening", "debit", "credit", "closing"] as const)
    expect(ore(t[k]), `${s.scope} ${k}`).toBe(total(s.rows.map((r) => ore(r[k]))));
}

/** Each account closes at opening + debit + credit; debits are positive, credits negative; each account once, in order. */
function expectAccountsAddUp(s: BalanceScope) {
  for (const a of s.rows) {
    expect(ore(a.closing), `${s.scope} ${a.account}`).toBe(ore(a.opening) + ore(a.debit) + ore(a.credit));
    expect(ore(a.debit), `${s.scope} ${a.account}`).toBeGreaterThanOrEqual(0n);
    expect(ore(a.credit), `${s.scope} ${a.account}`).toBeLessThanOrEqual(0n);
  }
  const accounts = s.rows.map((a) => a.account);
  expect(accounts).toEqual([...new Set(accounts)].sort());
}

/** The Sjuhärad chart's account types: the result accounts are the revenue and expense accounts. */
function chartTypes(): Map<string, string> {
  const rows = readFileSync(join(SJUHARAD, "chart.csv"), "utf8").trim().split("\n").slice(1);
  return new Map(rows.map((l) => l.split(",")).map((f) => [f[0]!, f[f.length - 1]!.trim()]));
}

describe("consolidate balances 2013 on the Sjuhärad example", () => {
  let year: Balances;
  let report: Report;
  let types: Map<string, string>;
  const isResult = (account: string) => ["revenue", "expense"].includes(types.get(account) ?? "");
  beforeAll(async () => {
    types = chartTypes();
    [year, report] = await Promise.all([
      jsonOf<Balances>(["balances", "2013", "--dir", SJUHARAD, "--format", "json"]),
      jsonOf<Report>(["2013", "--dir", SJUHARAD, "--format", "json"]),
    ]);
  });

  it("JSON: the schema, the year, a scope per entity and the group's last", () => {
    expect(year.schema).toBe("consolidate/balances@1");
    expect(year.group).toEqual({ name: "Sjuhärads kommunalförbund" });
    expect(year.year).toBe(2013);
    expect(year.period).toBeUndefined();
    expect(year.scopes.map((s) => [s.scope, s.name])).toEqual([
      ["entity:kansli", "Kansli och Tillväxtmedel"],
      ["entity:navet", "Navet"],
      ["entity:mc", "Medarbetarcentrum"],
      ["group", "Sjuhärads kommunalförbund"],
    ]);
  });

  it("every scope balances: opening and closing totals zero, debits = −credits", () => {
    for (const s of year.scopes) expectBalanced(s);
    expect(scopeOf(year, "entity:kansli").totals.debit).toBe("93961271.31");
    expect(scopeOf(year, "group").totals.debit).toBe("158888940.68");
  });

  it("every account closes at opening + debit + credit", () => {
    for (const s of year.scopes) expectAccountsAddUp(s);
    const bank = scopeOf(year, "entity:kansli").rows.find((a) => a.account === "1930")!;
    expect([bank.opening, bank.debit, bank.credit, bank.closing]).toEqual([
      "35691233.23",
      "38641139.72",
      "-34581651.39",
      "39750721.56",
    ]);
  });

  it("every account names the report's line it lands on: balance-sheet accounts the balance sheet, result accounts the income statement", () => {
    for (const s of year.scopes) {
      expect(s.rows.length, s.scope).toBeGreaterThan(30);
      for (const a of s.rows) {
        expect(a.name, `${s.scope} ${a.account}`).not.toBe("");
        expect(a.lines.length, `${s.scope} ${a.account} lands on no line`).toBeGreaterThan(0);
        for (const l of a.lines) {
          expect(l.statement, `${s.scope} ${a.account}`).toBe(isResult(a.account) ? "income" : "balance");
          // the group's layout rows: an entity's account lands on the line the group prints it on
          const row = statementOf(report, l.statement, "group").rows.find((r) => r.id === l.row);
          if (row) expect(l.label).toBe(row.label);
          else expect(s.scope, `${a.account} → ${l.row}`).not.toBe("group"); // eliminated in the group
        }
      }
    }
    const lines = (scope: string, account: string) =>
      scopeOf(year, scope)
        .rows.find((a) => a.account === account)!
        .lines.map((l) => `${l.statement}/${l.row}`);
    expect(lines("group", "1930")).toEqual(["balance/kassa-och-bank"]);
    expect(lines("group", "2091")).toEqual(["balance/eget-kapital"]);
    // the members' fees land on a line per entity that books them
    expect(lines("group", "3810").sort()).toEqual([
      "income/forbundsbidrag-kansli",
      "income/medlemsavgifter-mc",
      "income/medlemsavgifter-navet",
    ]);
    expect(lines("entity:navet", "3810")).toEqual(["income/medlemsavgifter-navet"]);
  });

  it("the group after elimination: the balance-sheet accounts' closing and opening balances are the balance sheet's lines", () => {
    const group = scopeOf(year, "group");
    const balance = statementOf(report, "balance", "group");
    const lines = balance.rows.filter((r) => r.kind === "line");
    expect(lines.map((r) => r.id)).toEqual([
      "maskiner-och-inventarier",
      "vardepapper",
      "fordringar",
      "kassa-och-bank",
      "avsattningar-for-pensioner",
      "langfristiga-skulder",
      "kortfristiga-skulder",
    ]);
    for (const row of lines) {
      const accounts = group.rows.filter((a) => landsOn(a, "balance", row.id));
      expect(accounts.length, row.id).toBeGreaterThan(0);
      // assets stand as debits, liabilities as credits, the balance sheet prints both positive
      const sign = accounts.every((a) => types.get(a.account) === "asset") ? 1n : -1n;
      expect(sign * total(accounts.map((a) => ore(a.closing))), `${row.id} 2013`).toBe(ore(row.values[0]!));
      expect(sign * total(accounts.map((a) => ore(a.opening))), `${row.id} 2012`).toBe(ore(row.values[1]!));
    }
    const cash = group.rows.filter((a) => landsOn(a, "balance", "kassa-och-bank"));
    expect(cash.map((a) => [a.account, a.closing])).toEqual([
      ["1910", "20000.00"],
      ["1930", "45983300.00"],
    ]);
    expect(rowOf(balance, "kassa-och-bank").values[0]).toBe("46003300.00");

    // equity: the balance brought forward, and the year's result still on the result accounts
    const result = total(group.rows.filter((a) => isResult(a.account)).map((a) => ore(a.closing)));
    expect(result).toBe(-ore(rowOf(statementOf(report, "income", "group"), "arets-resultat").values[0]!));
    expect(result).toBe(-270210000n);
    const equity = group.rows.filter((a) => landsOn(a, "balance", "eget-kapital"));
    expect(-total(equity.map((a) => ore(a.closing))) - result).toBe(ore(rowOf(balance, "eget-kapital").values[0]!));
    expect(-total(equity.map((a) => ore(a.opening)))).toBe(ore(rowOf(balance, "eget-kapital").values[1]!));
    // the result accounts open the year at zero
    for (const a of group.rows.filter((x) => isResult(x.account))) expect(a.opening, a.account).toBe("0.00");
  });

  it("each entity's result accounts add up to minus its own Årets resultat", () => {
    for (const s of year.scopes) {
      const result = total(s.rows.filter((a) => isResult(a.account)).map((a) => ore(a.closing)));
      const printed = rowOf(statementOf(report, "income", s.scope), "arets-resultat").values[0]!;
      expect(result, s.scope).toBe(-ore(printed));
    }
  });

  it("the internal items are eliminated in the group only", () => {
    const group = new Set(scopeOf(year, "group").rows.map((a) => a.account));
    const entities = new Set(
      year.scopes.filter((s) => s.scope !== "group").flatMap((s) => s.rows.map((a) => a.account)),
    );
    expect([...entities].filter((a) => !group.has(a)).sort()).toEqual(["1385", "2360", "3590", "6591", "8320", "8410"]);
    expect([...group].filter((a) => !entities.has(a))).toEqual([]);
    const entityDebits = total(year.scopes.filter((s) => s.scope !== "group").map((s) => ore(s.totals.debit)));
    expect(ore(scopeOf(year, "group").totals.debit)).toBeLessThan(entityDebits);
  });

  it("--entity navet: that scope only, the same figures", async () => {
    const navet = await jsonOf<Balances>([
      "balances",
      "2013",
      "--dir",
      SJUHARAD,
      "--entity",
      "navet",
      "--format",
      "json",
    ]);
    expect(navet.scopes.map((s) => s.scope)).toEqual(["entity:navet"]);
    expect(navet.scopes[0]).toEqual(scopeOf(year, "entity:navet"));
  });

  it("an unknown entity: exit 2, nothing printed, the entities named", async () => {
    const r = await runCli(["balances", "2013", "--dir", SJUHARAD, "--entity", "nevet", "--format", "json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("no entity 'nevet'");
    expect(r.stderr).toContain("'navet'");
    expect(r.stderr).toContain("kansli, navet, mc");
  });

  it("a year the workspace has no ledgers for: exit 2", async () => {
    const r = await runCli(["balances", "2030", "--dir", SJUHARAD]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("no ledgers for 2030");
  });
});

describe("consolidate balances 2013 --period: a part of the year", () => {
  let year: Balances;
  let part: Balances;
  let rest: Balances;
  let report: Report;
  let types: Map<string, string>;
  const isResult = (account: string) => ["revenue", "expense"].includes(types.get(account) ?? "");
  const byAccount = (s: BalanceScope) => new Map(s.rows.map((a) => [a.account, a]));
  beforeAll(async () => {
    types = chartTypes();
    const balances = (...more: string[]) =>
      jsonOf<Balances>(["balances", "2013", "--dir", SJUHARAD, "--format", "json", ...more]);
    [year, part, rest, report] = await Promise.all([
      balances(),
      balances("--period", "jan-aug"),
      balances("--period", "T3"),
      jsonOf<Report>(["2013", "--dir", SJUHARAD, "--period", "jan-aug", "--format", "json"]),
    ]);
  });

  it("names its part of the year and balances in every scope", () => {
    expect(part.period).toEqual({ start: "2013-01-01", end: "2013-08-31", label: "jan–aug 2013" });
    expect(rest.period).toEqual({ start: "2013-09-01", end: "2013-12-31", label: "sep–dec 2013" });
    for (const b of [part, rest])
      for (const s of b.scopes) {
        expectBalanced(s);
        expectAccountsAddUp(s);
      }
    expect(ore(scopeOf(part, "group").totals.debit)).toBeLessThan(ore(scopeOf(year, "group").totals.debit));
  });

  it("the result accounts are January–August's: minus Årets resultat of the report for jan–aug, per scope", () => {
    for (const s of part.scopes) {
      const result = total(s.rows.filter((a) => isResult(a.account)).map((a) => ore(a.closing)));
      const printed = rowOf(statementOf(report, "income", s.scope), "arets-resultat").values[0]!;
      expect(result, s.scope).toBe(-ore(printed));
    }
    const group = scopeOf(part, "group");
    expect(total(group.rows.filter((a) => isResult(a.account)).map((a) => ore(a.closing)))).toBe(-720903099n);
  });

  it("the group's result accounts are the jan–aug income statement's lines", () => {
    const group = scopeOf(part, "group");
    const income = statementOf(report, "income", "group");
    let checked = 0;
    for (const row of income.rows.filter((r) => r.kind === "line")) {
      const accounts = group.rows.filter((a) => landsOn(a, "income", row.id));
      // an account landing on several lines (3810, a line per entity) is checked below
      if (accounts.some((a) => a.lines.length > 1)) continue;
      expect(-total(accounts.map((a) => ore(a.closing))), row.id).toBe(ore(row.values[0]!));
      checked++;
    }
    expect(checked).toBeGreaterThan(4);
    const fees = group.rows.find((a) => a.account === "3810")!;
    const feeLines = fees.lines.map((l) => ore(rowOf(income, l.row).values[0]!));
    expect(feeLines).toHaveLength(3);
    expect(-ore(fees.closing)).toBe(total(feeLines));
    expect(rowOf(income, "verksamhetens-intakter").values[0]).toBe("23028624.69");
  });

  it("the balance-sheet accounts close at the balance sheet of 31 August and open at 1 January", () => {
    const group = scopeOf(part, "group");
    const balance = statementOf(report, "balance", "group");
    for (const row of balance.rows.filter((r) => r.kind === "line")) {
      const accounts = group.rows.filter((a) => landsOn(a, "balance", row.id));
      const sign = accounts.every((a) => types.get(a.account) === "asset") ? 1n : -1n;
      expect(sign * total(accounts.map((a) => ore(a.closing))), row.id).toBe(ore(row.values[0]!));
    }
    expect(rowOf(balance, "kassa-och-bank").values[0]).toBe("51465131.97");
    for (const [p, y] of part.scopes.map((s, i) => [s, year.scopes[i]!] as const)) {
      const whole = byAccount(y);
      for (const a of p.rows)
        expect(a.opening, `${p.scope} ${a.account}`).toBe(isResult(a.account) ? "0.00" : whole.get(a.account)!.opening);
    }
  });

  it("jan–aug and sep–dec make the year: September opens where August closes, the result so far on 2099", () => {
    for (const [i, y] of year.scopes.entries()) {
      const [a, b, whole] = [byAccount(part.scopes[i]!), byAccount(rest.scopes[i]!), byAccount(y)];
      const get = (m: Map<string, BalanceLine>, account: string, k: "opening" | "closing") =>
        m.has(account) ? ore(m.get(account)![k]) : 0n;
      const resultSoFar = total(part.scopes[i]!.rows.filter((x) => isResult(x.account)).map((x) => ore(x.closing)));
      expect(get(b, "2099", "opening"), y.scope).toBe(resultSoFar);
      for (const account of new Set([...a.keys(), ...b.keys(), ...whole.keys()])) {
        if (account === "2099") continue;
        const where = `${y.scope} ${account}`;
        if (isResult(account)) {
          expect(get(b, account, "opening"), where).toBe(0n);
          expect(get(a, account, "closing") + get(b, account, "closing"), where).toBe(get(whole, account, "closing"));
        } else {
          expect(get(b, account, "opening"), where).toBe(get(a, account, "closing"));
          expect(get(b, account, "closing"), where).toBe(get(whole, account, "closing"));
        }
      }
    }
  });
});

describe("consolidate balances 2013: every output format", () => {
  const run = (...more: string[]) => runCli(["balances", "2013", "--dir", SJUHARAD, ...more]);

  it.each(["text", "md"])("%s: a Saldobalans per scope with its sums", async (format) => {
    const r = await run("--format", format);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Sjuhärads kommunalförbund: saldobalans 2013");
    expect(r.stdout.match(/Saldobalans 2013/g)).toHaveLength(4);
    expect(r.stdout).toContain("Saldobalans 2013, efter eliminering av interna poster");
    expect(r.stdout).toContain("Sjuhärads kommunalförbund, Navet");
    expect(r.stdout).toContain("1930 Bankkonto → Kassa och bank");
    expect(r.stdout.match(/Summa/g)).toHaveLength(4);
  });

  it("csv: a row per account, scope and column, exact amounts", async () => {
    const r = await run("--format", "csv");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe("statement,scope,row_id,label,kind,note,year,column,amount_kr,unit,amount");
    expect(lines).toContain(
      "balances,group,1930,1930 Bankkonto → Kassa och bank,line,,2013,Utgående balans,45983300.00,kr,45983300",
    );
    expect(lines.filter((l) => l.startsWith("balances,entity:navet,summa,Summa,total,,2013,"))).toHaveLength(4);
    // The CSV names the table by its statement id ("balances"), not by its title
    expect(new Set(lines.slice(1).map((l) => l.split(",")[0]))).toEqual(new Set(["balances"]));
  });

  it("json --period: the same data, for the part of the year", async () => {
    const r = await run("--format", "json", "--period", "Q1");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout) as Balances;
    expect(b.period).toEqual({ start: "2013-01-01", end: "2013-03-31", label: "jan–mar 2013" });
    for (const s of b.scopes) expectBalanced(s);
  });

  it("html: a table per scope", async () => {
    const r = await run("--format", "html");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>/i);
    expect(r.stdout.match(/<table/g)).toHaveLength(4);
    expect(r.stdout).toContain("Saldobalans 2013");
    expect(r.stdout).toContain("Sjuhärads kommunalförbund, Medarbetarcentrum");
  });

  it("xlsx --out: a workbook exceljs reads, every account with its four figures", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "consolidate-balances-")), "saldobalans.xlsx");
    const r = await run("--format", "xlsx", "--out", out);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("");
    expect(r.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    expect(book.worksheets.map((w) => w.name)).toEqual(["Saldobalans"]);
    const sheet = book.worksheets[0]!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual(["Sjuhärads kommunalförbund: saldobalans 2013"]);
    expect(rows[1]).toEqual(["Belopp i kr", "Not", "Ingående balans", "Debet", "Kredit", "Utgående balans"]);
    const bank = rows.filter((r) => r[0] === "1930 Bankkonto → Kassa och bank");
    expect(bank).toHaveLength(4);
    expect(bank[0]!.slice(2)).toEqual([35691233.23, 38641139.72, -34581651.39, 39750721.56]);
    expect(bank[3]!.slice(2)).toEqual([40783200, 63138662.15, -57938562.15, 45983300]);
    expect(rows.filter((r) => r[0] === "Summa")).toHaveLength(4);
  });
});

describe("consolidate balances 2024 on the kommunkoncern example", () => {
  let balances: Balances;
  let report: Report;
  beforeAll(async () => {
    [balances, report] = await Promise.all([
      jsonOf<Balances>(["balances", "2024", "--dir", KOMMUNKONCERN, "--format", "json"]),
      jsonOf<Report>(["2024", "--dir", KOMMUNKONCERN, "--format", "json"]),
    ]);
  });

  it("a scope per entity, from its own ledger, balanced; the group's last", () => {
    expect(balances.schema).toBe("consolidate/balances@1");
    expect(balances.group).toEqual({ name: "Ekbacka kommunkoncern" });
    expect(balances.scopes.map((s) => s.scope)).toEqual([
      "entity:kommunen",
      "entity:bostad",
      "entity:energi",
      "entity:rtj",
      "group",
    ]);
    for (const s of balances.scopes.filter((x) => x.scope !== "group")) {
      expectBalanced(s);
      expectAccountsAddUp(s);
    }
    expect(scopeOf(balances, "entity:kommunen").totals.debit).toBe("4430803390.94");
  });

  it("every entity account with a balance lands on a koncernmatris line", () => {
    for (const s of balances.scopes.filter((x) => x.scope !== "group"))
      for (const a of s.rows) {
        if (ore(a.opening) === 0n && ore(a.closing) === 0n) continue;
        expect(a.lines.length, `${s.scope} ${a.account}`).toBe(1);
        const [line] = a.lines;
        expect(line!.statement).toBe("koncernmatris");
        expect(line!.label, `${s.scope} ${a.account} → ${line!.row}`).toBe(groupLine(line!.row)?.label);
      }
    const bank = scopeOf(balances, "entity:bostad").rows.find((a) => a.account === "1930")!;
    expect(bank.lines).toEqual([{ statement: "koncernmatris", row: "kassa-och-bank", label: "Kassa och bank" }]);
  });

  it("the group's saldobalans is the koncernmatris's Koncernen column: a line an account, the report's figures", () => {
    const group = scopeOf(balances, "group");
    expect(group.name).toBe("Ekbacka kommunkoncern");
    expect(group.rows.length).toBe(22);
    const income = statementOf(report, "income", "group");
    const balance = statementOf(report, "balance", "group");
    for (const a of group.rows) {
      const line = groupLine(a.account);
      expect(LINE_IDS, a.account).toContain(a.account);
      expect(a.name).toBe(line!.label);
      const row = rowOf(line!.kind === "income" ? income : balance, a.account);
      // the report prints income and assets positive, costs negative, equity and liabilities positive
      const sign = line!.kind === "asset" ? 1n : -1n;
      // The statements round each figure on its own; the saldobalans rounds so that it balances,
      // which may move a line by an öre.
      expect(abs(sign * ore(a.closing) - ore(row.values[0]!)), `${a.account} 2024`).toBeLessThanOrEqual(1n);
      if (line!.kind === "income") expect(a.opening, a.account).toBe("0.00");
      else if (line!.kind !== "equity")
        expect(abs(sign * ore(a.opening) - ore(row.values[1]!)), `${a.account} 2023`).toBeLessThanOrEqual(1n);
    }
    // equity opens with last year's result in it, and closes without this year's
    const equity = group.rows.filter((a) => groupLine(a.account)!.kind === "equity");
    const printed = (id: string, column: number) => ore(rowOf(balance, id).values[column]!);
    expect(abs(-total(equity.map((a) => ore(a.opening))) - printed("eget-kapital", 1))).toBeLessThanOrEqual(1n);
    expect(
      abs(-total(equity.map((a) => ore(a.closing))) - (printed("eget-kapital", 0) - printed("arets-resultat", 0))),
    ).toBeLessThanOrEqual(1n);
    expect(group.rows.find((a) => a.account === "kassa-och-bank")!.closing).toBe("281028162.69");
  });

  it("the group's totals balance to the öre: the exact amounts are rounded so that they still add up", () => {
    const t = scopeOf(balances, "group").totals;
    expect(ore(t.opening)).toBe(0n);
    expect(ore(t.closing)).toBe(0n);
    expect(ore(t.debit)).toBe(-ore(t.credit));
  });
});
