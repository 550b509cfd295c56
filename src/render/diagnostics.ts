import chalk from "chalk";
import type { Diagnostic } from "../domain/types.js";

export const location = (d: Diagnostic) =>
  d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ""}` : ""}: ` : "";

/**
 * `path:line:col: error CODE: message`, then the offending line with a caret under the field,
 * then the hint. `lineText` supplies a file's line for the excerpt (the CLI reads it).
 */
export function renderDiagnostic(d: Diagnostic, lineText?: (file: string, line: number) => string | undefined): string {
  const severity = d.severity === "error" ? chalk.red("error") : chalk.yellow("warning");
  const lines = [`${location(d)}${severity} ${chalk.bold(d.code)}: ${d.message}`];
  const text = d.file && d.line ? lineText?.(d.file, d.line) : undefined;
  if (text !== undefined) {
    const gutter = String(d.line);
    lines.push(`${" ".repeat(gutter.length)} |`, `${gutter} | ${text}`);
    if (d.column)
      lines.push(`${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, d.column - 1))}${chalk.red("^")}`);
  }
  if (d.hint) lines.push(`${chalk.cyan("hint")}: ${d.hint}`);
  return lines.join("\n");
}

/** Repeats of one cause shown in full before the rest are counted. */
const SHOWN_OF_A_KIND = 2;

/** Diagnostics of one cause: the same code, file and hint on many lines. */
function groups(diagnostics: readonly Diagnostic[]): Diagnostic[][] {
  const out: Diagnostic[][] = [];
  for (const d of diagnostics) {
    const last = out[out.length - 1];
    const first = last?.[0];
    if (first && first.code === d.code && first.file === d.file && first.hint === d.hint && d.line !== undefined)
      last.push(d);
    else out.push([d]);
  }
  return out;
}

/**
 * Diagnostics for people, root causes first: each with its excerpt and hint; a cause repeated on
 * many lines shown twice and then counted ("…and 652 more lines like this, 14–667"); errors that
 * only follow from earlier ones counted at the end, not listed; then the totals.
 */
export function renderDiagnosticsText(
  diagnostics: readonly Diagnostic[],
  lineText?: (file: string, line: number) => string | undefined,
): string {
  const shown = diagnostics.filter((d) => !d.consequence);
  const consequences = diagnostics.length - shown.length;
  const parts: string[] = [];
  for (const group of groups(shown)) {
    const head = group.length > SHOWN_OF_A_KIND + 1 ? group.slice(0, SHOWN_OF_A_KIND) : group;
    for (const d of head) parts.push(`${renderDiagnostic(d, lineText)}\n\n`);
    if (head.length < group.length) {
      const rest = group.slice(head.length);
      const lines = `${rest[0]!.line}–${rest[rest.length - 1]!.line}`;
      parts.push(`…and ${rest.length} more lines like this in ${group[0]!.file}, lines ${lines}\n\n`);
    }
  }
  const errors = shown.filter((d) => d.severity === "error").length;
  const warnings = shown.length - errors;
  const follow = consequences
    ? `; ${consequences} further error(s) in the statements follow from these and are not shown: they go once these are fixed`
    : "";
  return diagnostics.length ? `${parts.join("")}${errors} error(s), ${warnings} warning(s)${follow}\n` : "";
}

/** `check --format json`: an array of {code, severity, message, file, line, column, hint}. */
export function renderDiagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  const rows = diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file ?? null,
    line: d.line ?? null,
    column: d.column ?? null,
    hint: d.hint ?? null,
    ...(d.consequence ? { consequence: true } : {}),
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

// GitHub workflow commands: data escapes %, CR, LF; properties also : and ,.
const ghData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const ghProperty = (s: string) => ghData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** `check --format github`: workflow annotations, shown on the lines of the pull request. */
export function renderDiagnosticsGithub(diagnostics: readonly Diagnostic[]): string {
  // A knock-on of another error would only repeat it as an annotation of its own.
  return diagnostics
    .filter((d) => !d.consequence)
    .map((d) => {
      const props = [
        d.file ? `file=${ghProperty(d.file)}` : "",
        d.line ? `line=${d.line}` : "",
        d.column ? `col=${d.column}` : "",
        `title=${ghProperty(d.code)}`,
      ].filter(Boolean);
      const text = d.hint ? `${d.message}\n${d.hint}` : d.message;
      return `::${d.severity === "error" ? "error" : "warning"} ${props.join(",")}::${ghData(text)}\n`;
    })
    .join("");
}

const xml = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // characters XML 1.0 cannot carry at all
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "\ufffd");

/** `check --format junit`: one test case per diagnostic (a passing one when there are none). */
export function renderDiagnosticsJunit(diagnostics: readonly Diagnostic[], strict: boolean): string {
  const failing = (d: Diagnostic) => d.severity === "error" || strict;
  const failures = diagnostics.filter(failing).length;
  const cases = diagnostics.length
    ? diagnostics.map((d) => {
        const where = `${location(d).replace(/: $/, "")}`;
        const body = xml(`${where}\n${d.message}${d.hint ? `\nhint: ${d.hint}` : ""}`);
        const name = xml(`${d.code} ${where}`);
        const tag = failing(d) ? "failure" : "skipped";
        return `    <testcase classname="${xml(d.file ?? "workspace")}" name="${name}">\n      <${tag} message="${xml(d.message)}" type="${xml(d.code)}">${body}</${tag}>\n    </testcase>\n`;
      })
    : ['    <testcase classname="workspace" name="consolidate check"/>\n'];
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="consolidate check" tests="${Math.max(1, diagnostics.length)}" failures="${failures}">\n` +
    `  <testsuite name="consolidate check" tests="${Math.max(1, diagnostics.length)}" failures="${failures}" errors="0" skipped="${diagnostics.length - failures}">\n` +
    cases.join("") +
    `  </testsuite>\n</testsuites>\n`
  );
}
