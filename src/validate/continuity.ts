import { closingOf, type BalanceRow } from "../domain/balance.js";
import { formatKronor } from "../domain/money.js";
import type { Diagnostic, SourceRef } from "../domain/types.js";

export interface ClosingAccounts {
  readonly resultAccount: string;
  readonly retainedEarningsAccount: string;
}

/**
 * A year opens where the previous year closed: per entity and account, the opening balances equal
 * the previous closing balances, with the year's result moved from the result account into
 * retained earnings; result accounts start at zero. Each difference names entity, account and both amounts.
 */
export function continuityProblems(
  year: number,
  previousClosed: readonly BalanceRow[],
  opening: readonly BalanceRow[],
  closing: ClosingAccounts,
  isBalanceAccount: (account: string) => boolean,
  where: (entity: string, account: string) => SourceRef,
): Diagnostic[] {
  const expected = new Map<string, bigint>();
  const add = (map: Map<string, bigint>, entity: string, account: string, amount: bigint) => {
    const key = `${entity}|${account}`;
    map.set(key, (map.get(key) ?? 0n) + amount);
  };
  for (const r of previousClosed) {
    if (!isBalanceAccount(r.account)) continue; // result accounts start every year at zero
    const account = r.account === closing.resultAccount ? closing.retainedEarningsAccount : r.account;
    add(expected, r.entity, account, closingOf(r));
  }
  const actual = new Map<string, bigint>();
  for (const r of opening) add(actual, r.entity, r.account, r.opening);
  const keys = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  const out: Diagnostic[] = [];
  for (const key of keys) {
    const want = expected.get(key) ?? 0n;
    const got = actual.get(key) ?? 0n;
    if (want === got) continue;
    const [entity, account] = key.split("|") as [string, string];
    out.push({
      code: "E-OPENING-CONTINUITY",
      severity: "error",
      message: `${entity} opens ${year} on account ${account} with ${formatKronor(got)} kr, but closed ${year - 1} with ${formatKronor(want)} kr`,
      ...where(entity, account),
      hint: `Opening balances of ${year} are the closing balances of ${year - 1}, with the year's result moved to account ${closing.retainedEarningsAccount}.`,
    });
  }
  return out;
}
