/**
 * `consolidate interim`: the delårsrapport (LKBR 13 kap, RKR R17): the statements of a part of the
 * year beside the same part of the year before, and from the units' forecast files the full-year
 * forecast beside the budget, and the balanskravsresultat it implies.
 */
import { basename, extname, resolve } from "node:path";
import { eliminate } from "../consolidate/eliminate.js";
import type { BalanceRow } from "../domain/balance.js";
import { rowsOfEntity, type RowTable } from "../domain/row-table.js";
import type { LayoutSpec, SourceSpec, StatementSpec } from "../domain/config.js";
import type { Ore } from "../domain/money.js";
import { parsePlainAmount } from "../domain/money.js";
import { partLabel, type Period } from "../domain/period.js";
import type { Diagnostic } from "../domain/types.js";
import { loadBudgets, type YearBudget } from "../model/budget.js";
import { isFatal, loadLayout, loadWorkspace, type Workspace } from "../model/workspace.js";
import { loadKoncernWorkspace } from "../koncern/load.js";
import { groupLines, plannedRows, type Report, type RowReport, type TableReport } from "../report/build.js";
import { byCause } from "../validate/causes.js";
import { runReport, UsageError, windowsFor, type PipelineResult, type RunOptions } from "./pipeline.js";

export interface InterimOptions extends RunOptions {
  /** Forecast files named on the command line (a unit's by its file name, or with an entity column). */
  readonly forecasts?: readonly string[];
}

export async function runInterim(dir: string, year: number, options: InterimOptions): Promise<PipelineResult> {
  if (!options.period)
    throw new UsageError("a delårsrapport covers a part of the year: give --period, e.g. --period jan-aug");
  const base = await runReport(dir, year, { ...options, budget: false });
  if (!base.report || base.fatal) return base;
  // A kommunkoncern's delårsrapport: its statements for the part of the year, Kommunen and Kommunkoncernen.
  if ((await loadKoncernWorkspace(dir, options)).isKoncern) {
    if (options.forecasts?.length)
      throw new UsageError(
        "forecast files are read for a federation's units; a kommunkoncern's delårsrapport shows the period's statements",
      );
    return base;
  }
  const ws = (await loadWorkspace(dir, options)).value!;
  const window = windowsFor(ws, year, options.period).get(year);
  if (!window) throw new UsageError(`--period ${options.period} is the whole year: print the year's report instead`);
  const layout = (await loadLayout(ws, year)).value!;
  const sources = forecastSources(ws, year, options.forecasts ?? []);
  const diagnostics: Diagnostic[] = [...base.diagnostics];
  const read = async (list: readonly SourceSpec[]) => {
    if (!list.length) return undefined;
    const r = await loadBudgets(ws, year, layout.spec, list);
    diagnostics.push(...r.diagnostics);
    return r.budget;
  };
  const forecast = await read(sources);
  const budget = await read(ws.definition.years[String(year)]?.budgets ?? []);
  const tables = forecast
    ? forecastTables(ws, layout.spec, base.report, year, window, forecast, budget)
    : [noForecast(year)];
  return {
    ...base,
    report: { ...base.report, tables: [...(base.report.tables ?? []), ...tables] },
    diagnostics: byCause(diagnostics),
    fatal: diagnostics.some(isFatal),
  };
}

/** The year's forecast files: those named on the command line, else consolidate.json's. */
function forecastSources(ws: Workspace, year: number, paths: readonly string[]): SourceSpec[] {
  if (!paths.length) return [...(ws.definition.years[String(year)]?.forecasts ?? [])];
  return paths.map((path) => {
    const name = basename(path, extname(path));
    return { path: resolve(path), ...(ws.entities.some((e) => e.id === name) ? { entity: name } : {}) };
  });
}

const noForecast = (year: number): TableReport => ({
  id: "forecast",
  scope: "group",
  title: `Helårsprognos ${year}`,
  columns: [],
  rows: [],
  footnote: `Ingen helårsprognos: ingen prognosfil är angiven (--forecast FILE, eller "forecasts" för ${year} i consolidate.json). Prognosen är nämndernas och ekonomikontorets bedömning; verktyget räknar inte fram någon.`,
});

/**
 * Per followed-up statement, the group's and each unit's: budget for the year, the outcome of the
 * part, the forecast for the rest of the year (what the forecast implies), the forecast for the
 * year and its deviation from the budget.
 */
function forecastTables(
  ws: Workspace,
  layout: LayoutSpec,
  report: Report,
  year: number,
  window: Period,
  forecast: YearBudget,
  budget: YearBudget | undefined,
): TableReport[] {
  const settings = { chart: ws.chart, entityIds: new Set(ws.entities.map((e) => e.id)), kinds: ws.internalKinds };
  const ctx = {
    counterpartyNames: new Map([
      ...ws.members.map((m) => [m.code, m.name] as const),
      ...ws.entities.map((e) => [e.id, e.name] as const),
    ]),
    declared: [declaredOf(ws, year)],
  };
  const part = partLabel(window);
  const plans = (b: YearBudget) => ({
    group: { rows: eliminate(b.rows, settings).groupRows, lines: groupLines(b) },
    entities: new Map(
      ws.entities.map((e) => [
        e.id,
        { rows: rowsOfEntity(b.rows, e.id), lines: b.lines.get(e.id) ?? new Map<string, Ore>() },
      ]),
    ),
  });
  const f = plans(forecast);
  const b = budget && plans(budget);
  const scopes = [
    { scope: "group", name: undefined as string | undefined, f: f.group, b: b?.group },
    ...ws.entities.map((e) => ({
      scope: `entity:${e.id}`,
      name: e.name,
      f: f.entities.get(e.id)!,
      b: b?.entities.get(e.id),
    })),
  ];
  const statements = layout.statements.filter((s) => s.budget ?? s.id === "income");
  const tables = statements.flatMap((spec) =>
    scopes
      .filter((sc) => spec.scopes.includes(sc.scope === "group" ? "group" : "entities"))
      .map((sc) => {
        const all = spec.rows.map((r) => ({ ...r, omitWhenZero: false }));
        const sign = spec.sign ?? 1;
        const planned = (p: { rows: RowTable | readonly BalanceRow[]; lines: ReadonlyMap<string, Ore> }) =>
          new Map(plannedRows(all, sign, p.rows, p.lines, ctx).map((r) => [r.id, r.values[0]!]));
        const prognosis = planned(sc.f);
        const budgeted = sc.b && planned(sc.b);
        const outcome = new Map(
          report.statements
            .find((s) => s.id === spec.id && s.scope === sc.scope)
            ?.rows.map((r) => [r.id, r.values[0]!]) ?? [],
        );
        const rows: RowReport[] = plannedRows(all, sign, [], new Map(), ctx).map(({ values: _v, ...r }) => {
          const out = outcome.get(r.id) ?? 0n;
          const p = prognosis.get(r.id) ?? 0n;
          const values = [out, p - out, p];
          return {
            ...r,
            values: budgeted ? [budgeted.get(r.id) ?? 0n, ...values, p - (budgeted.get(r.id) ?? 0n)] : values,
          };
        });
        return {
          id: "forecast",
          statement: spec.id,
          scope: sc.scope,
          ...(sc.name ? { entityName: sc.name } : {}),
          title: `Helårsprognos, ${spec.title.toLowerCase()} ${year}`,
          columns: [
            ...(budgeted ? [{ header: `Budget ${year}`, year }] : []),
            { header: `Utfall ${part}`, year },
            { header: "Prognos resten av året", year },
            { header: `Prognos ${year}`, year },
            ...(budgeted ? [{ header: "Avvikelse mot budget", year }] : []),
          ],
          rows,
        };
      }),
  );
  const balanskrav = layout.statements.find((s) => s.id === "balanskrav" || s.rows.some((r) => r.carry));
  const income = statements.find((s) => s.id === "income");
  const total =
    income &&
    plannedRows(income.rows, income.sign ?? 1, f.group.rows, f.group.lines, ctx)
      .filter((r) => r.kind === "total")
      .at(-1);
  return balanskrav
    ? [
        ...tables,
        balanskravForecast(balanskrav, f.group, total && { id: total.id, value: total.values[0]! }, ctx, year),
      ]
    : tables;
}

/**
 * The balanskravsresultat the forecast implies: the balanskrav statement on the forecast, its
 * year's result the forecast income statement's; deficits carried from earlier years are the
 * year-end report's.
 */
function balanskravForecast(
  spec: StatementSpec,
  plan: { rows: RowTable | readonly BalanceRow[]; lines: ReadonlyMap<string, Ore> },
  result: { id: string; value: Ore } | undefined,
  ctx: Parameters<typeof plannedRows>[4],
  year: number,
): TableReport {
  // The forecast income statement's result stands for the balanskrav's own result row, whatever it selects.
  const own = result && spec.rows.some((r) => r.id === result.id);
  const rows = spec.rows.filter((r) => !r.carry).map((r) => (own && r.id === result.id ? { ...r, select: [] } : r));
  const lines = own ? new Map([...plan.lines, [result.id, result.value]]) : plan.lines;
  return {
    id: "balanskrav-prognos",
    scope: "group",
    title: `${spec.title}, prognos ${year}`,
    columns: [{ header: `Prognos ${year}`, year }],
    rows: plannedRows(rows, spec.sign ?? 1, plan.rows, lines, ctx),
  };
}

function declaredOf(ws: Workspace, year: number): Map<string, Ore> {
  return new Map(
    Object.entries(ws.definition.years[String(year)]?.adjustments ?? {}).map(([id, v]) => [
      id,
      parsePlainAmount(v) ?? 0n,
    ]),
  );
}
