/** One year of a kommunkoncern: every entity's ledgers read, then the koncernmatris built. */
import { join } from "node:path";
import type { Diagnostic } from "../domain/types.js";
import type { InputFile, LoadOptions } from "../model/ledger.js";
import { Dec } from "./decimal.js";
import type { KoncernDefinition, KoncernEntity } from "./definition.js";
import { loadEntityYear, type EntityLedger, type KoncernWorkspace } from "./load.js";
import { buildMatrix, type EntityRow, type Finding, type KoncernMatrix } from "./matrix.js";

export interface KoncernYear {
  readonly matrix: KoncernMatrix;
  /** The included entities' rows at 100 %. */
  readonly rows: ReadonlyMap<string, readonly EntityRow[]>;
  /** The included entities' ledgers as read (a saldobalans per entity). */
  readonly ledgers: ReadonlyMap<string, NonNullable<EntityLedger["ledger"]>>;
  /** Entities left out (included: false, or no share this year) whose ledgers could be read, at 100 %. */
  readonly excluded: ReadonlyMap<string, readonly EntityRow[]>;
  readonly inputs: readonly InputFile[];
  readonly postings: number;
  readonly vouchers: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** The corporate tax rate of a year: the latest rate from on or before its first day. */
export function rateOf(def: KoncernDefinition, year: number): Dec | undefined {
  const first = `${year}-01-01`;
  const rate = [...def.taxRates].filter((r) => r.from <= first).sort((a, b) => (a.from < b.from ? 1 : -1))[0];
  return rate ? new Dec(rate.rate) : undefined;
}

/** The kommun's share of an entity in a year: the parent is always taken in full. */
export const shareIn = (def: KoncernDefinition, e: KoncernEntity, year: number): string | undefined =>
  e.id === def.parent ? "1" : e.shares[String(year)];

export const includedIn = (def: KoncernDefinition, e: KoncernEntity, year: number): boolean =>
  e.id === def.parent || (e.included !== false && e.shares[String(year)] !== undefined);

/** A finding as a diagnostic: at the ledger row it names, or where consolidate.json declares its subject. */
export function located(kws: KoncernWorkspace, f: Finding): Diagnostic {
  const { pointer, at, ...rest } = f;
  if (at) {
    const colon = at.lastIndexOf(":");
    return { ...rest, file: join(kws.dir, at.slice(0, colon)), line: Number(at.slice(colon + 1)) };
  }
  return { ...rest, file: kws.file, ...(pointer ? kws.locate(pointer) : {}) };
}

export async function consolidateKoncernYear(
  kws: KoncernWorkspace,
  year: number,
  options: LoadOptions = {},
): Promise<KoncernYear> {
  const def = kws.definition;
  const diagnostics: Diagnostic[] = [];
  const inputs: InputFile[] = [];
  const entities = [];
  let postings = 0;
  let vouchers = 0;
  const excluded = new Map<string, readonly EntityRow[]>();
  const ledgers = new Map<string, NonNullable<EntityLedger["ledger"]>>();
  for (const spec of def.entities) {
    const included = includedIn(def, spec, year);
    if (!included && !Object.keys(spec.ledgers).some((y) => Number(y) === year || Number(y) === year + 1)) continue;
    const ledger = await loadEntityYear(kws, spec, year, options);
    inputs.push(...ledger.inputs);
    postings += ledger.postings;
    vouchers += ledger.vouchers;
    if (!included) {
      if (!ledger.diagnostics.some((d) => d.severity === "error")) excluded.set(spec.id, ledger.rows);
      continue;
    }
    diagnostics.push(...ledger.diagnostics);
    entities.push({ spec, share: new Dec(shareIn(def, spec, year)!), rows: ledger.rows });
    if (ledger.ledger) ledgers.set(spec.id, ledger.ledger);
  }
  const matrix = buildMatrix({
    definition: def,
    year,
    entities,
    rateOf: (y) => rateOf(def, y),
    tolerance: new Dec(def.tolerance ?? "0"),
    ...(options.window ? { period: options.window } : {}),
  });
  for (const f of matrix.findings) diagnostics.push(located(kws, f));
  const rows = new Map(entities.map((e) => [e.spec.id, e.rows]));
  return { matrix, rows, ledgers, excluded, inputs, postings, vouchers, diagnostics };
}
