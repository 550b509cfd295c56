import fc from "fast-check";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck, runReport } from "../src/cli/pipeline.js";
import { ROOT, runCli } from "./helpers.js";

/** Workspaces of 2013 (CSV ledgers, and a SIE ledger beside a CSV one), and the files broken in them. */
const WORKSPACES = [
  {
    fixture: "mini",
    targets: ["consolidate.json", "layout.json", "chart.csv", "ledgers/2013/a.csv", "ledgers/2013/b.csv"],
  },
  { fixture: "sie/valid-pc8", targets: ["a.se", "a.se", "a.se", "consolidate.json"] },
];

type Corruption = (bytes: Buffer) => Buffer;

/** The characters that structure a SIE or CSV line, put in anywhere. */
const punctuation: fc.Arbitrary<[string, Corruption]> = fc
  .array(fc.tuple(fc.nat(), fc.constantFrom("{", "}", '"', "\\", "\t", " ", ",", "#TRANS", "\n")), {
    minLength: 1,
    maxLength: 6,
  })
  .map((inserts): [string, Corruption] => [
    "punctuation inserted",
    (b) => {
      let out = b;
      for (const [n, text] of inserts) {
        const at = n % (out.length + 1);
        out = Buffer.concat([out.subarray(0, at), Buffer.from(text), out.subarray(at)]);
      }
      return out;
    },
  ]);

/** Ways real files get broken: cut off, garbled, re-encoded, padded, emptied. */
const corruption: fc.Arbitrary<[string, Corruption]> = fc.oneof(
  fc.nat().map((n): [string, Corruption] => ["truncated", (b) => b.subarray(0, n % (b.length + 1))]),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([n, v]): [string, Corruption] => [
    "byte replaced",
    (b) => {
      const c = Buffer.from(b);
      if (c.length) c[n % c.length] = v;
      return c;
    },
  ]),
  fc.tuple(fc.nat(), fc.string({ unit: "binary", maxLength: 20 })).map(([n, s]): [string, Corruption] => [
    "text inserted",
    (b) => {
      const at = n % (b.length + 1);
      return Buffer.concat([b.subarray(0, at), Buffer.from(s), b.subarray(at)]);
    },
  ]),
  fc.uint8Array({ maxLength: 200 }).map((bytes): [string, Corruption] => ["binary garbage", () => Buffer.from(bytes)]),
  punctuation,
  fc.constant<[string, Corruption]>(["empty", () => Buffer.alloc(0)]),
  fc.constant<[string, Corruption]>(["BOM", (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b])]),
  fc.constant<[string, Corruption]>(["CRLF", (b) => Buffer.from(b.toString("utf8").replace(/\n/g, "\r\n"))]),
  fc.constant<[string, Corruption]>(["Latin-1", (b) => Buffer.from(b.toString("utf8"), "latin1")]),
  fc.constant<[string, Corruption]>([
    "very long line",
    (b) => Buffer.concat([b, Buffer.from(`\n${"9".repeat(200_000)}\n`)]),
  ]),
  fc
    .constantFrom("1e308", "99999999999999999999999999999999.99", "0.001", "-0", "NaN", "Infinity", "٣٤٥", "1_000")
    .map((n): [string, Corruption] => [
      `amount ${n}`,
      (b) => Buffer.from(b.toString("utf8").replace(/(\d+)\.(\d\d)/, n)),
    ]),
);

const target = fc
  .constantFrom(...WORKSPACES)
  .chain((w) => fc.tuple(fc.constant(w.fixture), fc.constantFrom(...w.targets)));

const corrupted = fc.tuple(target, corruption).map(([[fixture, target], [name, corrupt]]) => {
  const dir = mkdtempSync(join(tmpdir(), "consolidate-fuzz-"));
  cpSync(join(ROOT, "fixtures", fixture), dir, { recursive: true });
  const path = join(dir, target);
  writeFileSync(path, corrupt(readFileSync(path)));
  return { dir, description: `${name} in ${target}` };
});

describe("corrupted workspaces never crash", () => {
  it("check and the report always end in diagnostics or a result, never an exception", async () => {
    await fc.assert(
      fc.asyncProperty(corrupted, async ({ dir }) => {
        const checked = await runCheck(dir);
        const reported = await runReport(dir, 2013);
        for (const d of [...checked.diagnostics, ...reported.diagnostics]) {
          expect(d.code).toMatch(/^[EW]-[A-Z-]+$/);
          expect(d.message.length).toBeGreaterThan(0);
        }
        const clean = !reported.diagnostics.some((d) => d.severity === "error");
        expect(reported.report !== undefined || !clean).toBe(true);
      }),
      { numRuns: 120 },
    );
  });

  it("a SIE ledger with braces, quotes and tabs put in anywhere ends in diagnostics or a result", async () => {
    const broken = punctuation.map(([, corrupt]) => {
      const dir = mkdtempSync(join(tmpdir(), "consolidate-fuzz-"));
      cpSync(join(ROOT, "fixtures", "sie", "valid-pc8"), dir, { recursive: true });
      writeFileSync(join(dir, "a.se"), corrupt(readFileSync(join(dir, "a.se"))));
      return dir;
    });
    await fc.assert(
      fc.asyncProperty(broken, async (dir) => {
        const reported = await runReport(dir, 2013);
        for (const d of reported.diagnostics) expect(d.code).toMatch(/^[EW]-[A-Z-]+$/);
        expect(reported.report !== undefined || reported.diagnostics.some((d) => d.severity === "error")).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("the CLI exits 0, 1 or 2 and never prints a stack trace", async () => {
    await fc.assert(
      fc.asyncProperty(corrupted, async ({ dir }) => {
        for (const args of [
          ["check", "--dir", dir],
          ["2013", "--dir", dir, "--format", "json"],
        ]) {
          const r = await runCli(args);
          expect([0, 1, 2]).toContain(r.code);
          expect(r.stderr + r.stdout).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
        }
      }),
      { numRuns: 8 },
    );
  });
});
