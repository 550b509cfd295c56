import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, sharedCorpus } from "./helpers.js";

/**
 * The real SIE exports of ../shared/external-sie (20 accounting programs): every consistent file
 * gives the result and total assets it implies, to the öre, straight and through `init`; every
 * defective file is refused with an error that names its defect. The figures come from
 * SOURCES.md, which works them out from each file alone.
 */
const corpus = sharedCorpus();

interface Entry {
  file: string;
  year: number;
  result?: string;
  assets?: string;
}

/** "1 074 344.11" and "−390.56" as the report's exact decimal strings. */
const decimal = (s: string) => s.replace(/\s/g, "").replace("−", "-");

function entries(): Entry[] {
  const sources = readFileSync(join(corpus!, "SOURCES.md"), "utf8");
  return sources
    .split("\n")
    .filter((l) => /^\| `[^`]+` \|/.test(l))
    .map((l) => {
      const cells = l.split("|").map((c) => c.trim());
      const file = cells[1]!.replace(/`/g, "");
      const expected = cells[8]!;
      if (expected.startsWith("defect")) {
        const text = readFileSync(join(corpus!, "files", file), "latin1");
        return { file, year: Number(/#RAR\s+0\s+(\d{4})/.exec(text)?.[1] ?? 2000) };
      }
      const [year, result, assets] = expected.split(";").map((s) => s.trim());
      return { file, year: Number(year), result: decimal(result!), assets: decimal(assets!) };
    });
}

/** The defect each defective file must be refused for: the code of its first error, the root cause. */
const DEFECTS: Record<string, readonly string[]> = {
  "bl0001-typ4i.si": ["E-SIE-YEAR"], // #RAR 0 without dates
  "bl2018-4-latin9.se": ["E-BALANCE-UNBALANCED"], // #IB 0 off by −187 195.27
  "bl2021-arousells.se": ["E-BALANCE-UNBALANCED", "E-SIE-BALANCE", "E-SIE-UB"], // balances off
  "economic-4.se": ["E-SIE-SYNTAX"], // #TRANS outside a voucher
  "softone-4.se": ["E-ACCOUNT-UNKNOWN"], // rows on account FEL
  "softone-3.se": ["E-SIE-BALANCE"], // #UB 0 + #RES 0 off by −33 125.72
  "softone-xe-4.se": ["E-BALANCE-UNBALANCED"], // #IB 0 off
  "mamut-4.se": ["E-OPENING-CONTINUITY"], // #UB -1 ≠ #IB 0
  "fortnox-4.si": ["E-BALANCE-UNBALANCED"], // #IB 0 off by 76 663.00
  "smalloffice-4.se": ["E-OPENING-CONTINUITY"], // #UB -1 but no #IB 0
  "visma-eget-ab-1.se": ["E-BALANCE-UNBALANCED"], // #IB 0 off by 3 909.00
  "avendo-eekonomi-2011.se": ["E-BALANCE-UNBALANCED"], // #IB 0 off by −493 601.42
};

interface JsonReport {
  statements: { id: string; scope: string; rows: { id: string; values: string[] }[] }[];
}
const figure = (r: JsonReport, statement: string, row: string) =>
  r.statements.find((s) => s.id === statement && s.scope === "group")!.rows.find((x) => x.id === row)?.values[0];

describe.skipIf(!corpus)("real SIE exports of 20 accounting programs (../shared/external-sie)", () => {
  const all = corpus ? entries() : [];
  const consistent = all.filter((e) => e.result !== undefined);
  const defective = all.filter((e) => e.result === undefined);

  it("lists 18 consistent and 12 defective files, each defect with the error it must give", () => {
    expect(consistent.length).toBe(18);
    expect(defective.map((e) => e.file).sort()).toEqual(Object.keys(DEFECTS).sort());
  });

  it.each(consistent.map((e) => [e.file, e] as const))("%s: the books' result and total assets", async (_f, e) => {
    const path = join(corpus!, "files", e.file);
    const r = await runCli([String(e.year), path, "--format", "json"]);
    expect(r.stderr).not.toMatch(/ error /);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(figure(report, "income", "arets-resultat")).toBe(e.result);
    expect(figure(report, "balance", "summa-tillgangar")).toBe(e.assets);
  });

  it.each(consistent.map((e) => [e.file, e] as const))("%s: the same through init --from-sie", async (_f, e) => {
    const dir = join(mkdtempSync(join(tmpdir(), "consolidate-corpus-")), "ws");
    const init = await runCli(["init", dir, "--from-sie", join(corpus!, "files", e.file)]);
    expect(init.code).toBe(0);
    const check = await runCli(["check", "--dir", dir, "--format", "json"]);
    expect((JSON.parse(check.stdout) as { severity: string }[]).filter((d) => d.severity === "error")).toEqual([]);
    const r = await runCli([String(e.year), "--dir", dir, "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(figure(report, "income", "arets-resultat")).toBe(e.result);
    expect(figure(report, "balance", "summa-tillgangar")).toBe(e.assets);
  });

  it.each(defective.map((e) => [e.file, e] as const))("%s: refused for its own defect", async (_f, e) => {
    const r = await runCli([String(e.year), join(corpus!, "files", e.file)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(DEFECTS[e.file]).toContain(/error (E-[A-Z-]+):/.exec(r.stderr)?.[1]);
  });
});
