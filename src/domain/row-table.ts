import { balanceRow, byText, compareRows, joinRows, sharedName, type BalanceRow } from "./balance.js";
import { ExactSum, SAFE_SUM, type Ore } from "./money.js";
import { isResultAccount, type Account } from "./types.js";

/** The names (entities, accounts, counterparties) the tables of this thread hold, by their places. */
class NameList {
  readonly list: string[] = [];
  readonly #placeOf = new Map<string, number>();

  place(name: string): number {
    const at = this.#placeOf.get(name);
    if (at !== undefined) return at;
    const own = sharedName(name);
    this.#placeOf.set(own, this.list.length);
    return this.list.push(own) - 1;
  }
}

/** The one list of names every table of this thread holds its names in: a place means one name in all. */
export const tableNames = new NameList();

/** A row's opening, debit and credit, exact, for a row whose amounts a number does not hold exactly. */
type Exact = readonly [Ore, Ore, Ore];

const EMPTY: ReadonlyMap<number, Exact> = new Map();
const ore = (n: number): Ore => (n === 0 ? 0n : BigInt(n));

/**
 * Trial-balance rows in columns, in the canonical order (compareRows): the entity, account and
 * counterparty of each as places in tableNames, its opening, debit and credit as numbers of öre.
 * A year of a thousand entities holds a quarter of a million rows: as that many objects, each with
 * bigints, keeping them cost the garbage collector about 1 µs a row, a third of the run (measured);
 * in columns, nothing. An amount a number does not hold exactly (2^53 öre or more) is NaN in the
 * columns and exact in `exact`, by the row's index.
 */
export class RowTable implements Iterable<BalanceRow> {
  #rows: readonly BalanceRow[] | undefined;
  readonly length: number;

  constructor(
    /** Per row: entity, account, counterparty (places in tableNames). */
    readonly keys: Uint32Array,
    /** Per row: opening, debit, credit in öre; NaN where `exact` holds the amounts. */
    readonly amounts: Float64Array,
    readonly exact: ReadonlyMap<number, Exact> = EMPTY,
    /** Rows after the last that the columns' buffers have room for, which this table alone may fill (into). */
    readonly room = 0,
  ) {
    this.length = keys.length / 3;
  }

  entityAt(i: number): number {
    return this.keys[3 * i]!;
  }
  accountAt(i: number): number {
    return this.keys[3 * i + 1]!;
  }
  counterpartyAt(i: number): number {
    return this.keys[3 * i + 2]!;
  }
  entity(i: number): string {
    return tableNames.list[this.keys[3 * i]!]!;
  }
  account(i: number): string {
    return tableNames.list[this.keys[3 * i + 1]!]!;
  }
  counterparty(i: number): string {
    return tableNames.list[this.keys[3 * i + 2]!]!;
  }

  /** The opening (k 0), debit (1) or credit (2) of row i as a number of öre: NaN when not exact. */
  number(i: number, k: 0 | 1 | 2): number {
    return this.amounts[3 * i + k]!;
  }

  /** The opening (k 0), debit (1) or credit (2) of row i, exact. */
  amount(i: number, k: 0 | 1 | 2): Ore {
    const n = this.amounts[3 * i + k]!;
    return Number.isNaN(n) ? this.exact.get(i)![k] : ore(n);
  }

  /** Adds the opening (k 0), debit (1) or credit (2) of row i to `sum`, without a bigint where a number holds it. */
  addTo(sum: ExactSum, i: number, k: 0 | 1 | 2): void {
    const n = this.amounts[3 * i + k]!;
    if (Number.isNaN(n) || n > SAFE_SUM || n < -SAFE_SUM) sum.add(this.amount(i, k));
    else sum.addNumber(n);
  }

  /** The closing balance of row i as a number of öre while each amount is below 2^50 (a sum of three stays exact), else NaN. */
  closingNumber(i: number): number {
    const k = 3 * i;
    const a = this.amounts;
    return small(a[k]!) + small(a[k + 1]!) + small(a[k + 2]!);
  }

  closing(i: number): Ore {
    const n = this.closingNumber(i);
    return Number.isNaN(n) ? this.amount(i, 0) + this.amount(i, 1) + this.amount(i, 2) : ore(n);
  }

  /** Whether row i holds an amount: an opening balance, a debit or a credit not zero (one a number does not hold is not). */
  holdsAmount(i: number): boolean {
    const k = 3 * i;
    const a = this.amounts;
    return a[k] !== 0 || a[k + 1] !== 0 || a[k + 2] !== 0;
  }

  /** Whether row i has neither a balance nor a movement: opening zero, debits and credits even. */
  isZero(i: number): boolean {
    const k = 3 * i;
    const a = this.amounts;
    if (a[k] === 0 && a[k + 1] === -a[k + 2]!) return true;
    if (!Number.isNaN(a[k]!) && !Number.isNaN(a[k + 1]!) && !Number.isNaN(a[k + 2]!)) return false;
    return this.amount(i, 0) === 0n && this.amount(i, 1) + this.amount(i, 2) === 0n;
  }

  row(i: number): BalanceRow {
    return balanceRow(
      this.entity(i),
      this.account(i),
      this.counterparty(i),
      this.amount(i, 0),
      this.amount(i, 1),
      this.amount(i, 2),
    );
  }

  /** The rows as objects, made once: for the few uses that are not worth columns (explaining a figure, exports). */
  rows(): readonly BalanceRow[] {
    if (!this.#rows) {
      const out = new Array<BalanceRow>(this.length);
      for (let i = 0; i < out.length; i++) out[i] = this.row(i);
      this.#rows = out;
    }
    return this.#rows;
  }

  *[Symbol.iterator](): Iterator<BalanceRow> {
    yield* this.rows();
  }

  /** Rows start..end, sharing this table's columns. */
  slice(start: number, end: number): RowTable {
    let exact: Map<number, Exact> | undefined;
    for (const [i, x] of this.exact) if (i >= start && i < end) (exact ??= new Map()).set(i - start, x);
    return new RowTable(this.keys.subarray(3 * start, 3 * end), this.amounts.subarray(3 * start, 3 * end), exact);
  }

  /** Row i of this table against a row given as an object, in the canonical order. */
  compareTo(i: number, r: BalanceRow): number {
    return (
      byText(this.entity(i), r.entity) ||
      byText(this.account(i), r.account) ||
      byText(this.counterparty(i), r.counterparty)
    );
  }

  /**
   * The rows, less those at `dropped` (ascending indexes), with `extra` put in their places: each
   * after the rows it equals, as a stable sort of `[...rows, ...extra]` would place it.
   */
  with(extra: readonly BalanceRow[], dropped: readonly number[] = []): RowTable {
    if (extra.length === 0 && dropped.length === 0) return this;
    const more = [...extra].sort(compareRows);
    const { at } = this.#insertionPoints(more);
    const out = new RowTableBuilder(this.length - dropped.length + more.length);
    // Copied in runs between the places where a row goes in or one is left out.
    let from = 0;
    let x = 0;
    let d = 0;
    for (;;) {
      const insert = x < more.length ? at[x]! : Infinity;
      const drop = d < dropped.length ? dropped[d]! : Infinity;
      out.copy(this, from, Math.min(insert, drop, this.length));
      if (insert === Infinity && drop === Infinity) {
        const made = out.table();
        inheritAccounts(made, this, extra);
        inheritTotals(made, this, extra, dropped, true);
        return made;
      }
      if (insert <= drop) {
        from = Math.max(from, insert);
        out.addRow(more[x++]!);
      } else {
        d++;
        from = drop + 1;
      }
    }
  }

  /**
   * with(), made in this table's own columns where they have room (joinTables leaves room for a
   * year's closing): no new memory for a quarter of a million rows, which costs more to touch the
   * first time than to fill (measured: 27 ms for 8 MB, under 1 ms after). This table is not to be
   * read after.
   */
  into(extra: readonly BalanceRow[], dropped: readonly number[] = []): RowTable {
    const length = this.length - dropped.length + extra.length;
    if (extra.length === 0 && dropped.length === 0) return this;
    const exactly = (r: BalanceRow) => !Number.isNaN(held(r.opening) + held(r.debit) + held(r.credit));
    if (this.exact.size > 0 || length > this.length + this.room || !extra.every(exactly))
      return this.with(extra, dropped);
    // The totals kept are adjusted while the rows left out are still there to read.
    const totals = adjustedTotals(this, extra, dropped, false);
    const keys = new Uint32Array(this.keys.buffer, this.keys.byteOffset, 3 * (this.length + this.room));
    const amounts = new Float64Array(this.amounts.buffer, this.amounts.byteOffset, 3 * (this.length + this.room));
    const move = (to: number, start: number, end: number) => {
      keys.copyWithin(3 * to, 3 * start, 3 * end);
      amounts.copyWithin(3 * to, 3 * start, 3 * end);
    };
    // The rows left out: the others moved up over them (none moves while none is left out).
    let kept = 0;
    for (let d = 0, start = 0; d <= dropped.length; d++) {
      const end = d < dropped.length ? dropped[d]! : this.length;
      if (kept !== start) move(kept, start, end);
      kept += end - start;
      start = end + 1;
    }
    // The rows put in, from the last: the rows after each moved down by as many as go in before them.
    const compact = new RowTable(keys.subarray(0, 3 * kept), amounts.subarray(0, 3 * kept));
    const more = [...extra].sort(compareRows);
    const { at, places } = compact.#insertionPoints(more);
    const out = new RowTable(
      keys.subarray(0, 3 * length),
      amounts.subarray(0, 3 * length),
      EMPTY,
      this.room - (length - this.length),
    );
    inheritAccounts(out, this, extra);
    if (totals) totalsKept.set(out, totals);
    for (let x = more.length - 1, end = kept; x >= 0; x--) {
      move(at[x]! + x + 1, at[x]!, end);
      end = at[x]!;
      const r = more[x]!;
      const k = 3 * (at[x]! + x);
      keys[k] = places[3 * x]!;
      keys[k + 1] = places[3 * x + 1]!;
      keys[k + 2] = places[3 * x + 2]!;
      amounts[k] = Number(r.opening);
      amounts[k + 1] = Number(r.debit);
      amounts[k + 2] = Number(r.credit);
    }
    return out;
  }

  /**
   * For each of rows `sorted` (compareRows), the index of the first row after every row it equals
   * or follows, and its entity, account and counterparty's places. Each is searched for from where
   * the one before goes, names compared only where their places differ: a thousand units' closing
   * rows, searched for with compareTo, took 4-5 ms of a run (CPU profiles), mostly in calls.
   */
  #insertionPoints(sorted: readonly BalanceRow[]): { at: number[]; places: number[] } {
    const { keys } = this;
    const names = tableNames.list;
    const at: number[] = [];
    const places: number[] = [];
    let lo = 0;
    for (const r of sorted) {
      const entity = tableNames.place(r.entity);
      const account = tableNames.place(r.account);
      const counterparty = tableNames.place(r.counterparty);
      let hi = this.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const k = 3 * mid;
        const order =
          keys[k] !== entity
            ? byText(names[keys[k]!]!, r.entity)
            : keys[k + 1] !== account
              ? byText(names[keys[k + 1]!]!, r.account)
              : keys[k + 2] !== counterparty
                ? byText(names[keys[k + 2]!]!, r.counterparty)
                : 0;
        if (order <= 0) lo = mid + 1;
        else hi = mid;
      }
      at.push(lo);
      places.push(entity, account, counterparty);
    }
    return { at, places };
  }

  /** Rows given as objects, in the canonical order. */
  static from(rows: readonly BalanceRow[]): RowTable {
    const out = new RowTableBuilder(rows.length);
    for (const r of rows) out.addRow(r);
    return out.table();
  }
}

const LIMIT = 2 ** 50;
const small = (n: number) => (n < LIMIT && n > -LIMIT ? n : NaN);

/** A table filled one row at a time, to at most the rows it is made for. */
export class RowTableBuilder {
  readonly #keys: Uint32Array;
  readonly #amounts: Float64Array;
  #exact: Map<number, Exact> | undefined;
  #n = 0;

  constructor(rows: number) {
    this.#keys = new Uint32Array(3 * rows);
    this.#amounts = new Float64Array(3 * rows);
  }

  /** A row of names given as places, its amounts as numbers of öre that are safe integers. */
  add(entity: number, account: number, counterparty: number, opening: number, debit: number, credit: number): void {
    const k = 3 * this.#n++;
    this.#keys[k] = entity;
    this.#keys[k + 1] = account;
    this.#keys[k + 2] = counterparty;
    this.#amounts[k] = opening;
    this.#amounts[k + 1] = debit;
    this.#amounts[k + 2] = credit;
  }

  addRow(r: BalanceRow): void {
    this.addExact(tableNames.place(r.entity), tableNames.place(r.account), tableNames.place(r.counterparty), [
      r.opening,
      r.debit,
      r.credit,
    ]);
  }

  /** A row whose amounts may be beyond what a number holds exactly. */
  addExact(entity: number, account: number, counterparty: number, amounts: Exact): void {
    const [opening, debit, credit] = amounts.map(Number) as [number, number, number];
    if (Number.isSafeInteger(opening) && Number.isSafeInteger(debit) && Number.isSafeInteger(credit))
      return this.add(entity, account, counterparty, opening, debit, credit);
    (this.#exact ??= new Map()).set(this.#n, amounts);
    this.add(entity, account, counterparty, NaN, NaN, NaN);
  }

  /** Rows start..end of `from` as they are. */
  copy(from: RowTable, start: number, end: number): void {
    if (end <= start) return;
    const to = 3 * this.#n;
    if (end - start > 64) {
      this.#keys.set(from.keys.subarray(3 * start, 3 * end), to);
      this.#amounts.set(from.amounts.subarray(3 * start, 3 * end), to);
    } else
      // A short run element by element: two views of it would cost more than copying it.
      for (let k = 3 * start, t = to; k < 3 * end; k++, t++) {
        this.#keys[t] = from.keys[k]!;
        this.#amounts[t] = from.amounts[k]!;
      }
    if (from.exact.size)
      for (let i = start; i < end; i++) {
        const x = from.exact.get(i);
        if (x) (this.#exact ??= new Map()).set(this.#n + i - start, x);
      }
    this.#n += end - start;
  }

  table(): RowTable {
    const n = 3 * this.#n;
    return new RowTable(this.#keys.subarray(0, n), this.#amounts.subarray(0, n), this.#exact);
  }
}

/**
 * Trial balances joined: rows of the same entity, account and counterparty added up, in the
 * canonical order. Each table is in that order already. Tables that do not overlap (a file per
 * entity, the usual case) are put one after the other in the order of their first rows; tables
 * that do are joined as rows (joinRows).
 */
export function joinTables(tables: readonly RowTable[]): RowTable {
  const firsts = new Map(tables.filter((t) => t.length > 0).map((t) => [t, t.row(0)]));
  const filled = [...firsts.keys()].sort((a, b) => compareRows(firsts.get(a)!, firsts.get(b)!));
  const apart = filled.every(
    (t, i) => i === 0 || filled[i - 1]!.compareTo(filled[i - 1]!.length - 1, firsts.get(t)!) < 0,
  );
  if (!apart) return RowTable.from(joinRows(filled.map((t) => t.rows())));
  if (filled.length === 1) return filled[0]!;
  const rows = filled.reduce((n, t) => n + t.length, 0);
  // Room for the rows a year's closing puts in (RowTable.into): memory not written is not touched.
  const room = (rows >> 3) + 1024;
  const keys = new Uint32Array(3 * (rows + room)).subarray(0, 3 * rows);
  const amounts = new Float64Array(3 * (rows + room)).subarray(0, 3 * rows);
  let exact: Map<number, Exact> | undefined;
  let at = 0;
  for (const t of filled) {
    keys.set(t.keys, 3 * at);
    amounts.set(t.amounts, 3 * at);
    for (const [i, x] of t.exact) (exact ??= new Map()).set(at + i, x);
    at += t.length;
  }
  return new RowTable(keys, amounts, exact, room);
}

/**
 * Rows of a table, less those `left` marks (1 by the row's index): the parts a table is made of
 * without making it. `left` may be made as it is first read (eliminate): read it only where needed.
 */
export interface RowParts {
  readonly rows: RowTable;
  readonly left?: Uint8Array;
}

/**
 * The rows of some tables (less the rows each leaves out) added up per account and counterparty,
 * under no entity. Each account and counterparty is a slot; its amounts are added as numbers, with
 * their sizes: while the sizes add up to less than 2^53 öre every sum on the way is exact. A slot
 * past that, or with an amount a number does not hold, is added again as bigints. The slots come in
 * the order their first rows do: what reads them adds them up, which no order changes.
 */
export function addedUpAcross(parts: readonly RowParts[]): RowTable {
  const slots = newSlots();
  // In pieces: a call V8 has seen a few times runs optimized, where one loop over a quarter of a
  // million rows ran mostly before V8 had optimized it.
  for (const part of parts)
    for (let from = 0; from < part.rows.length; from += SLOT_PIECE)
      addToSlots(part, from, Math.min(from + SLOT_PIECE, part.rows.length), slots);
  const { sizes } = slots;
  const inexact = new Map<number, ExactSum[]>();
  for (let slot = 0; slot < slotCount(slots); slot++)
    if (!(sizes[slot]! < 2 ** 53)) inexact.set(slot, [new ExactSum(), new ExactSum(), new ExactSum()]);
  if (inexact.size)
    for (const { rows, left } of parts)
      for (let i = 0; i < rows.length; i++) {
        const exact = left?.[i] ? undefined : inexact.get(slotOf(slots, rows.accountAt(i), rows.counterpartyAt(i)));
        if (exact) for (const k of [0, 1, 2] as const) exact[k]!.add(rows.amount(i, k));
      }
  return tableOfSlots(slots, inexact);
}

/** Whether two sets hold the same members. */
export const sameMembers = <T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean =>
  a.size === b.size && [...a].every((x) => b.has(x));

/**
 * addedUpAcross of a table's rows less those between two of `entities` (a counterparty that is
 * another of them), and of `more`, from the totals the table kept as it was made (TablesInTurn,
 * into, with): no pass over a quarter of a million rows once the files are read. Undefined when
 * the table kept none for these entities, or a sum may not be exact (addedUpAcross then).
 */
export function externalTotals(rows: RowTable, entities: ReadonlySet<string>, more: RowTable): RowTable | undefined {
  const kept = totalsKept.get(rows);
  if (!kept || !sameMembers(kept.entities, entities)) return undefined;
  const slots = copySlots(kept.slots);
  for (let i = 0; i < more.length; i++) addRow(slots, more, i, 1);
  for (let slot = 0; slot < slotCount(slots); slot++)
    if (slots.counts[slot]! > 0 && !(slots.sizes[slot]! < 2 ** 53)) return undefined;
  return tableOfSlots(slots, new Map());
}

/** The slots that hold rows as a table under no entity, those `inexact` names added up exactly. */
function tableOfSlots(slots: Slots, inexact: ReadonlyMap<number, readonly ExactSum[]>): RowTable {
  const { sums, counts } = slots;
  let filled = 0;
  for (let slot = 0; slot < slotCount(slots); slot++) if (counts[slot]! > 0) filled++;
  const out = new RowTableBuilder(filled);
  const none = tableNames.place("");
  for (let slot = 0; slot < slotCount(slots); slot++) {
    if (counts[slot] === 0) continue;
    const account = slots.keys[2 * slot]!;
    const counterparty = slots.keys[2 * slot + 1]!;
    const exact = inexact.get(slot);
    if (exact) out.addExact(none, account, counterparty, [exact[0]!.value, exact[1]!.value, exact[2]!.value]);
    else out.add(none, account, counterparty, sums[3 * slot]!, sums[3 * slot + 1]!, sums[3 * slot + 2]!);
  }
  return out.table();
}

/**
 * The slot of each account and counterparty (places in tableNames), the account and counterparty of
 * each slot, and each slot's three sums, its size and how many rows it holds (rows taken out
 * count -1). An account's first counterparty (no counterparty, mostly) is found in two typed
 * arrays; its others in maps. Arrays with a slot at each counterparty's place, as before, were
 * sparse: V8 changed how their elements are kept as they filled, and threw away the optimized code
 * of the loop that reads them (a thousand files' totals: 30-50 ms, not 3).
 */
interface Slots {
  /** By account: 1 + the slot of its first counterparty; 0 while it has none. */
  first: Int32Array;
  /** By account: its first counterparty. */
  firstParty: Int32Array;
  /** By account: the slots of its other counterparties. */
  readonly others: Map<number, Map<number, number>>;
  readonly keys: number[];
  sums: Float64Array;
  sizes: Float64Array;
  counts: Int32Array;
}

const SLOT_PIECE = 4096;

/**
 * The slots made at first, doubled as more are needed. Made for every row instead (a quarter of a
 * million rows for the 307 slots of a thousand units), the memory had to be cleared first: up to
 * 9 ms where the loop over the rows takes 3.
 */
const FIRST_SLOTS = 1024;

// By account, room for the names known and as many more: a field given a new array is made
// mutable, and V8 throws away the optimized code that took it for constant.
const newSlots = (): Slots => ({
  first: new Int32Array(2 * tableNames.list.length + 64),
  firstParty: new Int32Array(2 * tableNames.list.length + 64),
  others: new Map(),
  keys: [],
  sums: new Float64Array(3 * FIRST_SLOTS),
  sizes: new Float64Array(FIRST_SLOTS),
  counts: new Int32Array(FIRST_SLOTS),
});

const slotCount = (slots: Slots) => slots.keys.length / 2;

const copySlots = (slots: Slots): Slots => ({
  first: slots.first.slice(),
  firstParty: slots.firstParty.slice(),
  others: new Map([...slots.others].map(([account, byParty]) => [account, new Map(byParty)])),
  keys: slots.keys.slice(),
  sums: slots.sums.slice(),
  sizes: slots.sizes.slice(),
  counts: slots.counts.slice(),
});

/** The slot of an account and counterparty, made if new. */
function slotOf(slots: Slots, account: number, counterparty: number): number {
  if (account >= slots.first.length) {
    slots.first = grownTo(slots.first, account + 1);
    slots.firstParty = grownTo(slots.firstParty, account + 1);
  }
  const first = slots.first[account]! - 1;
  if (first >= 0 && slots.firstParty[account] === counterparty) return first;
  let byParty = slots.others.get(account);
  let slot = first < 0 ? undefined : byParty?.get(counterparty);
  if (slot !== undefined) return slot;
  slot = slotCount(slots);
  slots.keys.push(account, counterparty);
  if (slot === slots.sizes.length) moreSlots(slots);
  if (first < 0) {
    slots.first[account] = slot + 1;
    slots.firstParty[account] = counterparty;
  } else {
    if (!byParty) slots.others.set(account, (byParty = new Map()));
    byParty.set(counterparty, slot);
  }
  return slot;
}

/** Rows start..end of one part added to their slots, in one small loop over the columns. */
function addToSlots({ rows, left }: RowParts, start: number, end: number, slots: Slots): void {
  const { keys, amounts } = rows;
  let { sums, sizes, counts, first, firstParty } = slots;
  for (let i = start, k = 3 * start; i < end; i++, k += 3) {
    if (left !== undefined && left[i] === 1) continue;
    const account = keys[k + 1]!;
    const counterparty = keys[k + 2]!;
    let slot = account < first.length && firstParty[account] === counterparty ? first[account]! - 1 : -1;
    if (slot < 0) {
      slot = slotOf(slots, account, counterparty);
      ({ sums, sizes, counts, first, firstParty } = slots);
    }
    const s = 3 * slot;
    const opening = amounts[k]!;
    const debit = amounts[k + 1]!;
    const credit = amounts[k + 2]!;
    sums[s] = sums[s]! + opening;
    sums[s + 1] = sums[s + 1]! + debit;
    sums[s + 2] = sums[s + 2]! + credit;
    sizes[slot] = sizes[slot]! + Math.abs(opening) + Math.abs(debit) + Math.abs(credit);
    counts[slot] = counts[slot]! + 1;
  }
}

/** Row i of a table added to its slot (sign 1) or taken out of it (-1). */
function addRow(slots: Slots, rows: RowTable, i: number, sign: 1 | -1): void {
  addAmounts(
    slots,
    rows.accountAt(i),
    rows.counterpartyAt(i),
    rows.number(i, 0),
    rows.number(i, 1),
    rows.number(i, 2),
    sign,
  );
}

/** Amounts (opening, debit, credit) added to the slot of an account and counterparty (sign 1) or taken out of it (-1); NaN for one a number does not hold. */
function addAmounts(
  slots: Slots,
  account: number,
  counterparty: number,
  opening: number,
  debit: number,
  credit: number,
  sign: 1 | -1,
): void {
  const slot = slotOf(slots, account, counterparty);
  const { sums, sizes, counts } = slots;
  sums[3 * slot] = sums[3 * slot]! + sign * opening;
  sums[3 * slot + 1] = sums[3 * slot + 1]! + sign * debit;
  sums[3 * slot + 2] = sums[3 * slot + 2]! + sign * credit;
  sizes[slot] = sizes[slot]! + Math.abs(opening) + Math.abs(debit) + Math.abs(credit);
  counts[slot] = counts[slot]! + sign;
}

/** Twice the room for slots, the sums, sizes and counts so far kept. */
function moreSlots(slots: Slots): Slots {
  const sums = new Float64Array(2 * slots.sums.length);
  const sizes = new Float64Array(2 * slots.sizes.length);
  const counts = new Int32Array(2 * slots.counts.length);
  sums.set(slots.sums);
  sizes.set(slots.sizes);
  counts.set(slots.counts);
  slots.sums = sums;
  slots.sizes = sizes;
  slots.counts = counts;
  return slots;
}

/**
 * A table's rows less those between two of `entities`, added up per account and counterparty (as
 * addedUpAcross's slots) as the table was made: TablesInTurn adds each file's rows as it copies
 * them, while the code that does it is fast, and a table made from another (into, with) adjusts
 * them by the rows it puts in and leaves out. The group's totals (eliminate) are then these, not a
 * pass over a quarter of a million rows after the files are read (a thousand entities: 9-22 ms).
 */
interface KeptTotals {
  readonly entities: ReadonlySet<string>;
  /** By place in tableNames: 1 for each of `entities`. */
  readonly isEntity: Uint8Array;
  readonly slots: Slots;
  /** Each entity's result as booked (its rows on result accounts), by the chart that tells them (keptResults). */
  readonly results: KeptResults;
  /** Sums of another kind, kept alike (keptSums). */
  readonly more?: KeptSums;
  /** Sums of every row, kept alike (keptSumsOfAll): each entity's statement's selections. */
  readonly all?: KeptSums;
}

/**
 * Sums of a table's rows between two of the group's entities, kept as the table is made, a file's
 * rows at a time (TablesInTurn), and as tables are made from it (into, with): what a pass over a
 * quarter of a million rows would find once the files are read, found while the code that adds
 * them is fast (eliminate's pairs).
 */
export interface KeptSums {
  /**
   * Adds a row (sign 1), or takes one out (-1): between two of the group's entities for the sums of
   * another kind (keptSums), any row for the sums of all (keptSumsOfAll). Its names as places in
   * tableNames, NaN for an amount a number does not hold.
   */
  addRow(
    entity: number,
    account: number,
    counterparty: number,
    opening: number,
    debit: number,
    credit: number,
    sign: 1 | -1,
  ): void;
  /** These sums, for a table made from another that is still read (RowTable.with). */
  copy(): KeptSums;
}

/** The sums of another kind a table kept as it was made (KeptSums), if any. */
export const keptSums = (rows: RowTable): KeptSums | undefined => totalsKept.get(rows)?.more;

/** The sums of every row a table kept as it was made (KeptSums of all rows, not only those between entities), if any. */
export const keptSumsOfAll = (rows: RowTable): KeptSums | undefined => totalsKept.get(rows)?.all;

/**
 * By entity (its place in tableNames): its rows on the chart's result accounts added up, with
 * their sizes and how many rows they are. By account: 0 not asked yet, 1 no result account, 2 one.
 */
interface KeptResults {
  readonly chart: ReadonlyMap<string, Account>;
  readonly verdicts: Uint8Array;
  readonly sums: Float64Array;
  readonly sizes: Float64Array;
  readonly counts: Int32Array;
}

const totalsKept = new WeakMap<RowTable, KeptTotals>();

/**
 * The totals of a table made from `from` with the rows `extra` put in and those at `dropped` left
 * out; `from`'s own are changed unless `copy`. Undefined when `from` kept none.
 */
function adjustedTotals(
  from: RowTable,
  extra: readonly BalanceRow[],
  dropped: readonly number[],
  copy: boolean,
): KeptTotals | undefined {
  const kept = totalsKept.get(from);
  if (!kept) return undefined;
  const slots = copy ? copySlots(kept.slots) : kept.slots;
  const results = copy ? copyResults(kept.results) : kept.results;
  const more = copy ? kept.more?.copy() : kept.more;
  const all = copy ? kept.all?.copy() : kept.all;
  if (!copy) totalsKept.delete(from);
  // A row between two entities goes to the sums of those (more), any other to its slot. Its
  // amounts are passed one by one: a list spread or destructured in code that runs once (a thousand
  // units' closing rows) goes through the iteration protocol each time.
  const add: KeptSums["addRow"] = (entity, account, counterparty, opening, debit, credit, sign) => {
    all?.addRow(entity, account, counterparty, opening, debit, credit, sign);
    if (kept.isEntity[counterparty] === 1 && counterparty !== entity)
      more?.addRow(entity, account, counterparty, opening, debit, credit, sign);
    else addAmounts(slots, account, counterparty, opening, debit, credit, sign);
    addResult(results, entity, account, small(opening) + small(debit) + small(credit), sign);
  };
  for (const i of dropped)
    add(
      from.entityAt(i),
      from.accountAt(i),
      from.counterpartyAt(i),
      from.number(i, 0),
      from.number(i, 1),
      from.number(i, 2),
      -1,
    );
  for (const r of extra)
    add(
      tableNames.place(r.entity),
      tableNames.place(r.account),
      tableNames.place(r.counterparty),
      held(r.opening),
      held(r.debit),
      held(r.credit),
      1,
    );
  return { ...kept, slots, results, ...(more ? { more } : {}), ...(all ? { all } : {}) };
}

/** An amount as a number of öre: NaN for one a number does not hold exactly. */
const held = (x: Ore) => (Number.isSafeInteger(Number(x)) ? Number(x) : NaN);

const copyResults = (r: KeptResults): KeptResults => ({
  chart: r.chart,
  verdicts: r.verdicts.slice(),
  sums: r.sums.slice(),
  sizes: r.sizes.slice(),
  counts: r.counts.slice(),
});

/** Whether the account at a place is one of the chart's result accounts (asked once, kept in `verdicts`). */
function isResultAt(results: KeptResults, account: number): boolean {
  if (results.verdicts[account] === 0) {
    const type = results.chart.get(tableNames.list[account]!)?.type;
    results.verdicts[account] = type !== undefined && isResultAccount(type) ? 2 : 1;
  }
  return results.verdicts[account] === 2;
}

/** A row's closing balance (NaN when a number may not hold it) added to its entity's result (sign 1) or taken out (-1), on a result account. */
function addResult(results: KeptResults, entity: number, account: number, closing: number, sign: 1 | -1): void {
  if (account >= results.verdicts.length || entity >= results.sums.length) return poison(results);
  if (!isResultAt(results, account)) return;
  results.sums[entity] = results.sums[entity]! + sign * closing;
  results.sizes[entity] = results.sizes[entity]! + Math.abs(closing);
  results.counts[entity] = results.counts[entity]! + sign;
}

/** Results that no longer tell (a name past the room kept for them): keptResults gives none. */
function poison(results: KeptResults): void {
  results.sizes.fill(NaN);
}

/**
 * Each entity's result as booked, the sum of its rows on the chart's result accounts less the
 * rows at `dropped`, by the entity's place, in the order of the entities' names (as their rows
 * come): from what the table kept as it was made (TablesInTurn, into, with), not from a pass over
 * a quarter of a million rows once the files are read (a thousand entities: 6-11 ms). Undefined
 * when it kept none by this chart, or a sum may not be exact (added up from the rows then).
 */
export function keptResults(
  rows: RowTable,
  chart: ReadonlyMap<string, Account>,
  dropped: readonly number[],
): Map<number, Ore> | undefined {
  const kept = totalsKept.get(rows)?.results;
  if (!kept || kept.chart !== chart) return undefined;
  const results = copyResults(kept);
  for (const i of dropped) addResult(results, rows.entityAt(i), rows.accountAt(i), rows.closingNumber(i), -1);
  const entities: number[] = [];
  for (let place = 0; place < results.counts.length; place++) {
    if (results.counts[place] === 0) continue;
    if (!(results.sizes[place]! < 2 ** 53)) return undefined;
    entities.push(place);
  }
  entities.sort((a, b) => byText(tableNames.list[a]!, tableNames.list[b]!));
  return new Map(entities.map((e) => [e, BigInt(results.sums[e]!)]));
}

/** `made` keeps the totals of `from` adjusted (adjustedTotals), if `from` kept any. */
function inheritTotals(
  made: RowTable,
  from: RowTable,
  extra: readonly BalanceRow[],
  dropped: readonly number[],
  copy: boolean,
): void {
  const totals = adjustedTotals(from, extra, dropped, copy);
  if (totals) totalsKept.set(made, totals);
}

/**
 * A file's rows added to what the year's table keeps (KeptTotals), in one loop over its columns:
 * each row's account marked `held`, a row on a result account added to its entity's result, a row
 * between two entities to the sums of those (KeptSums), any other to its slot. One loop, not one
 * for each: each ran unoptimized for the first hundreds of files, and was compiled on the cores
 * that read them.
 */
function addKept(table: RowTable, kept: KeptTotals, held: Uint8Array): void {
  const { keys, amounts } = table;
  const { isEntity, slots, results, more, all } = kept;
  const { verdicts } = results;
  if (tableNames.list.length > verdicts.length) poison(results);
  let { sums, sizes, counts, first, firstParty } = slots;
  for (let k = 0; k < keys.length; k += 3) {
    const entity = keys[k]!;
    const account = keys[k + 1]!;
    const counterparty = keys[k + 2]!;
    const opening = amounts[k]!;
    const debit = amounts[k + 1]!;
    const credit = amounts[k + 2]!;
    held[account] = 1;
    if (verdicts[account] === 0) isResultAt(results, account);
    if (verdicts[account] === 2) {
      results.sums[entity] = results.sums[entity]! + opening + debit + credit;
      results.sizes[entity] = results.sizes[entity]! + Math.abs(opening) + Math.abs(debit) + Math.abs(credit);
      results.counts[entity] = results.counts[entity]! + 1;
    }
    all?.addRow(entity, account, counterparty, opening, debit, credit, 1);
    if (isEntity[counterparty] === 1 && counterparty !== entity) {
      more?.addRow(entity, account, counterparty, opening, debit, credit, 1);
      continue;
    }
    let slot = account < first.length && firstParty[account] === counterparty ? first[account]! - 1 : -1;
    if (slot < 0) {
      slot = slotOf(slots, account, counterparty);
      ({ sums, sizes, counts, first, firstParty } = slots);
    }
    const s = 3 * slot;
    sums[s] = sums[s]! + opening;
    sums[s + 1] = sums[s + 1]! + debit;
    sums[s + 2] = sums[s + 2]! + credit;
    sizes[slot] = sizes[slot]! + Math.abs(opening) + Math.abs(debit) + Math.abs(credit);
    counts[slot] = counts[slot]! + 1;
  }
}

/**
 * Trial balances joined as they come in, each in its turn: a table is copied into the year's
 * columns when the tables before it are in, and let go. A thousand files' tables so never all wait
 * in memory of their own, and memory let go is used again: memory touched for the first time costs
 * more than the copy (a thousand files: 10 MB, 27 ms on the benchmark's machine). When the tables
 * came in the canonical order (each after the last, apart: a file per entity, read in the order of
 * the entities), the columns are the year's table; otherwise they are joined as joinTables does.
 */
export class TablesInTurn {
  readonly #waiting = new Map<number, RowTable>();
  /** Per turn, the bytes its table was read from: the first turns' tables tell how many rows the year holds. */
  readonly #bytes: readonly number[];
  readonly #total: number;
  readonly #runs: number[] = [];
  #next = 0;
  #keys: Uint32Array | undefined;
  #amounts = new Float64Array(0);
  #exact: Map<number, Exact> | undefined;
  #rows = 0;
  readonly #totals: KeptTotals | undefined;
  #held: Uint8Array = new Uint8Array(0);

  /**
   * `group`: the group's entities, whose rows between two of them the year's totals leave out
   * (externalTotals), its chart, which tells each entity's result (keptResults), sums of
   * another kind to keep (keptSums) and sums of every row (keptSumsOfAll).
   */
  constructor(
    bytes: readonly number[],
    group?: {
      readonly entities: ReadonlySet<string>;
      readonly chart: ReadonlyMap<string, Account>;
      readonly more?: KeptSums;
      readonly all?: KeptSums;
    },
  ) {
    this.#bytes = bytes;
    this.#total = bytes.reduce((a, b) => a + b, 0);
    if (!group) return;
    const places = [...group.entities].map((e) => tableNames.place(e));
    const isEntity = new Uint8Array(tableNames.list.length);
    for (const place of places) isEntity[place] = 1;
    // Room for the names known and as many more: a table's names past it leave the results untold.
    const room = 2 * tableNames.list.length + 1024;
    const results = {
      chart: group.chart,
      verdicts: new Uint8Array(room),
      sums: new Float64Array(room),
      sizes: new Float64Array(room),
      counts: new Int32Array(room),
    };
    const more = group.more ? { more: group.more } : {};
    const all = group.all ? { all: group.all } : {};
    this.#totals = { entities: group.entities, isEntity, slots: newSlots(), results, ...more, ...all };
  }

  /** The table of a turn; it is not to be read after. */
  put(turn: number, table: RowTable): void {
    this.#waiting.set(turn, table);
    if (!this.#keys && !this.#forecast()) return;
    for (let t = this.#waiting.get(this.#next); t; t = this.#waiting.get(this.#next)) {
      this.#waiting.delete(this.#next);
      this.#append(t);
    }
  }

  /** The year's table, once every turn's table is in, with room for a year's closing (RowTable.into). */
  table(): RowTable {
    const rows = this.#rows;
    const keys = (this.#keys ?? new Uint32Array(0)).subarray(0, 3 * rows);
    const all = new RowTable(keys, this.#amounts.subarray(0, 3 * rows), this.#exact);
    const starts = this.#runs.filter((start, i) => start < (this.#runs[i + 1] ?? rows));
    const inOrder = starts.every((start, i) => i === 0 || all.compareTo(start - 1, all.row(start)) < 0);
    if (!inOrder) return joinTables(starts.map((start, i) => all.slice(start, starts[i + 1] ?? rows)));
    const year = new RowTable(all.keys, all.amounts, all.exact, this.#amounts.length / 3 - rows);
    if (this.#totals) {
      totalsKept.set(year, this.#totals);
      const accounts: number[] = [];
      this.#held.forEach((held, place) => held && accounts.push(place));
      heldAccounts.set(year, accounts);
    }
    return year;
  }

  /**
   * The year's columns, made once the first turns are in (a thirty-second of the bytes, 32 turns,
   * or all of them): as many rows as the year's bytes make at their rows per byte, a quarter more
   * (untouched, memory costs nothing). False while those turns are still to come.
   */
  #forecast(): boolean {
    let rows = 0;
    let bytes = 0;
    let turn = 0;
    for (; this.#waiting.has(turn); turn++) {
      rows += this.#waiting.get(turn)!.length;
      bytes += this.#bytes[turn]!;
    }
    if (turn < this.#bytes.length && turn < 32 && bytes < this.#total / 32) return false;
    this.#allocate(Math.ceil((rows / Math.max(1, bytes)) * this.#total * 1.25) + 1024);
    return true;
  }

  #append(table: RowTable): void {
    this.#runs.push(this.#rows);
    const needed = this.#rows + table.length;
    const capacity = this.#amounts.length / 3;
    if (needed > capacity) this.#allocate(Math.max(needed + 1024, Math.ceil(capacity * 1.5)));
    this.#keys!.set(table.keys, 3 * this.#rows);
    this.#amounts.set(table.amounts, 3 * this.#rows);
    if (this.#totals) {
      if (this.#held.length < tableNames.list.length) this.#held = grownTo(this.#held, tableNames.list.length);
      addKept(table, this.#totals, this.#held);
    }
    for (const [i, x] of table.exact) (this.#exact ??= new Map()).set(this.#rows + i, x);
    this.#rows = needed;
    this.#next++;
  }

  /** Columns for `capacity` rows, the rows so far copied in. */
  #allocate(capacity: number): void {
    const keys = new Uint32Array(3 * capacity);
    const amounts = new Float64Array(3 * capacity);
    if (this.#keys) keys.set(this.#keys.subarray(0, 3 * this.#rows));
    amounts.set(this.#amounts.subarray(0, 3 * this.#rows));
    this.#keys = keys;
    this.#amounts = amounts;
  }
}

/** A copy of `array` with room for `length`, twice its own at least. */
function grownTo<T extends Uint8Array | Int32Array>(array: T, length: number): T {
  const out = new (array.constructor as new (length: number) => T)(Math.max(length, 2 * array.length));
  out.set(array);
  return out;
}

/** Rows as a table: a table as it is, rows given as objects (budgets, tests) put in columns. */
export const asTable = (rows: RowTable | readonly BalanceRow[]): RowTable =>
  rows instanceof RowTable ? rows : RowTable.from(rows);

/**
 * The indexes of the rows whose account `asks` says to look at, each account asked once. A year's
 * passes over its rows (the closing, coverage) each ran once over a quarter of a million rows,
 * mostly before V8 had optimized them; now the accounts a table holds are found once (accountsIn)
 * and the rows are passed over only when one of them is asked for.
 */
export function rowsOfAccounts(rows: RowTable, asks: (account: string) => boolean): number[] {
  const held = accountsIn(rows);
  const verdicts = new Uint8Array(tableNames.list.length); // 0 not held, 1 no, 2 yes
  let any = false;
  for (const place of held) {
    verdicts[place] = asks(tableNames.list[place]!) ? 2 : 1;
    any ||= verdicts[place] === 2;
  }
  const out: number[] = [];
  if (!any) return out;
  const { keys } = rows;
  for (let k = 1; k < keys.length; k += 3) if (verdicts[keys[k]!] === 2) out.push((k - 1) / 3);
  return out;
}

/**
 * The accounts of the rows that hold an amount (an opening balance, a debit or a credit not zero),
 * read from the columns: a quarter of a million rows made objects with bigint amounts to ask this
 * cost a thousand units' check about 115 ms, most of it garbage collection (its time after the
 * elimination 150 ms, 35 ms so).
 */
export function accountsWithAmounts(rows: RowTable): Set<string> {
  const seen = new Uint8Array(tableNames.list.length);
  const out = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const account = rows.accountAt(i);
    if (seen[account] === 1 || !rows.holdsAmount(i)) continue;
    seen[account] = 1;
    out.add(tableNames.list[account]!);
  }
  return out;
}

/** The accounts each table holds rows of (their places), or may: a table made from another (RowTable.into) keeps its list. */
const heldAccounts = new WeakMap<RowTable, readonly number[]>();

/** The places of the accounts `rows` holds; found in one pass, once per table. */
function accountsIn(rows: RowTable): readonly number[] {
  let held = heldAccounts.get(rows);
  if (!held) {
    const seen = new Uint8Array(tableNames.list.length);
    const { keys } = rows;
    for (let k = 1; k < keys.length; k += 3) seen[keys[k]!] = 1;
    const places: number[] = [];
    seen.forEach((s, place) => s && places.push(place));
    heldAccounts.set(rows, (held = places));
  }
  return held;
}

/** `made` holds no account that `from` and the rows `extra` do not: it takes their list, if `from` has one. */
function inheritAccounts(made: RowTable, from: RowTable, extra: readonly BalanceRow[]): void {
  const held = heldAccounts.get(from);
  if (held) heldAccounts.set(made, [...new Set([...held, ...extra.map((r) => tableNames.place(r.account))])]);
}

const grouped = new WeakMap<RowTable, ReadonlyMap<number, RowTable>>();
/** A table of no rows. */
export const NO_ROWS = new RowTable(new Uint32Array(0), new Float64Array(0));

/**
 * An entity's rows of a table, found once per table (not filtered per entity, which is quadratic
 * in entities): rows in the canonical order come in one run per entity, which shares the table's columns.
 */
export function rowsOfEntity(rows: RowTable, entity: string): RowTable {
  let byEntity = grouped.get(rows);
  if (!byEntity) {
    const map = new Map<number, RowTable>();
    const { keys, length } = rows;
    for (let start = 0, end = 1; start < length; start = end++) {
      const e = keys[3 * start]!;
      while (end < length && keys[3 * end] === e) end++;
      map.set(e, rows.slice(start, end));
    }
    grouped.set(rows, (byEntity = map));
  }
  return byEntity.get(tableNames.place(entity)) ?? NO_ROWS;
}
