import { accountMatcher } from "../domain/accounts.js";
import { byText, withRows, type BalanceRow } from "../domain/balance.js";
import { addedUpAcross, asTable, RowTable, tableNames, type RowParts } from "../domain/row-table.js";
import type { InternalKind } from "../domain/config.js";
import { formatSek, type Ore } from "../domain/money.js";
import type { Account, AccountType, Diagnostic, Entity, Posting } from "../domain/types.js";
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
  const { chart, entityIds, kinds } = settings;
  const kindOf = kindClassifier(settings);
  const internal = internalRows(rows, entityIds);
  // What each account is (by its place in tableNames), worked out once: a thousand entities repeat their accounts.
  const accounts: ({ kind: InternalKind; kindIndex: number; type: AccountType | undefined } | undefined)[] = [];
  // Each pair under one number made of its giving entity's, receiving entity's and kind's places.
  const places = tableNames.list.length;
  const pairSides = new Map<number, Sides>();
  let eliminated = 0n;
  for (const i of internal) {
    const place = rows.accountAt(i);
    let facts = accounts[place];
    if (!facts) {
      const kind = kindOf(rows.account(i));
      accounts[place] = facts = { kind, kindIndex: kinds.indexOf(kind), type: chart.get(rows.account(i))?.type };
    }
    const opening = rows.amount(i, 0);
    const movement = rows.amount(i, 1) + rows.amount(i, 2);
    const closing = opening + movement;
    if (facts.type === "revenue") eliminated -= closing;
    // Revenue and assets are the giving side, costs and liabilities the receiving side.
    const giving = facts.type === "revenue" || facts.type === "asset";
    const from = giving ? rows.entityAt(i) : rows.counterpartyAt(i);
    const to = giving ? rows.counterpartyAt(i) : rows.entityAt(i);
    const key = (from * places + to) * kinds.length + facts.kindIndex;
    let pair = pairSides.get(key);
    if (!pair) pairSides.set(key, (pair = { from, to, kind: facts.kind, sides: [0n, 0n], opening: 0n, movement: 0n }));
    pair.sides[giving ? 0 : 1] += closing;
    pair.opening += opening;
    pair.movement += movement;
  }
  const name = (place: number) => tableNames.list[place]!;
  const byKey = (a: Sides, b: Sides) =>
    byText(name(a.from), name(b.from)) || byText(name(a.to), name(b.to)) || byText(a.kind.id, b.kind.id);
  const remainders: BalanceRow[] = [];
  const pairs: InternalPair[] = [];
  for (const p of [...pairSides.values()].sort(byKey)) {
    const difference = p.sides[0] + p.sides[1];
    pairs.push({
      entities: [name(p.from), name(p.to)],
      kind: p.kind.id,
      amounts: [p.sides[0], p.sides[1]],
      difference,
    });
    if (p.opening !== 0n || p.movement !== 0n)
      remainders.push({
        entity: name(p.from),
        account: p.kind.differenceAccount,
        counterparty: "",
        opening: p.opening,
        debit: p.movement > 0n ? p.movement : 0n,
        credit: p.movement < 0n ? p.movement : 0n,
      });
  }
  let entries: readonly BalanceRow[] | undefined;
  const left = new Uint8Array(rows.length);
  for (const i of internal) left[i] = 1;
  return withGroup([{ rows, left }, { rows: RowTable.from(remainders) }], () => rows.with(remainders, internal), {
    // Made when asked for (explain): the group's statements need only the pairs.
    get entries() {
      return (entries ??= withRows(
        internal.map((i) => negate(rows.row(i))),
        remainders,
      ));
    },
    pairs,
    eliminated,
  });
}

/** An elimination whose group rows and totals are made from `parts` when first read (`make` the rows). */
function withGroup(
  parts: readonly RowParts[],
  make: () => RowTable,
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
      return (totals ??= addedUpAcross(parts));
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
  withGroup([{ rows: groupRows }], () => groupRows, { entries: [], pairs: [], eliminated: 0n });

/** One pair's sides as eliminate adds them up: its entities as places in tableNames. */
interface Sides {
  readonly from: number;
  readonly to: number;
  readonly kind: InternalKind;
  readonly sides: [Ore, Ore];
  opening: Ore;
  movement: Ore;
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
