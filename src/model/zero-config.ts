import { realpathSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { defaultLayout, type ChartFamily } from "../domain/default-layouts.js";
import { defaultInternalKinds, type GroupDefinition, type SourceSpec } from "../domain/config.js";
import type { Account, AccountType, Diagnostic } from "../domain/types.js";
import { DEFAULT_NUMBER_FORMAT } from "../read/amount.js";
import type { Layout, Loaded, Workspace } from "./workspace.js";
import { dayAfter, type Period } from "../domain/period.js";
import { detectDimensions } from "./sie/dimensions.js";
import { readSieHeader, type SieHeader } from "./sie/header.js";
import { sieDate } from "./sie/scope.js";

/** Kommun-Bas when the file says so (#KPTYP) or books tax revenue on 80xx; BAS otherwise. */
export function chartFamily(headers: readonly SieHeader[]): ChartFamily {
  const declared = headers.map((h) => h.chartType ?? "").join(" ");
  if (/KOMMUN|K-?BAS/i.test(declared)) return "kommun-bas";
  const taxed = headers.some((h) =>
    [...h.accounts].some(([n, a]) => n >= "8000" && n <= "8099" && /skatt/i.test(a.name)),
  );
  return taxed ? "kommun-bas" : "bas";
}

/** An account's type from its number, for files without #KTYP. */
function typeByNumber(account: string, family: ChartFamily): AccountType {
  const n = Number(account.slice(0, 2));
  // Class 0 holds statistics and memo accounts: never an asset of the balance sheet.
  if (n < 10) return "expense";
  if (n < 20) return "asset";
  if (n < 30) return "liability";
  if (n < 40) return "revenue";
  if (n >= 80 && n < (family === "bas" ? 84 : 85)) return "revenue";
  return "expense";
}

/** "Sjuhärads kommunalförbund, Navet" is Navet in a report of Sjuhärads kommunalförbund. */
const unitName = (name: string, group?: string) =>
  group && name.startsWith(`${group}, `) ? name.slice(group.length + 2) : name;

export interface ZeroConfigOptions {
  readonly year: number;
  readonly unitsDimension?: number;
  readonly motpartDimension?: number;
  readonly name?: string;
}

const SYNTHETIC: [string, string, AccountType][] = [
  ["2099", "Årets resultat", "liability"],
  ["2098", "Balanserat resultat", "liability"],
  ["2999", "Differens interna poster", "liability"],
  ["3999", "Differens interna poster", "revenue"],
];

/** The fiscal years the files state: this year from #RAR 0, last year from #RAR -1. */
function periodsOf(headers: readonly SieHeader[], year: number): Record<string, Period> {
  const out: Record<string, Period> = {};
  for (const [index, y] of [
    ["0", year],
    ["-1", year - 1],
  ] as const) {
    // Dates that are no day of the calendar are the file's error (E-SIE-DATE), said where it is read.
    const [start, end] =
      headers
        .map((h) => h.years.get(index))
        .map((p) => (p ? p.map(sieDate).map((d) => ("iso" in d ? d.iso : "")) : []))
        .find(([a, b]) => a && b) ?? [];
    // Only a year that starts in the year asked for: otherwise the file's #RAR check says so.
    if (start && end && start.startsWith(String(y))) out[y] = { start, end };
    // Last year is the fiscal year before this one, however long (a first year of 26 months).
    else if (start && end && index === "-1" && out[year] && dayAfter(end) === out[year]!.start) out[y] = { start, end };
  }
  return out;
}

/** The chart from #KONTO/#KTYP, with the accounts the files use but do not name. */
export function chartOf(headers: readonly SieHeader[], family: ChartFamily): Map<string, Account> {
  const chart = new Map<string, Account>();
  for (const h of headers) {
    for (const [number, a] of h.accounts) {
      if (!chart.has(number) || a.type)
        chart.set(number, {
          number,
          name: a.name,
          type: a.type ?? typeByNumber(number, family),
          source: { file: h.path },
        });
    }
  }
  for (const h of headers)
    for (const number of h.accountsUsed)
      if (!chart.has(number))
        chart.set(number, { number, name: "", type: typeByNumber(number, family), source: { file: h.path } });
  return chart;
}

/**
 * A workspace made from SIE files alone: entities from the files (or from the objects of the
 * units dimension), the chart from #KONTO/#KTYP and the accounts used, members from the
 * counterparty dimension, units and counterparties detected where not given, the fiscal years
 * from #RAR, the built-in layout of the chart's family, and the prior year from #RAR -1.
 */
export async function workspaceFromSie(
  files: readonly string[],
  options: ZeroConfigOptions,
): Promise<
  Loaded<{ workspace: Workspace; layout: Layout; family: ChartFamily; headers: SieHeader[]; notes: string[] }>
> {
  const diagnostics: Diagnostic[] = filesGivenTwice(files);
  if (diagnostics.length) return { diagnostics };
  const headers: SieHeader[] = [];
  for (const file of files) {
    const r = await readSieHeader(file, true);
    // The lines it cannot read are said once, when the file is read as a ledger.
    for (const d of r.diagnostics) if (d.code === "E-FILE-UNREADABLE") diagnostics.push(d);
    if (r.header) headers.push(r.header);
  }
  if (headers.length !== files.length) return { diagnostics };
  const family = chartFamily(headers);
  const chart = chartOf(headers, family);
  const retained = ["2091", "2098"].find((a) => chart.has(a)) ?? "2098";
  // The accounts the closing and the elimination book on, where the chart lacks them.
  for (const [number, name, type] of SYNTHETIC) {
    if (!chart.has(number) && (number !== "2098" || retained === "2098")) chart.set(number, { number, name, type });
  }

  const fileIds = files.map((f) => basename(f, extname(f)));
  const detected = detectDimensions(headers, fileIds, {
    ...(options.unitsDimension ? { units: String(options.unitsDimension) } : {}),
    ...(options.motpartDimension ? { motpart: String(options.motpartDimension) } : {}),
  });
  for (const d of detected.diagnostics) diagnostics.push(d);
  const unitsDim = detected.units;
  const motpart = detected.motpart;
  const entities = unitsDim
    ? [...new Map(headers.flatMap((h) => [...(h.objects.get(unitsDim) ?? [])])).entries()].map(([id, name]) => ({
        id,
        name,
      }))
    : [
        ...new Map(
          headers.map((h) => [
            basename(h.path, extname(h.path)),
            unitName(h.companyName ?? basename(h.path), options.name),
          ]),
        ),
      ].map(([id, name]) => ({ id, name }));
  const entityIds = new Set(entities.map((e) => e.id.toLowerCase()));
  const members = motpart
    ? [...new Map(headers.flatMap((h) => [...(h.objects.get(motpart) ?? [])])).entries()]
        .filter(([code]) => !entityIds.has(code.toLowerCase()))
        .map(([code, name]) => ({ code, name }))
    : [];
  for (const d of idsInCase(headers, unitsDim, motpart, entities, members)) diagnostics.push(d);

  const source = (path: string, prior: boolean): SourceSpec => ({
    path,
    ...(unitsDim ? { unitsDimension: Number(unitsDim) } : { entity: basename(path, extname(path)) }),
    ...(motpart ? { motpartDimension: Number(motpart) } : {}),
    ...(prior ? { rar: -1 } : {}),
  });
  const years: Record<string, { ledgers: SourceSpec[] }> = {
    [options.year]: { ledgers: files.map((f) => source(f, false)) },
  };
  if (headers.every((h) => h.hasPriorYear)) years[options.year - 1] = { ledgers: files.map((f) => source(f, true)) };
  const differenceAccounts = { result: "3999", balance: "2999" };
  const definition: GroupDefinition = {
    name: options.name ?? (unitsDim ? (headers[0]!.companyName ?? "Koncernen") : "Sammanställda räkenskaper"),
    chart: "",
    layouts: {},
    closing: { resultAccount: "2099", retainedEarningsAccount: retained },
    internal: { differenceAccounts },
    entities,
    members,
    years,
  };
  const spec = defaultLayout(family);
  return {
    diagnostics,
    value: {
      family,
      headers,
      notes: detected.notes,
      layout: {
        spec,
        file: `(built-in ${family === "bas" ? "BAS" : "Kommun-Bas"} layout)`,
        locate: () => ({ line: 0, column: 0 }),
      },
      workspace: {
        dir: "",
        definition,
        name: definition.name,
        chart,
        entities,
        members,
        numberFormat: DEFAULT_NUMBER_FORMAT,
        csv: {},
        tolerance: 0n,
        internalKinds: defaultInternalKinds(differenceAccounts),
        years: Object.keys(years)
          .map(Number)
          .sort((a, b) => a - b),
        periods: periodsOf(headers, options.year),
      },
    },
  };
}

/** A file given twice (by another path, or through a link) would be counted twice. */
function filesGivenTwice(files: readonly string[]): Diagnostic[] {
  const seen = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const file of files) {
    let real = resolve(file);
    try {
      real = realpathSync(file);
    } catch {
      // a file that cannot be read is said so where it is read
    }
    const first = seen.get(real);
    if (first === undefined) seen.set(real, file);
    else
      out.push({
        code: "E-WORKSPACE-FILE-TWICE",
        severity: "error",
        message: `${file} is given twice (the first time as ${first}): it would be counted twice`,
        file,
        hint: "Give each SIE file once.",
      });
  }
  return out;
}

/**
 * Units and members are told apart without regard to case, as object ids are matched: two files
 * `A.se` and `a.se`, or objects 'A' and 'a' of the units or counterparty dimension, would be one.
 */
function idsInCase(
  headers: readonly SieHeader[],
  unitsDim: string | undefined,
  motpart: string | undefined,
  entities: readonly { id: string }[],
  members: readonly { code: string }[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (
    ids: readonly string[],
    what: (first: string, second: string) => string,
    fileOf: (id: string) => string,
  ) => {
    const seen = new Map<string, string>();
    for (const id of ids) {
      const first = seen.get(id.toLowerCase());
      if (first === undefined) seen.set(id.toLowerCase(), id);
      else
        out.push({
          code: "E-WORKSPACE-DUPLICATE-ID",
          severity: "error",
          message: what(first, id),
          file: fileOf(id),
          hint: "Unit ids and member codes are compared without regard to case: rename one of them (the file, or the object in the accounting system).",
        });
    }
  };
  const holder = (dim: string) => (id: string) =>
    headers.find((h) => h.objects.get(dim)?.has(id))?.path ?? headers[0]!.path;
  if (unitsDim)
    check(
      entities.map((e) => e.id),
      (a, b) =>
        `the units '${a}' and '${b}' (objects of dimension ${unitsDim}) differ only in upper and lower case: they would be one unit`,
      holder(unitsDim),
    );
  else
    check(
      entities.map((e) => e.id),
      (a, b) => `the files of the units '${a}' and '${b}' differ only in upper and lower case: they would be one unit`,
      (id) => headers.find((h) => basename(h.path, extname(h.path)) === id)?.path ?? headers[0]!.path,
    );
  if (motpart)
    check(
      members.map((m) => m.code),
      (a, b) =>
        `the counterparties '${a}' and '${b}' (objects of dimension ${motpart}) differ only in upper and lower case: they would be one member`,
      holder(motpart),
    );
  return out;
}
