import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Script } from "node:vm";
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import type { Diagnostic } from "../domain/types.js";
import { closest, didYouMean } from "../domain/suggest.js";
import { runCached } from "../start/code-cache.js";

/** The published schemas, shipped with the package beside dist/. */
export const SCHEMA_DIR = fileURLToPath(new URL("../../schemas/", import.meta.url));
const BASE = "https://consolidate.dev/schemas/";

export const SCHEMA_NAMES = [
  "group",
  "chart",
  "chart-row",
  "layout",
  "ledger",
  "ledger-row",
  "opening",
  "opening-row",
  "budget",
  "budget-row",
  "population-row",
  "koncern",
  "mapping",
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

export const schemaId = (name: SchemaName) => `${BASE}${name}.schema.json`;

/** A quick validator says only whether a value is valid; a full one finds every problem. */
type Mode = "quick" | "full";

/** The file, beside this module's, that holds a schema's validator compiled at build time. */
export const compiledFile = (name: SchemaName, mode: Mode) => `../validate/compiled/${name}.${mode}.cjs`;

/** An ajv with every input schema, as the validators are compiled (at build time, or on first use). */
export function newAjv(code?: { source: true }, mode: Mode = "full"): Ajv {
  const require = createRequire(import.meta.url);
  const { Ajv } = require("ajv") as typeof import("ajv");
  const addFormats = require("ajv-formats") as typeof import("ajv-formats");
  const ajv = new Ajv({
    allErrors: mode === "full",
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    verbose: mode === "full",
    ...(code ? { code } : {}),
  });
  addFormats.default(ajv, ["date"]);
  for (const f of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".schema.json"))) {
    if (f === "report.schema.json") continue;
    ajv.addSchema(JSON.parse(readFileSync(SCHEMA_DIR + f, "utf8")));
  }
  return ajv;
}

const validators = new Map<string, ValidateFunction>();
let runtimeAjv: Ajv | undefined;

/**
 * The compiled validators this process loaded, with the scripts they were compiled as: the build
 * writes their code caches (src/start/write-code-cache.ts).
 */
export const loadedValidators: { readonly file: string; readonly script: Script }[] = [];

/**
 * The validator of a schema: the code compiled at build time (dist/validate/compiled/), loaded on
 * first use with the code cache the build left beside it, or, running from the sources, compiled
 * now (the full validator serves as both). Loading consolidate.json's validator, a function of
 * 60 kB, and the layout's took 9-13 ms of every run's start, mostly compiling them: from their
 * caches, the example's run is 5 ms shorter (medians of 20 paired runs).
 */
function validator(name: SchemaName, mode: Mode): ValidateFunction {
  const key = `${name}.${mode}`;
  let fn = validators.get(key);
  if (!fn) {
    const file = fileURLToPath(new URL(compiledFile(name, mode), import.meta.url));
    if (existsSync(file)) {
      const { exports, script } = runCached<ValidateFunction>(file);
      loadedValidators.push({ file, script });
      fn = exports;
    } else {
      runtimeAjv ??= newAjv();
      fn = runtimeAjv.getSchema(schemaId(name))!;
    }
    validators.set(key, fn);
  }
  return fn;
}

/** Where an ajv error points: the field it is about, as a JSON pointer. */
function errorPointer(e: ErrorObject): string {
  if (e.keyword === "additionalProperties") return `${e.instancePath}/${String(e.params.additionalProperty)}`;
  return e.instancePath;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: "a text in quotes",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  object: "an object { … }",
  array: "a list [ … ]",
  null: "null",
};

interface SchemaNode {
  readonly type?: string | string[];
  readonly description?: string;
  readonly examples?: readonly unknown[];
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** What a value of this schema looks like, in words: "a text in quotes, e.g. "73.00"". */
function expected(schema: SchemaNode | undefined, type: string | string[]): string {
  const types = (Array.isArray(type) ? type : [type]).map((t) => TYPE_WORDS[t] ?? t).join(" or ");
  const example = schema?.examples?.[0];
  return example === undefined ? types : `${types}, e.g. ${JSON.stringify(example)}`;
}

/** The value as it was written, short: the number 73, the text "abc". */
function given(value: unknown): string {
  if (typeof value === "string")
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number") return `the number ${value}`;
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : String(value);
}

function errorMessage(e: ErrorObject): string {
  const where = e.instancePath ? `${e.instancePath.slice(1).replace(/\//g, ".")}: ` : "";
  const parent = e.parentSchema as SchemaNode | undefined;
  const about = parent?.description ? ` (${parent.description.replace(/\.$/, "")})` : "";
  switch (e.keyword) {
    case "required":
      return `${where}missing required field '${String(e.params.missingProperty)}'`;
    case "additionalProperties": {
      const field = String(e.params.additionalProperty);
      const known = Object.keys(parent?.properties ?? {});
      return `${where}unknown field '${field}'.${didYouMean(field, known) || ` Known fields: ${known.join(", ")}.`}`;
    }
    case "enum":
      return `${where}must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "format":
      return `${where}must be a ${String(e.params.format)}${e.params.format === "date" ? " (YYYY-MM-DD)" : ""}`;
    case "type":
      return `${where}must be ${expected(parent, e.params.type as string)}, not ${given(e.data)}${about}`;
    case "pattern": {
      const example = parent?.examples?.[0];
      return `${where}${given(e.data)} is not in the form this field takes${example === undefined ? "" : `, e.g. ${JSON.stringify(example)}`}${about}`;
    }
    case "not":
      // a combination the schema rules out says why in its description
      return `${where}${(e.schema as SchemaNode | undefined)?.description ?? e.message ?? "is invalid"}`;
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
  if (validator(name, "quick")(value)) return [];
  const fn = validator(name, "full");
  if (fn(value)) return [];
  const all = fn.errors ?? [];
  // A misspelt field ('entites') is the cause of the field it means missing: one error, not two.
  const meant = new Set(
    all
      .filter((e) => e.keyword === "additionalProperties")
      .map((e) => {
        const known = Object.keys((e.parentSchema as SchemaNode | undefined)?.properties ?? {});
        return `${e.instancePath}|${closest(String(e.params.additionalProperty), known) ?? ""}`;
      }),
  );
  const errors = all.filter(
    // a oneOf's own error repeats what its branches already said
    (e) =>
      e.keyword !== "oneOf" &&
      e.keyword !== "if" &&
      !(e.keyword === "required" && meant.has(`${e.instancePath}|${String(e.params.missingProperty)}`)),
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
