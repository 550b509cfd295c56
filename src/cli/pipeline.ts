import { closeYear } from "../consolidate/close.js";
import { eliminate } from "../consolidate/eliminate.js";
import { formatKronor } from "../domain/money.js";
import type { Diagnostic } from "../domain/types.js";
import { loadYear, type InputFile } from "../model/ledger.js";
import { isFatal, loadLayout, loadWorkspace, type Workspace } from "../model/workspace.js";
import { buildReport, type Report, type YearData } from "../report/build.js";

export interface PipelineResult {
  readonly report?: Report;
  readonly diagnostics: readonly Diagnostic[];
  /** The workspace could not be used at all (exit 2). */
  readonly fatal: boolean;
}

/** One year of the workspace, read, checked, closed and consolidated. */
export async function consolidateYear(
  ws: Workspace,
  year: number,
): Promise<{ data: YearData; inputs: readonly InputFile[]; diagnostics: Diagnostic[] }> {
  const { ledgers, diagnostics } = await loadYear(ws, year);
  const entityRows = closeYear(ledgers.rows, ws.chart, ws.definition.closing.resultAccount);
  const elimination = eliminate(entityRows, {
    chart: ws.chart,
    entityIds: new Set(ws.entities.map((e) => e.id)),
    differenceAccounts: ws.definition.internal.differenceAccounts,
  });
  // Internal pairs are matched only on complete ledgers: a line that could not be read would
  // otherwise show up again as a difference between two units.
  if (diagnostics.some((d) => d.severity === "error"))
    return { data: { year, entityRows, elimination }, inputs: ledgers.inputs, diagnostics };
  const name = (id: string) => ws.entities.find((e) => e.id === id)?.name ?? id;
  for (const p of elimination.pairs) {
    const abs = p.difference < 0n ? -p.difference : p.difference;
    if (abs > ws.tolerance) {
      diagnostics.push({
        code: "E-INTERNAL-MISMATCH",
        severity: "error",
        message: `${year}: internal ${p.kind === "result" ? "revenue and costs" : "receivables and payables"} between ${name(p.entities[0])} (${formatKronor(p.amounts[0])}) and ${name(p.entities[1])} (${formatKronor(p.amounts[1])}) differ by ${formatKronor(p.difference)} kr`,
        file: ws.dir,
        hint: 'Book both sides of an internal transaction with the other entity as counterparty and the same amount; the difference is shown on "Differens interna poster".',
      });
    }
  }
  return { data: { year, entityRows, elimination }, inputs: ledgers.inputs, diagnostics };
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
  const data: YearData[] = [];
  const inputs: InputFile[] = [];
  for (const y of years) {
    const r = await consolidateYear(ws, y);
    data.push(r.data);
    inputs.push(...r.inputs);
    diagnostics.push(...r.diagnostics);
  }
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
