import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runCached } from "../src/start/code-cache.js";
import type { ExcelJs } from "../src/start/exceljs.js";
import { ROOT, SJUHARAD, yearWorkspace } from "./helpers.js";

const BUNDLE = join(ROOT, "dist", "app", "exceljs-bundle.js");

/** A module of dist/start, as a quoted URL for an import in the script of inCommandProcess. */
const startModule = (file: string) => JSON.stringify(pathToFileURL(join(ROOT, "dist", "start", file)).href);

/** What an ES module script, run in a process of its own (V8's flags as a new process has them), prints as JSON. */
function inCommandProcess(script: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
}

/** exceljs is built into a bundle of its own, started from V8's code cache (src/start/exceljs.ts). */
describe("the build's bundle of exceljs", () => {
  it("starts from its code cache in the command's process, under the command's V8 flags", () => {
    // dist/start/bundle.js sets the flags as it loads, as it does when the command starts.
    const script = `await import(${startModule("bundle.js")});
      const { runCached } = await import(${startModule("code-cache.js")});
      const { exports, script } = runCached(${JSON.stringify(BUNDLE)});
      console.log(JSON.stringify({ rejected: script.cachedDataRejected, workbook: typeof exports.Workbook }));`;
    expect(inCommandProcess(script)).toEqual({ rejected: false, workbook: "function" });
  });

  it("starts from its code cache also once the ledgers are read, when V8 optimizes later (src/start/tiering.ts)", () => {
    // A workbook is written after the ledgers are read, under other flags than the cache was made under.
    const script = `await import(${startModule("bundle.js")});
      const { runCached } = await import(${startModule("code-cache.js")});
      const { optimizeAfterReading, optimizeForReading } = await import(${startModule("tiering.js")});
      const { Script } = await import("node:vm");
      const { readFileSync } = await import("node:fs");
      const cachedData = readFileSync(${JSON.stringify(`${BUNDLE}.cache`)});
      // The source as runCached compiles it, in the module wrapper.
      const source = "(function (exports, require, module, __filename, __dirname) {" + readFileSync(${JSON.stringify(BUNDLE)}, "utf8") + "\\n})";
      const rejected = () => new Script(source, { filename: ${JSON.stringify(BUNDLE)}, cachedData }).cachedDataRejected;
      const atStart = rejected();
      optimizeAfterReading();
      const unguarded = rejected();
      const { script } = runCached(${JSON.stringify(BUNDLE)});
      optimizeForReading();
      console.log(JSON.stringify({ atStart, unguarded, rejected: script.cachedDataRejected }));`;
    expect(inCommandProcess(script)).toEqual({ atStart: false, unguarded: true, rejected: false });
  });

  it("writes and reads a workbook", async () => {
    const { exports: ExcelJS } = runCached<ExcelJs>(BUNDLE);
    const book = new ExcelJS.Workbook();
    book.addWorksheet("Blad1").addRow(["1930", 1.5]);
    const again = new ExcelJS.Workbook();
    await again.xlsx.load(await book.xlsx.writeBuffer());
    expect(again.getWorksheet("Blad1")!.getRow(1).values).toEqual([undefined, "1930", 1.5]);
  });
});

/** The command's bundle, started from V8's code cache as bin/consolidate.js starts it (src/start/bundle.ts). */
describe("the build's bundle of the command", () => {
  it("starts from its code cache also when a large year's readers start before it", () => {
    // A year of two ledgers read by two threads (--jobs 2): one reader started before the bundle.
    const dir = yearWorkspace({
      entities: ["a", "b"],
      ledgers: [
        { path: "a.csv", entity: "a", text: "" },
        { path: "b.csv", entity: "b", text: "" },
      ],
    });
    const script = `const { loadBundle } = await import(${startModule("bundle.js")});
      const { startEarlyReaders } = await import(${startModule("early-readers.js")});
      const early = startEarlyReaders(["2025", "--dir", ${JSON.stringify(dir)}, "--jobs", "2"]);
      const { script } = loadBundle();
      console.log(JSON.stringify({ readers: early.readers.length, rejected: script.cachedDataRejected }));
      process.exit(0);`;
    expect(inCommandProcess(script)).toEqual({ readers: 1, rejected: false });
  });

  it("loads the schemas' validators from their code caches", () => {
    const dir = mkdtempSync(join(tmpdir(), "consolidate-validators-"));
    const script = `const { loadBundle } = await import(${startModule("bundle.js")});
      const { main, loadedValidators } = loadBundle();
      const out = ${JSON.stringify(join(dir, "report.json"))};
      const code = await main(["2013", "--dir", ${JSON.stringify(SJUHARAD)}, "--format", "json", "--out", out]);
      const loaded = loadedValidators.map((v) => [v.file.split("/").pop(), v.script.cachedDataRejected]);
      console.log(JSON.stringify({ code, loaded }));
      process.exit(0);`;
    expect(inCommandProcess(script)).toEqual({
      code: 0,
      loaded: [
        ["group.quick.cjs", false],
        ["chart-row.quick.cjs", false],
        ["layout.quick.cjs", false],
        ["opening-row.quick.cjs", false],
      ],
    });
  });

  // Decoded from UTF-8 and held at a byte a character, as the bundles (below).
  it.each(["group", "layout", "ledger-row"])("writes the schema %s's validators in ASCII", (name) => {
    for (const mode of ["quick", "full"]) {
      const text = readFileSync(join(ROOT, "dist", "validate", "compiled", `${name}.${mode}.cjs`), "utf8");
      expect(text.match(/[\u0080-\uffff]/g) ?? []).toEqual([]);
    }
  });
});

/**
 * The sources are ES modules, strict code, and are tested as such; the command runs them bundled as
 * CommonJS, which is strict only where the directive is its first statement (runCached wraps the
 * text in a function, the directive then opening its body). A line before it, as the bundle's
 * banner was, makes the whole command sloppy code: `this` of a call on a primitive boxed, a write
 * to a frozen object ignored rather than thrown.
 */
describe("the command's bundles", () => {
  it.each(["main.js", "ledger-worker.js"])("%s opens with the 'use strict' directive", (name) => {
    const text = readFileSync(join(ROOT, "dist", "app", name), "utf8");
    expect(text.startsWith('"use strict";')).toBe(true);
    // As runCached compiles it: a plain call inside leaves `this` undefined only in strict code.
    const body = `${text.slice(0, text.indexOf("\n"))}\nreturn (function () { return this; })();`;
    const wrapped = new Function("exports", "require", "module", "__filename", "__dirname", body);
    expect(wrapped({}, createRequire(import.meta.url), {}, join(ROOT, "dist", "app", name), "")).toBeUndefined();
  });

  // V8 holds a text with any character past U+00FF at two bytes a character, and parses it so. A
  // minus sign in one regular expression made the command's 840 kB bundle 1.7 MB in memory, twice
  // (read, then wrapped as a function): a thousand units' run started 10-13 ms later (paired runs).
  // esbuild escapes such characters in strings, not in regular expressions or comments it keeps.
  it.each(["main.js", "ledger-worker.js", "exceljs-bundle.js"])("%s holds no character past U+00FF", (name) => {
    const text = readFileSync(join(ROOT, "dist", "app", name), "utf8");
    const past: string[] = [];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) past.push(text.slice(i - 30, i + 10));
    expect(past).toEqual([]);
  });
});
