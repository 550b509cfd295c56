import { readdir } from "node:fs/promises";
import { lstatSync, realpathSync, type Stats } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { closest } from "../domain/suggest.js";
import type { Ore } from "../domain/money.js";
import { fiscalYear, type Period } from "../domain/period.js";
import { parsePlainAmount } from "../domain/money.js";
import {
  defaultInternalKinds,
  type GroupDefinition,
  type InternalKind,
  type LayoutSpec,
  type RowSpec,
} from "../domain/config.js";
import type { Account, Diagnostic, Entity, Member } from "../domain/types.js";
import { DEFAULT_NUMBER_FORMAT, type NumberFormat } from "../read/amount.js";
import { readCsv, type CsvDialect } from "../read/csv.js";
import { readableSize } from "../read/files.js";
import { readJson, type JsonDocument } from "../read/json.js";
import { validateSchema } from "../validate/schema.js";
import { inWorkspace, joinPlain, resolvePlain, splitResolved } from "../read/paths.js";

export const GROUP_FILE = "consolidate.json";

export { inWorkspace };

export interface Workspace {
  /** The workspace folder as the user named it; every displayed path starts with it. */
  readonly dir: string;
  readonly definition: GroupDefinition;
  readonly name: string;
  readonly chart: ReadonlyMap<string, Account>;
  readonly entities: readonly Entity[];
  readonly members: readonly Member[];
  readonly numberFormat: NumberFormat;
  /** The workspace's CSV dialect; a source may override it. */
  readonly csv: CsvDialect;
  readonly tolerance: Ore;
  /** Kinds of internal items, the workspace's own first, then result and balance. */
  readonly internalKinds: readonly InternalKind[];
  /** Years with ledgers, ascending. */
  readonly years: readonly number[];
  /** Fiscal years that are not the calendar year nor follow `fiscalYear.start` (from SIE #RAR). */
  readonly periods?: Readonly<Record<string, Period>>;
  /**
   * The sizes of the plain files consolidate.json names, by their path in the workspace
   * (inWorkspace), as the check that they lie inside it found them: a ledger is not looked up again.
   */
  readonly fileSizes?: ReadonlyMap<string, number>;
}

/**
 * What reading a ledger file looks at of a workspace: what each reading thread is sent
 * (model/readers.ts). The lists only the run itself reads stay behind: the entities as declared
 * (their ids and names are in `entities`), each year's ledgers but those a SIE reader asks about
 * (last year's trial balance read from the same file, `rar` -1), budgets and the files' sizes. A
 * thousand ledgers' workspace was a message of 210 kB, 75 kB so: its thread began its first file
 * 10-12 ms after the year's reading began, not 27-39 ms (the copy it received, all of it alive,
 * made its first collection cost 10 ms).
 */
export interface ReadingWorkspace extends Pick<
  Workspace,
  "dir" | "chart" | "entities" | "members" | "numberFormat" | "csv" | "periods"
> {
  readonly definition: Pick<GroupDefinition, "closing" | "fiscalYear" | "years">;
}

export function forReading(ws: Workspace): ReadingWorkspace {
  const { dir, chart, entities, members, numberFormat, csv, periods, definition } = ws;
  const years = Object.entries(definition.years).map(([year, spec]) => [
    year,
    { ledgers: spec.ledgers.filter((s) => s.rar === -1), ...(spec.period ? { period: spec.period } : {}) },
  ]);
  return {
    dir,
    chart,
    entities,
    members,
    numberFormat,
    csv,
    ...(periods ? { periods } : {}),
    definition: {
      closing: definition.closing,
      ...(definition.fiscalYear ? { fiscalYear: definition.fiscalYear } : {}),
      years: Object.fromEntries(years) as GroupDefinition["years"],
    },
  };
}

/** The fiscal year a report year stands for. */
export const periodOf = (ws: ReadingWorkspace, year: number): Period =>
  ws.periods?.[year] ?? ws.definition.years[String(year)]?.period ?? fiscalYear(year, ws.definition.fiscalYear?.start);

export interface Loaded<T> {
  readonly value?: T;
  readonly diagnostics: Diagnostic[];
}

/** A problem that makes the workspace unusable (exit 2), as opposed to errors in its data. */
export const isFatal = (d: Diagnostic) => d.code.startsWith("E-WORKSPACE") || d.code === "E-FILE-UNREADABLE";

export async function fileProblem(path: string, display: string): Promise<Diagnostic | undefined> {
  const found = await readableFile(path, display);
  return "problem" in found ? found.problem : undefined;
}

/** A file's size when it can be read, else the problem fileProblem gives: the file looked up once. */
export async function readableFile(path: string, display: string): Promise<{ size: number } | { problem: Diagnostic }> {
  const size = readableSize(path);
  if (typeof size === "number") return { size };
  return {
    problem: {
      code: "E-FILE-UNREADABLE",
      severity: "error",
      message: `${display} ${size}`,
      file: display,
      hint: `Check the path in consolidate.json.${await siblingLike(path, display)}`,
    },
  };
}

/** " Did you mean ledgers/2013/navet.csv?" for a file name mistyped or in the wrong case. */
async function siblingLike(path: string, display: string): Promise<string> {
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  const near = closest(basename(path), names);
  return near === undefined ? "" : ` Did you mean ${join(dirname(display), near)}?`;
}

async function loadJsonWithSchema<T>(
  path: string,
  display: string,
  schema: "group" | "layout" | "chart",
): Promise<Loaded<T> & { locate?: JsonDocument["locate"] }> {
  const problem = await fileProblem(path, display);
  if (problem) return { diagnostics: [problem] };
  const { doc, diagnostics } = await readJson(path, display, { comments: schema !== "chart" });
  if (!doc) return { diagnostics };
  const schemaErrors = validateSchema(schema, doc.value, display, doc.locate);
  return schemaErrors.length
    ? { diagnostics: schemaErrors }
    : { value: doc.value as T, diagnostics: [], locate: doc.locate };
}

/** A layout with the file it came from, so that problems with it can point into the file. */
export interface Layout {
  readonly spec: LayoutSpec;
  readonly file: string;
  locate(pointer: string): { line: number; column: number };
}

/**
 * Paths a definition names, and where it names each: the JSON pointer made only when asked for,
 * for a path that is shown (a thousand ledgers' pointers made ahead took 6 ms of the start).
 */
export interface NamedPaths {
  readonly paths: readonly string[];
  pointer(k: number): string;
}

/** NamedPaths of (pointer, path) pairs. */
export const namedPairs = (pairs: readonly (readonly [string, string])[]): NamedPaths => ({
  paths: pairs.map((pair) => pair[1]),
  pointer: (k) => pairs[k]![0],
});

const LISTED_FILES = ["ledgers", "openingBalances", "budgets", "forecasts"] as const;

/** Every path consolidate.json names, in runs: each run's pointers made from a path's place in it. */
function namedPaths(def: GroupDefinition): NamedPaths {
  const paths: string[] = [];
  const runs: { start: number; pointer: (i: number) => string }[] = [];
  const run = (pointer: (i: number) => string, ...named: string[]) => {
    runs.push({ start: paths.length, pointer });
    for (const path of named) paths.push(path);
  };
  run(() => "/chart", def.chart);
  for (const [year, layout] of Object.entries(def.layouts)) run(() => `/layouts/${year}`, layout);
  for (const [year, spec] of Object.entries(def.years)) {
    for (const kind of LISTED_FILES) {
      const sources = spec[kind] ?? [];
      run((i) => `/years/${year}/${kind}/${i}/path`);
      for (let i = 0; i < sources.length; i++) paths.push(sources[i]!.path);
    }
    const populations = spec.populations;
    if (populations && "path" in populations && typeof populations.path === "string")
      run(() => `/years/${year}/populations/path`, populations.path);
  }
  return {
    paths,
    pointer(k) {
      // The last run that starts at or before k (an empty run starts where the next one does).
      let r = runs.length - 1;
      while (runs[r]!.start > k) r--;
      return runs[r]!.pointer(k - runs[r]!.start);
    },
  };
}

/** The real path of a file, or of its nearest existing folder with the rest appended. */
function realPath(path: string): string {
  const rest: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      return join(realpathSync.native(at), ...rest);
    } catch {
      const parent = dirname(at);
      if (parent === at) return resolve(path);
      rest.unshift(basename(at));
      at = parent;
    }
  }
}

/**
 * Real paths, each found once: a workspace's files are checked against its folder, then against
 * each other. A file that is no symbolic link lies where its folder really lies: one lstat for
 * it, and its folder's real path found once for all its files (a thousand ledgers of one folder
 * took a realpath each, 20-30 ms).
 */
export class RealPaths {
  readonly #known = new Map<string, string>();
  readonly #sizes = new Map<string, number>();

  of(path: string): string {
    let real = this.#known.get(path);
    if (real === undefined) this.#known.set(path, (real = this.#find(path)));
    return real;
  }

  /** The sizes of the files found to be plain files (no symbolic link), by the path they were asked for. */
  get sizes(): ReadonlyMap<string, number> {
    return this.#sizes;
  }

  #find(asked: string): string {
    const path = resolvePlain(asked);
    const { folder, name } = splitResolved(path);
    if (folder === path) return realPath(path);
    const size = plainFiles.get(path) ?? plainSize(path);
    if (size === undefined) return realPath(path);
    if (size >= 0) this.#sizes.set(asked, size);
    return joinPlain(this.of(folder), name);
  }
}

/**
 * Plain files the process looked up as it started (src/start/early-readers.ts), by their full path:
 * their sizes. RealPaths takes them as it found them, rather than look each up once more here
 * (a large year's ledgers: all of them, about 20 µs each here, before a file can be read).
 */
let plainFiles: ReadonlyMap<string, number> = new Map();

export function adoptPlainFiles(found: ReadonlyMap<string, number>): void {
  plainFiles = found;
}

/**
 * The size of a plain file; -1 for a folder or any other entry that is no symbolic link; undefined
 * for a link, or when that cannot be told.
 */
function plainSize(path: string): number | undefined {
  const found = noLink(path);
  return found === undefined ? undefined : found.isFile() ? found.size : -1;
}

/** What is at a path when it is there and no symbolic link; undefined also when that cannot be told. */
function noLink(path: string): Stats | undefined {
  try {
    const found = lstatSync(path, { throwIfNoEntry: false });
    return found?.isSymbolicLink() === false ? found : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a real path lies in a real folder: most do, and are told without working out a relative path. */
const isInside = (path: string, folder: string) => {
  if (path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep)) return true;
  const r = relative(folder, path);
  return r === "" || (!r.startsWith("..") && !isAbsolute(r));
};

/**
 * Every path of a workspace stays inside its folder (real paths: a symbolic link that leads out
 * leads out), unless the user allowed a folder outside with --allow-outside. A pull request that
 * names /proc/self/environ or ../../etc/passwd as a ledger must not get its contents echoed back.
 */
export const pathProblems = (
  dir: string,
  def: GroupDefinition,
  locate: (pointer: string) => { line: number; column: number },
  allowOutside: readonly string[] = [],
  real?: RealPaths,
): Diagnostic[] => pathsOutside(dir, namedPaths(def), locate, allowOutside, real);

/** The paths a definition names that lie outside the workspace and the allowed folders. */
export function pathsOutside(
  dir: string,
  named: NamedPaths,
  locate: (pointer: string) => { line: number; column: number },
  allowOutside: readonly string[] = [],
  real = new RealPaths(),
): Diagnostic[] {
  const folders = [dir, ...allowOutside].map(realPath);
  const file = join(dir, GROUP_FILE);
  const out: Diagnostic[] = [];
  // A plain loop: it runs once, for every path of a thousand ledgers, before V8 optimizes it.
  for (let k = 0; k < named.paths.length; k++) {
    const path = named.paths[k]!;
    const at = real.of(inWorkspace(dir, path));
    let inside = false;
    for (let f = 0; f < folders.length && !inside; f++) inside = isInside(at, folders[f]!);
    if (inside) continue;
    out.push({
      code: "E-WORKSPACE-PATH",
      severity: "error",
      message: `${JSON.stringify(path.length > 80 ? `${path.slice(0, 80)}…` : path)} lies outside the workspace folder: it is not read`,
      file,
      ...locate(named.pointer(k)),
      hint: "Keep the workspace's files inside its folder; to read files elsewhere on purpose, name their folder with --allow-outside FOLDER.",
    });
  }
  return out;
}

export interface LoadWorkspaceOptions {
  /** Folders outside the workspace that its paths may name. */
  readonly allowOutside?: readonly string[];
}

export async function loadWorkspace(dir: string, options: LoadWorkspaceOptions = {}): Promise<Loaded<Workspace>> {
  const groupPath = join(dir, GROUP_FILE);
  const group = await loadJsonWithSchema<GroupDefinition>(groupPath, groupPath, "group");
  if (!group.value) {
    const missing = group.diagnostics.find((d) => d.code === "E-FILE-UNREADABLE");
    if (missing) {
      return {
        diagnostics: [
          {
            code: "E-WORKSPACE-MISSING",
            severity: "error",
            message: `no workspace at ${dir}: ${GROUP_FILE} ${missing.message.slice(groupPath.length + 1)}`,
            file: groupPath,
            hint: 'Run in a workspace folder or pass --dir PATH (see README, "Workspace").',
          },
        ],
      };
    }
    return {
      diagnostics: group.diagnostics.map((d) => ({
        ...d,
        code:
          d.code === "E-SCHEMA"
            ? "E-WORKSPACE-SCHEMA"
            : d.code === "E-JSON-DUPLICATE-KEY"
              ? "E-WORKSPACE-DUPLICATE-KEY"
              : "E-WORKSPACE-SYNTAX",
      })),
    };
  }
  const def = group.value;
  const real = new RealPaths();
  const outside = pathProblems(dir, def, group.locate ?? (() => ({ line: 1, column: 1 })), options.allowOutside, real);
  if (outside.length) return { diagnostics: outside };
  const chart = await loadChart(inWorkspace(dir, def.chart), inWorkspace(dir, def.chart), def);
  const diagnostics = [...chart.diagnostics];
  const tolerance = parsePlainAmount(def.internal.tolerance ?? "0") ?? 0n;
  const numberFormat: NumberFormat = { ...DEFAULT_NUMBER_FORMAT, ...def.numberFormat };
  if (numberFormat.decimal === numberFormat.thousands) {
    diagnostics.push({
      code: "E-WORKSPACE-NUMBER-FORMAT",
      severity: "error",
      message: `numberFormat declares '${numberFormat.decimal}' as both decimal and thousands separator`,
      file: groupPath,
      hint: "Use a decimal comma with space or point thousands, or a decimal point with space or no thousands.",
    });
  }
  const entities = def.entities.map((e) => ({ id: e.id, name: e.name }));
  const locate = group.locate ?? (() => ({ line: 1, column: 1 }));
  diagnostics.push(...duplicateIds(def, groupPath, locate), ...filesListedTwice(dir, def, groupPath, locate, real));
  for (const acc of [
    ...(def.internal.kinds ?? []).map((k) => k.differenceAccount),
    def.closing.resultAccount,
    def.closing.retainedEarningsAccount,
    def.internal.differenceAccounts.result,
    def.internal.differenceAccounts.balance,
  ]) {
    if (chart.value && !chart.value.has(acc)) {
      diagnostics.push({
        code: "E-WORKSPACE-ACCOUNT",
        severity: "error",
        message: `account ${acc} named in ${GROUP_FILE} is not in the chart of accounts`,
        file: groupPath,
        hint: "The closing and internal-difference accounts must exist in the chart.",
      });
    }
  }
  if (!chart.value) return { diagnostics };
  return {
    diagnostics,
    value: {
      dir,
      definition: def,
      name: def.name,
      chart: chart.value,
      entities,
      members: (def.members ?? []).map((m) => ({ code: m.code, name: m.name })),
      numberFormat,
      csv: def.csv ?? {},
      tolerance,
      internalKinds: [...(def.internal.kinds ?? []), ...defaultInternalKinds(def.internal.differenceAccounts)],
      years: Object.keys(def.years)
        .map(Number)
        .sort((a, b) => a - b),
      fileSizes: real.sizes,
    },
  };
}

const ACCOUNT_TYPES = new Set(["asset", "liability", "revenue", "expense"]);

export async function loadChart(
  path: string,
  display: string,
  def: Pick<GroupDefinition, "csv">,
): Promise<Loaded<Map<string, Account>>> {
  const chart = new Map<string, Account>();
  const diagnostics: Diagnostic[] = [];
  const add = (row: Account, at: { line: number; column: number }) => {
    row = { ...row, source: { file: display, ...at } };
    if (chart.has(row.number)) {
      diagnostics.push({
        code: "E-CHART-DUPLICATE",
        severity: "error",
        message: `account ${row.number} is defined twice`,
        file: display,
        ...at,
        hint: "Keep one definition per account number.",
      });
    } else chart.set(row.number, row);
  };
  if (extname(path).toLowerCase() === ".json") {
    const loaded = await loadJsonWithSchema<{ accounts: Account[] }>(path, display, "chart");
    if (!loaded.value)
      return {
        diagnostics: loaded.diagnostics.map((d) =>
          d.code === "E-FILE-UNREADABLE" ? { ...d, code: "E-WORKSPACE-CHART" } : d,
        ),
      };
    loaded.value.accounts.forEach((a, i) => add(a, loaded.locate!(`/accounts/${i}`)));
    return { value: chart, diagnostics };
  }
  const problem = await fileProblem(path, display);
  if (problem) return { diagnostics: [{ ...problem, code: "E-WORKSPACE-CHART" }] };
  for await (const batch of readCsv(path, display, def.csv ?? {}))
    for (const item of batch) {
      if ("error" in item) diagnostics.push(item.error);
      else if ("header" in item) {
        const missing = ["number", "name", "type"].filter((c) => !item.header.names.includes(c));
        if (missing.length) {
          diagnostics.push({
            code: "E-CSV-COLUMN-MISSING",
            severity: "error",
            message: `chart lacks column(s) ${missing.join(", ")}`,
            file: display,
            line: item.header.line,
            column: 1,
            hint: "The chart's header is: number,name,type",
          });
          return { diagnostics };
        }
      } else {
        const r = item.record;
        const errs = validateSchema("chart-row", r.fields, display, (ptr) => ({
          line: r.line,
          column: r.columnOf(ptr.slice(1)),
        }));
        diagnostics.push(...errs);
        if (!errs.length && ACCOUNT_TYPES.has(r.fields.type!)) {
          add(
            { number: r.fields.number!, name: r.fields.name!, type: r.fields.type as Account["type"] },
            { line: r.line, column: 1 },
          );
        }
      }
    }
  return { value: chart, diagnostics };
}

/** The layout that applies to a report year: the one keyed by the latest year not after it. */
export async function loadLayout(ws: Workspace, year: number): Promise<Loaded<Layout>> {
  const from = Object.keys(ws.definition.layouts)
    .map(Number)
    .filter((y) => y <= year)
    .sort((a, b) => b - a)[0];
  const groupPath = join(ws.dir, GROUP_FILE);
  if (from === undefined) {
    return {
      diagnostics: [
        {
          code: "E-WORKSPACE-LAYOUT",
          severity: "error",
          message: `no layout applies to ${year}`,
          file: groupPath,
          hint: `Add a layout for ${year} or earlier under "layouts".`,
        },
      ],
    };
  }
  const rel = ws.definition.layouts[String(from)]!;
  const path = inWorkspace(ws.dir, rel);
  const loaded = await loadJsonWithSchema<LayoutSpec>(path, path, "layout");
  if (!loaded.value)
    return {
      diagnostics: loaded.diagnostics.map((d) =>
        d.code === "E-FILE-UNREADABLE" ? { ...d, code: "E-WORKSPACE-LAYOUT" } : d,
      ),
    };
  const locate = loaded.locate!;
  const problems = layoutProblems(loaded.value, ws);
  return {
    value: problems.length ? undefined : { spec: loaded.value, file: path, locate },
    diagnostics: problems.map(({ message, pointer }) => ({
      code: "E-WORKSPACE-LAYOUT",
      severity: "error" as const,
      message,
      file: path,
      ...locate(pointer),
      hint: 'See README, "Layout".',
    })),
  };
}

function layoutProblems(layout: LayoutSpec, ws: Workspace): { message: string; pointer: string }[] {
  const problems: { message: string; pointer: string }[] = [];
  const noteIds = new Set((layout.notes ?? []).map((n) => n.id));
  const entityIds = new Set(ws.entities.map((e) => e.id));
  const checkRows = (where: string, base: string, rows: readonly RowSpec[]) => {
    const byId = new Map<string, RowSpec>();
    const at = (row: RowSpec) => `${base}/rows/${rows.indexOf(row)}`;
    const problem = (row: RowSpec, message: string, field = "") =>
      problems.push({ message: `${where}: ${message}`, pointer: `${at(row)}${field}` });
    for (const row of rows) {
      if (byId.has(row.id)) problem(row, `row id '${row.id}' is used twice`, "/id");
      byId.set(row.id, row);
      if (row.note && !noteIds.has(row.note))
        problem(row, `row '${row.id}' refers to note '${row.note}', which the layout does not define`, "/note");
      for (const sel of row.select ?? []) {
        for (const e of sel.entities ?? [])
          if (!entityIds.has(e)) problem(row, `row '${row.id}' selects unknown entity '${e}'`, "/select");
      }
    }
    for (const row of rows) {
      for (const ref of row.sum ?? [])
        if (!byId.has(ref)) problem(row, `row '${row.id}' sums '${ref}', which is not a row of this table`, "/sum");
    }
    // A sum must not depend on itself, directly or through other sums.
    const state = new Map<string, "visiting" | "done">();
    const visit = (row: RowSpec, path: string[]): void => {
      if (state.get(row.id) === "done") return;
      if (state.get(row.id) === "visiting") {
        problem(row, `sums form a cycle: ${[...path, row.id].join(" → ")}`, "/sum");
        return;
      }
      state.set(row.id, "visiting");
      for (const ref of row.sum ?? []) {
        const next = byId.get(ref);
        if (next) visit(next, [...path, row.id]);
      }
      state.set(row.id, "done");
    };
    for (const row of rows) visit(row, []);
  };
  layout.statements.forEach((s, i) => checkRows(`statement '${s.id}'`, `/statements/${i}`, s.rows));
  (layout.notes ?? []).forEach((n, i) => checkRows(`note '${n.id}'`, `/notes/${i}`, n.rows));
  if (layout.equity) {
    const { statement, row } = layout.equity;
    const spec = layout.statements.find((s) => s.id === statement);
    if (!spec?.rows.some((r) => r.id === row))
      problems.push({ message: `equity: statement '${statement}' has no row '${row}'`, pointer: "/equity" });
  }
  return problems;
}

/**
 * Entity ids and member codes are unique, without regard to case: SIE object ids are matched so
 * ('A' in one file is 'a' in another), and a counterparty must name exactly one of them. Where an
 * id stands in consolidate.json is worked out only for one found twice, as in filesListedTwice
 * (a thousand entities and ledgers, with the pointers made ahead: 2.3 and 4.0 ms; 1.3 and 1.8 ms
 * so, with marks).
 */
function duplicateIds(
  def: Pick<GroupDefinition, "entities" | "members">,
  file: string,
  locate: (pointer: string) => { line: number; column: number },
): Diagnostic[] {
  const { entities } = def;
  const members = def.members ?? [];
  const idAt = (k: number) => (k < entities.length ? entities[k]!.id : members[k - entities.length]!.code);
  const pointerAt = (k: number) => (k < entities.length ? `/entities/${k}/id` : `/members/${k - entities.length}/code`);
  const seen = new Map<string, number>();
  const out: Diagnostic[] = [];
  for (let k = 0; k < entities.length + members.length; k++) {
    const id = idAt(k);
    const first = seen.get(id.toLowerCase());
    if (first === undefined) {
      seen.set(id.toLowerCase(), k);
      continue;
    }
    const { line } = locate(pointerAt(first));
    out.push({
      code: "E-WORKSPACE-DUPLICATE-ID",
      severity: "error",
      message:
        idAt(first) === id
          ? `'${id}' names more than one entity or member (first on line ${line})`
          : `'${id}' and '${idAt(first)}' (line ${line}) differ only in upper and lower case: they name the same entity or member`,
      file,
      ...locate(pointerAt(k)),
      hint: "Entity ids and member codes must be unique, without regard to case (SIE files match object ids so): a counterparty must name exactly one of them.",
    });
  }
  return out;
}

/** The lists of a year whose files are compared with each other (filesListedTwice), and what a file of each is. */
const FILE_LISTS = [
  [
    ["ledgers", "a ledger"],
    ["openingBalances", "an opening balance file"],
  ],
  [["budgets", "a budget"]],
] as const;

/**
 * A file listed twice for a year would be counted twice: compared by real path (a second
 * spelling, a symbolic link), among the ledgers and opening balances, and among the budgets (a SIE
 * file may be both a ledger and, for its #PBUDGET, a budget). A workbook's sheets are files apart.
 */
function filesListedTwice(
  dir: string,
  def: GroupDefinition,
  file: string,
  locate: (pointer: string) => { line: number; column: number },
  real: RealPaths,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [year, spec] of Object.entries(def.years)) {
    for (const lists of FILE_LISTS) {
      // Each file's list (its index in `lists`) and place in it.
      const seen = new Map<string, readonly [number, number]>();
      for (let l = 0; l < lists.length; l++) {
        const sources = spec[lists[l]![0]] ?? [];
        for (let i = 0; i < sources.length; i++) {
          const source = sources[i]!;
          const key = `${real.of(inWorkspace(dir, source.path))}\u0000${(source.sheet ?? "").toLowerCase()}`;
          const first = seen.get(key);
          if (!first) {
            seen.set(key, [l, i]);
            continue;
          }
          const [list, as] = lists[first[0]]!;
          const shown = source.path.length > 80 ? `${source.path.slice(0, 80)}…` : source.path;
          out.push({
            code: "E-WORKSPACE-FILE-TWICE",
            severity: "error",
            message: `${JSON.stringify(shown)} is listed twice for ${year}: it is already ${as} of the year (line ${locate(`/years/${year}/${list}/${first[1]}/path`).line}), and would be counted twice`,
            file,
            ...locate(`/years/${year}/${lists[l]![0]}/${i}/path`),
            hint: "List each file once per year.",
          });
        }
      }
    }
  }
  return out;
}
