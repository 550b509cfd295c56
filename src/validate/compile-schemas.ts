/**
 * Build step: the JSON Schemas compiled to validation code once (ajv's standalone code), so that a
 * run loads plain functions instead of compiling every schema at start-up. `npm run build` runs it
 * after tsc; schema.ts falls back to compiling at run time when the code is not there (tests on
 * the sources).
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { newAjv, SCHEMA_NAMES, schemaId } from "./schema.js";

const require = createRequire(import.meta.url);
const standalone = require("ajv/dist/standalone") as typeof import("ajv/dist/standalone/index.js");
const ajv = newAjv({ source: true });
const code = standalone.default(ajv, Object.fromEntries(SCHEMA_NAMES.map((name) => [name, schemaId(name)])));
writeFileSync(fileURLToPath(new URL("./compiled-schemas.cjs", import.meta.url)), code);
