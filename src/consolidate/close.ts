import type { Account } from "../domain/types.js";
import { isResultAccount } from "../domain/types.js";
import { closingOf, compareRows, type BalanceRow } from "../domain/balance.js";

/**
 * Year-end closing (bokslut): each entity's result, the sum of its result accounts, is moved to
 * the result account in equity, so that the balance sheet balances and shows "därav årets resultat".
 * The result accounts keep their balances for the income statement.
 */
export function closeYear(
  rows: readonly BalanceRow[],
  chart: ReadonlyMap<string, Account>,
  resultAccount: string,
): BalanceRow[] {
  const results = new Map<string, bigint>();
  for (const r of rows) {
    const type = chart.get(r.account)?.type;
    if (type && isResultAccount(type)) results.set(r.entity, (results.get(r.entity) ?? 0n) + closingOf(r));
  }
  const transfers: BalanceRow[] = [...results].map(([entity, result]) => ({
    entity,
    account: resultAccount,
    counterparty: "",
    opening: 0n,
    debit: result > 0n ? result : 0n,
    credit: result < 0n ? result : 0n,
  }));
  return [...rows, ...transfers].sort(compareRows);
}
