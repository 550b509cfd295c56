import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Account, AccountType } from "../src/domain/types.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SJUHARAD = join(ROOT, "fixtures", "sjuharad");
/**
 * The example's other workspaces (its SIE exports, its workbooks) read the chart, layouts and
 * files of fixtures/sjuharad rather than copies: a workspace reads outside its folder only when told.
 */
export const ALLOW_EXAMPLE = ["--allow-outside", SJUHARAD] as const;
/** Material beside the checkout on developers' machines and in CI, absent from a user's clone. */
export const SHARED = resolve(ROOT, "..", "shared");

let corpusAnnounced = false;
/**
 * ../shared/external-sie (SIE files real accounting programs wrote), or undefined when this
 * checkout has none beside it, as in a user's clone. A test that reads it skips then, visibly:
 * `const corpus = sharedCorpus(); describe.skipIf(!corpus)(…)`; the skip is announced once.
 */
export function sharedCorpus(): string | undefined {
  const dir = join(SHARED, "external-sie");
  if (existsSync(dir)) return dir;
  if (!corpusAnnounced) {
    corpusAnnounced = true;
    console.warn("skipped: ../shared/external-sie not present");
  }
  return undefined;
}

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

/** A copy of fixtures/mini, the small valid two-unit workspace; pass overrides to break one file at a time. */
export function miniWorkspace(overrides: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "consolidate-test-"));
  cpSync(join(ROOT, "fixtures", "mini"), dir, { recursive: true });
  for (const [path, content] of Object.entries(overrides)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/**
 * A workspace of one year (2025) in a new folder: a small chart, one statement of every account,
 * the given entities, members and ledgers (written as given). Returns its folder.
 */
export function yearWorkspace(spec: {
  entities: readonly string[];
  members?: readonly string[];
  /** Each ledger's text, and its entry in consolidate.json (path, entity, numberFormat, …). */
  ledgers: readonly ({ path: string; entity?: string; text: string } & Record<string, unknown>)[];
}): string {
  const dir = mkdtempSync(join(tmpdir(), "consolidate-year-"));
  for (const l of spec.ledgers) writeFileSync(join(dir, l.path), l.text);
  writeFileSync(
    join(dir, "chart.csv"),
    `number,name,type\n1510,K,asset\n1930,B,asset\n2091,E,liability\n2099,R,liability\n2440,L,liability\n2999,D,liability\n3010,S,revenue\n3999,D,revenue\n5010,H,expense\n`,
  );
  writeFileSync(
    join(dir, "layout.json"),
    JSON.stringify({
      statements: [
        {
          id: "s",
          title: "S",
          scopes: ["group"],
          rows: [{ id: "r", label: "R", kind: "line", select: [{ accounts: ["1000-9999"] }] }],
        },
      ],
    }),
  );
  writeFileSync(
    join(dir, "consolidate.json"),
    JSON.stringify({
      name: "G",
      chart: "chart.csv",
      layouts: { 2025: "layout.json" },
      closing: { resultAccount: "2099", retainedEarningsAccount: "2091" },
      internal: { differenceAccounts: { result: "3999", balance: "2999" } },
      entities: spec.entities.map((id) => ({ id, name: id })),
      ...(spec.members ? { members: spec.members.map((code) => ({ code, name: code })) } : {}),
      years: { 2025: { ledgers: spec.ledgers.map(({ text, ...source }) => (void text, source)) } },
    }),
  );
  return dir;
}

/** A chart of accounts from account numbers and types, each account named by its number. */
export const chartOf = (accounts: Record<string, AccountType>): Map<string, Account> =>
  new Map(Object.entries(accounts).map(([number, type]) => [number, { number, name: number, type }]));

/** The chart of the tests' generated group ledgers: cash, internal receivables and payables, sales, costs, differences. */
export const GROUP_CHART = chartOf({
  "1510": "asset",
  "1930": "asset",
  "2091": "liability",
  "2099": "liability",
  "2440": "liability",
  "2999": "liability",
  "3010": "revenue",
  "3590": "revenue",
  "3999": "revenue",
  "5010": "expense",
  "6591": "expense",
  "8999": "expense",
});
