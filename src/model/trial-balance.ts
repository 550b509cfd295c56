import type { Ore } from "../domain/money.js";

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

interface MutableRow {
  entity: string;
  account: string;
  counterparty: string;
  opening: Ore;
  debit: Ore;
  credit: Ore;
}

/**
 * Accumulates postings and opening balances per entity × account × counterparty. Memory grows
 * with the number of distinct keys, never with the number of postings.
 */
export class TrialBalanceBuilder {
  readonly #rows = new Map<string, MutableRow>();

  #row(entity: string, account: string, counterparty: string): MutableRow {
    const key = `${entity}\u0000${account}\u0000${counterparty}`;
    let row = this.#rows.get(key);
    if (!row) {
      row = { entity, account, counterparty, opening: 0n, debit: 0n, credit: 0n };
      this.#rows.set(key, row);
    }
    return row;
  }

  addPosting(entity: string, account: string, counterparty: string, amount: Ore): void {
    const row = this.#row(entity, account, counterparty);
    if (amount >= 0n) row.debit += amount;
    else row.credit += amount;
  }

  addOpening(entity: string, account: string, counterparty: string, amount: Ore): void {
    this.#row(entity, account, counterparty).opening += amount;
  }

  /** The rows in a canonical order, so that input order never shows in any output. */
  build(): BalanceRow[] {
    return [...this.#rows.values()].sort(compareRows);
  }
}

export function compareRows(a: BalanceRow, b: BalanceRow): number {
  return cmp(a.entity, b.entity) || cmp(a.account, b.account) || cmp(a.counterparty, b.counterparty);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
