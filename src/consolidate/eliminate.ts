import type { Ore } from "../domain/money.js";
import { formatKronor } from "../domain/money.js";
import type { Account, Diagnostic, Entity } from "../domain/types.js";
import { isResultAccount } from "../domain/types.js";
import { closingOf, compareRows, type BalanceRow } from "../domain/balance.js";

export type PairKind = "result" | "balance";

/** The internal items between two entities of one kind, each side as booked (debit positive). */
export interface InternalPair {
  readonly entities: readonly [string, string];
  readonly kind: PairKind;
  readonly amounts: readonly [Ore, Ore];
  /** amounts[0] + amounts[1]: zero when the two sides mirror each other. */
  readonly difference: Ore;
}

export interface Elimination {
  /** Rows of the group: every entity's external rows, plus the unmatched remainder of each pair. */
  readonly groupRows: readonly BalanceRow[];
  /** Balanced entries that take internal items out: each internal row negated, plus difference rows. */
  readonly entries: readonly BalanceRow[];
  readonly pairs: readonly InternalPair[];
  /** Internal revenue taken out of the income statement (the footnote's "interna poster"). */
  readonly eliminated: Ore;
}

export interface EliminationSettings {
  readonly chart: ReadonlyMap<string, Account>;
  readonly entityIds: ReadonlySet<string>;
  readonly differenceAccounts: { readonly result: string; readonly balance: string };
}

export const isInternal = (r: BalanceRow, entityIds: ReadonlySet<string>) =>
  r.counterparty !== "" && r.counterparty !== r.entity && entityIds.has(r.counterparty);

const negate = (r: BalanceRow): BalanceRow => ({ ...r, opening: -r.opening, debit: -r.debit, credit: -r.credit });

/**
 * Removes internal items from the group in full on both sides. Where the two sides of a pair
 * differ, the difference stays in the group on the kind's difference account, never absorbed.
 */
export function eliminate(rows: readonly BalanceRow[], settings: EliminationSettings): Elimination {
  const { chart, entityIds, differenceAccounts } = settings;
  const kindOf = (account: string): PairKind => {
    const type = chart.get(account)?.type;
    return type && isResultAccount(type) ? "result" : "balance";
  };
  const groupRows: BalanceRow[] = [];
  const entries: BalanceRow[] = [];
  const pairSides = new Map<
    string,
    { entities: [string, string]; kind: PairKind; sides: [Ore, Ore]; rows: BalanceRow[] }
  >();
  let eliminated = 0n;
  for (const r of rows) {
    if (!isInternal(r, entityIds)) {
      groupRows.push(r);
      continue;
    }
    entries.push(negate(r));
    const kind = kindOf(r.account);
    if (chart.get(r.account)?.type === "revenue") eliminated -= closingOf(r);
    const entities: [string, string] =
      r.entity < r.counterparty ? [r.entity, r.counterparty] : [r.counterparty, r.entity];
    const key = `${entities[0]}\u0000${entities[1]}\u0000${kind}`;
    let pair = pairSides.get(key);
    if (!pair) {
      pair = { entities, kind, sides: [0n, 0n], rows: [] };
      pairSides.set(key, pair);
    }
    pair.sides[r.entity === entities[0] ? 0 : 1] += closingOf(r);
    pair.rows.push(r);
  }
  const pairs: InternalPair[] = [];
  for (const p of [...pairSides.values()].sort((a, b) => cmpPair(a, b))) {
    const difference = p.sides[0] + p.sides[1];
    pairs.push({ entities: p.entities, kind: p.kind, amounts: [p.sides[0], p.sides[1]], difference });
    const opening = p.rows.reduce((t, r) => t + r.opening, 0n);
    const movement = p.rows.reduce((t, r) => t + r.debit + r.credit, 0n);
    if (opening !== 0n || movement !== 0n) {
      const remainder: BalanceRow = {
        entity: p.entities[0],
        account: differenceAccounts[p.kind],
        counterparty: "",
        opening,
        debit: movement > 0n ? movement : 0n,
        credit: movement < 0n ? movement : 0n,
      };
      groupRows.push(remainder);
      entries.push(remainder);
    }
  }
  return { groupRows: groupRows.sort(compareRows), entries: entries.sort(compareRows), pairs, eliminated };
}

function cmpPair(a: { entities: [string, string]; kind: string }, b: { entities: [string, string]; kind: string }) {
  const ka = `${a.entities[0]}\u0000${a.entities[1]}\u0000${a.kind}`;
  const kb = `${b.entities[0]}\u0000${b.entities[1]}\u0000${b.kind}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Every pair whose sides differ by more than the tolerance, as an error naming both sides. */
export function mismatches(
  year: number,
  pairs: readonly InternalPair[],
  tolerance: Ore,
  entities: readonly Entity[],
  file: string,
): Diagnostic[] {
  const name = (id: string) => entities.find((e) => e.id === id)?.name ?? id;
  return pairs
    .filter((p) => (p.difference < 0n ? -p.difference : p.difference) > tolerance)
    .map((p) => ({
      code: "E-INTERNAL-MISMATCH",
      severity: "error",
      message: `${year}: internal ${p.kind === "result" ? "revenue and costs" : "receivables and payables"} between ${name(p.entities[0])} (${formatKronor(p.amounts[0])}) and ${name(p.entities[1])} (${formatKronor(p.amounts[1])}) differ by ${formatKronor(p.difference)} kr`,
      file,
      hint: 'Book both sides of an internal transaction with the other entity as counterparty and the same amount; the difference is shown on "Differens interna poster".',
    }));
}
