import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, SJUHARAD } from "./helpers.js";

/**
 * Realistic mistakes in the Sjuhärad workspace, and exactly what the user sees: the root cause
 * first, with what to do about it; a cause repeated on many lines said once with a count; errors
 * that only follow from it counted, not listed.
 */
interface Mistake {
  /** The code of the first diagnostic: the root cause. */
  readonly cause: string;
  readonly args: readonly string[];
  /** Which output the user reads: check prints to stdout, the report to stderr. */
  readonly stream: "stdout" | "stderr";
  readonly change: (dir: string) => void;
}

const edit = (dir: string, file: string, change: (text: string) => string) =>
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), "utf8")));

const MISTAKES: Record<string, Mistake> = {
  // 1939 typed for the bank account 1930: the statements cannot add up, but the typo is the cause
  "account-typo": {
    cause: "E-ACCOUNT-UNKNOWN",
    args: ["2013", "--dir", "."],
    stream: "stderr",
    change: (dir) => edit(dir, "ledgers/2013/kansli.csv", (t) => t.replace(",1930,", ",1939,")),
  },
  "file-misspelt": {
    cause: "E-FILE-UNREADABLE",
    args: ["check", "2013", "--dir", "."],
    stream: "stdout",
    change: (dir) =>
      edit(dir, "consolidate.json", (t) => t.replace("ledgers/2013/navet.csv", "ledgers/2013/Navet.csv")),
  },
  // amounts written "35000,82" in a workspace that declares a decimal point
  "decimal-comma": {
    cause: "E-AMOUNT-AMBIGUOUS",
    args: ["check", "2013", "--dir", "."],
    stream: "stdout",
    change: (dir) =>
      edit(dir, "ledgers/2013/navet.csv", (t) =>
        t.replace(/,(-?\d+)\.(\d{2}),/g, (_, k: string, o: string) => `,"${k},${o}",`),
      ),
  },
  "konto-header": {
    cause: "E-CSV-COLUMN-UNKNOWN",
    args: ["check", "2013", "--dir", "."],
    stream: "stdout",
    change: (dir) => edit(dir, "ledgers/2013/navet.csv", (t) => t.replace("date,account,", "date,konto,")),
  },
  "json-wrong-type": {
    cause: "E-WORKSPACE-SCHEMA",
    args: ["check", "2013", "--dir", "."],
    stream: "stdout",
    change: (dir) => edit(dir, "consolidate.json", (t) => t.replace('"perInhabitant": "62.00"', '"perInhabitant": 62')),
  },
  "json-unknown-key": {
    cause: "E-WORKSPACE-SCHEMA",
    args: ["check", "--dir", "."],
    stream: "stdout",
    change: (dir) => edit(dir, "consolidate.json", (t) => t.replace('"entities"', '"entites"')),
  },
  "counterparty-typo": {
    cause: "E-COUNTERPARTY-UNKNOWN",
    args: ["check", "2013", "--dir", "."],
    stream: "stdout",
    change: (dir) => edit(dir, "ledgers/2013/navet.csv", (t) => t.replace(",BOR,", ",BORAS,")),
  },
};

describe("a user's mistakes: the root cause first, repeats collapsed, knock-on errors counted", () => {
  it.each(Object.entries(MISTAKES))("%s", async (name, m) => {
    const dir = join(mkdtempSync(join(tmpdir(), "consolidate-mistake-")), name);
    cpSync(SJUHARAD, dir, { recursive: true });
    m.change(dir);
    const r = await runCli(m.args, dir);
    expect(r.code).not.toBe(0);
    const seen = r[m.stream];
    expect(/error ([A-Z-]+):/.exec(seen)?.[1]).toBe(m.cause);
    expect(seen).not.toMatch(/E-STATEMENT-EQUAL|E-FEE-DIFFERENCE/);
    await expect(seen).toMatchFileSnapshot(join(ROOT, "test", "golden", "mistakes", `${name}.txt`));
  });
});
