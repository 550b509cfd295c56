import fc from "fast-check";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck, runReport } from "../src/cli/pipeline.js";
import { miniWorkspace, runCli } from "./helpers.js";

const TARGETS = ["consolidate.json", "layout.json", "chart.csv", "ledgers/2013/a.csv", "ledgers/2013/b.csv"];

type Corruption = (bytes: Buffer) => Buffer;

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

const corrupted = fc.tuple(fc.constantFrom(...TARGETS), corruption).map(([target, [name, corrupt]]) => {
  const dir = miniWorkspace();
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
