import type { Account } from "../domain/types.js";
import { isResultAccount } from "../domain/types.js";
import { movementOf, type BalanceRow } from "../domain/balance.js";
import { asTable, keptResults, rowsOfAccounts, tableNames, type RowTable } from "../domain/row-table.js";
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
  const isResult = (account: string) => {
    const type = chart.get(account)?.type;
    return type !== undefined && isResultAccount(type);
  };
  // The closing entries: rows of the closing accounts that move something.
  const dropped = rowsOfAccounts(rows, isClosingEntry).filter((i) => movementAt(rows, i) !== 0n);
  const results = keptResults(rows, chart, dropped) ?? resultsOf(rows, isResult, dropped);
  const moved: BalanceRow[] = [];
  const closingEntries = new Map<string, Ore>();
  const resultAccountIsResult = isResult(closing.resultAccount);
  for (const i of dropped) {
    const r = rows.row(i);
    closingEntries.set(r.entity, (closingEntries.get(r.entity) ?? 0n) + movementOf(r));
    moved.push({ ...r, account: closing.resultAccount, opening: 0n });
    if (resultAccountIsResult) {
      const entity = rows.entityAt(i);
      results.set(entity, (results.get(entity) ?? 0n) + movementOf(r));
    }
  }
  const booked = [...results].map(([place, value]) => [tableNames.list[place]!, value] as const);
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

/**
 * Each entity's result, the sum of its rows on result accounts less the rows `dropped` (ascending),
 * by the entity's place, in one small loop over the columns (it runs once, mostly before V8 has
 * optimized it). The amounts are added as numbers with their sizes: while the sizes add up to less
 * than 2^53 öre every sum on the way is exact; an entity past that is added up again as bigints.
 */
function resultsOf(
  rows: RowTable,
  isResult: (account: string) => boolean,
  dropped: readonly number[],
): Map<number, Ore> {
  const { keys, amounts, length } = rows;
  const places = tableNames.list.length;
  const verdicts = new Uint8Array(places); // 0 not asked yet, 1 no, 2 a result account
  const sums = new Float64Array(places);
  const sizes = new Float64Array(places);
  const entities: number[] = [];
  const seen = new Uint8Array(places);
  let d = 0;
  let next = dropped.length ? dropped[0]! : -1;
  for (let i = 0, k = 0; i < length; i++, k += 3) {
    if (i === next) {
      next = ++d < dropped.length ? dropped[d]! : -1;
      continue;
    }
    const account = keys[k + 1]!;
    let verdict = verdicts[account]!;
    if (verdict === 0) verdict = verdicts[account] = isResult(tableNames.list[account]!) ? 2 : 1;
    if (verdict !== 2) continue;
    const entity = keys[k]!;
    if (seen[entity] === 0) {
      seen[entity] = 1;
      entities.push(entity);
    }
    const opening = amounts[k]!;
    const debit = amounts[k + 1]!;
    const credit = amounts[k + 2]!;
    sums[entity] = sums[entity]! + opening + debit + credit;
    sizes[entity] = sizes[entity]! + Math.abs(opening) + Math.abs(debit) + Math.abs(credit);
  }
  const skipped = new Set(dropped);
  const exactly = (entity: number) => {
    const sum = new ExactSum();
    for (let i = 0; i < length; i++)
      if (rows.entityAt(i) === entity && !skipped.has(i) && isResult(rows.account(i))) sum.add(rows.closing(i));
    return sum.value;
  };
  return new Map(entities.map((e) => [e, sizes[e]! < 2 ** 53 ? BigInt(sums[e]!) : exactly(e)]));
}
