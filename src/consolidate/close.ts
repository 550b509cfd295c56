import type { Account } from "../domain/types.js";
import { isResultAccount } from "../domain/types.js";
import { movementOf, type BalanceRow } from "../domain/balance.js";
import { asTable, tableNames, type RowTable } from "../domain/row-table.js";
import { accountMatcher } from "../domain/accounts.js";
import { DEFAULT_CLOSING_ENTRY_ACCOUNTS, type ClosingSpec } from "../domain/config.js";
import { ExactSum, type Ore } from "../domain/money.js";

export interface Closed {
  readonly rows: RowTable;
  /** Per entity, the closing entry found in its books (8999 against 2099) and left out of the result. */
  readonly closingEntries: ReadonlyMap<string, Ore>;
  /** Per entity, the year's result as booked: the sum of its result accounts (a profit is negative). */
  readonly results: ReadonlyMap<string, Ore>;
}

/**
 * Year-end closing (bokslut): each entity's result, the sum of its result accounts, is moved to
 * the result account in equity, so that the balance sheet balances and shows "därav årets resultat".
 * The result accounts keep their balances for the income statement. Books that already hold the
 * closing entry (8999 Årets resultat against 2099) have it taken back first: it moves the result,
 * it is not part of it. The rows come in the canonical order (compareRows), and go out in it; a
 * table given is taken over (RowTable.into), not to be read after.
 */
export function closeYear(
  given: RowTable | readonly BalanceRow[],
  chart: ReadonlyMap<string, Account>,
  closing: ClosingSpec,
): Closed {
  const rows = asTable(given);
  const isClosingEntry = accountMatcher(closing.closingEntryAccounts ?? DEFAULT_CLOSING_ENTRY_ACCOUNTS);
  // What each account is, worked out once per account (by its place in tableNames).
  const kinds = new Map<number, { closingEntry: boolean; result: boolean }>();
  const kindOf = (place: number) => {
    let kind = kinds.get(place);
    if (!kind) {
      const account = tableNames.list[place]!;
      const type = chart.get(account)?.type;
      kind = { closingEntry: isClosingEntry(account), result: type !== undefined && isResultAccount(type) };
      kinds.set(place, kind);
    }
    return kind;
  };
  const resultAccountIsResult = kindOf(tableNames.place(closing.resultAccount)).result;
  const dropped: number[] = [];
  const moved: BalanceRow[] = [];
  const closingEntries = new Map<string, Ore>();
  const results = new Map<number, ExactSum>();
  let result: { entity: number; sum: ExactSum } | undefined; // of the entity whose rows are being read
  const sumOf = (entity: number) => {
    if (result?.entity !== entity) {
      const sum = results.get(entity) ?? new ExactSum();
      results.set(entity, sum);
      result = { entity, sum };
    }
    return result.sum;
  };
  for (let i = 0; i < rows.length; i++) {
    const kind = kindOf(rows.accountAt(i));
    if (kind.closingEntry && movementAt(rows, i) !== 0n) {
      const r = rows.row(i);
      closingEntries.set(r.entity, (closingEntries.get(r.entity) ?? 0n) + movementOf(r));
      moved.push({ ...r, account: closing.resultAccount, opening: 0n });
      dropped.push(i);
      if (resultAccountIsResult) sumOf(rows.entityAt(i)).add(movementOf(r));
    } else if (kind.result) {
      const n = rows.closingNumber(i);
      if (Number.isNaN(n)) sumOf(rows.entityAt(i)).add(rows.closing(i));
      else sumOf(rows.entityAt(i)).addNumber(n);
    }
  }
  const booked = [...results].map(([place, { value }]) => [tableNames.list[place]!, value] as const);
  const transfers: BalanceRow[] = booked.map(([entity, result]) => ({
    entity,
    account: closing.resultAccount,
    counterparty: "",
    opening: 0n,
    debit: result > 0n ? result : 0n,
    credit: result < 0n ? result : 0n,
  }));
  return { rows: rows.into([...moved, ...transfers], dropped), closingEntries, results: new Map(booked) };
}

/** The movement of row i, not made a bigint while its amounts are numbers. */
function movementAt(rows: RowTable, i: number): Ore {
  const n = rows.number(i, 1) + rows.number(i, 2);
  return Number.isNaN(n) ? rows.amount(i, 1) + rows.amount(i, 2) : n === 0 ? 0n : BigInt(n);
}
