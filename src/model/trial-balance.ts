import type { Ore } from "../domain/money.js";
import { compareRows, type BalanceRow } from "../domain/balance.js";

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
