import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runCached } from "../src/start/code-cache.js";
import type { ExcelJs } from "../src/start/exceljs.js";
import { ROOT } from "./helpers.js";

const BUNDLE = join(ROOT, "dist", "app", "exceljs-bundle.js");

/** exceljs is built into a bundle of its own, started from V8's code cache (src/start/exceljs.ts). */
describe("the build's bundle of exceljs", () => {
  it("starts from its code cache in the command's process, under the command's V8 flags", () => {
    // dist/start/bundle.js sets the flags as it loads, as it does when the command starts.
    const script = `await import(${JSON.stringify(pathToFileURL(join(ROOT, "dist", "start", "bundle.js")).href)});
      const { runCached } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "dist", "start", "code-cache.js")).href)});
      const { exports, script } = runCached(${JSON.stringify(BUNDLE)});
      console.log(JSON.stringify({ rejected: script.cachedDataRejected, workbook: typeof exports.Workbook }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ rejected: false, workbook: "function" });
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
