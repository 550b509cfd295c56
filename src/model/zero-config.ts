import { basename, extname } from "node:path";
import { defaultLayout, type ChartFamily } from "../domain/default-layouts.js";
import { defaultInternalKinds, type GroupDefinition, type SourceSpec } from "../domain/config.js";
import type { Account, AccountType, Diagnostic } from "../domain/types.js";
import { DEFAULT_NUMBER_FORMAT } from "../read/amount.js";
import { fileProblem, type Layout, type Loaded, type Workspace } from "./workspace.js";
import { readSie } from "../read/sie.js";

/** What the header of a SIE file says about its company, chart, objects and years. */
export interface SieHeader {
  readonly path: string;
  readonly companyName?: string;
  readonly chartType?: string;
  readonly accounts: Map<string, { name: string; type?: AccountType }>;
  /** dimension → object id → name */
  readonly objects: Map<string, Map<string, string>>;
  /** #RAR index → [start, end] as YYYYMMDD */
  readonly years: Map<string, [string, string]>;
  /** Whether the file carries last year's balances (#UB -1 / #RES -1). */
  readonly hasPriorYear: boolean;
}

const KTYP: Record<string, AccountType> = { T: "asset", S: "liability", I: "revenue", K: "expense" };
const str = (f: unknown) => (typeof f === "string" ? f : "");

/** Reads the descriptive records of a SIE file (streaming it once; vouchers are skipped). */
export async function readSieHeader(path: string): Promise<{ header?: SieHeader; diagnostics: Diagnostic[] }> {
  const problem = await fileProblem(path, path);
  if (problem) return { diagnostics: [problem] };
  const header: SieHeader & { companyName?: string; chartType?: string; hasPriorYear: boolean } = {
    path,
    accounts: new Map(),
    objects: new Map(),
    years: new Map(),
    hasPriorYear: false,
  };
  const diagnostics: Diagnostic[] = [];
  // The records described here stand before the vouchers (SIE 4 orders a file so): stop there.
  let vouchers = false;
  for await (const batch of readSie(path, path)) {
    for (const item of batch) {
      if ("error" in item) diagnostics.push(item.error);
      if (!("record" in item)) continue;
      const { label, fields } = item.record;
      if (label === "#VER") {
        vouchers = true;
        break;
      }
      const [a, b, c] = fields.map(str);
      if (label === "#FNAMN") header.companyName = a;
      else if (label === "#KPTYP") header.chartType = a;
      else if (label === "#KONTO" && a) header.accounts.set(a, { ...header.accounts.get(a), name: b ?? a });
      else if (label === "#KTYP" && a && b && KTYP[b.toUpperCase()]) {
        header.accounts.set(a, { name: header.accounts.get(a)?.name ?? a, type: KTYP[b.toUpperCase()] });
      } else if (label === "#OBJEKT" && a && b) {
        if (!header.objects.has(a)) header.objects.set(a, new Map());
        header.objects.get(a)!.set(b, c || b);
      } else if (label === "#RAR" && a && b && c) header.years.set(a, [b, c]);
      else if (["#UB", "#OUB", "#RES"].includes(label) && a === "-1") header.hasPriorYear = true;
    }
    if (vouchers) break;
  }
  return { header, diagnostics };
}

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

/**
 * A workspace made from SIE files alone: entities from the files (or from the objects of the
 * units dimension), the chart from #KONTO/#KTYP, members from the counterparty dimension, the
 * built-in layout of the chart's family, and the prior year from the files' #RAR -1 balances.
 */
export async function workspaceFromSie(
  files: readonly string[],
  options: ZeroConfigOptions,
): Promise<Loaded<{ workspace: Workspace; layout: Layout; family: ChartFamily; headers: SieHeader[] }>> {
  const diagnostics: Diagnostic[] = [];
  const headers: SieHeader[] = [];
  for (const file of files) {
    const r = await readSieHeader(file);
    diagnostics.push(...r.diagnostics);
    if (r.header) headers.push(r.header);
  }
  if (headers.length !== files.length) return { diagnostics };
  const family = chartFamily(headers);
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
  const retained = ["2091", "2098"].find((a) => chart.has(a)) ?? "2098";
  // The accounts the closing and the elimination book on, where the chart lacks them.
  for (const [number, name, type] of SYNTHETIC) {
    if (!chart.has(number) && (number !== "2098" || retained === "2098")) chart.set(number, { number, name, type });
  }

  const unitsDim = options.unitsDimension ? String(options.unitsDimension) : undefined;
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
  const motpart = options.motpartDimension ? String(options.motpartDimension) : undefined;
  const members = motpart
    ? [...new Map(headers.flatMap((h) => [...(h.objects.get(motpart) ?? [])])).entries()]
        .filter(([code]) => !entityIds.has(code.toLowerCase()))
        .map(([code, name]) => ({ code, name }))
    : [];

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
      },
    },
  };
}
