import { extname } from "node:path";
import { UsageError } from "../domain/errors.js";
import type { LayoutSpec } from "../domain/config.js";
import { inPeriod, partLabel, partsOfYears, type Period } from "../domain/period.js";
import { closeYear } from "../consolidate/close.js";
import { eliminate, inPairs, KeptPairs, mismatchedPairs, mismatches } from "../consolidate/eliminate.js";
import type { Diagnostic } from "../domain/types.js";
import { loadPostings, loadYear, type LoadOptions, type YearLedgers } from "../model/ledger.js";
import {
  inWorkspace,
  isFatal,
  periodOf,
  loadLayout,
  loadWorkspace,
  type Layout,
  type Loaded,
  type LoadWorkspaceOptions,
  type Workspace,
} from "../model/workspace.js";
import { SIE_EXTENSIONS } from "../model/sie/ledger.js";
import { workspaceFromSie, type ZeroConfigOptions } from "../model/zero-config.js";
import { readSieHeader } from "../model/sie/header.js";
import { buildReport, entityStatements, type BudgetInput, type Report, type YearData } from "../report/build.js";
import { KeptEntitySums } from "../report/engine.js";
import { accountsWithAmounts } from "../domain/row-table.js";
import { equalityProblems } from "../report/checks.js";
import { computeFees, type FeeReport } from "../report/fees.js";
import { coverageProblems } from "../report/coverage.js";
import { loadBudgets } from "../model/budget.js";
import { loadPopulations } from "../model/populations.js";
import { formatSek, parsePlainAmount, type Ore } from "../domain/money.js";
import { readJson } from "../read/json.js";
import { continuityProblems } from "../validate/continuity.js";
import { openingBalanceProblems } from "../validate/opening-balance.js";
import { byCause } from "../validate/causes.js";
import { unusedAccounts } from "../validate/unused.js";
import { loadKoncernWorkspace, type KoncernWorkspace } from "../koncern/load.js";
import { runKoncern } from "../koncern/pipeline.js";
import { explainAll, type Explanation } from "../report/explain.js";

/** A request the workspace cannot answer (no budgets, no fee models): exit 2, no diagnostics. */
export { UsageError };

export interface PipelineResult {
  readonly report?: Report;
  readonly diagnostics: readonly Diagnostic[];
  /** The workspace could not be used at all (exit 2). */
  readonly fatal: boolean;
  /** What was worked out rather than given (the units and counterparties of SIE files). */
  readonly notes?: readonly string[];
  /** What `check` read. */
  readonly summary?: CheckSummary;
  /** The report year's figures explained (for the HTML export's links), when asked for. */
  readonly explanations?: readonly Explanation[];
}

export interface CheckSummary {
  readonly entities: number;
  readonly years: readonly number[];
  readonly files: number;
  readonly postings: number;
  readonly vouchers: number;
}

interface LoadedYear {
  readonly data: YearData;
  /** The year's ledgers as read; their rows are the closing's (data.entityRows). */
  readonly ledgers: Omit<YearLedgers, "rows">;
  readonly diagnostics: Diagnostic[];
  /** Per entity, the year's booked result (a profit is negative). */
  readonly results: ReadonlyMap<string, Ore>;
}

/**
 * One year of the workspace, read, checked, closed and consolidated. The prior year, when loaded,
 * tells whether an opening balance sheet that does not balance lacks only last year's result.
 */
export async function consolidateYear(
  ws: Workspace,
  year: number,
  options: LoadOptions = {},
  prior?: LoadedYear,
): Promise<LoadedYear> {
  const settings = { chart: ws.chart, entityIds: new Set(ws.entities.map((e) => e.id)), kinds: ws.internalKinds };
  const { ledgers, diagnostics } = await loadYear(ws, year, { ...options, keep: () => new KeptPairs(settings) });
  const window = options.window;
  const { closing } = ws.definition;
  const opening = openingBalanceProblems(year, ledgers.openingImbalances, prior?.results, closing);
  for (const d of opening.diagnostics) diagnostics.push(d);
  // The rows read are taken over by the closing (no copy of a quarter of a million rows): not kept.
  const { rows, ...read } = ledgers;
  const closed = closeYear(rows.into(opening.rows), ws.chart, closing);
  for (const d of closingEntryNotes(year, closed.closingEntries, closing.resultAccount, ledgers.inputs))
    diagnostics.push(d);
  const entityRows = closed.rows;
  const elimination = eliminate(entityRows, settings);
  // Internal pairs are matched only on ledgers read without errors: a line that could not be read
  // would otherwise show up again as a difference between two units.
  const wrong = mismatchedPairs(elimination.pairs, ws.tolerance);
  if (wrong.length && !diagnostics.some((d) => d.severity === "error")) {
    // Read again for the postings of the pairs that differ, to say which lack a twin: keeping every
    // internal posting while reading would cost memory in the many runs where all pairs match.
    const inPair = inPairs(wrong, settings);
    const postings = await loadPostings(ws, year, (p) => (!window || inPeriod(p.date, window)) && inPair(p));
    for (const d of mismatches(year, wrong, postings, settings, ws.tolerance, ws.entities, ws.dir)) diagnostics.push(d);
  }
  const data: YearData = { year, entityRows, elimination };
  return { data, ledgers: read, diagnostics, results: closed.results };
}

/** Books that hold the year-end closing entry: recognised and left out, said once per entity. */
function closingEntryNotes(
  year: number,
  entries: ReadonlyMap<string, Ore>,
  resultAccount: string,
  inputs: readonly { path: string }[],
): Diagnostic[] {
  return [...entries].map(([entity, amount]) => ({
    code: "W-CLOSING-ENTRY",
    severity: "warning",
    message: `${entity}: the books of ${year} hold the year-end closing entry (${formatSek(amount)} kr on the closing accounts against ${resultAccount}); it moves the result, it is not part of it, so it is left out of the income statement`,
    ...(inputs[0] ? { file: inputs[0].path } : {}),
    hint: "Nothing to do: the statements show the year's result as the books make it.",
  }));
}

/** The year opens where the prior year closed. */
function continuity(ws: Workspace, current: LoadedYear, prior: LoadedYear): Diagnostic[] {
  const isBalanceAccount = (account: string) => {
    const type = ws.chart.get(account)?.type;
    return type === "asset" || type === "liability";
  };
  const where = (entity: string, account: string) =>
    current.ledgers.openingSources.get(`${entity}|${account}`) ?? { file: current.ledgers.openingFiles[0] ?? ws.dir };
  return continuityProblems(
    current.data.year,
    prior.data.entityRows,
    current.data.entityRows,
    ws.definition.closing,
    isBalanceAccount,
    where,
  );
}

/** Every balance of the year lands on exactly one line of the layout. */
const coverage = (ws: Workspace, layout: Layout, y: LoadedYear) =>
  coverageProblems(y.data.year, layout, y.data.elimination, y.data.entityRows, ws.chart);

function missingYear(ws: Workspace, year: number): Diagnostic {
  return {
    code: "E-WORKSPACE-YEAR",
    severity: "error",
    message: `the workspace has no ledgers for ${year}`,
    file: ws.dir,
    hint: `Years in the workspace: ${ws.years.join(", ") || "none"}. Add ${year} under "years" in consolidate.json.`,
  };
}

/** The report for a year with the prior year as comparatives when the workspace holds it. */
/** Where a run reports the bytes it reads (for a progress bar), how many threads read ledgers, budgets. */
export interface RunOptions extends LoadOptions, LoadWorkspaceOptions {
  /** Follow the statements up against the year's budget files. */
  readonly budget?: boolean;
  /** A part of the year as the user wrote it (--period): "2013-01..2013-08", "jan-aug", "T2". */
  readonly period?: string;
  /** Explain every figure of the report year too (the HTML export links each to its explanation). */
  readonly explain?: boolean;
}

/**
 * The part of each year a run covers: the --period of the report year, and the same part of the
 * year before for the comparatives. Empty for whole years; a usage error for a period that is not one.
 */
export function windowsFor(ws: Workspace, year: number, period: string | undefined): Map<number, Period> {
  const parts = partsOfYears(period, year, (y) => periodOf(ws, y));
  if ("problem" in parts) throw new UsageError(parts.problem);
  return parts;
}

/** A layout for a part of the year: the year-end analyses (balanskrav, the overview) left out. */
function partOfYear(spec: LayoutSpec): LayoutSpec {
  const { overview: _overview, ...rest } = spec;
  return { ...rest, statements: spec.statements.filter((s) => !s.rows.some((r) => r.carry || r.declared)) };
}

/** The workspace's declared amounts (adjustments) per year and row id. */
function declaredAmounts(ws: Workspace): Map<number, Map<string, Ore>> {
  return new Map(
    Object.entries(ws.definition.years).map(([year, spec]) => [
      Number(year),
      new Map(Object.entries(spec.adjustments ?? {}).map(([id, amount]) => [id, parsePlainAmount(amount) ?? 0n])),
    ]),
  );
}

export async function runReport(dir: string, year: number, options: RunOptions = {}): Promise<PipelineResult> {
  const koncern = await loadKoncernWorkspace(dir, options);
  if (koncern.isKoncern) return koncernReport(koncern, year, options);
  const loaded = await loadWorkspace(dir, options);
  const ws = loaded.value;
  if (!ws || loaded.diagnostics.some(isFatal)) return { diagnostics: loaded.diagnostics, fatal: true };
  if (!ws.years.includes(year)) return { fatal: true, diagnostics: [...loaded.diagnostics, missingYear(ws, year)] };
  const layout = await loadLayout(ws, year);
  const diagnostics = [...loaded.diagnostics, ...layout.diagnostics];
  if (!layout.value) return { diagnostics, fatal: true };
  return reportFor(await withPriorYearFromSie(ws, year), layout.value, year, diagnostics, options);
}

/**
 * When the workspace lacks the prior year and the year's ledgers are all SIE files carrying last
 * year's balances (#RAR -1), those balances are the prior year's comparatives.
 */
async function withPriorYearFromSie(ws: Workspace, year: number): Promise<Workspace> {
  const sources = ws.definition.years[String(year)]?.ledgers ?? [];
  if (ws.years.includes(year - 1) || sources.length === 0) return ws;
  if (!sources.every((s) => SIE_EXTENSIONS.has(extname(s.path).toLowerCase()))) return ws;
  for (const s of sources) {
    const { header } = await readSieHeader(inWorkspace(ws.dir, s.path));
    if (!header?.hasPriorYear) return ws;
  }
  const prior = { ledgers: sources.map((s) => ({ ...s, rar: -1 as const })) };
  return {
    ...ws,
    definition: { ...ws.definition, years: { ...ws.definition.years, [year - 1]: prior } },
    years: [...ws.years, year - 1].sort((a, b) => a - b),
  };
}

type SieWorkspace = NonNullable<Awaited<ReturnType<typeof workspaceFromSie>>["value"]>;

/** A run straight from SIE files: the workspace they make, the run on it, and what was detected. */
async function fromSie(
  files: readonly string[],
  options: ZeroConfigOptions,
  run: (made: SieWorkspace, diagnostics: Diagnostic[]) => Promise<PipelineResult>,
): Promise<PipelineResult> {
  const made = await workspaceFromSie(files, options);
  if (!made.value || made.diagnostics.some(isFatal)) return { diagnostics: made.diagnostics, fatal: true };
  return { ...(await run(made.value, made.diagnostics)), notes: made.value.notes };
}

/** The report straight from SIE files, with the built-in layout of their chart (no workspace). */
export const runZeroConfig = (files: readonly string[], options: ZeroConfigOptions, run: RunOptions = {}) =>
  fromSie(files, options, (made, diagnostics) =>
    reportFor(made.workspace, made.layout, options.year, diagnostics, run),
  );

async function reportFor(
  ws: Workspace,
  layout: Layout,
  year: number,
  diagnostics: Diagnostic[],
  options: RunOptions,
): Promise<PipelineResult> {
  const windows = windowsFor(ws, year, options.period);
  if (windows.size && options.budget)
    throw new UsageError("budgets are for the whole year: follow a part of the year up with `consolidate interim`");
  const spec = windows.size ? partOfYear(layout.spec) : layout.spec;
  // Each unit's statements are added up as the files' rows come in (KeptEntitySums).
  const units = entityStatements(spec);
  const keepAll = units.length ? { keepAll: () => new KeptEntitySums(units) } : {};
  const load = (y: number) => ({ ...options, ...keepAll, ...(windows.get(y) ? { window: windows.get(y)! } : {}) });
  const prior = ws.years.includes(year - 1)
    ? await consolidateYear(ws, year - 1, { ...load(year - 1), keepReaders: true })
    : undefined;
  const current = await consolidateYear(ws, year, load(year), prior);
  const loadedYears = prior ? [current, prior] : [current];
  for (const r of loadedYears) {
    for (const d of r.diagnostics) diagnostics.push(d);
    for (const d of coverage(ws, layout, r)) diagnostics.push(d);
  }
  // A part of the year opens where the part before it ended, not where last year closed.
  if (prior && !windows.size) for (const d of continuity(ws, current, prior)) diagnostics.push(d);
  if (diagnostics.some(isFatal)) return { diagnostics, fatal: true };
  // Deficits to restore and the multi-year overview look at every earlier year too.
  const needsHistory = spec.overview || spec.statements.some((s) => s.rows.some((r) => r.carry));
  const history: YearData[] = [];
  for (const y of needsHistory ? ws.years.filter((y) => y <= year) : [])
    history.push(loadedYears.find((l) => l.data.year === y)?.data ?? (await consolidateYear(ws, y, options)).data);
  let budget: BudgetInput | undefined;
  const budgetInputs = [];
  if (options.budget) {
    if (!ws.definition.years[String(year)]?.budgets?.length)
      throw new UsageError(
        `${year} has no budget files: list them in consolidate.json ("years": { "${year}": { "budgets": [ { "path": "budgets/${year}/unit.csv", "entity": "unit" } ] } })`,
      );
    const loaded = await loadBudgets(ws, year, layout.spec);
    for (const d of loaded.diagnostics) diagnostics.push(d);
    const settings = { chart: ws.chart, entityIds: new Set(ws.entities.map((e) => e.id)), kinds: ws.internalKinds };
    budget = {
      entityRows: loaded.budget.rows,
      groupRows: eliminate(loaded.budget.rows, settings).groupRows,
      lines: loaded.budget.lines,
    };
    for (const x of loaded.budget.inputs) budgetInputs.push(x);
  }
  const built = buildReport({
    name: ws.name,
    layout: spec,
    years: loadedYears.map((r) => r.data),
    periodOf: (y) => windows.get(y) ?? periodOf(ws, y),
    entities: ws.entities,
    members: ws.members,
    inputs: [...loadedYears.flatMap((r) => r.ledgers.inputs), ...budgetInputs],
    declared: declaredAmounts(ws),
    ...(needsHistory ? { history } : {}),
    ...(budget ? { budget } : {}),
  });
  // A part of the year is named by its months: "jan–aug 2013".
  const report = windows.size
    ? {
        ...built,
        periods: built.years.map((y) => ({ year: y, ...windows.get(y)!, label: partLabel(windows.get(y)!) })),
      }
    : built;
  diagnostics.push(
    ...equalityProblems(
      report,
      { ...layout, spec },
      loadedYears.map((r) => r.data),
    ),
  );
  const explanations =
    options.explain &&
    explainAll(
      {
        layout: { ...spec, statements: spec.statements.map((s) => ({ ...s, rows: s.rows.filter((r) => !r.carry) })) },
        data: current.data,
        chart: ws.chart,
        entities: ws.entities,
        printed: () => undefined,
        declared: declaredAmounts(ws).get(year) ?? new Map(),
        counterpartyNames: new Map([
          ...ws.members.map((m) => [m.code, m.name] as const),
          ...ws.entities.map((e) => [e.id, e.name] as const),
        ]),
      },
      report.statements,
    );
  return { report, diagnostics, fatal: false, ...(explanations ? { explanations } : {}) };
}

/**
 * Every problem of the workspace in one run: the files, every year's ledgers (or one year's),
 * continuity between consecutive years, layout coverage, internal pairs, unused accounts.
 */
export async function runCheck(dir: string, year?: number, options: RunOptions = {}): Promise<PipelineResult> {
  const koncern = await loadKoncernWorkspace(dir, options);
  if (koncern.isKoncern) return koncernCheck(koncern, year, options);
  const loaded = await loadWorkspace(dir, options);
  // SIE files carry last year's balances: checked, and counted as use of the chart, with the rest.
  const ws = loaded.value && (await withPriorYearFromSie(loaded.value, year ?? loaded.value.years[0] ?? 0));
  if (!ws || loaded.diagnostics.some(isFatal)) return { diagnostics: loaded.diagnostics, fatal: true };
  return checkWorkspace(ws, year, loaded.diagnostics, options, (y) => loadLayout(ws, y));
}

/** `check` straight from SIE files: the workspace the report would make of them, checked alike. */
export const runCheckZeroConfig = (files: readonly string[], options: ZeroConfigOptions, run: RunOptions = {}) =>
  fromSie(files, options, (made, diagnostics) =>
    checkWorkspace(made.workspace, options.year, diagnostics, run, async () => ({
      value: made.layout,
      diagnostics: [],
    })),
  );

async function checkWorkspace(
  ws: Workspace,
  year: number | undefined,
  loadedDiagnostics: readonly Diagnostic[],
  options: RunOptions,
  layoutFor: (year: number) => Promise<Loaded<Layout>>,
): Promise<PipelineResult> {
  if (year !== undefined && !ws.years.includes(year)) {
    return { fatal: true, diagnostics: [...loadedDiagnostics, missingYear(ws, year)] };
  }
  const diagnostics = [...loadedDiagnostics];
  const summary = { years: [] as number[], postings: 0, vouchers: 0 };
  const files = new Set<string>();
  const layouts = new Map<string, Loaded<Layout>>();
  const used = new Set<string>();
  let prior: LoadedYear | undefined;
  if (options.period !== undefined && year === undefined)
    throw new UsageError("--period names a part of a year: give the year too, e.g. check 2013 --period jan-aug");
  const windows = year === undefined ? new Map<number, Period>() : windowsFor(ws, year, options.period);
  const load = (y: number) => ({ ...options, ...(windows.get(y) ? { window: windows.get(y)! } : {}) });
  if (year !== undefined && ws.years.includes(year - 1))
    prior = await consolidateYear(ws, year - 1, { ...load(year - 1), keepReaders: true });
  for (const y of year === undefined ? ws.years : [year]) {
    const key =
      Object.keys(ws.definition.layouts)
        .filter((k) => Number(k) <= y)
        .sort()
        .pop() ?? "";
    if (!layouts.has(key)) {
      const layout = await layoutFor(y);
      layouts.set(key, layout);
      for (const d of layout.diagnostics) diagnostics.push(d);
    }
    const layout = layouts.get(key)!.value;
    const current = await consolidateYear(ws, y, load(y), prior?.data.year === y - 1 ? prior : undefined);
    for (const d of current.diagnostics) diagnostics.push(d);
    summary.years.push(y);
    summary.postings += current.ledgers.postings;
    summary.vouchers += current.ledgers.vouchers;
    for (const input of current.ledgers.inputs) files.add(input.path);
    if (layout) {
      for (const d of coverage(ws, layout, current)) diagnostics.push(d);
      const report = buildReport({
        name: ws.name,
        layout: layout.spec,
        years: [current.data],
        entities: ws.entities,
        members: ws.members,
        inputs: [],
        declared: declaredAmounts(ws),
      });
      for (const d of equalityProblems(report, layout, [current.data])) diagnostics.push(d);
      if (ws.definition.years[String(y)]?.budgets?.length)
        for (const d of (await loadBudgets(ws, y, layout.spec)).diagnostics) diagnostics.push(d);
    }
    if (ws.definition.fees?.length) for (const d of (await feesOf(ws, y, current)).diagnostics) diagnostics.push(d);
    if (prior?.data.year === y - 1 && !windows.size)
      for (const d of continuity(ws, current, prior)) diagnostics.push(d);
    for (const account of accountsWithAmounts(current.data.entityRows)) used.add(account);
    prior = current;
  }
  // Unused accounts are worth a warning only when no line was refused: a refused line's account
  // would look unused.
  if (year === undefined && !diagnostics.some((d) => d.severity === "error")) {
    const { closing } = ws.definition;
    const exempt = new Set([
      closing.resultAccount,
      closing.retainedEarningsAccount,
      ...ws.internalKinds.map((k) => k.differenceAccount),
    ]);
    for (const d of unusedAccounts(ws.chart, used, exempt)) diagnostics.push(d);
  }
  return {
    diagnostics: byCause(diagnostics),
    fatal: diagnostics.some(isFatal),
    summary: { ...summary, entities: ws.entities.length, files: files.size },
  };
}

type LoadedKoncern = Awaited<ReturnType<typeof loadKoncernWorkspace>>;

/** A kommunkoncern's workspace, or why it cannot be used (exit 2). */
function usableKoncern(loaded: LoadedKoncern, year: number | undefined): KoncernWorkspace | Diagnostic[] {
  const kws = loaded.value;
  if (!kws || loaded.diagnostics.some((d) => isFatal(d) || d.code.startsWith("E-KONCERN"))) return loaded.diagnostics;
  if (year !== undefined && !kws.years.includes(year))
    return [
      ...loaded.diagnostics,
      {
        code: "E-WORKSPACE-YEAR",
        severity: "error",
        message: `the kommunkoncern has no ledgers for ${year}`,
        file: kws.file,
        hint: `Years with ledgers: ${kws.years.join(", ") || "none"}. Add the year's files under each entity's "ledgers".`,
      },
    ];
  return kws;
}

async function koncernReport(loaded: LoadedKoncern, year: number, options: RunOptions): Promise<PipelineResult> {
  if (options.budget)
    throw new UsageError(
      "--budget follows a federation's units up against their budgets: a kommunkoncern's statements have no budget files to read",
    );
  const kws = usableKoncern(loaded, year);
  if (Array.isArray(kws)) return { diagnostics: kws, fatal: true };
  const run = await runKoncern(kws, year, options);
  return {
    report: run.report,
    diagnostics: byCause([...loaded.diagnostics, ...run.diagnostics]),
    fatal: false,
    ...(run.explanations ? { explanations: run.explanations } : {}),
  };
}

async function koncernCheck(
  loaded: LoadedKoncern,
  year: number | undefined,
  options: RunOptions,
): Promise<PipelineResult> {
  const kws = usableKoncern(loaded, year);
  if (Array.isArray(kws)) return { diagnostics: kws, fatal: true };
  const diagnostics = [...loaded.diagnostics];
  const summary = { years: [] as number[], postings: 0, vouchers: 0 };
  const files = new Set<string>();
  for (const y of year === undefined ? kws.years : [year]) {
    const run = await runKoncern(kws, y, options);
    diagnostics.push(...run.diagnostics);
    summary.years.push(y);
    summary.postings += run.postings;
    summary.vouchers += run.vouchers;
    for (const f of run.files) files.add(f);
  }
  const unique = [...new Map(diagnostics.map((d) => [JSON.stringify(d), d])).values()];
  return {
    diagnostics: byCause(unique),
    fatal: false,
    summary: { ...summary, files: files.size, entities: kws.definition.entities.length },
  };
}

/** Each member's fees for the year from the workspace's fee models, beside the booked fees. */
export async function runFees(
  dir: string,
  year: number,
  options: RunOptions = {},
): Promise<{ fees?: FeeReport; diagnostics: readonly Diagnostic[]; fatal: boolean }> {
  if ((await loadKoncernWorkspace(dir, options)).isKoncern)
    throw new UsageError(
      "member fees are a kommunalförbund's: this workspace is a kommunkoncern (its consolidate.json names a parent)",
    );
  const loaded = await loadWorkspace(dir, options);
  const ws = loaded.value;
  if (!ws || loaded.diagnostics.some(isFatal)) return { diagnostics: loaded.diagnostics, fatal: true };
  if (!ws.years.includes(year)) return { fatal: true, diagnostics: [...loaded.diagnostics, missingYear(ws, year)] };
  if (!ws.definition.fees?.length)
    throw new UsageError(
      'the workspace declares no fee models: describe how members pay in consolidate.json ("fees": [ { "id", "label", "entity", "accounts", "years": { "2013": { "perInhabitant": "73.00" } } } ])',
    );
  const current = await consolidateYear(ws, year, options);
  const { report, diagnostics } = await feesOf(ws, year, current);
  return { fees: report, diagnostics: [...loaded.diagnostics, ...current.diagnostics, ...diagnostics], fatal: false };
}

async function feesOf(ws: Workspace, year: number, current: LoadedYear) {
  // Read again for positions only: a fee model's problems point at its year in consolidate.json.
  const file = inWorkspace(ws.dir, "consolidate.json");
  const { doc } = await readJson(file, file, { comments: true });
  const { populations, diagnostics } = await loadPopulations(ws, year);
  const fees = computeFees({
    name: ws.name,
    year,
    fees: ws.definition.fees ?? [],
    members: ws.members,
    populations,
    entityRows: current.data.entityRows.rows(),
    file,
    ...(doc ? { locate: doc.locate } : {}),
  });
  return { ...fees, diagnostics: [...diagnostics, ...fees.diagnostics] };
}
