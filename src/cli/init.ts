import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { InvalidArgumentError } from "commander";
import type { GroupDefinition, SourceSpec, YearSpec } from "../domain/config.js";
import { fiscalYear } from "../domain/period.js";
import type { Diagnostic } from "../domain/types.js";
import { workspaceFromSie, type ZeroConfigOptions } from "../model/zero-config.js";
import { writeAtomically } from "./output.js";
import { formatJsonc } from "../render/jsonc.js";
import { isoDate } from "../model/sie/scope.js";
import type { ChartFamily } from "../domain/default-layouts.js";
import type { LayoutSpec } from "../domain/config.js";

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * Writes a workspace for SIE exports, ready to edit: the files copied into sie/YEAR/,
 * consolidate.json (entities, members, each file under the year its #RAR 0 names), chart.csv of
 * the accounts the files use, and the built-in layout of the chart's family as layout.json.
 */
export async function initFromSie(
  dir: string,
  files: readonly string[],
  options: Omit<ZeroConfigOptions, "year">,
): Promise<{ written?: string[]; diagnostics: Diagnostic[] }> {
  const existing = join(dir, "consolidate.json");
  if (existsSync(existing))
    throw new InvalidArgumentError(`${existing} exists already: init never overwrites a workspace`);
  const made = await workspaceFromSie(files, { ...options, year: 0 });
  if (!made.value) return { diagnostics: made.diagnostics };
  const { workspace, headers, layout } = made.value;
  const diagnostics = [...made.diagnostics];
  const years: Record<string, YearSpec> = {};
  // The files are copied into the workspace: a folder kept under version control holds its inputs,
  // and a workspace reads nothing outside its folder.
  const copies: [string, string][] = [];
  const starts = new Set<string>();
  headers.forEach((h, i) => {
    const [start = "", end = ""] = h.years.get("0") ?? [];
    if (!/^\d{8}$/.test(start) || !/^\d{8}$/.test(end)) {
      diagnostics.push({
        code: "E-SIE-YEAR",
        severity: "error",
        message: `the file states no fiscal year (#RAR 0 with its first and last day): init cannot tell which year it covers`,
        file: files[i]!,
        hint: "Export the file again with its fiscal year.",
      });
      return;
    }
    const year = start.slice(0, 4);
    const spec = workspace.definition.years["0"]!.ledgers[i]!;
    const period = { start: isoDate(start), end: isoDate(end) };
    const regular = fiscalYear(Number(year), period.start.slice(5));
    if (regular.end === period.end && period.start.endsWith("-01")) starts.add(period.start.slice(5));
    years[year] ??= { ledgers: [], ...(regular.end === period.end ? {} : { period }) };
    const copy = `sie/${year}/${basename(files[i]!)}`;
    copies.push([files[i]!, copy]);
    (years[year].ledgers as SourceSpec[]).push({
      ...spec,
      path: copy,
      ...(spec.entity ? { entity: basename(files[i]!, extname(files[i]!)) } : {}),
    });
  });
  if (diagnostics.some((d) => d.severity === "error") || Object.keys(years).length === 0) return { diagnostics };
  // A broken fiscal year (07-01 – 06-30) is declared once for every year, the prior year too.
  const start = starts.size === 1 ? [...starts][0]! : "01-01";
  const definition: GroupDefinition = {
    ...workspace.definition,
    ...(start !== "01-01" ? { fiscalYear: { start } } : {}),
    chart: "chart.csv",
    // From the year before the first, so that last year read from the files (#RAR -1) has it too.
    layouts: { [Number(Object.keys(years).sort()[0]!) - 1]: "layout.json" },
    years,
  };
  // The accounts the files use (and those the closing and elimination book on): a whole BAS chart
  // of unused accounts would only be noise to read and to check.
  const { closing, internal } = workspace.definition;
  const used = new Set([
    ...headers.flatMap((h) => [...h.accountsUsed]),
    closing.resultAccount,
    closing.retainedEarningsAccount,
    internal.differenceAccounts.result,
    internal.differenceAccounts.balance,
  ]);
  const chart = [
    "number,name,type",
    ...[...workspace.chart.values()]
      .filter((a) => used.has(a.number))
      .sort((a, b) => (a.number < b.number ? -1 : 1))
      .map((a) => `${a.number},${csvField(a.name)},${a.type}`),
  ];
  const twice = copies.find(([, to], i) => copies.findIndex(([, other]) => other === to) !== i);
  if (twice)
    throw new InvalidArgumentError(
      `two files would both be ${twice[1]} in the workspace: give each year's files distinct names`,
    );
  await mkdir(dir, { recursive: true });
  for (const [from, to] of copies) {
    await mkdir(dirname(join(dir, to)), { recursive: true });
    await copyFile(from, join(dir, to));
  }
  const written = [
    join(dir, "consolidate.json"),
    join(dir, "chart.csv"),
    join(dir, "layout.json"),
    ...copies.map(([, to]) => join(dir, to)),
  ];
  await writeAtomically(written[1]!, `${chart.join("\n")}\n`);
  await writeAtomically(written[2]!, formatJsonc(layout.spec, layoutComments(layout.spec, made.value.family), 160));
  await writeAtomically(written[0]!, formatJsonc(definition));
  return { written, diagnostics };
}

/** What a reader of the written layout needs to adapt it: how lines select accounts, what each statement is. */
function layoutComments(spec: LayoutSpec, family: ChartFamily): Map<string, string> {
  const comments = new Map<string, string>([
    [
      "",
      [
        `The built-in ${family === "bas" ? "BAS" : "Kommun-Bas"} layout, written by consolidate init: adapt it to your chart.`,
        'A "line" selects account ranges ("3000-3998", or one account "2099"); a six-digit sub-account falls',
        'where its first four digits do. "sum" adds rows by id; "sign": -1 shows credit balances as positive.',
        "Every balance must land on exactly one line of the income statement or balance sheet:",
        "`consolidate check` names an account no line selects, or one that two lines select.",
        'Rename labels freely; keep ids unique. A note is a table of rows like a statement\'s, referred to by "note".',
      ].join("\n"),
    ],
  ]);
  spec.statements.forEach((s, i) =>
    comments.set(
      `/statements/${i}`,
      `${s.title}${s.coverage === false ? ' (an analysis: it may show balances again, and is checked by "equal")' : ""}`,
    ),
  );
  if (spec.notes?.length) comments.set("/notes", "Noter, numbered in the order they are referred to");
  return comments;
}
