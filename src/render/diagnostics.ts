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
