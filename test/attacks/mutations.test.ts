import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runCli, SJUHARAD } from "../helpers.js";

/**
 * The invariant that matters for careless exports: a mutated ledger either fails with a
 * diagnostic, or gives exactly the statements of the ledger it came from. Never a different
 * figure with exit 0.
 */
const FILES = ["kansli", "navet", "mc"].map((u) => `ledgers/2013/${u}.csv`);

type Mutation = (text: string) => string;
const lines = (t: string) => t.split("\n");

const mutations = (i: number, j: number, k: number): Record<string, Mutation> => ({
  "a field dropped": (t) => {
    const ls = lines(t);
    const n = 1 + (i % (ls.length - 2));
    ls[n] = ls[n]!.replace(/,[^,]*$/, "");
    return ls.join("\n");
  },
  "a decimal comma unquoted": (t) => {
    const ls = lines(t);
    const n = 1 + (i % (ls.length - 2));
    ls[n] = ls[n]!.replace(/,(-?\d+)\.(\d\d),/, ",$1,$2,");
    return ls.join("\n");
  },
  "a block repeated right after itself": (t) => {
    const ls = lines(t);
    const from = 1 + (i % (ls.length - 2));
    const to = Math.min(ls.length - 1, from + 1 + (j % 6));
    return [...ls.slice(0, to), ...ls.slice(from, to), ...ls.slice(to)].join("\n");
  },
  "a header renamed": (t) => {
    const ls = lines(t);
    const names = ls[0]!.split(",");
    names[i % names.length] = names[j % names.length]!;
    ls[0] = names.join(",");
    return ls.join("\n");
  },
  "a stray quote": (t) => {
    const ls = lines(t);
    const n = 1 + (i % (ls.length - 2));
    const at = k % Math.max(1, ls[n]!.length);
    ls[n] = `${ls[n]!.slice(0, at)}"${ls[n]!.slice(at)}`;
    return ls.join("\n");
  },
  "CRLF line ends": (t) => t.replace(/\r?\n/g, "\r\n"),
  "CR line ends (Excel for Mac)": (t) => t.replace(/\r?\n/g, "\r"),
});

interface Statements {
  statements: unknown;
  notes: unknown;
}

async function report(dir: string) {
  const r = await runCli(["2013", "--dir", ".", "--format", "json"], dir);
  return { ...r, parsed: r.code === 0 ? (JSON.parse(r.stdout) as Statements) : undefined };
}

describe("mutated Sjuhärad ledgers: a diagnostic, or the same statements", () => {
  it("holds for field counts, repeated blocks, header renames, stray quotes and line ends", async () => {
    const baseline = (await report(SJUHARAD)).parsed!;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(mutations(0, 0, 0))),
        fc.constantFrom(...FILES),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        async (name, file, i, j, k) => {
          const dir = join(mkdtempSync(join(tmpdir(), "consolidate-mutation-")), "ws");
          cpSync(SJUHARAD, dir, { recursive: true });
          const path = join(dir, file);
          const before = readFileSync(path, "utf8");
          const after = mutations(i, j, k)[name]!(before);
          writeFileSync(path, after);
          const r = await report(dir);
          if (r.code === 0) {
            expect({ statements: r.parsed!.statements, notes: r.parsed!.notes }).toEqual({
              statements: baseline.statements,
              notes: baseline.notes,
            });
          } else {
            expect(r.stderr).toMatch(/error E-[A-Z-]+:/);
            expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
          }
        },
      ),
      { numRuns: 24, seed: 20261130 },
    );
  }, 120_000);
});
