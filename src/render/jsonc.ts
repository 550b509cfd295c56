/**
 * JSON for people to edit: a value whose one-line form fits the width stays on one line (a row
 * of a layout, a list of account ranges), larger ones open up; `comments` puts a `//` line
 * before the value at a JSON pointer. The result is JSONC, which the workspace files accept.
 */
export function formatJsonc(value: unknown, comments: ReadonlyMap<string, string> = new Map(), width = 100): string {
  const write = (v: unknown, pointer: string, indent: string): string => {
    const flat = oneLine(v);
    if (typeof v !== "object" || v === null || indent.length + flat.length <= width) return flat;
    const inner = `${indent}  `;
    const entries = Array.isArray(v)
      ? v.map((x, i) => [String(i), undefined, x] as const)
      : Object.entries(v).map(([k, x]) => [k, k, x] as const);
    const lines = entries.map(([key, name, x]) => {
      const at = `${pointer}/${key}`;
      const comment = comments.get(at);
      const head = comment ? `${inner}// ${comment}\n` : "";
      return `${head}${inner}${name === undefined ? "" : `${JSON.stringify(name)}: `}${write(x, at, inner)}`;
    });
    const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
    return `${open}\n${lines.join(",\n")}\n${indent}${close}`;
  };
  const top = comments.get("");
  return `${
    top
      ? `${top
          .split("\n")
          .map((l) => `// ${l}`)
          .join("\n")}\n`
      : ""
  }${write(value, "", "")}\n`;
}

function oneLine(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(oneLine).join(", ")}]`;
  if (typeof v === "object" && v !== null)
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${oneLine(x)}`)
      .join(", ")} }`;
  return JSON.stringify(v);
}
