/**
 * Build step: the JSON Schemas compiled to validation code once (ajv's standalone code), so that a
 * run loads plain functions instead of compiling every schema at start-up. Each schema twice, in a
 * file of its own loaded only when needed: a quick validator that stops at the first problem, and
 * the full one that finds every problem (with the data and schema of each), run only on a value
 * the quick one refused. `npm run build` runs it after tsc; schema.ts falls back to compiling at
 * run time when the code is not there (tests on the sources).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { compiledFile, newAjv, SCHEMA_NAMES, schemaId } from "./schema.js";

const require = createRequire(import.meta.url);
const standalone = require("ajv/dist/standalone") as typeof import("ajv/dist/standalone/index.js");
mkdirSync(fileURLToPath(new URL("./compiled/", import.meta.url)), { recursive: true });
for (const mode of ["quick", "full"] as const) {
  const ajv = newAjv({ source: true }, mode);
  for (const name of SCHEMA_NAMES)
    writeFileSync(
      fileURLToPath(new URL(compiledFile(name, mode), import.meta.url)),
      asciiOnly(standalone.default(ajv, ajv.getSchema(schemaId(name)))),
    );
}

/**
 * The code with every character past ASCII escaped (\u2013), as they all stand in its string
 * literals (the schemas' texts and patterns): V8 holds a text with one character past U+00FF at two
 * bytes a character, and the 60 kB validator of consolidate.json was decoded and held so for an en
 * dash in one description.
 */
function asciiOnly(code: string): string {
  return code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
