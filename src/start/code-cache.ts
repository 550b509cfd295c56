import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";
import { asAtStart } from "./tiering.js";

/**
 * A CommonJS file run as Node.js runs a module, compiled with V8's code cache beside it
 * (`file.cache`, written by the build) when there is one: a cache made by another Node.js or under
 * other flags is ignored by V8, and the file is compiled as usual. Returns the module's exports,
 * and the script it was compiled as (for the build to write its code cache).
 */
export function runCached<T>(file: string): { exports: T; script: Script } {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined; // no cache: compiled as usual
  }
  // The module wrapper on the first line, so that stack traces keep the file's line numbers.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, "utf8")}\n})`;
  const script = asAtStart(() => new Script(source, { filename: file, cachedData }));
  const module = { exports: {} as T };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script };
}
