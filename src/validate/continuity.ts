import { closingOf, type BalanceRow } from "../domain/balance.js";
import { accountMatcher } from "../domain/accounts.js";
import { DEFAULT_EQUITY_ACCOUNTS, type ClosingSpec } from "../domain/config.js";
import { formatSek } from "../domain/money.js";
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
  previousClosed: readonly BalanceRow[],
  opening: readonly BalanceRow[],
  closing: ClosingSpec,
  isBalanceAccount: (account: string) => boolean,
  where: (entity: string, account: string) => SourceRef,
): Diagnostic[] {
  const isEquity = accountMatcher(closing.equityAccounts ?? DEFAULT_EQUITY_ACCOUNTS);
  const keyOf = (account: string) =>
    isEquity(account) || account === closing.resultAccount || account === closing.retainedEarningsAccount
      ? EQUITY
      : account;
  const totals = (rows: readonly BalanceRow[], amount: (r: BalanceRow) => bigint) => {
    const map = new Map<string, bigint>();
    for (const r of rows) {
      if (!isBalanceAccount(r.account)) continue; // result accounts start every year at zero
      const key = `${r.entity}|${keyOf(r.account)}`;
      map.set(key, (map.get(key) ?? 0n) + amount(r));
    }
    return map;
  };
  const expected = totals(previousClosed, closingOf);
  const actual = totals(opening, (r) => r.opening);
  const keys = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  const out: Diagnostic[] = [];
  for (const key of keys) {
    const want = expected.get(key) ?? 0n;
    const got = actual.get(key) ?? 0n;
    if (want === got) continue;
    const [entity, account] = key.split("|") as [string, string];
    const what = account === EQUITY ? "equity in total (with last year's result)" : `account ${account}`;
    out.push({
      code: "E-OPENING-CONTINUITY",
      severity: "error",
      message: `${entity} opens ${year} on ${what} with ${formatSek(got)} kr, but closed ${year - 1} with ${formatSek(want)} kr`,
      ...where(entity, account === EQUITY ? closing.retainedEarningsAccount : account),
      hint:
        account === EQUITY
          ? `Equity accounts (${(closing.equityAccounts ?? DEFAULT_EQUITY_ACCOUNTS).join(", ")}) are compared in total: this year's opening equity is last year's closing equity, result included.`
          : `Opening balances of ${year} are the closing balances of ${year - 1}.`,
    });
  }
  return out;
}
