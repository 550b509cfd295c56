/**
 * Reading a kommunkoncern workspace: consolidate.json with a parent, and each entity's ledgers per
 * year (SIE, CSV, JSON or xlsx, through the same readers and bookkeeping rules as a federation's),
 * mapped to the group lines.
 */
import { readFileSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { accountMatcher } from "../domain/accounts.js";
import {
  DEFAULT_EQUITY_ACCOUNTS,
  defaultInternalKinds,
  type GroupDefinition,
  type SourceSpec,
} from "../domain/config.js";
import type { Account, Diagnostic } from "../domain/types.js";
import type { BalanceRow } from "../domain/balance.js";
import { DEFAULT_NUMBER_FORMAT } from "../read/amount.js";
import { readJson } from "../read/json.js";
import { openingBalanceProblems } from "../validate/opening-balance.js";
import { validateSchema } from "../validate/schema.js";
import { loadPostings, loadYear, type InputFile, type LoadOptions } from "../model/ledger.js";
import { readSieHeader } from "../model/sie/header.js";
import { SIE_EXTENSIONS } from "../model/sie/ledger.js";
import { chartFamily, chartOf } from "../model/zero-config.js";
import {
  fileProblem,
  GROUP_FILE,
  inWorkspace,
  loadChart,
  namedPairs,
  pathsOutside,
  type LoadWorkspaceOptions,
  type Workspace,
} from "../model/workspace.js";
import { fromOre, ZERO } from "./decimal.js";
import { sourcesOf, type KoncernDefinition, type KoncernEntity } from "./definition.js";
import { BUILT_IN_MAPPINGS, compileMapping, lineOf, type MappingRule } from "./lines.js";
import type { EntityRow } from "./matrix.js";
import { definitionProblems } from "./validate.js";

export interface KoncernWorkspace {
  readonly dir: string;
  readonly file: string;
  readonly definition: KoncernDefinition;
  readonly locate: (pointer: string) => { line: number; column: number };
  /** Years some entity has ledgers for, ascending. */
  readonly years: readonly number[];
}

/**
 * The workspace's consolidate.json when it defines a kommunkoncern (it names a parent);
 * `isKoncern: false` for any other file, which the federation loader reads and judges.
 */
export async function loadKoncernWorkspace(
  dir: string,
  options: LoadWorkspaceOptions = {},
): Promise<{ isKoncern: boolean; value?: KoncernWorkspace; diagnostics: Diagnostic[] }> {
  const file = join(dir, GROUP_FILE);
  if ((await fileProblem(file, file)) || !mayNameParent(file)) return { isKoncern: false, diagnostics: [] };
  const { doc } = await readJson(file, file, { comments: true });
  const value = doc?.value as { parent?: unknown } | undefined;
  if (!doc || typeof value !== "object" || value === null || !("parent" in value))
    return { isKoncern: false, diagnostics: [] };
  const schema = validateSchema("koncern", doc.value, file, doc.locate).map((d) => ({
    ...d,
    code: "E-WORKSPACE-SCHEMA",
  }));
  if (schema.length) return { isKoncern: true, diagnostics: schema };
  const definition = doc.value as KoncernDefinition;
  const outside = pathsOutside(dir, namedPairs(namedPaths(definition)), doc.locate, options.allowOutside);
  if (outside.length) return { isKoncern: true, diagnostics: outside };
  const years = [...new Set(definition.entities.flatMap((e) => Object.keys(e.ledgers).map(Number)))].sort(
    (a, b) => a - b,
  );
  const ws = { dir, file, definition, locate: doc.locate, years };
  return { isKoncern: true, value: ws, diagnostics: definitionProblems(ws) };
}

/**
 * False when the file's text cannot name a parent: a federation's consolidate.json is then not
 * parsed twice (a thousand entities: 15 ms). A key may be written with \u escapes; the other
 * escapes make no letter.
 */
function mayNameParent(file: string): boolean {
  try {
    const text = readFileSync(file, "utf8");
    return text.includes('"parent"') || text.includes("\\u");
  } catch {
    return true; // the parser says what is wrong
  }
}

function namedPaths(def: KoncernDefinition): [string, string][] {
  return def.entities.flatMap((e, i) => [
    ...(e.mapping ? [[`/entities/${i}/mapping`, e.mapping] as [string, string]] : []),
    ...(e.accounts ? [[`/entities/${i}/accounts`, e.accounts] as [string, string]] : []),
    ...(["ledgers", "openingBalances"] as const).flatMap((kind) =>
      Object.keys(e[kind] ?? {}).flatMap((year) =>
        sourcesOf(e, Number(year), kind).map(
          (s, k) => [`/entities/${i}/${kind}/${year}/${k}`, s.path] as [string, string],
        ),
      ),
    ),
  ]);
}

export interface EntityLedger {
  readonly rows: readonly EntityRow[];
  /** The ledger as read, per account and counterparty (a saldobalans), with its chart. */
  readonly ledger?: {
    readonly rows: readonly BalanceRow[];
    readonly chart: ReadonlyMap<string, Account>;
    /** The group line each account lands on. */
    readonly lineOf: (account: string) => string | undefined;
  };
  readonly postings: number;
  readonly vouchers: number;
  readonly inputs: readonly InputFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * An entity's trial balance of a year on the group lines, at 100 %. A year without files of its
 * own is read from the next year's SIE files (#RAR -1), as accounting programs export them.
 */
export async function loadEntityYear(
  kws: KoncernWorkspace,
  entity: KoncernEntity,
  year: number,
  options: LoadOptions = {},
): Promise<EntityLedger> {
  const sources = yearSources(kws, entity, year);
  if (sources.length === 0)
    return {
      rows: [],
      inputs: [],
      postings: 0,
      vouchers: 0,
      diagnostics: [
        {
          code: "E-KONCERN-LEDGER",
          severity: "error",
          message: `${entity.name} has no ledger for ${year}`,
          file: kws.file,
          ...kws.locate(`/entities/${kws.definition.entities.indexOf(entity)}/ledgers`),
          hint: `Add the year's file under "ledgers" of entity ${entity.id}, or give the next year's SIE export, which carries this year as #RAR -1.`,
        },
      ],
    };
  const chart = await chartFor(kws, entity, sources);
  if (!chart.value) return { rows: [], inputs: [], postings: 0, vouchers: 0, diagnostics: chart.diagnostics };
  const ws = entityWorkspace(kws, entity, year, sources, chart.value);
  const { ledgers, diagnostics } = await loadYear(ws, year, options);
  const mapping = await mappingFor(kws, entity);
  // An opening balance sheet that does not balance is said here; the matrix column then cannot balance.
  const opening = openingBalanceProblems(year, ledgers.openingImbalances, undefined, ws.definition.closing);
  const all = [...chart.diagnostics, ...diagnostics, ...opening.diagnostics, ...mapping.diagnostics];
  const counterpartyOf = groupCounterparty(kws, entity);
  const internal = (cp: string) => cp !== "" && cp !== entity.id;
  const postings = await loadPostings(ws, year, (p) => internal(counterpartyOf(p.account, p.counterparty)));
  const sourcesByKey = new Map<string, string[]>();
  for (const p of postings) {
    const key = `${p.account}|${p.counterparty}`;
    const at = `${relative(kws.dir, p.source.file) || p.source.file}:${p.source.line ?? 0}`;
    sourcesByKey.set(key, [...(sourcesByKey.get(key) ?? []), at]);
  }
  const rows: EntityRow[] = [];
  const unmapped = new Set<string>();
  for (const r of ledgers.rows) {
    const opening = fromOre(r.opening);
    const closing = opening.plus(fromOre(r.debit + r.credit));
    if (opening.isZero() && closing.isZero()) continue;
    const line = mapping.map(r.account);
    if (!line) {
      unmapped.add(r.account);
      continue;
    }
    const counterparty = counterpartyOf(r.account, r.counterparty);
    rows.push({
      account: r.account,
      line,
      counterparty,
      opening: lineOf(line)?.kind === "income" ? ZERO : opening,
      closing: lineOf(line)?.kind === "income" ? closing.minus(opening) : closing,
      sources: internal(counterparty) ? (sourcesByKey.get(`${r.account}|${r.counterparty}`) ?? []) : [],
    });
  }
  for (const account of unmapped) all.push(unmappedAccount(kws, entity, account, chart.value.get(account)));
  return {
    rows,
    ledger: { rows: ledgers.rows.rows(), chart: chart.value, lineOf: mapping.map },
    inputs: ledgers.inputs,
    postings: ledgers.postings,
    vouchers: ledgers.vouchers,
    diagnostics: all,
  };
}

function yearSources(kws: KoncernWorkspace, entity: KoncernEntity, year: number): SourceSpec[] {
  const codes = entity.counterparties ? { counterparties: entity.counterparties } : {};
  const own = sourcesOf(entity, year);
  if (own.length) return own.map((s) => ({ ...codes, ...s }));
  const next = sourcesOf(entity, year + 1);
  if (next.length && next.every((s) => SIE_EXTENSIONS.has(extname(s.path).toLowerCase())))
    return next.map((s) => ({ ...codes, ...s, rar: -1 as const }));
  return [];
}

async function chartFor(
  kws: KoncernWorkspace,
  entity: KoncernEntity,
  sources: readonly SourceSpec[],
): Promise<{ value?: Map<string, Account>; diagnostics: Diagnostic[] }> {
  if (entity.accounts) {
    const path = inWorkspace(kws.dir, entity.accounts);
    const chart = await loadChart(path, path, {});
    return { ...(chart.value ? { value: chart.value } : {}), diagnostics: chart.diagnostics };
  }
  const sie = sources.filter((s) => SIE_EXTENSIONS.has(extname(s.path).toLowerCase()));
  const headers = [];
  const diagnostics: Diagnostic[] = [];
  for (const s of sie) {
    const { header, diagnostics: found } = await readSieHeader(inWorkspace(kws.dir, s.path), true);
    for (const d of found) if (d.code === "E-FILE-UNREADABLE") diagnostics.push(d);
    if (header) headers.push(header);
  }
  if (diagnostics.length) return { diagnostics };
  if (sie.length < sources.length)
    return {
      diagnostics: [
        {
          code: "E-KONCERN-LEDGER",
          severity: "error",
          message: `${entity.name}: ledgers that are not SIE files need the entity's chart of accounts`,
          file: kws.file,
          hint: `Add "accounts": "PATH" (a chart CSV or JSON, as a federation's chart) to entity ${entity.id}.`,
        },
      ],
    };
  return { value: chartOf(headers, chartFamily(headers)), diagnostics };
}

/** A workspace of one entity and year, for the federation's readers and bookkeeping rules. */
function entityWorkspace(
  kws: KoncernWorkspace,
  entity: KoncernEntity,
  year: number,
  sources: readonly SourceSpec[],
  chart: ReadonlyMap<string, Account>,
): Workspace {
  const differenceAccounts = { result: "3999", balance: "2999" };
  const others = kws.definition.entities.filter((e) => e.id !== entity.id);
  // Counterparty codes of a CSV or JSON ledger, and other entities' ids, are known counterparties.
  const codes = (entity.counterparties ?? [])
    .filter((c) => c.dimension === undefined)
    .flatMap((c) => Object.keys(c.codes ?? {}));
  const members = [
    ...others.map((e) => ({ code: e.id, name: e.name })),
    ...codes.map((code) => ({ code, name: code })),
  ];
  const definition: GroupDefinition = {
    name: entity.name,
    chart: "",
    layouts: {},
    closing: { resultAccount: "2099", retainedEarningsAccount: "2098", equityAccounts: DEFAULT_EQUITY_ACCOUNTS },
    internal: { differenceAccounts },
    entities: [{ id: entity.id, name: entity.name }],
    members,
    years: { [year]: { ledgers: sources, openingBalances: sourcesOf(entity, year, "openingBalances") } },
  };
  return {
    dir: kws.dir,
    definition,
    name: entity.name,
    chart,
    entities: definition.entities,
    members,
    numberFormat: DEFAULT_NUMBER_FORMAT,
    csv: {},
    tolerance: 0n,
    internalKinds: defaultInternalKinds(differenceAccounts),
    years: [year],
  };
}

/**
 * A ledger row's counterparty as the group knows it: an entity's id, or "" for anyone outside. A
 * CSV counterparty code maps through the entity's codes; an account kept for one koncernföretag
 * (BAS 1660, 2460 …) names it; SIE objects were mapped when the file was read.
 */
function groupCounterparty(kws: KoncernWorkspace, entity: KoncernEntity): (account: string, cp: string) => string {
  const byAccount = (entity.counterparties ?? [])
    .filter((c) => c.accounts && c.entity)
    .map((c) => ({ matches: accountMatcher(c.accounts), entity: c.entity! }));
  const codes = (entity.counterparties ?? []).filter((c) => c.dimension === undefined && c.codes);
  return (account, cp) => {
    if (cp !== "") {
      for (const c of codes) if (c.codes![cp]) return c.codes![cp]!;
      return kws.definition.entities.some((e) => e.id === cp) ? cp : "";
    }
    return byAccount.find((r) => r.matches(account))?.entity ?? "";
  };
}

async function mappingFor(
  kws: KoncernWorkspace,
  entity: KoncernEntity,
): Promise<{ map: (account: string) => string | undefined; diagnostics: Diagnostic[] }> {
  if (!entity.mapping) return { map: compileMapping(BUILT_IN_MAPPINGS[entity.chart]), diagnostics: [] };
  const path = inWorkspace(kws.dir, entity.mapping);
  const problem = await fileProblem(path, path);
  if (problem) return { map: () => undefined, diagnostics: [problem] };
  const { doc, diagnostics } = await readJson(path, path, { comments: true });
  if (!doc) return { map: () => undefined, diagnostics };
  const schema = validateSchema("mapping", doc.value, path, doc.locate);
  if (schema.length) return { map: () => undefined, diagnostics: schema };
  return { map: compileMapping((doc.value as { rules: MappingRule[] }).rules), diagnostics: [] };
}

function unmappedAccount(kws: KoncernWorkspace, entity: KoncernEntity, account: string, a?: Account): Diagnostic {
  return {
    code: "E-KONCERN-UNMAPPED",
    severity: "error",
    message: `${entity.name}: account ${account}${a?.name ? ` ${a.name}` : ""} has a balance but lands on no group line`,
    ...(a?.source ? { file: a.source.file, ...(a.source.line ? { line: a.source.line } : {}) } : { file: kws.file }),
    hint: entity.mapping
      ? `Add a rule for ${account} to ${entity.mapping}.`
      : `The built-in ${entity.chart} mapping has no line for it: give entity ${entity.id} a "mapping" file.`,
  };
}
