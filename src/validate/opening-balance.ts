import type { BalanceRow } from "../domain/balance.js";
import type { ClosingSpec } from "../domain/config.js";
import { formatSek, type Ore } from "../domain/money.js";
import type { Diagnostic } from "../domain/types.js";

/**
 * An entity's opening balance sheet must balance. One exception is normal in real books: last
 * year's result not yet booked into equity (the annual meeting has not decided yet), so that the
 * opening is off by exactly that result. Then it is taken as booked on the retained-earnings
 * account, with a warning saying so; any other difference is an error.
 */
export function openingBalanceProblems(
  year: number,
  imbalances: ReadonlyMap<string, { readonly total: Ore; readonly file: string }>,
  priorResults: ReadonlyMap<string, Ore> | undefined,
  closing: ClosingSpec,
): { diagnostics: Diagnostic[]; rows: BalanceRow[] } {
  const diagnostics: Diagnostic[] = [];
  const rows: BalanceRow[] = [];
  for (const [entity, { total, file }] of imbalances) {
    const result = priorResults?.get(entity);
    if (result !== undefined && result !== 0n && total + result === 0n) {
      rows.push({
        entity,
        account: closing.retainedEarningsAccount,
        counterparty: "",
        opening: result,
        debit: 0n,
        credit: 0n,
      });
      diagnostics.push({
        code: "W-RESULT-NOT-BOOKED",
        severity: "warning",
        message: `${entity}: the result of ${year - 1} (${formatSek(-result)} kr) is not booked in the opening balances of ${year}; the opening balance sheet is taken as balanced by it on account ${closing.retainedEarningsAccount}`,
        file,
        hint: "Book last year's result into equity (the disposition the annual meeting decides) to make this warning go away.",
      });
      continue;
    }
    diagnostics.push({
      code: "E-BALANCE-UNBALANCED",
      severity: "error",
      message: `the opening balance sheet of ${entity} for ${year} does not balance: assets exceed equity and liabilities by ${formatSek(total)} kr`,
      file,
      hint: "Opening balances sum to zero per entity: assets equal equity, provisions and liabilities.",
    });
  }
  return { diagnostics, rows };
}
