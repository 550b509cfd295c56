import { parsePlainAmount, type Ore } from "../../domain/money.js";
import { movementOf, type BalanceRow } from "../../domain/balance.js";
import type { SourceRef } from "../../domain/types.js";
import type { SieRecord } from "../../read/sie.js";
import { at, objectsOf, OWNS_ALL, text, type Objects, type Ownership, type SieScope } from "./scope.js";

/** A balance per "entity|account|counterparty", with where it was first declared. */
export type Balances = Map<string, { amount: Ore; at: SourceRef }>;

export const addTo = (map: Balances, key: string, amount: Ore, where: SourceRef) => {
  const b = map.get(key);
  if (b) b.amount += amount;
  else map.set(key, { amount, at: where });
};

export const splitKey = (key: string) => key.split("|") as [string, string, string];

/** Amounts per "entity|account|counterparty". */
export type Sums = ReadonlyMap<string, { amount: Ore }>;

/** A trial balance's rows as Sums: each row's movement by "entity|account|counterparty". */
export function sumsOf(rows: readonly BalanceRow[]): Sums {
  return new Map(rows.map((r) => [`${r.entity}|${r.account}|${r.counterparty}`, { amount: movementOf(r) }]));
}

/**
 * The balance records of a file (#IB, #UB, #RES and their object forms #OIB, #OUB, #PSALDO), per
 * year index ("0" this year, "-1" last year): totals per entity and account, and the parts per
 * unit or counterparty where the file has them.
 */
export class SieBalances {
  readonly #ib = new Map<string, Balances>();
  readonly #ub = new Map<string, Balances>();
  readonly #res = new Map<string, Balances>();
  readonly #psaldo = new Map<string, Balances>();
  /** The line of each balance record by label, year, period, account and objects. */
  readonly #stated = new Map<string, number>();

  constructor(
    readonly path: string,
    readonly scope: SieScope,
    readonly problem: (code: string, message: string, where: SourceRef, hint: string) => void,
    /** Whether the problems of a year index's records are this read's to say. */
    readonly ownership: Ownership = OWNS_ALL,
  ) {}

  /** Handles a balance record; false for any other label. */
  read(r: SieRecord): boolean {
    switch (r.label) {
      case "#IB":
        return this.#again(r, 1) || this.#total(r, this.#ib);
      case "#UB":
        return this.#again(r, 1) || this.#total(r, this.#ub);
      case "#RES":
        return this.#again(r, 1) || this.#total(r, this.#res);
      case "#OIB":
        return this.#again(r, 1, 2) || this.#part(r, this.#ib, 2, 4);
      case "#OUB":
        return this.#again(r, 1, 2) || this.#part(r, this.#ub, 2, 4);
      case "#PSALDO":
        // #PSALDO idx period account {objects} amount: the period's movement of a unit or counterparty.
        return this.#again(r, 2, 3, 1) || this.#part(r, this.#psaldo, 3, 5, 2);
      default:
        return false;
    }
  }

  /**
   * A file states each balance once per year (and period), account and objects: a second record
   * would be summed with the first: true for such a record, reported and not counted. (Fields
   * are 0-based here.)
   */
  #again(r: SieRecord, accountField: number, objectField?: number, periodField?: number): boolean {
    const objects =
      objectField === undefined
        ? []
        : objectsOf(r.fields[objectField])
            .map(([d, o]) => `${d} ${/[\s"{}]/.test(o) || o === "" ? JSON.stringify(o) : o}`)
            .sort();
    const what = [
      r.label,
      text(r.fields[0]),
      ...(periodField === undefined ? [] : [text(r.fields[periodField])]),
      text(r.fields[accountField]),
      ...(objectField === undefined ? [] : [`{${objects.join(" ")}}`]),
    ].join(" ");
    const first = this.#stated.get(what);
    if (first === undefined) {
      this.#stated.set(what, r.line);
      return false;
    }
    if (this.ownership.owns(text(r.fields[0])))
      this.problem(
        "E-SIE-DUPLICATE",
        `${what} is stated twice (first on line ${first}): the second is not counted`,
        at(this.path, r, accountField + 1),
        "A SIE file states each balance once per year, account and objects; export the file again, or remove the repeated record.",
      );
    return true;
  }

  amountOf(r: SieRecord, field: number): Ore | undefined {
    const raw = text(r.fields[field - 1]);
    const ore = parsePlainAmount(raw);
    if (ore === null)
      this.problem(
        "E-AMOUNT-INVALID",
        `'${raw}' is not a SIE amount (decimal point, at most two decimals)`,
        at(this.path, r, field),
        "SIE amounts are written like -1234.50.",
      );
    return ore ?? undefined;
  }

  /** #IB/#UB/#RES idx account amount: the entity's total (a combined file's units have parts). */
  #total(r: SieRecord, map: Map<string, Balances>): true {
    const entity = this.scope.entityOf([]);
    const amount = this.amountOf(r, 3);
    if (entity !== undefined && amount !== undefined)
      addTo(indexed(map, text(r.fields[0])), `${entity}|${text(r.fields[1])}|`, amount, at(this.path, r, 3));
    return true;
  }

  #part(r: SieRecord, map: Map<string, Balances>, objectField: number, amountField: number, accountField = 1): true {
    const objects: Objects = objectsOf(r.fields[objectField]);
    if (!this.scope.isUnitOrCounterpartPart(objects) || this.scope.isExternalPart(objects)) return true;
    const entity = this.scope.entityOf(objects);
    const amount = this.amountOf(r, amountField);
    if (entity === undefined || amount === undefined) return true;
    const key = `${entity}|${text(r.fields[accountField])}|${this.scope.counterpartyOf(objects)}`;
    addTo(indexed(map, text(r.fields[0])), key, amount, at(this.path, r, amountField));
    return true;
  }

  /** Opening balances of a year index: the parts on their own keys, the totals keep the rest. */
  opening(index: string): Balances {
    return splitByObjects(indexed(this.#ib, index));
  }

  closing(index: string): Balances {
    return splitByObjects(indexed(this.#ub, index));
  }

  /** The year's result items as the file states them (#RES), as declared, per entity and account. */
  declaredResults(index: string): Balances {
    return indexed(this.#res, index);
  }

  /**
   * Result items per unit or counterparty: #RES takes no objects, so a balance-only file's parts
   * come from #PSALDO, summed over the year's periods; #RES, where present, is the total.
   */
  results(index: string): Balances {
    const withParts: Balances = new Map(indexed(this.#res, index));
    for (const [key, b] of indexed(this.#psaldo, index))
      if (!key.endsWith("|") || !withParts.has(key)) addTo(withParts, key, b.amount, b.at);
    return splitByObjects(withParts);
  }

  hasClosing(index: string): boolean {
    return indexed(this.#ub, index).size > 0 || indexed(this.#res, index).size > 0;
  }
}

function indexed(map: Map<string, Balances>, index: string): Balances {
  let b = map.get(index);
  if (!b) map.set(index, (b = new Map()));
  return b;
}

/**
 * A #IB/#UB total and its #OIB/#OUB parts per counterparty: the parts stand on their own key, and
 * the total's key keeps what the parts do not cover.
 */
function splitByObjects(b: Balances): Balances {
  const out: Balances = new Map();
  for (const [key, v] of b) out.set(key, { ...v });
  for (const [key, v] of b) {
    const [entity, account, cp] = splitKey(key);
    if (!cp) continue;
    const total = out.get(`${entity}|${account}|`);
    if (total) total.amount -= v.amount;
  }
  return out;
}
