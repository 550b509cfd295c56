import chalk from "chalk";
import type { Diagnostic } from "../domain/types.js";
import { guardLines, visible, xmlChars } from "./visible.js";

// Messages and hints quote the input (a counterparty, a header, a path): every output below prints
// them with control characters visible, so that a value can break no line and start no CI command.

export const location = (d: Diagnostic) =>
  d.file ? `${visible(d.file)}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ""}` : ""}: ` : "";

/** A line of an input file as shown: perhaps a window of it, `shift` characters in from its start. */
export interface Excerpt {
  readonly text: string;
  readonly shift: number;
}

export type LineText = (file: string, line: number, column?: number) => Excerpt | undefined;

/**
 * `path:line:col: error CODE: message`, then the offending line with a caret under the field,
 * then the hint. `lineText` supplies a file's line for the excerpt (the CLI reads it).
 */
export function renderDiagnostic(d: Diagnostic, lineText?: LineText): string {
  const severity = d.severity === "error" ? chalk.red("error") : chalk.yellow("warning");
  const lines = [`${location(d)}${severity} ${chalk.bold(visible(d.code))}: ${visible(d.message)}`];
  const excerpt = d.file && d.line ? lineText?.(d.file, d.line, d.column) : undefined;
  if (excerpt !== undefined) {
    const { text, shift } = excerpt;
    const gutter = String(d.line);
    lines.push(`${" ".repeat(gutter.length)} |`, `${gutter} | ${visible(text)}`);
    // The caret stands under the field as shown: a tab is shown as \t, two characters.
    const before = d.column ? visible(text.slice(0, Math.max(0, d.column - 1 - shift))).length : 0;
    if (d.column) lines.push(`${" ".repeat(gutter.length)} | ${" ".repeat(before)}${chalk.red("^")}`);
  }
  if (d.hint) lines.push(`${chalk.cyan("hint")}: ${visible(d.hint)}`);
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
export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], lineText?: LineText): string {
  const shown = diagnostics.filter((d) => !d.consequence);
  const consequences = diagnostics.length - shown.length;
  const parts: string[] = [];
  for (const group of groups(shown)) {
    const head = group.length > SHOWN_OF_A_KIND + 1 ? group.slice(0, SHOWN_OF_A_KIND) : group;
    for (const d of head) parts.push(`${renderDiagnostic(d, lineText)}\n\n`);
    if (head.length < group.length) {
      const rest = group.slice(head.length);
      const lines = `${rest[0]!.line}–${rest[rest.length - 1]!.line}`;
      parts.push(`…and ${rest.length} more lines like this in ${visible(group[0]!.file ?? "")}, lines ${lines}\n\n`);
    }
  }
  const errors = shown.filter((d) => d.severity === "error").length;
  const warnings = shown.length - errors;
  const follow = consequences
    ? `; ${consequences} further error(s) in the statements follow from these and are not shown: they go once these are fixed`
    : "";
  return diagnostics.length ? guardLines(`${parts.join("")}${errors} error(s), ${warnings} warning(s)${follow}\n`) : "";
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

// GitHub workflow commands (the runner's ActionCommand): data escapes %, CR and LF; a property also
// : and , (so that no property holds the `::` that ends them). The data may hold `::`: the command
// ends at the first. The runner takes a line for a command only at its start, so the data needs no
// more; control characters are made visible first, as in the text output (the log shows them).
const ghData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const ghProperty = (s: string) => ghData(visible(s)).replace(/:/g, "%3A").replace(/,/g, "%2C");

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
      const text = d.hint ? `${visible(d.message)}\n${visible(d.hint)}` : visible(d.message);
      return `::${d.severity === "error" ? "error" : "warning"} ${props.join(",")}::${ghData(text)}\n`;
    })
    .join("");
}

// Texts in the JUnit XML: control characters visible, as in the text output (a dashboard or a log
// prints them), and whatever XML 1.0 cannot carry (U+FFFE, a lone surrogate) replaced.
const xml = (s: string) =>
  xmlChars(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** `check --format junit`: one test case per diagnostic (a passing one when there are none). */
export function renderDiagnosticsJunit(diagnostics: readonly Diagnostic[], strict: boolean): string {
  const failing = (d: Diagnostic) => d.severity === "error" || strict;
  const failures = diagnostics.filter(failing).length;
  const cases = diagnostics.length
    ? diagnostics.map((d) => {
        const where = `${location(d).replace(/: $/, "")}`;
        const [code, message] = [visible(d.code), visible(d.message)];
        const body = xml(`${where}\n${message}${d.hint ? `\nhint: ${visible(d.hint)}` : ""}`);
        const name = xml(`${code} ${where}`);
        const tag = failing(d) ? "failure" : "skipped";
        return `    <testcase classname="${xml(visible(d.file ?? "workspace"))}" name="${name}">\n      <${tag} message="${xml(message)}" type="${xml(code)}">${body}</${tag}>\n    </testcase>\n`;
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
