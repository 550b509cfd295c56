import type { Account, Diagnostic } from "../domain/types.js";

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
