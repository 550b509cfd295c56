/**
 * Build step, after the bundle: runs the bundled command line once on the Sjuhärad example (a text
 * report and a JSON one, to a file in a temporary folder) and writes V8's code cache of the bundle,
 * which then holds the functions such a run compiles. Without the example (an installed package),
 * the cache holds what loading the bundle compiles.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CODE_CACHE, loadBundle } from "./bundle.js";

const example = fileURLToPath(new URL("../../fixtures/sjuharad", import.meta.url));
const { main, script } = loadBundle();
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
