import { accountMatcher } from "../domain/accounts.js";
import { byText, withRows, type BalanceRow } from "../domain/balance.js";
import {
  addedUpAcross,
  asTable,
  externalTotals,
  keptSums,
  RowTable,
  sameMembers,
  tableNames,
  type KeptSums,
  type RowParts,
} from "../domain/row-table.js";
import type { InternalKind } from "../domain/config.js";
import { formatSek, type Ore } from "../domain/money.js";
import type { Account, Diagnostic, Entity, Posting } from "../domain/types.js";
import { isResultAccount, voucherId } from "../domain/types.js";

/**
 * The internal items of one kind between two entities, each side as booked (debit positive): the
 * first entity's revenue or receivable side toward the second, and the second's cost or payable
 * side toward the first.
 */
export interface InternalPair {
  readonly entities: readonly [string, string];
  readonly kind: string;
  readonly amounts: readonly [Ore, Ore];
  /** amounts[0] + amounts[1]: zero when the two sides mirror each other. */
  readonly difference: Ore;
}

export interface Elimination {
  /** Rows of the group: every entity's external rows, plus the unmatched remainder of each pair (made when first read). */
  readonly groupRows: RowTable;
  /** The group's rows without making them: the entities' rows less the internal ones, and the remainders. */
  readonly groupParts: readonly RowParts[];
  /**
   * The group's rows added up across entities, per account and counterparty (made when first
   * read): what a statement that never looks at an entity reads. Made from groupParts, it spares
   * a year of a thousand entities a copy of its quarter of a million rows (groupRows).
   */
  readonly groupTotals: RowTable;
  /** Balanced entries that take internal items out: each internal row negated, plus difference rows. */
  readonly entries: readonly BalanceRow[];
  readonly pairs: readonly InternalPair[];
  /** Internal revenue taken out of the income statement (the footnote's "interna poster"). */
  readonly eliminated: Ore;
}

export interface EliminationSettings {
  readonly chart: ReadonlyMap<string, Account>;
  readonly entityIds: ReadonlySet<string>;
  /** Kinds with account ranges first; an account in none is `result` or `balance` by its type. */
  readonly kinds: readonly InternalKind[];
}

export const isInternal = (r: { entity: string; counterparty: string }, entityIds: ReadonlySet<string>) =>
  r.counterparty !== "" && r.counterparty !== r.entity && entityIds.has(r.counterparty);

const negate = (r: BalanceRow): BalanceRow => ({ ...r, opening: -r.opening, debit: -r.debit, credit: -r.credit });

/**
 * The indexes of the internal rows (isInternal: a counterparty that is another entity of the
 * group), told by their names' places in a loop over the columns this small: it runs once over a
 * quarter of a million rows, mostly before V8 has optimized it.
 */
function internalRows(rows: RowTable, entityIds: ReadonlySet<string>): number[] {
  const isEntity = new Uint8Array(tableNames.list.length + entityIds.size);
  for (const id of entityIds) isEntity[tableNames.place(id)] = 1;
  isEntity[tableNames.place("")] = 0;
  const { keys } = rows;
  const out: number[] = [];
  for (let k = 0; k < keys.length; k += 3) {
    const counterparty = keys[k + 2]!;
    if (isEntity[counterparty] === 1 && counterparty !== keys[k]) out.push(k / 3);
  }
  return out;
}

/** Which kind an internal item on an account belongs to. */
export function kindClassifier(
  settings: Pick<EliminationSettings, "chart" | "kinds">,
): (account: string) => InternalKind {
  const ranged = settings.kinds
    .filter((k) => k.accounts)
    .map((k) => ({ kind: k, matches: accountMatcher(k.accounts) }));
  const byType = (id: string) => settings.kinds.find((k) => k.id === id)!;
  return (account) => {
    const hit = ranged.find(({ matches }) => matches(account));
    if (hit) return hit.kind;
    const type = settings.chart.get(account)?.type;
    return byType(type && isResultAccount(type) ? "result" : "balance");
  };
}

/**
 * Removes internal items from the group in full on both sides. Where the two sides of a pair
 * differ, the difference stays in the group on the kind's difference account, never absorbed.
 * The rows come in the canonical order (compareRows); the group's rows and the entries go out in it.
 */
export function eliminate(given: RowTable | readonly BalanceRow[], settings: EliminationSettings): Elimination {
  const rows = asTable(given);
  // Found when first asked for: the pairs and the group's totals are kept as the rows were read,
  // and a report asks for the internal rows themselves only to explain or check a figure (a
  // thousand entities' quarter of a million rows: 3 ms, mostly before V8 optimizes the loop).
  let found: number[] | undefined;
  const internal = () => (found ??= internalRows(rows, settings.entityIds));
  const sums = pairsOf(rows, internal, settings);
  const name = (place: number) => tableNames.list[place]!;
  const { from, to, kinds } = sums;
  const order = from.map((_, p) => p);
  order.sort(
    (a, b) =>
      byText(name(from[a]!), name(from[b]!)) ||
      byText(name(to[a]!), name(to[b]!)) ||
      byText(kinds[a]!.id, kinds[b]!.id),
  );
  // A pair's two entities, named once for its kinds: a thousand entities' pairs live to the end.
  const places = tableNames.list.length;
  const named = new Map<number, readonly [string, string]>();
  const entitiesOf = (p: number) => {
    const key = from[p]! * places + to[p]!;
    return named.get(key) ?? named.set(key, [name(from[p]!), name(to[p]!)]).get(key)!;
  };
  const remainders: BalanceRow[] = [];
  const pairs: InternalPair[] = [];
  for (const p of order) {
    // Indexed, not destructured: unoptimized code destructures through the iteration protocol.
    const totals = sums.totals(p);
    const giving = totals[0];
    const receiving = totals[1];
    const opening = totals[2];
    const movement = totals[3];
    const entities = entitiesOf(p);
    pairs.push({ entities, kind: kinds[p]!.id, amounts: [giving, receiving], difference: giving + receiving });
    if (opening !== 0n || movement !== 0n)
      remainders.push({
        entity: entities[0],
        account: kinds[p]!.differenceAccount,
        counterparty: "",
        opening,
        debit: movement > 0n ? movement : 0n,
        credit: movement < 0n ? movement : 0n,
      });
  }
  let entries: readonly BalanceRow[] | undefined;
  let left: Uint8Array | undefined;
  const entityParts: RowParts = {
    rows,
    get left() {
      if (!left) {
        left = new Uint8Array(rows.length);
        for (const i of internal()) left[i] = 1;
      }
      return left;
    },
  };
  const more = RowTable.from(remainders);
  const totals = () => externalTotals(rows, settings.entityIds, more);
  return withGroup([entityParts, { rows: more }], () => rows.with(remainders, internal()), totals, {
    // Made when asked for (explain): the group's statements need only the pairs.
    get entries() {
      return (entries ??= withRows(
        internal().map((i) => negate(rows.row(i))),
        remainders,
      ));
    },
    pairs,
    eliminated: sums.eliminated,
  });
}

/** What an account is to the elimination: its kind, and which side of a pair it is on. */
interface AccountFacts {
  readonly kind: InternalKind;
  readonly kindIndex: number;
  /** Revenue and assets are the giving side, costs and liabilities the receiving side. */
  readonly giving: boolean;
  readonly revenue: boolean;
}

/** What each account is to the elimination, by its place in tableNames (AccountFacts). */
function accountFacts(settings: Pick<EliminationSettings, "chart" | "kinds">): (place: number) => AccountFacts {
  const kindOf = kindClassifier(settings);
  return (place) => {
    const account = tableNames.list[place]!;
    const kind = kindOf(account);
    const type = settings.chart.get(account)?.type;
    const giving = type === "revenue" || type === "asset";
    return { kind, kindIndex: settings.kinds.indexOf(kind), giving, revenue: type === "revenue" };
  };
}

/**
 * The internal rows (at `internal`) added up per pair (giving entity, receiving entity, kind), and
 * the internal revenue: as the table kept them as it was made (KeptPairs), or added up now alike;
 * as bigints when a sum may not be exact as numbers.
 */
function pairsOf(rows: RowTable, internal: () => readonly number[], settings: EliminationSettings): PairSums {
  const kept = keptSums(rows);
  let counted = kept instanceof KeptPairs && kept.isFor(settings) ? kept : undefined;
  if (!counted) {
    counted = new KeptPairs(settings);
    for (const i of internal()) {
      const [entity, account, counterparty] = [rows.entityAt(i), rows.accountAt(i), rows.counterpartyAt(i)];
      counted.addRow(entity, account, counterparty, rows.number(i, 0), rows.number(i, 1), rows.number(i, 2), 1);
    }
  }
  return counted.pairSums() ?? exactPairs(rows, internal(), settings);
}

/** The internal rows added up per pair as bigints, a row at a time (pairsOf, past what numbers add up exactly). */
function exactPairs(rows: RowTable, internal: readonly number[], settings: EliminationSettings): PairSums {
  const describe = accountFacts(settings);
  const facts: (AccountFacts | undefined)[] = [];
  const places = tableNames.list.length;
  const pairOf = new Map<number, number>();
  const [from, to, kinds]: [number[], number[], InternalKind[]] = [[], [], []];
  const totals: [Ore, Ore, Ore, Ore][] = [];
  let eliminated = 0n;
  for (const i of internal) {
    const f = (facts[rows.accountAt(i)] ??= describe(rows.accountAt(i)));
    const [entity, counterparty] = [rows.entityAt(i), rows.counterpartyAt(i)];
    const [giver, receiver] = f.giving ? [entity, counterparty] : [counterparty, entity];
    const key = (giver * places + receiver) * settings.kinds.length + f.kindIndex;
    let p = pairOf.get(key);
    if (p === undefined) {
      pairOf.set(key, (p = totals.length));
      from.push(giver);
      to.push(receiver);
      kinds.push(f.kind);
      totals.push([0n, 0n, 0n, 0n]);
    }
    const opening = rows.amount(i, 0);
    const movement = rows.amount(i, 1) + rows.amount(i, 2);
    const sums = totals[p]!;
    sums[f.giving ? 0 : 1] += opening + movement;
    sums[2] += opening;
    sums[3] += movement;
    if (f.revenue) eliminated -= opening + movement;
  }
  return { from, to, kinds, totals: (p) => totals[p]!, eliminated };
}

/**
 * A year's internal rows added up per pair as its files' rows come in (KeptSums): eliminate takes
 * these, not a pass over the year's internal rows once the files are read, which ran before V8 had
 * optimized it (a thousand entities' 10 000 internal rows: 8-14 ms). The amounts are added as
 * numbers with their sizes: while a pair's sizes add up to less than 2^53 öre every sum on the way
 * is exact. Added as bigints, a row at a time, those rows made 3 MB of bigints to collect.
 */
export class KeptPairs implements KeptSums {
  readonly #settings: EliminationSettings;
  #facts: (AccountFacts | undefined)[];
  #describe: (place: number) => AccountFacts;
  /** Names are placed up to this when a pair is made of them; a place past it leaves the pairs untold. */
  #room: number;
  #pairOf = new Map<number, number>();
  /** Per pair, four numbers: its giving and receiving entity, its kind's index, how many rows it holds. */
  #pairs: number[] = [];
  /**
   * Per pair, five numbers: giving side, receiving side, opening, movement, and its size. Lists of
   * numbers that grow, not typed arrays made anew: V8 throws away optimized code that took a field
   * for constant once it is given another array.
   */
  #sums: number[] = [];
  // Doubles from the start (-0), not small integers: V8 would change the object's shape as the
  // sums outgrew one, and throw away the optimized loop that adds them.
  #revenue = -0;
  #revenueSize = -0;
  #untold = false;

  constructor(settings: EliminationSettings) {
    this.#settings = settings;
    for (const e of settings.entityIds) tableNames.place(e);
    this.#room = 2 * tableNames.list.length + 1024;
    this.#facts = Array.from({ length: this.#room }, () => undefined);
    this.#describe = accountFacts(settings);
  }

  /** Whether these pairs are made as eliminate makes them with `settings`. */
  isFor(settings: EliminationSettings): boolean {
    const own = this.#settings;
    return (
      own.chart === settings.chart && own.kinds === settings.kinds && sameMembers(own.entityIds, settings.entityIds)
    );
  }

  /** The pairs as eliminate takes them; undefined when a sum may not be exact (added up as bigints then). */
  pairSums(): PairSums | undefined {
    if (this.#untold || !(this.#revenueSize < 2 ** 53)) return undefined;
    const [pairs, sums, kinds] = [this.#pairs, this.#sums, this.#settings.kinds];
    const held: number[] = [];
    for (let p = 0; 4 * p < pairs.length; p++) if (pairs[4 * p + 3]! > 0) held.push(p);
    if (held.some((p) => !(sums[5 * p + 4]! < 2 ** 53))) return undefined;
    const ore = (x: number): Ore => (x === 0 ? 0n : BigInt(x));
    return {
      from: held.map((p) => pairs[4 * p]!),
      to: held.map((p) => pairs[4 * p + 1]!),
      kinds: held.map((p) => kinds[pairs[4 * p + 2]!]!),
      totals: (pair) => {
        const s = 5 * held[pair]!;
        return [ore(sums[s]!), ore(sums[s + 1]!), ore(sums[s + 2]!), ore(sums[s + 3]!)];
      },
      eliminated: -ore(this.#revenue),
    };
  }

  addRow: KeptSums["addRow"] = (entity, account, counterparty, opening, debit, credit, sign) => {
    if (entity >= this.#room || account >= this.#room || counterparty >= this.#room) {
      this.#untold = true;
      return;
    }
    const f = this.#facts[account] ?? (this.#facts[account] = this.#describe(account));
    const from = f.giving ? entity : counterparty;
    const to = f.giving ? counterparty : entity;
    const key = (from * this.#room + to) * this.#settings.kinds.length + f.kindIndex;
    let p = this.#pairOf.get(key);
    if (p === undefined) p = this.#newPair(key, from, to, f.kindIndex);
    const movement = debit + credit;
    const size = Math.abs(opening) + Math.abs(debit) + Math.abs(credit);
    const sums = this.#sums;
    const s = 5 * p;
    const side = s + (f.giving ? 0 : 1);
    sums[side] = sums[side]! + sign * (opening + movement);
    sums[s + 2] = sums[s + 2]! + sign * opening;
    sums[s + 3] = sums[s + 3]! + sign * movement;
    sums[s + 4] = sums[s + 4]! + size;
    this.#pairs[4 * p + 3] = this.#pairs[4 * p + 3]! + sign;
    if (f.revenue) {
      this.#revenue += sign * (opening + movement);
      this.#revenueSize += size;
    }
  };

  #newPair(key: number, from: number, to: number, kindIndex: number): number {
    const p = this.#pairs.length / 4;
    this.#pairOf.set(key, p);
    this.#pairs.push(from, to, kindIndex, 0);
    // Pushed as doubles (-0): a list begun with small integers would change how it holds them.
    this.#sums.push(-0, -0, -0, -0, -0);
    return p;
  }

  copy(): KeptPairs {
    const out = new KeptPairs(this.#settings);
    out.#room = this.#room;
    out.#facts = this.#facts;
    out.#describe = this.#describe;
    out.#pairOf = new Map(this.#pairOf);
    out.#pairs = [...this.#pairs];
    out.#sums = [...this.#sums];
    out.#revenue = this.#revenue;
    out.#revenueSize = this.#revenueSize;
    out.#untold = this.#untold;
    return out;
  }
}

/**
 * An elimination whose group rows and totals are made from `parts` when first read (`make` the
 * rows), the totals from those the rows kept when they can be (`kept`).
 */
function withGroup(
  parts: readonly RowParts[],
  make: () => RowTable,
  kept: () => RowTable | undefined,
  rest: Pick<Elimination, "entries" | "pairs" | "eliminated">,
): Elimination {
  let rows: RowTable | undefined;
  let totals: RowTable | undefined;
  return {
    get groupRows() {
      return (rows ??= make());
    },
    groupParts: parts,
    get groupTotals() {
      return (totals ??= kept() ?? addedUpAcross(parts));
    },
    get entries() {
      return rest.entries;
    },
    pairs: rest.pairs,
    eliminated: rest.eliminated,
  };
}

/** No elimination: the group's rows are the rows given (consolidated already). */
export const notEliminated = (groupRows: RowTable): Elimination =>
  withGroup(
    [{ rows: groupRows }],
    () => groupRows,
    () => undefined,
    { entries: [], pairs: [], eliminated: 0n },
  );

/** The internal rows added up per pair (pairsOf): its entities as places in tableNames. */
interface PairSums {
  /** Per pair: its giving and receiving entity, and its kind. */
  readonly from: readonly number[];
  readonly to: readonly number[];
  readonly kinds: readonly InternalKind[];
  /** A pair's giving side, receiving side, opening and movement, each as booked (debit positive). */
  readonly totals: (pair: number) => readonly [Ore, Ore, Ore, Ore];
  /** Internal revenue taken out of the income statement. */
  readonly eliminated: Ore;
}

/** Postings of a pair that find no twin of the opposite amount on the other side. */
function unmatched(postings: readonly Posting[]): Posting[] {
  const open = new Map<string, Posting[]>();
  const left: Posting[] = [];
  for (const p of postings) {
    const twinKey = `${p.counterparty}|${p.entity}|${-p.amount}`;
    const waiting = open.get(twinKey);
    if (waiting?.length) {
      waiting.shift();
      continue;
    }
    const key = `${p.entity}|${p.counterparty}|${p.amount}`;
    open.set(key, [...(open.get(key) ?? []), p]);
  }
  for (const list of open.values()) for (const x of list) left.push(x);
  return left.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

const MAX_LISTED = 6;

/** The pair a posting belongs to: [giving entity, receiving entity], as in eliminate. */
function pairOf(p: Posting, chart: ReadonlyMap<string, Account>): [string, string] {
  const type = chart.get(p.account)?.type;
  return type === "revenue" || type === "asset" ? [p.entity, p.counterparty] : [p.counterparty, p.entity];
}

/** The pairs whose sides differ by more than the tolerance. */
export const mismatchedPairs = (pairs: readonly InternalPair[], tolerance: Ore) =>
  pairs.filter((p) => (p.difference < 0n ? -p.difference : p.difference) > tolerance);

/** Whether a posting is an internal item of one of the pairs. */
export function inPairs(
  pairs: readonly InternalPair[],
  settings: Pick<EliminationSettings, "chart" | "kinds" | "entityIds">,
): (p: Posting) => boolean {
  const kindOf = kindClassifier(settings);
  const keys = new Set(pairs.map((p) => `${p.kind}|${p.entities.join("|")}`));
  return (p) =>
    isInternal(p, settings.entityIds) && keys.has(`${kindOf(p.account).id}|${pairOf(p, settings.chart).join("|")}`);
}

/**
 * Every pair whose sides differ by more than the tolerance, as an error with both amounts, the
 * difference, and the postings of either side that find no twin on the other.
 */
export function mismatches(
  year: number,
  pairs: readonly InternalPair[],
  internalPostings: readonly Posting[],
  settings: Pick<EliminationSettings, "chart" | "kinds">,
  tolerance: Ore,
  entities: readonly Entity[],
  fallbackFile: string,
): Diagnostic[] {
  const name = (id: string) => entities.find((e) => e.id === id)?.name ?? id;
  const kindOf = kindClassifier(settings);
  const out: Diagnostic[] = [];
  for (const p of mismatchedPairs(pairs, tolerance)) {
    const involved = unmatched(
      internalPostings.filter(
        (x) => kindOf(x.account).id === p.kind && pairOf(x, settings.chart).join("|") === p.entities.join("|"),
      ),
    );
    const listed = involved
      .slice(0, MAX_LISTED)
      .map((x) => `${x.entity} ${voucherId(x.series, x.voucher)} ${x.date} ${x.account} ${formatSek(x.amount)}`);
    const more = involved.length > MAX_LISTED ? ` and ${involved.length - MAX_LISTED} more` : "";
    const first = involved[0]?.source;
    const label = settings.kinds.find((k) => k.id === p.kind)?.label ?? p.kind;
    out.push({
      code: "E-INTERNAL-MISMATCH",
      severity: "error",
      message:
        `${year}: internal ${label} between ${name(p.entities[0])} (${formatSek(p.amounts[0])}) and ` +
        `${name(p.entities[1])} (${formatSek(p.amounts[1])}) differ by ${formatSek(p.difference)} kr` +
        (listed.length ? `; without a twin: ${listed.join(", ")}${more}` : "; the difference lies in opening balances"),
      ...(first ? first : { file: fallbackFile }),
      hint: 'Book both sides of an internal transaction with the other entity as counterparty and the same amount; the difference is shown on "Differens interna poster".',
    });
  }
  return out;
}
