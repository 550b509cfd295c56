import { accountName, type AccountName } from "../domain/account-names.js";
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
 * An account as this thread's rows hold it: its name (AccountName), a number of its own (the
 * thread's accounts held counted from 0), by which an entity's rows find it, and its place in text
 * order among them (rankAccounts). Not the name's number: names are also made for accounts no row
 * holds (a file's unknown accounts), and each entity's array by number would grow with them.
 */
class HeldAccount {
  readonly id = heldAccounts.length;
  /** Its place in text order among the accounts ranked last (rankAccounts); -1 for one held since. */
  rank = -1;
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

  get name(): string {
    return this.account.text;
  }

  constructor(readonly account: AccountName) {}
}

/** Every account a row of this thread has held, in the order they came. */
const heldAccounts: HeldAccount[] = [];
/** The same by their names' numbers (AccountName.id). */
const heldByName: (HeldAccount | undefined)[] = [];

function heldAccount(account: AccountName): HeldAccount {
  let held = heldByName[account.id];
  if (held === undefined) {
    while (heldByName.length < account.id) heldByName.push(undefined);
    heldByName[account.id] = held = new HeldAccount(account);
    heldAccounts.push(held);
  }
  return held;
}

/** An account given by its name (hot paths, where a reader found it: CsvPosting) or by its text. */
const named = (account: AccountName | string): AccountName =>
  typeof account === "string" ? accountName(account) : account;

/** The parts of a row's sums that outgrew a number (EntityRows): few rows, if any, have them. */
interface BigParts {
  debit: Ore;
  credit: Ore;
}

/**
 * An entity's rows, kept in columns: a row is a place in them, not an object (a thousand files make
 * a quarter of a million rows). Those without a counterparty are found by the account's number
 * (HeldAccount.id) in an array, the others by account and counterparty in maps. Postings are added
 * as exact numbers (SAFE_SUM in domain/money.ts), and only what outgrows them as bigints.
 */
class EntityRows {
  /**
   * Each account's row without a counterparty, by the account's number (HeldAccount.id): its
   * place, plus one (0: none).
   * A plain array, grown as ids come, not a typed array of every account's place made for each
   * entity of each file: memory outside the heap, on which CPU profiles of a thousand ledgers put
   * 25-50 µs apiece.
   */
  readonly #plainPlaces: number[] = [];
  readonly #withCounterparty = new Map<number, Map<string, number>>();
  // The rows' columns, in the order the rows came.
  readonly accounts: HeldAccount[] = [];
  readonly counterparties: string[] = [];
  readonly openings: Ore[] = [];
  // Filled with -0, a double, not the small integer 0: V8 then holds the sums as doubles from the
  // start, and never has to change how they are stored when one outgrows a small integer.
  readonly debits: number[] = [];
  readonly credits: number[] = [];
  #big: Map<number, BigParts> | undefined;

  /** The entity's name as rows hold it (sharedName). */
  constructor(readonly entity: string) {}

  get length(): number {
    return this.accounts.length;
  }

  /** The place of the row of an account and a counterparty ("" for none), made if new. */
  place(account: AccountName, counterparty: string): number {
    return counterparty === "" ? this.#plain(account) : this.#withParty(account, counterparty);
  }

  #plain(account: AccountName): number {
    const held = heldAccount(account);
    const places = this.#plainPlaces;
    const at = held.id < places.length ? places[held.id]! : 0;
    if (at > 0) return at - 1;
    const row = this.#push(held, "");
    while (places.length <= held.id) places.push(0);
    places[held.id] = row + 1;
    return row;
  }

  #withParty(account: AccountName, counterparty: string): number {
    let counterparties = this.#withCounterparty.get(account.id);
    if (!counterparties) this.#withCounterparty.set(account.id, (counterparties = new Map()));
    let row = counterparties.get(counterparty);
    if (row === undefined)
      counterparties.set(counterparty, (row = this.#push(heldAccount(account), sharedName(counterparty))));
    return row;
  }

  add(row: number, amount: Ore): void {
    if (fitsNumber(amount)) this.addOre(row, Number(amount));
    else if (amount >= 0n) this.#bigParts(row).debit += amount;
    else this.#bigParts(row).credit += amount;
  }

  /** An amount that fitsNumber, as a number of öre. */
  addOre(row: number, ore: number): void {
    if (ore >= 0) {
      if (this.debits[row]! > SAFE_SUM) this.#settle(row);
      this.debits[row] = this.debits[row]! + ore;
    } else {
      if (this.credits[row]! < -SAFE_SUM) this.#settle(row);
      this.credits[row] = this.credits[row]! + ore;
    }
  }

  debit(row: number): Ore {
    return sum(this.#big?.get(row)?.debit ?? 0n, this.debits[row]!);
  }

  credit(row: number): Ore {
    return sum(this.#big?.get(row)?.credit ?? 0n, this.credits[row]!);
  }

  /** Whether the row's sums are held as numbers alone (none outgrew one). */
  inNumbers(row: number): boolean {
    const big = this.#big?.get(row);
    return big === undefined || (big.debit === 0n && big.credit === 0n);
  }

  #push(account: HeldAccount, counterparty: string): number {
    this.accounts.push(account);
    this.counterparties.push(counterparty);
    this.openings.push(0n);
    this.debits.push(-0);
    this.credits.push(-0);
    return this.accounts.length - 1;
  }

  /** Moves the row's sums kept as numbers into its bigints. */
  #settle(row: number): void {
    const big = this.#bigParts(row);
    big.debit += BigInt(this.debits[row]!);
    big.credit += BigInt(this.credits[row]!);
    this.debits[row] = -0;
    this.credits[row] = -0;
  }

  #bigParts(row: number): BigParts {
    const all = (this.#big ??= new Map());
    let parts = all.get(row);
    if (!parts) all.set(row, (parts = { debit: 0n, credit: 0n }));
    return parts;
  }
}

/**
 * The places of an entity's rows by account, then counterparty, as compareRows orders them: counted
 * into place by their accounts' ranks (rankAccounts), in time linear in the rows and the accounts
 * (sorted, they took a twentieth of a thousand files' run comparing texts, and as numbers in a
 * typed array still about 15 µs an entity). Only the rows of one account are then compared by
 * text. An entity with an account held since the last ranking, or with far fewer rows than the
 * thread has accounts, is sorted by comparing texts.
 */
function inOrder(rows: EntityRows): number[] {
  const { accounts } = rows;
  const n = rows.length;
  if (!accounts.every((a) => a.rank >= 0)) {
    if (heldAccounts.length > 4 * n + 64 && heldAccounts.length < rankedCount + rankedCount / 4) return byTexts(rows);
    rankAccounts();
  }
  if (rankedCount > 16 * n) return byTexts(rows);
  const starts = rankStarts(rankedCount + 1);
  for (let i = 0; i < n; i++) starts[accounts[i]!.rank + 1]! += 1;
  for (let r = 1; r <= rankedCount; r++) starts[r]! += starts[r - 1]!;
  const places = new Array<number>(n);
  for (let i = 0; i < n; i++) places[starts[accounts[i]!.rank]!++] = i;
  starts.fill(0);
  const compare = comparedByText(rows);
  for (let start = 0, end = 1; start < n; start = end++) {
    while (end < n && accounts[places[end]!] === accounts[places[start]!]) end++;
    if (end - start > 1) {
      const part = places.slice(start, end).sort(compare);
      for (let i = 0; i < part.length; i++) places[start + i] = part[i]!;
    }
  }
  return places;
}

/** How many accounts were held when rankAccounts last ranked them. */
let rankedCount = 0;

/**
 * Ranks every account held so far by its text. Done again when an entity's rows are about as many
 * as the accounts (sorting the accounts then costs about what sorting the rows would), or once a
 * quarter more are held: a chart of many accounts, met a few at a time by entities of a few rows
 * each, is not sorted again for each.
 */
function rankAccounts(): void {
  const all = [...heldAccounts].sort((a, b) => byText(a.name, b.name));
  for (let r = 0; r < all.length; r++) all[r]!.rank = r;
  rankedCount = all.length;
}

/** The places of an entity's rows in the order of their texts, account then counterparty. */
function byTexts(rows: EntityRows): number[] {
  const places = new Array<number>(rows.length);
  for (let i = 0; i < places.length; i++) places[i] = i;
  return places.sort(comparedByText(rows));
}

/** Compares two rows of an entity, by their places, as compareRows does. */
const comparedByText =
  ({ accounts, counterparties }: EntityRows) =>
  (a: number, b: number) =>
    accounts[a] === accounts[b]
      ? byText(counterparties[a]!, counterparties[b]!)
      : byText(accounts[a]!.name, accounts[b]!.name);

/**
 * The thread's counts of rows by rank (inOrder), zeros between uses, grown to the accounts ranked:
 * a new one for each of a thousand files' entities costs more than counting.
 */
let rankCounts = new Int32Array(1024);

function rankStarts(length: number): Int32Array {
  if (rankCounts.length < length) rankCounts = new Int32Array(Math.max(length, 2 * rankCounts.length));
  return rankCounts.subarray(0, length);
}

/**
 * Accumulates postings and opening balances per entity × account × counterparty. Memory grows
 * with the number of distinct keys, never with the number of postings.
 */
export class TrialBalanceBuilder {
  // entity, then account, then counterparty: three lookups cost less than building a joined key per posting.
  readonly #rows = new Map<string, EntityRows>();
  // A file's postings are mostly one entity's: its rows, kept at hand. The name starts as "" rather
  // than undefined, so that optimized code compares strings only; #last is then undefined, which
  // reads as an entity not seen yet.
  #lastEntity = "";
  #last: EntityRows | undefined;

  #entityRows(entity: string): EntityRows {
    let rows = entity === this.#lastEntity ? this.#last : this.#rows.get(entity);
    if (!rows) this.#rows.set(entity, (rows = new EntityRows(sharedName(entity))));
    this.#lastEntity = entity;
    this.#last = rows;
    return rows;
  }

  addPosting(entity: string, account: AccountName | string, counterparty: string, amount: Ore): void {
    const rows = this.#entityRows(entity);
    rows.add(rows.place(named(account), counterparty), amount);
  }

  /** addPosting of an amount that fitsNumber, as a number of öre (Posting.ore). */
  addPostingOre(entity: string, account: AccountName | string, counterparty: string, ore: number): void {
    const rows = this.#entityRows(entity);
    rows.addOre(rows.place(named(account), counterparty), ore);
  }

  addOpening(entity: string, account: AccountName | string, counterparty: string, amount: Ore): void {
    const rows = this.#entityRows(entity);
    const row = rows.place(named(account), counterparty);
    rows.openings[row] = rows.openings[row]! + amount;
  }

  /**
   * The rows in the canonical order (compareRows), so that input order never shows in any output:
   * entities sorted, then each one's rows by account and counterparty (one sort per entity: an
   * array and a sort per account cost more when most accounts have one row, as a unit's have).
   */
  build(): BalanceRow[] {
    const out: BalanceRow[] = [];
    for (const [rows, order] of this.#ordered())
      for (let i = 0; i < order.length; i++) {
        const r = order[i]!;
        out.push(
          balanceRow(
            rows.entity,
            rows.accounts[r]!.name,
            rows.counterparties[r]!,
            rows.openings[r]!,
            rows.debit(r),
            rows.credit(r),
          ),
        );
      }
    return out;
  }

  /** The rows of build(), as a table of this thread: no object or bigint a row. */
  table(): RowTable {
    const ordered = this.#ordered();
    const out = new RowTableBuilder(countOf(ordered));
    // Most rows have no counterparty: the place of "" is looked up once, not once a row.
    const none = tableNames.place("");
    for (const [rows, order] of ordered) {
      const entity = tableNames.place(rows.entity);
      for (let i = 0; i < order.length; i++) {
        const r = order[i]!;
        const account = rows.accounts[r]!.tablePlace;
        const party = rows.counterparties[r]!;
        const counterparty = party === "" ? none : tableNames.place(party);
        const opening = Number(rows.openings[r]!);
        if (rows.inNumbers(r) && Number.isSafeInteger(opening))
          out.add(entity, account, counterparty, opening, rows.debits[r]!, rows.credits[r]!);
        else out.addExact(entity, account, counterparty, [rows.openings[r]!, rows.debit(r), rows.credit(r)]);
      }
    }
    return out.table();
  }

  /**
   * The rows of build(), packed for another thread without an object or bigint each (a thousand
   * files make a quarter of a million rows); packed from build() where a sum outgrew a number.
   */
  pack(sent: SentNames): PackedRows {
    const ordered = this.#ordered();
    const packer = new RowPacker(countOf(ordered), sent);
    const none = sent.place("");
    for (const [rows, order] of ordered) {
      const entity = sent.place(rows.entity);
      for (let i = 0; i < order.length; i++) {
        const r = order[i]!;
        const party = rows.counterparties[r]!;
        const packed =
          rows.inNumbers(r) &&
          packer.addPlaced(
            entity,
            rows.accounts[r]!.sentPlace(sent),
            party === "" ? none : sent.place(party),
            Number(rows.openings[r]!),
            rows.debits[r]!,
            rows.credits[r]!,
          );
        if (!packed) {
          packer.abandon();
          return packRows(this.build(), sent);
        }
      }
    }
    return packer.packed();
  }

  /** Each entity's rows and the order of their places (inOrder), the entities sorted. */
  #ordered(): [EntityRows, number[]][] {
    return [...this.#rows.keys()].sort(byText).map((entity) => {
      const rows = this.#rows.get(entity)!;
      return [rows, inOrder(rows)];
    });
  }
}

const countOf = (ordered: readonly [EntityRows, number[]][]) => ordered.reduce((n, [rows]) => n + rows.length, 0);
