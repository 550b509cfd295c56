import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCached } from "./code-cache.js";

export type ExcelJs = typeof import("exceljs");

/**
 * The build's bundle of exceljs, beside the command's own (dist/app/): one file with V8's code
 * cache, loaded in about 50 ms, where finding and compiling exceljs's 165 modules and their
 * dependencies took 300 ms on every run that reads or writes a workbook. Run from the sources
 * (the tests) there is none, and exceljs is imported as a package.
 */
const EXCELJS_BUNDLE = fileURLToPath(new URL("./exceljs-bundle.js", import.meta.url));

let loaded: Promise<ExcelJs> | undefined;

/** exceljs, loaded once, when a workbook is first read or written. */
export function excelJs(): Promise<ExcelJs> {
  loaded ??= existsSync(EXCELJS_BUNDLE)
    ? Promise.resolve(runCached<ExcelJs>(EXCELJS_BUNDLE).exports)
    : import("exceljs").then((m) => m.default);
  return loaded;
}
