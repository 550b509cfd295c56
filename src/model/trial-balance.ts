import { fitsNumber, SAFE_SUM, type Ore } from "../domain/money.js";
import { balanceRow, byText, sharedName, type BalanceRow } from "../domain/balance.js";
import { packRows, RowPacker, type PackedRows, type SentNames } from "./row-transfer.js";
import { RowTableBuilder, tableNames, type RowTable } from "../domain/row-table.js";

/**
 * A sum kept as a bigint part and a number part, as one bigint: no new bigint when a part is zero
 * (a zero debit or credit is then the shared literal, and fewer objects outlive the file).
 */
const sum = (big: Ore, ore: number): Ore => (ore === 0 ? big : big === 0n ? BigInt(ore) : big + BigInt(ore));

/**
 * A row being accumulated, its postings added as exact numbers (SAFE_SUM in domain/money.ts) and
 * only what outgrows them as bigints.
 */
class MutableRow {
  opening: Ore = 0n;
  // Started as -0, a double, not as the small integer 0: V8 then never has to change how the
  // field is stored when a sum outgrows a small integer, which would throw away optimized code.
  #debit = -0;
  #credit = -0;
  #bigDebit: Ore = 0n;
  #bigCredit: Ore = 0n;

  constructor(
    readonly entity: string,
    readonly place: HeldAccount,
    readonly counterparty: string,
  ) {}

  get account(): string {
    return this.place.name;
  }

  add(amount: Ore): void {
    if (fitsNumber(amount)) this.addOre(Number(amount));
    else if (amount >= 0n) this.#bigDebit += amount;
    else this.#bigCredit += amount;
  }

  /** An amount that fitsNumber, as a number of öre. */
  addOre(ore: number): void {
    if (ore >= 0) {
      if (this.#debit > SAFE_SUM) this.#settle();
      this.#debit += ore;
    } else {
      if (this.#credit < -SAFE_SUM) this.#settle();
      this.#credit += ore;
    }
  }

  /** Moves the sums kept as numbers into the bigints. */
  #settle(): void {
    this.#bigDebit += BigInt(this.#debit);
    this.#bigCredit += BigInt(this.#credit);
    this.#debit = -0;
    this.#credit = -0;
  }

  /** Packs the row, its sums as numbers: false when one is held as a bigint (it outgrew a number). */
  packInto(packer: RowPacker, entity: number | undefined): boolean {
    const { sent } = packer;
    return (
      this.#bigDebit === 0n &&
      this.#bigCredit === 0n &&
      packer.addPlaced(
        entity,
        this.place.sentPlace(sent),
        sent.place(this.counterparty),
        Number(this.opening),
        this.#debit,
        this.#credit,
      )
    );
  }

  /** Adds the row to a table of this thread. */
  addTo(out: RowTableBuilder, entity: number): void {
    const account = this.place.tablePlace;
    const counterparty = tableNames.place(this.counterparty);
    const opening = Number(this.opening);
    if (this.#bigDebit === 0n && this.#bigCredit === 0n && Number.isSafeInteger(opening))
      out.add(entity, account, counterparty, opening, this.#debit, this.#credit);
    else
      out.addExact(entity, account, counterparty, [
        this.opening,
        sum(this.#bigDebit, this.#debit),
        sum(this.#bigCredit, this.#credit),
      ]);
  }

  /**
   * The row as it stands, a new plain object shaped as every balance row (balanceRow): rows read
   * here and rows sent back by a worker thread then share one shape in V8, and the code that
   * works on a year's rows sees one kind of object.
   */
  row(): BalanceRow {
    return balanceRow(
      this.entity,
      this.account,
      this.counterparty,
      this.opening,
      sum(this.#bigDebit, this.#debit),
      sum(this.#bigCredit, this.#credit),
    );
  }
}

/**
 * An account as this thread's rows hold it: one copy of its name (sharedName), its place in text
 * order, and a number of its own (the thread's accounts counted from 0), by which an entity's rows
 * find it.
 */
class HeldAccount {
  readonly order: number;
  readonly id = heldAccounts.size;
  #tablePlace = -1;
  #sentTo: SentNames | undefined;
  #sentVersion = 0;
  #sentPlace: number | undefined;

  /** The account's place in tableNames. */
  get tablePlace(): number {
    return this.#tablePlace < 0 ? (this.#tablePlace = tableNames.place(this.name)) : this.#tablePlace;
  }

  /** The account's place in `sent` (SentNames.place), looked up once per list of names. */
  sentPlace(sent: SentNames): number | undefined {
    if (this.#sentTo !== sent || this.#sentVersion !== sent.version) {
      this.#sentTo = sent;
      this.#sentVersion = sent.version;
      this.#sentPlace = sent.place(this.name);
    }
    return this.#sentPlace;
  }

  constructor(readonly name: string) {
    this.order = textOrder(name);
  }
}

/**
 * A number in the order of an account's text, for a text of 1 to 9 digits: each digit and 1 in
 * base 11, the text padded with zeros, so that "193" < "1930" < "194" < "20" as texts compare. NaN
 * for any other text (the rows of its entity are then sorted by comparing texts).
 */
function textOrder(name: string): number {
  if (name.length === 0 || name.length > 9) return NaN;
  let order = 0;
  for (let i = 0; i < 9; i++) {
    const digit = i < name.length ? name.charCodeAt(i) - 48 : -1;
    if (i < name.length && (digit < 0 || digit > 9)) return NaN;
    order = order * 11 + digit + 1;
  }
  return order;
}

/** Every account a row of this thread has held. */
const heldAccounts = new Map<string, HeldAccount>();

function heldAccount(account: string): HeldAccount {
  let held = heldAccounts.get(account);
  if (held === undefined) heldAccounts.set(account, (held = new HeldAccount(sharedName(account))));
  return held;
}

/**
 * An entity's rows: those without a counterparty by account, the others by account and
 * counterparty. Most rows name no counterparty: found by the account's number (HeldAccount.id), in
 * an array rather than a map (a thousand files' quarter of a million rows: a map each entity, grown
 * as its accounts came, cost a tenth of reading them).
 */
class EntityRows {
  /** Each account's row without a counterparty, by the account's id: its place in `rows`, plus one (0: none). */
  #plain = new Int32Array(Math.max(64, heldAccounts.size));
  readonly #withCounterparty = new Map<string, Map<string, MutableRow>>();
  /** Every row of the entity, in the order they came. */
  readonly rows: MutableRow[] = [];

  /** The entity's name as rows hold it (sharedName). */
  constructor(readonly entity: string) {}

  plain(account: string): MutableRow {
    const held = heldAccount(account);
    if (held.id >= this.#plain.length) this.#grow(held.id);
    const at = this.#plain[held.id]!;
    if (at > 0) return this.rows[at - 1]!;
    const row = new MutableRow(this.entity, held, "");
    this.#plain[held.id] = this.rows.push(row);
    return row;
  }

  withParty(account: string, counterparty: string): MutableRow {
    let counterparties = this.#withCounterparty.get(account);
    if (!counterparties) this.#withCounterparty.set(account, (counterparties = new Map()));
    let row = counterparties.get(counterparty);
    if (!row) {
      counterparties.set(
        counterparty,
        (row = new MutableRow(this.entity, heldAccount(account), sharedName(counterparty))),
      );
      this.rows.push(row);
    }
    return row;
  }

  #grow(id: number): void {
    const grown = new Int32Array(Math.max(2 * this.#plain.length, id + 1));
    grown.set(this.#plain);
    this.#plain = grown;
  }
}

/**
 * An entity's rows by account, then counterparty, as compareRows orders them. Sorted as numbers
 * (each account's place in text order, and the row's place to find it again) in a typed array,
 * which sorts without calling back into JavaScript: a thousand files' quarter of a million rows,
 * sorted by comparing their texts, took a twentieth of the run. Only the rows of one account are
 * then compared by text; an entity with an account of other than 1 to 9 digits, all by text.
 */
function byAccountAndCounterparty(rows: readonly MutableRow[]): MutableRow[] {
  const n = rows.length;
  if (n > 1 << 20) return [...rows].sort(byTexts); // order * n + i is exact below 2^53
  const keys = sortKeys(n);
  for (let i = 0; i < n; i++) {
    const order = rows[i]!.place.order;
    if (Number.isNaN(order)) return [...rows].sort(byTexts);
    keys[i] = order * n + i;
  }
  keys.sort();
  const out = new Array<MutableRow>(n);
  for (let i = 0; i < n; i++) out[i] = rows[keys[i]! % n]!;
  for (let start = 0, end = 1; start < n; start = end++) {
    while (end < n && out[end]!.place === out[start]!.place) end++;
    if (end - start > 1) sortPart(out, start, end);
  }
  return out;
}

/**
 * The thread's array of sort keys (byAccountAndCounterparty), grown to the largest entity's rows:
 * a new one for each of a thousand files' entities cost a tenth of making their tables.
 */
let sortKeyArray = new Float64Array(1024);

function sortKeys(n: number): Float64Array {
  if (sortKeyArray.length < n) sortKeyArray = new Float64Array(Math.max(n, 2 * sortKeyArray.length));
  return sortKeyArray.subarray(0, n);
}

const byTexts = (a: MutableRow, b: MutableRow) =>
  a.place === b.place ? byText(a.counterparty, b.counterparty) : byText(a.account, b.account);

/** Rows start..end of one account, by counterparty. */
function sortPart(rows: MutableRow[], start: number, end: number): void {
  const part = rows.slice(start, end).sort(byTexts);
  for (let i = 0; i < part.length; i++) rows[start + i] = part[i]!;
}

/**
 * Accumulates postings and opening balances per entity × account × counterparty. Memory grows
 * with the number of distinct keys, never with the number of postings.
 */
export class TrialBalanceBuilder {
  // entity → account → counterparty: three lookups cost less than building a joined key per posting.
  readonly #rows = new Map<string, EntityRows>();
  // A file's postings are mostly one entity's: its rows, kept at hand. The name starts as "" rather
  // than undefined, so that optimized code compares strings only; #last is then undefined, which
  // reads as an entity not seen yet.
  #lastEntity = "";
  #last: EntityRows | undefined;

  #row(entity: string, account: string, counterparty: string): MutableRow {
    let rows = entity === this.#lastEntity ? this.#last : this.#rows.get(entity);
    if (!rows) this.#rows.set(entity, (rows = new EntityRows(sharedName(entity))));
    this.#lastEntity = entity;
    this.#last = rows;
    return counterparty === "" ? rows.plain(account) : rows.withParty(account, counterparty);
  }

  addPosting(entity: string, account: string, counterparty: string, amount: Ore): void {
    this.#row(entity, account, counterparty).add(amount);
  }

  /** addPosting of an amount that fitsNumber, as a number of öre (Posting.ore). */
  addPostingOre(entity: string, account: string, counterparty: string, ore: number): void {
    this.#row(entity, account, counterparty).addOre(ore);
  }

  addOpening(entity: string, account: string, counterparty: string, amount: Ore): void {
    this.#row(entity, account, counterparty).opening += amount;
  }

  /**
   * The rows in the canonical order (compareRows), so that input order never shows in any output:
   * entities sorted, then each one's rows by account and counterparty (one sort per entity: an
   * array and a sort per account cost more when most accounts have one row, as a unit's have).
   */
  build(): BalanceRow[] {
    const rows: BalanceRow[] = [];
    for (const row of this.#ordered()) rows.push(row.row());
    return rows;
  }

  /** The rows of build(), as a table of this thread: no object or bigint a row. */
  table(): RowTable {
    const ordered = this.#ordered();
    const out = new RowTableBuilder(ordered.length);
    let entity: string | undefined;
    let place = 0;
    for (let i = 0; i < ordered.length; i++) {
      const row = ordered[i]!;
      if (row.entity !== entity) place = tableNames.place((entity = row.entity));
      row.addTo(out, place);
    }
    return out.table();
  }

  /**
   * The rows of build(), packed for another thread without an object or bigint each (a thousand
   * files make a quarter of a million rows); packed from build() where a sum outgrew a number.
   */
  pack(sent: SentNames): PackedRows {
    const ordered = this.#ordered();
    const packer = new RowPacker(ordered.length, sent);
    let entity: string | undefined;
    let place: number | undefined;
    for (let i = 0; i < ordered.length; i++) {
      const row = ordered[i]!;
      if (row.entity !== entity) place = sent.place((entity = row.entity));
      if (!row.packInto(packer, place)) {
        packer.abandon();
        return packRows(this.build(), sent);
      }
    }
    return packer.packed();
  }

  /**
   * The rows in the canonical order (build). Walked by index, not for...of: this runs once a file,
   * mostly unoptimized (src/start/bundle.ts), where for...of steps through an iterator a row.
   */
  #ordered(): MutableRow[] {
    let rows: MutableRow[] = [];
    for (const entity of [...this.#rows.keys()].sort(byText)) {
      const sorted = byAccountAndCounterparty(this.#rows.get(entity)!.rows);
      if (rows.length === 0) rows = sorted;
      else for (let i = 0; i < sorted.length; i++) rows.push(sorted[i]!);
    }
    return rows;
  }
}
