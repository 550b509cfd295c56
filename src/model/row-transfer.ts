import { balanceRow, sharedName, sharedZero, type BalanceRow } from "../domain/balance.js";

/**
 * Trial-balance rows as a worker thread sends them: the names in one string and the amounts in
 * one typed array, which cross between threads about three times faster than as many objects
 * (a thousand files make a quarter of a million rows). Rows this cannot carry exactly (a name
 * with a NUL, an amount beyond 64 bits) cross as they are.
 */
export type PackedRows =
  { readonly names: string; readonly amounts: BigInt64Array } | { readonly rows: readonly BalanceRow[] };

const SEPARATOR = "\u0000";

export function packRows(rows: readonly BalanceRow[]): PackedRows {
  const names = new Array<string>(3 * rows.length);
  const amounts = new BigInt64Array(3 * rows.length);
  for (let i = 0, k = 0; i < rows.length; i++, k += 3) {
    const r = rows[i]!;
    names[k] = r.entity;
    names[k + 1] = r.account;
    names[k + 2] = r.counterparty;
    amounts[k] = r.opening;
    amounts[k + 1] = r.debit;
    amounts[k + 2] = r.credit;
    // A typed array wraps an amount it cannot hold.
    if (amounts[k] !== r.opening || amounts[k + 1] !== r.debit || amounts[k + 2] !== r.credit) return { rows };
  }
  const joined = names.join(SEPARATOR);
  return separators(joined) === Math.max(names.length - 1, 0) ? { names: joined, amounts } : { rows };
}

export function unpackRows(packed: PackedRows): readonly BalanceRow[] {
  if ("rows" in packed) return packed.rows;
  if (packed.amounts.length === 0) return [];
  const names = packed.names.split(SEPARATOR);
  const a = packed.amounts;
  const rows = new Array<BalanceRow>(a.length / 3);
  for (let i = 0, k = 0; i < rows.length; i++, k += 3)
    rows[i] = balanceRow(
      sharedName(names[k]!),
      sharedName(names[k + 1]!),
      sharedName(names[k + 2]!),
      sharedZero(a[k]!), // each read of a BigInt64Array makes a new bigint
      sharedZero(a[k + 1]!),
      sharedZero(a[k + 2]!),
    );
  return rows;
}

function separators(s: string): number {
  let n = 0;
  for (let at = s.indexOf(SEPARATOR); at >= 0; at = s.indexOf(SEPARATOR, at + 1)) n++;
  return n;
}
