/** The report and the check of a kommunkoncern workspace: both years read, matrices, bridges, report. */
import type { Diagnostic } from "../domain/types.js";
import { fiscalYear, partLabel, partsOfYears, type Period } from "../domain/period.js";
import { UsageError } from "../domain/errors.js";
import type { LoadOptions } from "../model/ledger.js";
import type { Report } from "../report/build.js";
import { bridgeFindings, bridgesOf, commitmentsOf, continuityFindings, materialityOf } from "./bridges.js";
import type { KoncernWorkspace } from "./load.js";
import { buildKoncernReport, type KoncernYearResult } from "./report.js";
import { explainKoncern } from "./explain.js";
import type { Explanation } from "../report/explain.js";
import { consolidateKoncernYear, includedIn, located } from "./run.js";

export interface KoncernRun {
  readonly report: Report;
  readonly diagnostics: readonly Diagnostic[];
  /** What the report year's run read, for `check`'s summary. */
  readonly files: readonly string[];
  readonly postings: number;
  readonly vouchers: number;
  /** The report year's figures explained, when asked for (the HTML export's links). */
  readonly explanations?: readonly Explanation[];
}

/**
 * The part of the report year a run covers (a kommun's fiscal year is the calendar year) and the
 * same part of the year before; empty for whole years.
 */
export function koncernWindows(year: number, period: string | undefined): Map<number, Period> {
  const parts = partsOfYears(period, year, fiscalYear);
  if ("problem" in parts) throw new UsageError(parts.problem);
  return parts;
}

/** The year and, where the workspace holds it (or the year's SIE files carry it), the prior year. */
export async function runKoncern(
  kws: KoncernWorkspace,
  year: number,
  options: LoadOptions & { readonly period?: string; readonly explain?: boolean } = {},
): Promise<KoncernRun> {
  const windows = koncernWindows(year, options.period);
  const diagnostics: Diagnostic[] = [];
  const results: KoncernYearResult[] = [];
  const loadedYears: Awaited<ReturnType<typeof consolidateKoncernYear>>[] = [];
  let postings = 0;
  let vouchers = 0;
  const inputs = new Map<string, { path: string; sha256: string }>();
  const names = new Map(kws.definition.entities.map((e) => [e.id, e.name]));
  // Comparatives only where every entity of the year has a share for the year before too.
  const def = kws.definition;
  const comparable = def.entities.every((e) => !includedIn(def, e, year) || includedIn(def, e, year - 1));
  for (const y of comparable ? [year, year - 1] : [year]) {
    const window = windows.get(y);
    const loaded = await consolidateKoncernYear(kws, y, { ...options, ...(window ? { window } : {}) });
    // The prior year is comparatives only: when it cannot be read, the report goes without it.
    if (y !== year && loaded.diagnostics.some((d) => d.code === "E-KONCERN-LEDGER")) break;
    for (const i of loaded.inputs) inputs.set(i.path, i);
    if (y === year) [postings, vouchers] = [loaded.postings, loaded.vouchers];
    const bridges = bridgesOf(kws.definition, loaded.matrix, names);
    const commitments = commitmentsOf(kws.definition, y, loaded.rows, loaded.matrix.shares);
    const all = new Map([...loaded.rows, ...loaded.excluded]);
    const materiality = materialityOf(kws.definition, y, loaded.matrix, all);
    diagnostics.push(...loaded.diagnostics);
    for (const f of [...bridgeFindings(y, bridges), ...(y === year ? materiality.findings : [])])
      diagnostics.push(located(kws, f));
    results.push({ matrix: loaded.matrix, bridges, commitments, materiality: materiality.rows });
    loadedYears.push(loaded);
  }
  // A part of the year opens where the part before it ended, not where last year closed.
  if (results[1] && !windows.size)
    for (const f of continuityFindings(def, results[0]!.matrix, results[1].matrix)) diagnostics.push(located(kws, f));
  const built = buildKoncernReport({ definition: kws.definition, years: results, inputs: [...inputs.values()] });
  const report = windows.size
    ? {
        ...built,
        periods: built.years.map((y) => ({ year: y, ...windows.get(y)!, label: partLabel(windows.get(y)!) })),
      }
    : built;
  const current = loadedYears[0];
  const explanations =
    options.explain && current
      ? report.statements.flatMap((s) =>
          s.rows.flatMap((r) => {
            const e = explainKoncern(
              def,
              current.matrix,
              current.rows,
              s.id,
              r.id,
              s.scope,
              (entity, account) => current.ledgers.get(entity)?.chart.get(account)?.name,
            );
            return "problem" in e ? [] : [e];
          }),
        )
      : undefined;
  return {
    report,
    diagnostics,
    files: [...inputs.keys()],
    postings,
    vouchers,
    ...(explanations ? { explanations } : {}),
  };
}
