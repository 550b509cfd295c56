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
  // entity → account → counterparty: three lookups cost less than building a joined key per posting.
  readonly #rows = new Map<string, Map<string, Map<string, MutableRow>>>();

  #row(entity: string, account: string, counterparty: string): MutableRow {
    let accounts = this.#rows.get(entity);
    if (!accounts) this.#rows.set(entity, (accounts = new Map()));
    let counterparties = accounts.get(account);
    if (!counterparties) accounts.set(account, (counterparties = new Map()));
    let row = counterparties.get(counterparty);
    if (!row) {
      row = { entity, account, counterparty, opening: 0n, debit: 0n, credit: 0n };
      counterparties.set(counterparty, row);
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

  /** Adds a row of another trial balance (another file's). */
  addRow(r: BalanceRow): void {
    const row = this.#row(r.entity, r.account, r.counterparty);
    row.opening += r.opening;
    row.debit += r.debit;
    row.credit += r.credit;
  }

  /** The rows in a canonical order, so that input order never shows in any output. */
  build(): BalanceRow[] {
    const rows: BalanceRow[] = [];
    for (const accounts of this.#rows.values())
      for (const counterparties of accounts.values()) for (const x of counterparties.values()) rows.push(x);
    return rows.sort(compareRows);
  }
}
