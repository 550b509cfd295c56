import { readFile } from "node:fs/promises";
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import type { Diagnostic } from "../domain/types.js";
import { lineColumnAt } from "./text.js";

/** A parsed JSON file that can say where any value stands, and give a number's exact text. */
export interface JsonDocument {
  readonly file: string;
  readonly value: unknown;
  /** Line and column of the value at a JSON pointer ("/vouchers/0/postings/1/amount"). */
  locate(pointer: string): { line: number; column: number };
  /** The value's text exactly as written (for numbers: no binary floating point in between). */
  raw(pointer: string): string | undefined;
}

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

/**
 * Parses JSON, keeping positions. Workspace files people edit (consolidate.json, layouts) may
 * hold comments, as JSONC allows; data files may not.
 */
export function parseJson(
  file: string,
  text: string,
  options: { comments?: boolean } = {},
): { doc?: JsonDocument; diagnostics: Diagnostic[] } {
  const errors: ParseError[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const offsetShift = text.length - body.length;
  const tree = parseTree(body, errors, { allowTrailingComma: false, disallowComments: options.comments !== true });
  if (errors.length > 0 || !tree) {
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
          ...lineColumnAt(text, (first?.offset ?? 0) + offsetShift),
          hint: "Fix the JSON syntax; an editor that knows the file's $schema shows the error as you type.",
        },
      ],
    };
  }
  const nodeAt = (pointer: string) => nodeAtPointer(tree, pointer);
  return {
    diagnostics: [],
    doc: {
      file,
      value: getNodeValue(tree),
      locate(pointer) {
        let p = pointer;
        let node = nodeAt(p);
        while (!node && p !== "") {
          p = p.slice(0, p.lastIndexOf("/"));
          node = nodeAt(p);
        }
        return lineColumnAt(text, (node?.offset ?? 0) + offsetShift);
      },
      raw(pointer) {
        const node = nodeAt(pointer);
        return node ? body.slice(node.offset, node.offset + node.length) : undefined;
      },
    },
  };
}

export async function readJson(file: string, displayName = file, options: { comments?: boolean } = {}) {
  return parseJson(displayName, await readFile(file, "utf8"), options);
}
