import type { Ore } from "./money.js";

/** The year's balance of one entity × account × counterparty: opening, debits and credits. */
export interface BalanceRow {
  readonly entity: string;
  readonly account: string;
  /** Another entity's id (internal), a member's code, or "" for none. */
  readonly counterparty: string;
  readonly opening: Ore;
  readonly debit: Ore;
  readonly credit: Ore;
}

export const movementOf = (r: BalanceRow): Ore => r.debit + r.credit;
export const closingOf = (r: BalanceRow): Ore => r.opening + r.debit + r.credit;

export function compareRows(a: BalanceRow, b: BalanceRow): number {
  return cmp(a.entity, b.entity) || cmp(a.account, b.account) || cmp(a.counterparty, b.counterparty);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Trial balances joined: rows of the same entity, account and counterparty added up, in the
 * canonical order. Each list is in that order already (TrialBalanceBuilder.build), so the sort
 * merges runs; a row found in one list only is taken as it is, not copied.
 */
export function joinRows(lists: readonly (readonly BalanceRow[])[]): BalanceRow[] {
  const all = lists.flat().sort(compareRows);
  const out: BalanceRow[] = [];
  for (const r of all) {
    const last = out[out.length - 1];
    if (last && compareRows(last, r) === 0)
      out[out.length - 1] = {
        ...last,
        opening: last.opening + r.opening,
        debit: last.debit + r.debit,
        credit: last.credit + r.credit,
      };
    else out.push(r);
  }
  return out;
}

const grouped = new WeakMap<readonly BalanceRow[], ReadonlyMap<string, readonly BalanceRow[]>>();
const NONE: readonly BalanceRow[] = [];

/**
 * An entity's rows of a trial balance, grouped once per trial balance (not filtered per entity,
 * which is quadratic in entities).
 */
export function rowsOfEntity(rows: readonly BalanceRow[], entity: string): readonly BalanceRow[] {
  let byEntity = grouped.get(rows);
  if (!byEntity) {
    const map = new Map<string, BalanceRow[]>();
    for (const r of rows) {
      const list = map.get(r.entity);
      if (list) list.push(r);
      else map.set(r.entity, [r]);
    }
    grouped.set(rows, (byEntity = map));
  }
  return byEntity.get(entity) ?? NONE;
}
