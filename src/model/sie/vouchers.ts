import { accountName, accountNameIn, type AccountName } from "../../domain/account-names.js";
import { parseDigitsOre, parseDigitsOreIn, parsePlainAmount, type Ore } from "../../domain/money.js";
import type { Posting, SourceRef } from "../../domain/types.js";
import {
  CLOSE,
  fieldEnd,
  firstText,
  listClose,
  OPEN,
  plainFieldEnd,
  fieldText,
  plainObjects,
  SieLine,
  skipSpaces,
  SPACE,
  TAB,
  type SiePlace,
  type SieRecord,
} from "../../read/sie.js";
import { QUOTE } from "../../read/text.js";
import type { LedgerSink, Located } from "../ledger-file.js";
import { sumsOf, type Sums } from "./balances.js";
import { joinRows } from "../../domain/balance.js";
import { TrialBalanceBuilder } from "../trial-balance.js";
import { at, objectsOf, sieDate, text, type Objects, type SieScope } from "./scope.js";

/** SIE writes amounts with a decimal point (char code of "."). */
const DECIMAL_POINT = 46;
const TRANS = "#TRANS ";
const VER = "#VER ";
/** A file of vouchers over many years (or made to exhaust memory) stops adding to the days kept. */
const MAX_DAYS = 4096;

interface OpenVoucher {
  /** Where the #VER stands. */
  readonly place: SiePlace;
  readonly series: string;
  readonly number: string;
  /** YYYY-MM-DD; undefined where the #VER's date is no day of the calendar (its rows are refused). */
  readonly date: string | undefined;
  readonly rawDate: string;
  readonly text: string;
  /**
   * One key per voucher of the file, whatever the units of its rows. Short (series and number):
   * V8 keeps a short joined string flat, and the key is compared at every posting.
   */
  readonly key: string;
}

/**
 * The vouchers of a file: #VER, the `{` and `}` around its rows, and #TRANS rows booked through
 * the sink (#RTRANS and #BTRANS, rows an edit added or removed, are not booked: the #TRANS rows
 * stand as the voucher is now). Keeps the year's movement per entity, account and counterparty,
 * and, for balances stated as of an earlier date (#OMFATTN), the movement up to that date.
 */
export class SieVouchers {
  count = 0;
  /** The rows the sink did not book (it books most: their movement is its trial balance's). */
  readonly #unbooked = new TrialBalanceBuilder();
  readonly #movementUntil = new TrialBalanceBuilder();
  /** The days of the date fields read so far, by the date as written: a year has a few hundred. */
  readonly #days = new Map<string, string>();
  #voucher: OpenVoucher | undefined;
  /** Where the first fields of the #VER line being read begin and end: series, number, date (#quickVoucher). */
  readonly #bounds = new Int32Array(6);
  #inside = false;
  /** The last #VER, and how often in a row it came with the same series, number and date. */
  #last: OpenVoucher | undefined;
  #repeats = 0;

  constructor(
    readonly path: string,
    readonly scope: SieScope,
    readonly sink: LedgerSink,
    readonly problem: (code: string, message: string, where: SourceRef, hint: string) => void,
  ) {}

  /** The date the file states its balances at (#OMFATTN), set when read: vouchers after it are not in them. */
  balancesAsOf: string | undefined;

  /** Handles a voucher record; false for any other label. */
  read(r: SieRecord): boolean {
    switch (r.label) {
      case "#VER":
        this.#open(r);
        return true;
      case "{":
      case "}":
        return this.#brace(r.label.charCodeAt(0));
      case "#TRANS":
        this.#row(r);
        return true;
      case "#RTRANS":
      case "#BTRANS":
        return true;
      default:
        return false;
    }
  }

  /** A line of the open voucher could not be read: the voucher is not checked as a whole. */
  rejectOpen() {
    if (this.#voucher && this.#inside) this.sink.reject("", this.#voucher.series, this.#voucher.number);
  }

  #open(r: SieRecord) {
    const rawDate = text(r.fields[2]);
    const date = this.#date(rawDate, r, 3, "#VER");
    this.#openVoucher(r, text(r.fields[0]), text(r.fields[1]), rawDate, date, text(r.fields[3]));
  }

  #openVoucher(
    place: SiePlace,
    series: string,
    number: string,
    rawDate: string,
    date: string | undefined,
    voucherText: string,
  ) {
    // The same series, number and date again right after a voucher is that voucher a second time
    // (two exports joined with an overlap): a voucher of its own, which the number check reports.
    // The same number under another date continues it, as some programs number a register's
    // periodic entries (#VER # 1 each month).
    const last = this.#last;
    this.#repeats =
      last && last.series === series && last.number === number && last.rawDate === rawDate ? this.#repeats + 1 : 0;
    this.#voucher = {
      place,
      series,
      number,
      date,
      rawDate,
      text: voucherText,
      key: `${series}\u0000${number}${this.#repeats ? `\u0000${this.#repeats}` : ""}`,
    };
    this.#last = this.#voucher;
    this.count++;
  }

  /** A date field as YYYY-MM-DD; a date that is no day of the calendar is reported at its field. */
  #date(raw: string, r: SieRecord, field: number, label: string): string | undefined {
    const known = this.#days.get(raw);
    if (known !== undefined) return known;
    const d = sieDate(raw);
    if ("iso" in d) {
      if (this.#days.size < MAX_DAYS) this.#days.set(raw, d.iso);
      return d.iso;
    }
    this.problem(
      "E-SIE-DATE",
      `${label}: ${d.problem}`,
      at(this.path, r, field),
      "Correct the date in the accounting system and export the file again; the voucher is not booked.",
    );
    return undefined;
  }

  #row(r: SieRecord) {
    const v = this.#voucher;
    if (!v || !this.#inside) {
      this.problem(
        "E-SIE-SYNTAX",
        "#TRANS outside a voucher",
        at(this.path, r, 0),
        "Transaction rows stand between the { and } that follow a #VER.",
      );
      return;
    }
    const objects = objectsOf(r.fields[1]);
    const entity = this.scope.entityOf(objects);
    if (!entity) {
      this.problem(
        "E-SIE-UNIT-MISSING",
        `the row names no object of dimension ${this.scope.unitsDim}, the units of this file`,
        at(this.path, r, 2),
        `Every #TRANS of a combined file carries its unit: {${this.scope.unitsDim} "unit" …}.`,
      );
      this.sink.reject("", v.series, v.number);
      return;
    }
    const written = text(r.fields[2]);
    // The common amount as a number of öre (Posting.ore), any other as a bigint.
    const amount = parseDigitsOre(written, DECIMAL_POINT) ?? parsePlainAmount(written);
    if (amount === null) {
      this.problem(
        "E-AMOUNT-INVALID",
        `'${text(r.fields[2])}' is not a SIE amount (decimal point, at most two decimals)`,
        at(this.path, r, 3),
        "SIE amounts are written like -1234.50.",
      );
      this.sink.reject("", v.series, v.number);
      return;
    }
    const ownDate = text(r.fields[3]);
    const date = ownDate ? this.#date(ownDate, r, 4, "#TRANS") : v.date;
    this.#book(v, entity, accountName(text(r.fields[0])), objects, amount, date, text(r.fields[4]), r);
  }

  /**
   * A voucher's line read where it stands in the chunk (`text` from `start` to `end`), with no
   * record and no array of fields, when written as most programs write it: `{` or `}` alone, or
   * `#VER series number date [text ...]`, or `#TRANS account {objects} amount [date [text ...]]` in
   * the voucher's braces, fields set off by spaces, plain or quoted without escapes, the account in
   * digits, the amount in digits with a decimal point, each date one the file has had before. False
   * for any other line, which the records read and explain: this path never reports.
   */
  quickLine(text: string, start: number, end: number, line: number): boolean {
    let i = start;
    for (let c = text.charCodeAt(i); i < end && (c === SPACE || c === TAB); c = text.charCodeAt(++i));
    if (end - i === 1) return this.#brace(text.charCodeAt(i));
    // (A line's end is never a space: the label's cannot match past it.)
    if (text.startsWith(TRANS, i))
      return this.#quickRow(text, i + TRANS.length, end, new SieLine(line, text, start, end));
    if (text.startsWith(VER, i)) return this.#quickVoucher(text, i + VER.length, end, line, start);
    return false;
  }

  /** The fields of a #VER line from `from` (quickLine): series, number and date, then its text. */
  #quickVoucher(text: string, from: number, end: number, line: number, start: number): boolean {
    const bounds = this.#bounds;
    for (let k = 0; k < 6; k += 2) {
      from = skipSpaces(text, from, end);
      const to = from < end ? plainFieldEnd(text, from, end) : -1;
      if (to < 0) return false;
      bounds[k] = from;
      bounds[k + 1] = from = to;
    }
    const rawDate = fieldText(text, bounds[4]!, bounds[5]!);
    const date = this.#days.get(rawDate);
    if (date === undefined) return false;
    const voucherText = firstText(text, skipSpaces(text, from, end), end);
    if (voucherText === undefined) return false;
    const series = fieldText(text, bounds[0]!, bounds[1]!);
    const number = fieldText(text, bounds[2]!, bounds[3]!);
    this.#openVoucher(new SieLine(line, text, start, end), series, number, rawDate, date, voucherText);
    return true;
  }

  /** The fields of a #TRANS line from `from` (quickLine). */
  #quickRow(text: string, from: number, end: number, place: SieLine): boolean {
    const v = this.#voucher;
    if (!v || !this.#inside) return false;
    from = skipSpaces(text, from, end);
    let to = fieldEnd(text, from, end);
    const account = accountNameIn(text, from, to);
    from = skipSpaces(text, to, end);
    if (account === undefined || text.charCodeAt(from) !== OPEN) return false;
    const close = listClose(text, from, end);
    const list = close < 0 ? undefined : plainObjects(text, from + 1, close);
    if (list === undefined) return false;
    const objects = objectsOf(list);
    const entity = this.scope.entityOf(objects);
    from = skipSpaces(text, close + 1, end);
    to = fieldEnd(text, from, end);
    const amount = entity ? parseDigitsOreIn(text, from, to, DECIMAL_POINT) : null;
    if (amount === null) return false;
    // The date: none, "", or one the file has had (a new one goes to the records, which check it).
    let date = v.date;
    from = skipSpaces(text, to, end);
    if (from < end) {
      to = fieldEnd(text, from, end);
      const empty = to - from === 2 && text.charCodeAt(from) === QUOTE && text.charCodeAt(from + 1) === QUOTE;
      date = empty ? v.date : this.#days.get(text.slice(from, to));
      if (date === undefined) return false;
      from = skipSpaces(text, to, end);
    }
    const rowText = firstText(text, from, end);
    if (rowText === undefined) return false;
    this.#book(v, entity!, account, objects, amount, date, rowText, place);
    return true;
  }

  /** A line of `{` or `}` alone: the voucher's rows begin or end. */
  #brace(c: number): boolean {
    if (c === OPEN) this.#inside = true;
    else if (c === CLOSE) {
      this.#inside = false;
      this.#voucher = undefined;
    } else return false;
    return true;
  }

  /** A #TRANS row read, to the sink; the row counts towards the file's own balances whatever the sink says. */
  #book(
    v: OpenVoucher,
    entity: string,
    account: AccountName,
    objects: Objects,
    amount: Ore | number,
    date: string | undefined,
    rowText: string,
    place: SiePlace,
  ) {
    const counterparty = this.scope.counterpartyOf(objects);
    // The amount counts towards the file's own balances (#UB) even on a date in error, or refused
    // by a rule: that error is said once, not again as a difference.
    const asOf = this.balancesAsOf;
    if (asOf !== undefined && (date ?? v.rawDate) <= asOf)
      add(this.#movementUntil, entity, account, counterparty, amount);
    if (date === undefined) {
      add(this.#unbooked, entity, account, counterparty, amount);
      this.sink.reject("", v.series, v.number);
      return;
    }
    const posting = new SiePosting(
      entity,
      v,
      date,
      account,
      amount,
      counterparty,
      this.scope.dimensionsOf(objects),
      rowText || v.text,
      this.path,
      place,
    );
    if (!this.sink.accept(posting)) add(this.#unbooked, entity, account, counterparty, amount);
  }

  /** The vouchers' movement per entity, account and counterparty. */
  movement(): Sums {
    return sumsOf(joinRows([this.sink.booked?.() ?? [], this.#unbooked.build()]));
  }

  /** The movement of the vouchers up to the date the file states its balances at (#OMFATTN). */
  movementUntil(): Sums {
    return sumsOf(this.#movementUntil.build());
  }
}

/** An amount read as a number of öre (it then fitsNumber) or as a bigint, added to a trial balance. */
function add(
  tb: TrialBalanceBuilder,
  entity: string,
  account: AccountName,
  counterparty: string,
  amount: Ore | number,
) {
  if (typeof amount === "number") tb.addPostingOre(entity, account, counterparty, amount);
  else tb.addPosting(entity, account, counterparty, amount);
}

/** A #TRANS row's posting, which also says where its fields are (one object per row). */
class SiePosting implements Posting, Located {
  // Declared, not defined, and set once in the constructor, as CsvPosting's: made at every row.
  declare readonly entity: string;
  declare private readonly voucherOf: OpenVoucher;
  declare readonly date: string;
  declare readonly account: string;
  declare readonly accountName: AccountName;
  declare readonly ore: number | undefined;
  declare private readonly big: Ore | undefined;
  declare readonly counterparty: string;
  declare readonly dimensions: Readonly<Record<string, string>>;
  declare readonly text: string;
  declare private readonly file: string;
  declare private readonly record: SiePlace;

  constructor(
    entity: string,
    voucherOf: OpenVoucher,
    date: string,
    account: AccountName,
    /** A number of öre where the amount was read as one (it then fitsNumber). */
    amount: Ore | number,
    counterparty: string,
    dimensions: Readonly<Record<string, string>>,
    text: string,
    file: string,
    record: SiePlace,
  ) {
    this.entity = entity;
    this.voucherOf = voucherOf;
    this.date = date;
    this.account = account.text;
    this.accountName = account;
    this.ore = typeof amount === "number" ? amount : undefined;
    this.big = typeof amount === "number" ? undefined : amount;
    this.counterparty = counterparty;
    this.dimensions = dimensions;
    this.text = text;
    this.file = file;
    this.record = record;
  }

  get amount(): Ore {
    return this.big ?? BigInt(this.ore!);
  }

  get series(): string {
    return this.voucherOf.series;
  }

  get voucher(): string {
    return this.voucherOf.number;
  }

  get voucherKey(): string {
    return this.voucherOf.key;
  }

  get source(): SourceRef {
    return { file: this.file, line: this.record.line };
  }

  get posting(): Posting {
    return this;
  }

  at(field: string): SourceRef {
    const index = ROW_FIELDS[field];
    if (index !== undefined) return at(this.file, this.record, index);
    return at(this.file, this.voucherOf.place, field === "voucher" ? 2 : field === "series" ? 1 : 0);
  }
}

/** Where a posting's fields stand on its #TRANS row (the voucher's on its #VER). */
const ROW_FIELDS: Readonly<Record<string, number>> = {
  account: 1,
  counterparty: 2,
  entity: 2,
  amount: 3,
  date: 4,
  text: 5,
};
