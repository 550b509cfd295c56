import { byText, type BalanceRow } from "../domain/balance.js";
import { accountMatcher } from "../domain/accounts.js";
import { DEFAULT_EQUITY_ACCOUNTS, type ClosingSpec } from "../domain/config.js";
import { ExactSum, formatSek, type Ore } from "../domain/money.js";
import { asTable, tableNames, type RowTable } from "../domain/row-table.js";
import type { Diagnostic, SourceRef } from "../domain/types.js";

/** The key equity is compared under: in total, since the result moves between its accounts. */
const EQUITY = "equity";

/**
 * A year opens where the previous year closed: per entity and account, the opening balances equal
 * the previous closing balances; result accounts start at zero. Equity is compared in total (last
 * year's closing equity with its result is this year's opening equity), since real books keep the
 * result on 2099 until the annual meeting, or move it into 2091, 2098, 2010 or any equity account.
 */
export function continuityProblems(
  year: number,
  previousClosed: RowTable | readonly BalanceRow[],
  opening: RowTable | readonly BalanceRow[],
  closing: ClosingSpec,
  isBalanceAccount: (account: string) => boolean,
  where: (entity: string, account: string) => SourceRef,
): Diagnostic[] {
  const isEquity = accountMatcher(closing.equityAccounts ?? DEFAULT_EQUITY_ACCOUNTS);
  const keyOf = (account: string) =>
    isEquity(account) || account === closing.resultAccount || account === closing.retainedEarningsAccount
      ? EQUITY
      : account;
  // Result accounts start every year at zero: only balance accounts are compared.
  const keyAt = (account: string) => (isBalanceAccount(account) ? keyOf(account) : undefined);
  const expected = balanceTotals(asTable(previousClosed), CLOSING, keyAt);
  const actual = balanceTotals(asTable(opening), OPENING, keyAt);
  const out: { order: string; diagnostic: Diagnostic }[] = [];
  for (const entity of new Set([...expected.keys(), ...actual.keys()])) {
    const closed = expected.get(entity);
    const opened = actual.get(entity);
    for (const key of new Set([...(closed?.keys() ?? []), ...(opened?.keys() ?? [])])) {
      const want = closed?.get(key)?.value ?? 0n;
      const got = opened?.get(key)?.value ?? 0n;
      if (want !== got) out.push({ order: `${entity}|${key}`, diagnostic: discontinuity(entity, key, got, want) });
    }
  }
  return out.sort((a, b) => byText(a.order, b.order)).map((x) => x.diagnostic);

  function discontinuity(entity: string, account: string, got: Ore, want: Ore): Diagnostic {
    const what = account === EQUITY ? "equity in total (with last year's result)" : `account ${account}`;
    return {
      code: "E-OPENING-CONTINUITY",
      severity: "error",
      message: `${entity} opens ${year} on ${what} with ${formatSek(got)} kr, but closed ${year - 1} with ${formatSek(want)} kr`,
      ...where(entity, account === EQUITY ? closing.retainedEarningsAccount : account),
      hint:
        account === EQUITY
          ? `Equity accounts (${(closing.equityAccounts ?? DEFAULT_EQUITY_ACCOUNTS).join(", ")}) are compared in total: this year's opening equity is last year's closing equity, result included.`
          : `Opening balances of ${year} are the closing balances of ${year - 1}.`,
    };
  }
}

const OPENING = [0] as const;
const CLOSING = [0, 1, 2] as const;

/**
 * Per entity (by name), its rows' sums per key (`keyAt` their account; undefined: not compared) of
 * the amounts `parts` (the opening balance, or with debits and credits the closing one). Read from
 * the table's columns, each account asked once, and only the keys that differ sorted: two years
 * of 1 000 entities × 250 accounts took 300-480 ms as rows made objects with bigint amounts, a
 * text key a row and every key sorted, 120-160 ms so (measured side by side).
 */
function balanceTotals(
  rows: RowTable,
  parts: readonly (0 | 1 | 2)[],
  keyAt: (account: string) => string | undefined,
): Map<string, Map<string, ExactSum>> {
  const keys = new Map<number, string | null>(); // null: not compared
  const sums = new Map<number, Map<string, ExactSum>>();
  for (let i = 0; i < rows.length; i++) {
    const account = rows.accountAt(i);
    let key = keys.get(account);
    if (key === undefined) keys.set(account, (key = keyAt(tableNames.list[account]!) ?? null));
    if (key === null) continue;
    let byKey = sums.get(rows.entityAt(i));
    if (!byKey) sums.set(rows.entityAt(i), (byKey = new Map()));
    let sum = byKey.get(key);
    if (!sum) byKey.set(key, (sum = new ExactSum()));
    for (const k of parts) rows.addTo(sum, i, k);
  }
  return new Map([...sums].map(([entity, byKey]) => [tableNames.list[entity]!, byKey]));
}
