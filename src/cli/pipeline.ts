import { closeYear } from "../consolidate/close.js";
import { eliminate, mismatches } from "../consolidate/eliminate.js";
import type { Diagnostic } from "../domain/types.js";
import { loadYear } from "../model/ledger.js";
import { isFatal, loadLayout, loadWorkspace, type Workspace } from "../model/workspace.js";
import { buildReport, type Report, type YearData } from "../report/build.js";
import { continuityProblems } from "../validate/continuity.js";

export interface PipelineResult {
  readonly report?: Report;
  readonly diagnostics: readonly Diagnostic[];
  /** The workspace could not be used at all (exit 2). */
  readonly fatal: boolean;
}

/** One year of the workspace, read, checked, closed and consolidated. */
export async function consolidateYear(ws: Workspace, year: number) {
  const { ledgers, diagnostics } = await loadYear(ws, year);
  const entityRows = closeYear(ledgers.rows, ws.chart, ws.definition.closing.resultAccount);
  const elimination = eliminate(entityRows, {
    chart: ws.chart,
    entityIds: new Set(ws.entities.map((e) => e.id)),
    kinds: ws.internalKinds,
  });
  // Internal pairs are matched only on complete ledgers: a line that could not be read would
  // otherwise show up again as a difference between two units.
  if (!diagnostics.some((d) => d.severity === "error")) {
    const settings = { chart: ws.chart, kinds: ws.internalKinds };
    diagnostics.push(
      ...mismatches(year, elimination.pairs, ledgers.internalPostings, settings, ws.tolerance, ws.entities, ws.dir),
    );
  }
  const data: YearData = { year, entityRows, elimination };
  return { data, ledgers, diagnostics };
}

/** The report for a year with the prior year as comparatives when the workspace holds it. */
export async function runReport(dir: string, year: number): Promise<PipelineResult> {
  const loaded = await loadWorkspace(dir);
  const ws = loaded.value;
  if (!ws || loaded.diagnostics.some(isFatal)) return { diagnostics: loaded.diagnostics, fatal: true };
  if (!ws.years.includes(year)) {
    return {
      fatal: true,
      diagnostics: [
        ...loaded.diagnostics,
        {
          code: "E-WORKSPACE-YEAR",
          severity: "error",
          message: `the workspace has no ledgers for ${year}`,
          file: ws.dir,
          hint: `Years in the workspace: ${ws.years.join(", ") || "none"}. Add ${year} under "years" in consolidate.json.`,
        },
      ],
    };
  }
  const layout = await loadLayout(ws, year);
  const diagnostics = [...loaded.diagnostics, ...layout.diagnostics];
  if (!layout.value) return { diagnostics, fatal: true };
  const years = ws.years.includes(year - 1) ? [year, year - 1] : [year];
  const loadedYears = [];
  for (const y of years) {
    const r = await consolidateYear(ws, y);
    loadedYears.push(r);
    diagnostics.push(...r.diagnostics);
  }
  const [current, prior] = loadedYears;
  const isBalanceAccount = (account: string) => {
    const type = ws.chart.get(account)?.type;
    return type === "asset" || type === "liability";
  };
  if (current && prior) {
    const where = (entity: string, account: string) =>
      current.ledgers.openingSources.get(`${entity}|${account}`) ?? { file: current.ledgers.openingFiles[0] ?? ws.dir };
    diagnostics.push(
      ...continuityProblems(
        year,
        prior.data.entityRows,
        current.data.entityRows,
        ws.definition.closing,
        isBalanceAccount,
        where,
      ),
    );
  }
  const data = loadedYears.map((r) => r.data);
  const inputs = loadedYears.flatMap((r) => r.ledgers.inputs);
  if (diagnostics.some(isFatal)) return { diagnostics, fatal: true };
  const report = buildReport({
    name: ws.name,
    layout: layout.value,
    years: data,
    entities: ws.entities,
    members: ws.members,
    inputs,
  });
  return { report, diagnostics, fatal: false };
}
