import { closingOf, type BalanceRow } from "../domain/balance.js";
import { formatKronor } from "../domain/money.js";
import type { Account, Diagnostic } from "../domain/types.js";

/**
 * After closing, each entity's balance sheet balances: its balance accounts sum to zero. Vouchers
 * and opening balances that balance guarantee it; a balance-only source (a trial balance) may not.
 */
export function balanceSheetProblems(
  year: number,
  closedRows: readonly BalanceRow[],
  chart: ReadonlyMap<string, Account>,
  file: string,
): Diagnostic[] {
  const totals = new Map<string, bigint>();
  for (const r of closedRows) {
    const type = chart.get(r.account)?.type;
    if (type === "asset" || type === "liability") totals.set(r.entity, (totals.get(r.entity) ?? 0n) + closingOf(r));
  }
  return [...totals]
    .filter(([, total]) => total !== 0n)
    .map(([entity, total]) => ({
      code: "E-BALANCE-UNBALANCED",
      severity: "error" as const,
      message: `${year}: the balance sheet of ${entity} does not balance: assets exceed equity and liabilities by ${formatKronor(total)} kr`,
      file,
      hint: "Every voucher and the opening balances must balance; look for balances entered without their counterpart.",
    }));
}

/** Chart accounts that no year of the workspace uses (a warning: the chart may simply be larger). */
export function unusedAccounts(
  chart: ReadonlyMap<string, Account>,
  used: ReadonlySet<string>,
  exempt: ReadonlySet<string>,
): Diagnostic[] {
  return [...chart.values()]
    .filter((a) => !used.has(a.number) && !exempt.has(a.number))
    .map((a) => ({
      code: "W-ACCOUNT-UNUSED",
      severity: "warning" as const,
      message: `account ${a.number} ${a.name} is used in no ledger of the workspace`,
      ...a.source,
      hint: "Remove it from the chart if it is not needed, or check that its postings were not booked elsewhere.",
    }));
}
