import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import type { Diagnostic } from "../domain/types.js";

/** The published schemas, shipped with the package beside dist/. */
export const SCHEMA_DIR = fileURLToPath(new URL("../../schemas/", import.meta.url));
const BASE = "https://consolidate.dev/schemas/";

export type SchemaName =
  | "group"
  | "chart"
  | "chart-row"
  | "layout"
  | "ledger"
  | "ledger-row"
  | "opening"
  | "opening-row"
  | "budget"
  | "budget-row";

let ajv: Ajv | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  if (!ajv) {
    // Loaded on first use: a thread that reads ledgers needs it only for a line in error.
    const require = createRequire(import.meta.url);
    const { Ajv } = require("ajv") as typeof import("ajv");
    const addFormats = require("ajv-formats") as typeof import("ajv-formats");
    ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats.default(ajv, ["date"]);
    for (const f of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".schema.json"))) {
      if (f === "report.schema.json") continue;
      ajv.addSchema(JSON.parse(readFileSync(SCHEMA_DIR + f, "utf8")));
    }
  }
  let fn = compiled.get(name);
  if (!fn) {
    fn = ajv.getSchema(`${BASE}${name}.schema.json`)!;
    compiled.set(name, fn);
  }
  return fn;
}

/** Where an ajv error points: the field it is about, as a JSON pointer. */
function errorPointer(e: ErrorObject): string {
  if (e.keyword === "additionalProperties") return `${e.instancePath}/${String(e.params.additionalProperty)}`;
  return e.instancePath;
}

function errorMessage(e: ErrorObject): string {
  const where = e.instancePath ? `${e.instancePath.slice(1).replace(/\//g, ".")}: ` : "";
  switch (e.keyword) {
    case "required":
      return `${where}missing required field '${String(e.params.missingProperty)}'`;
    case "additionalProperties":
      return `${where}unknown field '${String(e.params.additionalProperty)}'`;
    case "enum":
      return `${where}must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "format":
      return `${where}must be a ${String(e.params.format)}${e.params.format === "date" ? " (YYYY-MM-DD)" : ""}`;
    default:
      return `${where}${e.message ?? "is invalid"}`;
  }
}

/**
 * Validates a value against a published schema. `locate` maps a JSON pointer to the position in
 * the file the value came from. One diagnostic per problem, deepest first, no duplicates.
 */
export function validateSchema(
  name: SchemaName,
  value: unknown,
  file: string,
  locate: (pointer: string) => { line: number; column: number },
): Diagnostic[] {
  const fn = validator(name);
  if (fn(value)) return [];
  const errors = (fn.errors ?? []).filter(
    // a oneOf's own error repeats what its branches already said
    (e) => e.keyword !== "oneOf" && e.keyword !== "if",
  );
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const message = errorMessage(e);
    const pointer = errorPointer(e);
    const key = `${pointer}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      code: "E-SCHEMA",
      severity: "error",
      message,
      file,
      ...locate(pointer),
      hint: `See schemas/${name}.schema.json.`,
    });
  }
  return out;
}
