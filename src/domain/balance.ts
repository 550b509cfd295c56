import type { Ore } from "./money.js";

/** The year's balance of one entity × account × counterparty: opening, debits and credits. */
export interface BalanceRow {
  readonly entity: string;
  readonly account: string;
  /** Another entity's id (internal), a member's code, or "" for none. */
  readonly counterparty: string;
  readonly opening: Ore;
  readonly debit: Ore;
  readonly credit: Ore;
}

/** A balance row as a plain object. Rows made here share one shape in V8: the code over a year's rows sees one kind of object. */
export const balanceRow = (
  entity: string,
  account: string,
  counterparty: string,
  opening: Ore,
  debit: Ore,
  credit: Ore,
): BalanceRow => ({ entity, account, counterparty, opening, debit, credit });

/** Every name (entity, account, counterparty) a balance row of this thread has held. */
const names = new Map<string, string>();

/**
 * The one copy of a name that rows hold: the rows of many files, and rows sent back by a worker
 * thread, share an account's number instead of holding a string each. Fewer objects outlive a file,
 * and garbage collection copies less (1 000 entities: scavenges a third shorter).
 */
export function sharedName(name: string): string {
  const known = names.get(name);
  if (known !== undefined) return known;
  // A copy of its own: a long name read from a file may be a slice of the whole chunk of text it
  // was read from, which the map would keep alive. V8 copies a shorter piece than 13 characters
  // (SlicedString::kMinLength): such a name is its own already, and is not copied again (about
  // 3 µs a name: a thousand entities' names, in each thread).
  const own = name.length < 13 ? name : structuredClone(name);
  names.set(own, own);
  return own;
}

export const movementOf = (r: BalanceRow): Ore => r.debit + r.credit;
export const closingOf = (r: BalanceRow): Ore => r.opening + r.debit + r.credit;

/** Texts in the order of their code units, as the canonical order compares names. */
export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareRows(a: BalanceRow, b: BalanceRow): number {
  return byText(a.entity, b.entity) || byText(a.account, b.account) || byText(a.counterparty, b.counterparty);
}

/**
 * Trial balances joined: rows of the same entity, account and counterparty added up, in the
 * canonical order. Each list is in that order already (TrialBalanceBuilder.build). Lists that do
 * not overlap (a file per entity, the usual case) are put one after the other in the order of
 * their first rows, without comparing row by row; overlapping ones are merged by the sort, and a
 * row found in one list only is taken as it is, not copied.
 */
export function joinRows(lists: readonly (readonly BalanceRow[])[]): BalanceRow[] {
  const filled = lists.filter((l) => l.length > 0).sort((a, b) => compareRows(a[0]!, b[0]!));
  const apart = filled.every((l, i) => i === 0 || compareRows(filled[i - 1]![filled[i - 1]!.length - 1]!, l[0]!) < 0);
  const joined = concatenated(filled);
  if (apart) return joined;
  // Each list is sorted: the sort merges runs. Rows of one key are then added up once each, not
  // into a new row per row added (a thousand monthly files of an entity: a fifth of the run).
  const all = joined.sort(compareRows);
  const out: BalanceRow[] = [];
  for (let start = 0, end = 1; start < all.length; start = end++) {
    const first = all[start]!;
    while (end < all.length && sameKey(all[end]!, first)) end++;
    out.push(end - start === 1 ? first : addedUp(all, start, end));
  }
  return out;
}

const sameKey = (a: BalanceRow, b: BalanceRow) =>
  a.entity === b.entity && a.account === b.account && a.counterparty === b.counterparty;

/** Rows start..end, all of one entity, account and counterparty, as one row. */
function addedUp(rows: readonly BalanceRow[], start: number, end: number): BalanceRow {
  let opening = 0n;
  let debit = 0n;
  let credit = 0n;
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    opening += r.opening;
    debit += r.debit;
    credit += r.credit;
  }
  const { entity, account, counterparty } = rows[start]!;
  return balanceRow(entity, account, counterparty, opening, debit, credit);
}

/**
 * Rows in the canonical order with a few more put in their places: the extra rows sorted, each
 * placed after the rows it equals by a binary search, as a stable sort of `[...sorted, ...extra]`
 * would place it, without comparing the many rows with each other again; with none, the rows
 * themselves, not a copy.
 */
export function withRows(sorted: readonly BalanceRow[], extra: readonly BalanceRow[]): readonly BalanceRow[] {
  if (extra.length === 0) return sorted;
  const more = [...extra].sort(compareRows);
  const out = sized<BalanceRow>(sorted.length + more.length);
  let from = 0;
  let k = 0;
  for (const r of more) {
    let lo = from;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareRows(sorted[mid]!, r) <= 0) lo = mid + 1;
      else hi = mid;
    }
    while (from < lo) out[k++] = sorted[from++]!;
    out[k++] = r;
  }
  while (from < sorted.length) out[k++] = sorted[from++]!;
  return out;
}

/** Lists one after the other (Array.prototype.flat was measured fifteen times slower). */
function concatenated<T>(lists: readonly (readonly T[])[]): T[] {
  const out = sized<T>(lists.reduce((n, l) => n + l.length, 0));
  let k = 0;
  for (const l of lists) for (let i = 0; i < l.length; i++) out[k++] = l[i]!;
  return out;
}

/**
 * An array to be filled by index, made at its final length. A year's list of rows (a quarter of
 * a million at a thousand entities) built by push() was reallocated and copied as it grew, each
 * time into new memory: 30 ms a list, against 8 ms made at its length (measured).
 */
export const sized = <T>(length: number): T[] => new Array<T>(length);
