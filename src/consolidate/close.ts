import type { Account } from "../domain/types.js";
import { isResultAccount } from "../domain/types.js";
import { movementOf, sized, withRows, type BalanceRow } from "../domain/balance.js";
import { accountMatcher } from "../domain/accounts.js";
import { DEFAULT_CLOSING_ENTRY_ACCOUNTS, type ClosingSpec } from "../domain/config.js";
import { ExactSum, type Ore } from "../domain/money.js";

export interface Closed {
  readonly rows: readonly BalanceRow[];
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
 * it is not part of it. The rows come in the canonical order (compareRows), and go out in it.
 */
export function closeYear(
  rows: readonly BalanceRow[],
  chart: ReadonlyMap<string, Account>,
  closing: ClosingSpec,
): Closed {
  const isClosingEntry = accountMatcher(closing.closingEntryAccounts ?? DEFAULT_CLOSING_ENTRY_ACCOUNTS);
  // What each account is, worked out once: a group of a thousand entities repeats its accounts.
  const kinds = new Map<string, { closingEntry: boolean; result: boolean }>();
  const kindOf = (account: string) => {
    let kind = kinds.get(account);
    if (!kind) {
      const type = chart.get(account)?.type;
      kind = { closingEntry: isClosingEntry(account), result: type !== undefined && isResultAccount(type) };
      kinds.set(account, kind);
    }
    return kind;
  };
  // The rows less the closing entries, once one is found: filled by index, cut to length (sized).
  let kept: BalanceRow[] | undefined;
  let keptCount = 0;
  const moved: BalanceRow[] = [];
  const closingEntries = new Map<string, Ore>();
  const results = new Map<string, ExactSum>();
  let result: { entity: string; sum: ExactSum } | undefined; // of the entity whose rows are being read
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const kind = kindOf(r.account);
    let row = r;
    if (kind.closingEntry && movementOf(r) !== 0n) {
      closingEntries.set(r.entity, (closingEntries.get(r.entity) ?? 0n) + movementOf(r));
      row = { ...r, account: closing.resultAccount, opening: 0n };
      moved.push(row);
      if (!kept) {
        kept = sized(rows.length);
        for (; keptCount < i; keptCount++) kept[keptCount] = rows[keptCount]!;
      }
    } else if (kept) kept[keptCount++] = row;
    if (!(row === r ? kind : kindOf(row.account)).result) continue;
    if (result?.entity !== row.entity) {
      const sum = results.get(row.entity) ?? new ExactSum();
      results.set(row.entity, sum);
      result = { entity: row.entity, sum };
    }
    result.sum.add(row.opening);
    result.sum.add(row.debit);
    result.sum.add(row.credit);
  }
  if (kept) kept.length = keptCount;
  const transfers: BalanceRow[] = [...results].map(([entity, { value: result }]) => ({
    entity,
    account: closing.resultAccount,
    counterparty: "",
    opening: 0n,
    debit: result > 0n ? result : 0n,
    credit: result < 0n ? result : 0n,
  }));
  return {
    rows: withRows(kept ?? rows, [...moved, ...transfers]),
    closingEntries,
    results: new Map([...results].map(([entity, sum]) => [entity, sum.value])),
  };
}
