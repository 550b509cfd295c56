/**
 * Build step, after the bundle: runs the bundled command line once on the Sjuhärad example (a text
 * report and a JSON one, to a file in a temporary folder) and writes V8's code cache of the bundle,
 * which then holds the functions such a run compiles, and the code caches of the schema
 * validators the run loaded (src/validate/schema.ts). Without the example (an installed package),
 * the cache holds what loading the bundle compiles. The same for the bundle of exceljs: a workbook
 * written and read back by its streaming reader, as the command writes and reads them.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCached } from "./code-cache.js";
import type { ExcelJs } from "./exceljs.js";
import { CODE_CACHE, loadBundle } from "./bundle.js";

const example = fileURLToPath(new URL("../../fixtures/sjuharad", import.meta.url));
const { main, script, loadedValidators } = loadBundle();
if (existsSync(example)) {
  const out = mkdtempSync(join(tmpdir(), "consolidate-cache-"));
  try {
    for (const format of ["text", "json"])
      await main(["2013", "--dir", example, "--format", format, "--out", join(out, `report.${format}`)]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
writeFileSync(CODE_CACHE, script.createCachedData());
// The schema validators the example's runs loaded, each with the functions they compiled.
for (const validator of loadedValidators) writeFileSync(`${validator.file}.cache`, validator.script.createCachedData());

// The bundle of exceljs sits beside the command's (dist/app/), not beside this file.
const excelBundle = fileURLToPath(new URL("../app/exceljs-bundle.js", import.meta.url));
if (existsSync(excelBundle)) {
  const { exports: ExcelJS, script: excel } = runCached<ExcelJs>(excelBundle);
  await writeAndRead(ExcelJS);
  writeFileSync(`${excelBundle}.cache`, excel.createCachedData());
}

/** A small workbook written to a buffer and read back, row by row, by the streaming reader. */
async function writeAndRead(ExcelJS: ExcelJs): Promise<void> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet("Blad1").addRows([
    ["account", "amount"],
    ["1930", 1.5],
  ]);
  const dir = mkdtempSync(join(tmpdir(), "consolidate-cache-"));
  try {
    const file = join(dir, "book.xlsx");
    await book.xlsx.writeFile(file);
    for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(file, {}))
      for await (const row of sheet as AsyncIterable<unknown>) void row;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
