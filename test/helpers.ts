import { execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SJUHARAD = join(ROOT, "fixtures", "sjuharad");
export const SHARED = resolve(ROOT, "..", "shared");

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would: a separate process, no colours. */
export function runCli(args: readonly string[], cwd = ROOT): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(ROOT, "bin", "consolidate.js"), ...args],
      { cwd, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Writes files (path → content) into a new temporary folder and returns it. */
export function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "consolidate-test-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** A small two-entity workspace; pass overrides to break one file at a time. */
export function miniWorkspace(overrides: Record<string, string> = {}): string {
  const group = {
    name: "Testförbundet",
    chart: "chart.csv",
    layouts: { "2012": "layout.json" },
    closing: { resultAccount: "2099", retainedEarningsAccount: "2091" },
    internal: { differenceAccounts: { result: "3999", balance: "2999" } },
    entities: [
      { id: "a", name: "Enhet A" },
      { id: "b", name: "Enhet B" },
    ],
    members: [{ code: "M1", name: "Kommun Ett" }],
    years: {
      "2013": {
        ledgers: [
          { path: "ledgers/a.csv", entity: "a" },
          { path: "ledgers/b.csv", entity: "b" },
        ],
      },
    },
  };
  const layout = {
    statements: [
      {
        id: "income",
        title: "Resultaträkning",
        scopes: ["group", "entities"],
        sign: -1,
        rows: [
          { id: "intakter", label: "Verksamhetens intäkter", kind: "line", select: [{ accounts: ["3000-3799"] }] },
          { id: "kostnader", label: "Verksamhetens kostnader", kind: "line", select: [{ accounts: ["4000-7999"] }] },
          {
            id: "diff",
            label: "Differens interna poster",
            kind: "line",
            select: [{ accounts: ["3999"] }],
            omitWhenZero: true,
          },
          { id: "avgifter", label: "Medlemsavgifter", kind: "line", select: [{ accounts: ["3800-3899"] }] },
          {
            id: "resultat",
            label: "Årets resultat",
            kind: "total",
            sum: ["intakter", "kostnader", "diff", "avgifter"],
          },
        ],
      },
      {
        id: "balance",
        title: "Balansräkning",
        scopes: ["group"],
        rows: [
          { id: "tillgangar", label: "Tillgångar", kind: "line", select: [{ accounts: ["1000-1999"] }] },
          { id: "summa-tillgangar", label: "Summa tillgångar", kind: "total", sum: ["tillgangar"] },
          { id: "ek", label: "Eget kapital", kind: "line", sign: -1, select: [{ accounts: ["2000-2099"] }] },
          { id: "skulder", label: "Skulder", kind: "line", sign: -1, select: [{ accounts: ["2100-2999"] }] },
          { id: "summa", label: "Summa eget kapital och skulder", kind: "total", sum: ["ek", "skulder"] },
        ],
      },
    ],
  };
  const chart = [
    "number,name,type",
    "1510,Kundfordringar,asset",
    "1930,Bank,asset",
    "2091,Balanserat resultat,liability",
    "2099,Årets resultat,liability",
    "2440,Leverantörsskulder,liability",
    "2999,Differens interna poster,liability",
    "3010,Försäljning,revenue",
    "3590,Interna intäkter,revenue",
    "3810,Medlemsavgifter,revenue",
    "3999,Differens interna poster,revenue",
    "5010,Lokalhyra,expense",
    "6591,Interna tjänster,expense",
  ].join("\n");
  const header = "series,voucher,date,account,amount,counterparty,text";
  const a = [
    header,
    "B,1,2013-03-31,1930,1000.00,,Medlemsavgift",
    "B,1,2013-03-31,3810,-1000.00,M1,Medlemsavgift",
    "B,2,2013-04-30,1510,250.00,b,Intern faktura",
    "B,2,2013-04-30,3590,-250.00,b,Intern faktura",
    "A,1,2013-05-10,5010,400.00,,Hyra",
    "A,1,2013-05-10,1930,-400.00,,Hyra",
  ].join("\n");
  const b = [
    header,
    "A,1,2013-04-30,6591,250.00,a,Intern faktura",
    "A,1,2013-04-30,2440,-250.00,a,Intern faktura",
    "B,1,2013-06-30,1930,900.50,,Försäljning",
    "B,1,2013-06-30,3010,-900.50,,Försäljning",
  ].join("\n");
  return tempDir({
    "consolidate.json": JSON.stringify(group, null, 2),
    "layout.json": JSON.stringify(layout, null, 2),
    "chart.csv": chart,
    "ledgers/a.csv": a,
    "ledgers/b.csv": b,
    ...overrides,
  });
}
