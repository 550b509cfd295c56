import { readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { constants } from "node:buffer";
import { parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import type { Diagnostic } from "../domain/types.js";

/** A parsed JSON file that can say where any value stands, and give a number's exact text. */
export interface JsonDocument {
  readonly file: string;
  readonly value: unknown;
  /** Line and column of the value at a JSON pointer ("/vouchers/0/postings/1/amount"). */
  locate(pointer: string): { line: number; column: number };
  /** The value's text exactly as written (for numbers: no binary floating point in between). */
  raw(pointer: string): string | undefined;
}

/**
 * How deep arrays and objects may nest. The workspace's files need a handful of levels; the
 * parser and the schema validator recurse, so deeper input is refused before either sees it.
 */
export const MAX_JSON_DEPTH = 100;

const segments = (pointer: string): string[] =>
  pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));

/** The node a JSON pointer names: a segment is an index in an array and a key in an object ("2013"). */
function nodeAtPointer(tree: Node, pointer: string): Node | undefined {
  let node: Node | undefined = tree;
  for (const key of segments(pointer)) {
    if (node?.type === "array") node = node.children?.[Number(key)];
    else if (node?.type === "object") node = node.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
    else return undefined;
  }
  return node;
}

/** 1-based line and column of offsets in a text, the line starts found once. */
function locator(text: string): (offset: number) => { line: number; column: number } {
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    }
    const at = Math.min(Math.max(offset, 0), text.length);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - starts[lo]! + 1 };
  };
}

/**
 * The offset of the first `[` or `{` that opens a level deeper than `max`, or -1. Strings and
 * comments are skipped; one pass, no recursion.
 */
export function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: to its closing quote, past escapes
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22 || d === 0x0a) break;
      }
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? n : end;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 1;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/**
 * The value of a parse tree, without recursion. Objects have no prototype, so that a key such as
 * `__proto__`, `constructor` or `toString` is a key like any other.
 */
function valueOf(root: Node): unknown {
  const literal = (node: Node): unknown =>
    node.type === "array" ? [] : node.type === "object" ? Object.create(null) : node.value;
  const top = literal(root);
  const stack: [Node, unknown][] = [[root, top]];
  while (stack.length) {
    const [node, value] = stack.pop()!;
    if (node.type === "array") {
      const list = value as unknown[];
      for (const child of node.children ?? []) {
        const v = literal(child);
        list.push(v);
        if (child.type === "array" || child.type === "object") stack.push([child, v]);
      }
    } else if (node.type === "object") {
      const obj = value as Record<string, unknown>;
      for (const prop of node.children ?? []) {
        const [key, child] = prop.children ?? [];
        if (!key || !child) continue;
        const v = literal(child);
        obj[key.value as string] = v;
        if (child.type === "array" || child.type === "object") stack.push([child, v]);
      }
    }
  }
  return top;
}

/** Every key written twice in one object: at the second, with the first. */
function duplicateKeys(root: Node): { key: string; first: Node; second: Node }[] {
  const out: { key: string; first: Node; second: Node }[] = [];
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === "object") {
      const seen = new Map<string, Node>();
      for (const prop of node.children ?? []) {
        const key = prop.children?.[0];
        if (!key) continue;
        const first = seen.get(key.value as string);
        if (first) out.push({ key: key.value as string, first, second: key });
        else seen.set(key.value as string, key);
      }
    }
    for (const child of node.children ?? []) if (child.type !== "string") stack.push(child);
  }
  return out.sort((a, b) => a.second.offset - b.second.offset);
}

/**
 * Parses JSON, keeping positions. Workspace files people edit (consolidate.json, layouts) may
 * hold comments, as JSONC allows; data files may not. A key written twice in one object is an
 * error (E-JSON-DUPLICATE-KEY): which of the two counts is not for a reader to guess.
 */
export function parseJson(
  file: string,
  text: string,
  options: { comments?: boolean } = {},
): { doc?: JsonDocument; diagnostics: Diagnostic[] } {
  const errors: ParseError[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const offsetShift = text.length - body.length;
  const position = locator(text);
  const at = (offset: number) => position(offset + offsetShift);
  const fast = plainJson(body);
  const deep = fast ? -1 : tooDeepAt(body, MAX_JSON_DEPTH);
  if (deep >= 0)
    return {
      diagnostics: [
        {
          code: "E-JSON-SYNTAX",
          severity: "error",
          message: `invalid JSON: lists and objects nest more than ${MAX_JSON_DEPTH} levels deep`,
          file,
          ...at(deep),
          hint: "The workspace's files need only a few levels; the file is damaged or not one of them.",
        },
      ],
    };
  const tree = fast
    ? undefined
    : parseTree(body, errors, { allowTrailingComma: false, disallowComments: options.comments !== true });
  if (!fast && (errors.length > 0 || !tree)) {
    // Only the first syntax error: the ones after it are usually its consequences.
    const first = errors[0];
    const words = first
      ? printParseErrorCode(first.error)
          .replace(/([a-z])([A-Z])/g, "$1 $2")
          .toLowerCase()
      : "empty file";
    return {
      diagnostics: [
        {
          code: "E-JSON-SYNTAX",
          severity: "error",
          message: `invalid JSON: ${words}`,
          file,
          ...at(first?.offset ?? 0),
          hint: "Fix the JSON syntax; an editor that knows the file's $schema shows the error as you type.",
        },
      ],
    };
  }
  const twice = tree ? duplicateKeys(tree) : [];
  if (twice.length)
    return {
      diagnostics: twice.map(({ key, first, second }) => {
        const was = at(first.offset);
        return {
          code: "E-JSON-DUPLICATE-KEY",
          severity: "error",
          message: `the key ${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)} appears twice in one object (first on line ${was.line}, column ${was.column}): which one counts cannot be told`,
          file,
          ...at(second.offset),
          hint: "Keep one of the two (a bad merge or a hand edit often leaves both).",
        };
      }),
    };
  // Positions and exact texts come from the parse tree, made when first asked for.
  let parsed = tree;
  const nodeAt = (pointer: string) => {
    parsed ??= parseTree(body, [], { allowTrailingComma: false, disallowComments: options.comments !== true })!;
    return nodeAtPointer(parsed, pointer);
  };
  return {
    diagnostics: [],
    doc: {
      file,
      value: fast ? fast.value : valueOf(tree!),
      locate(pointer) {
        let p = pointer;
        let node = nodeAt(p);
        while (!node && p !== "") {
          p = p.slice(0, p.lastIndexOf("/"));
          node = nodeAt(p);
        }
        return at(node?.offset ?? 0);
      },
      raw(pointer) {
        const node = nodeAt(pointer);
        return node ? body.slice(node.offset, node.offset + node.length) : undefined;
      },
    },
  };
}

/**
 * The value of a text that is plain JSON with no key written twice in one object, read by the
 * engine's own parser; undefined for anything else (a syntax error, comments, a key twice, lists
 * and objects nested too deep), which the slower parse tree then words. Objects lose their prototype, as valueOf's have none.
 */
function plainJson(text: string): { value: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const read = typeof value === "object" && value !== null ? keysRead(value, 1) : 0;
  // Each key written is followed by a colon: as many colons as keys read, and none was written
  // twice. A colon in a string (a time, a URL) leaves it to the count of the keys themselves.
  return read === colons(text) || read === keysWritten(text) ? { value } : undefined;
}

/** How many colons a text holds (a thousand entities' consolidate.json: 0.2 ms, keysWritten 3 ms). */
function colons(text: string): number {
  let n = 0;
  for (let i = text.indexOf(":"); i >= 0; i = text.indexOf(":", i + 1)) n++;
  return n;
}

/**
 * The keys of the objects in a parsed value, their prototypes taken away on the way; NaN when it
 * nests deeper than MAX_JSON_DEPTH. Only objects and lists are visited (a thousand entities'
 * consolidate.json: 9 ms with a stack of every value), in plain loops without a callback a value:
 * this runs once, before V8 optimizes it (with keysWritten below, a thousand entities'
 * consolidate.json read in 12.2 ms before, 8.0 ms now; medians of 15, with marks).
 */
function keysRead(v: object, depth: number): number {
  if (depth > MAX_JSON_DEPTH) return NaN;
  let read = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === "object" && x !== null) read += keysRead(x, depth + 1);
    }
    return read;
  }
  Object.setPrototypeOf(v, null);
  const keys = Object.keys(v);
  read += keys.length;
  for (let i = 0; i < keys.length; i++) {
    const x = (v as Record<string, unknown>)[keys[i]!];
    if (typeof x === "object" && x !== null) read += keysRead(x, depth + 1);
  }
  return read;
}

/**
 * How many keys a valid JSON text writes. Every quote outside a string opens one: the strings,
 * taken in turn, are all found, and those followed by a colon are keys. Each string's end is found
 * by the engine's search for the next quote, one behind an odd number of backslashes escaped: a
 * regular expression's match per string took 15 ms of a thousand entities' consolidate.json, and
 * a loop over each string's characters 3.5 ms.
 */
function keysWritten(text: string): number {
  let keys = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i)) {
    let end = text.indexOf('"', i + 1);
    while (end >= 0 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
    if (end < 0) return keys;
    i = end + 1;
    while (isJsonSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === COLON) keys++;
  }
  return keys;
}

/** Whether the character at `at` follows an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}

const BACKSLASH = 0x5c;
const COLON = 0x3a;
const isJsonSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The most a JSON file may hold: Node's longest string (about 512 MB). */
const MAX_JSON_BYTES = constants.MAX_STRING_LENGTH;

export async function readJson(
  file: string,
  displayName = file,
  options: { comments?: boolean } = {},
): Promise<{ doc?: JsonDocument; diagnostics: Diagnostic[] }> {
  const tooLarge = (size: number): Diagnostic => ({
    code: "E-FILE-UNREADABLE",
    severity: "error",
    message: `${displayName} is too large to read as JSON (${Math.round(size / 2 ** 20)} MB): a JSON file is read whole, and Node.js holds at most ${Math.round(MAX_JSON_BYTES / 2 ** 20)} MB in one string`,
    file: displayName,
    hint: "Write a ledger this large as CSV, which is read as a stream, line by line.",
  });
  const { size } = statSync(file);
  if (size > MAX_JSON_BYTES) return { diagnostics: [tooLarge(size)] };
  let text: string;
  try {
    // A small file at once: the thread pool's round trips would cost more than the reading.
    text = size <= 1 << 20 ? readFileSync(file, "utf8") : await readFile(file, "utf8");
  } catch (err) {
    // More bytes than characters fit: the decoded text is still too long for one string.
    if ((err as NodeJS.ErrnoException).code === "ERR_STRING_TOO_LONG") return { diagnostics: [tooLarge(size)] };
    throw err;
  }
  return parseJson(displayName, text, options);
}
