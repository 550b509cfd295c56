import type { AccountName } from "./account-names.js";
import type { Ore } from "./money.js";

/** Where a record came from, so any later stage can cite it. Line and column are 1-based. */
export interface SourceRef {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;
  /** A knock-on of an earlier error (a statement that cannot add up while a line is refused). */
  readonly consequence?: boolean;
}

/** BAS account types: T tillgång, S skuld/eget kapital, I intäkt, K kostnad. */
export type AccountType = "asset" | "liability" | "revenue" | "expense";

export interface Account {
  readonly number: string;
  readonly name: string;
  readonly type: AccountType;
  /** Where the chart defines it. */
  readonly source?: SourceRef;
}

export const isResultAccount = (type: AccountType): boolean => type === "revenue" || type === "expense";

export interface Entity {
  readonly id: string;
  readonly name: string;
}

export interface Member {
  readonly code: string;
  readonly name: string;
}

/** One line of a voucher (verifikation). Debit positive, credit negative. */
export interface Posting {
  readonly entity: string;
  readonly series: string;
  readonly voucher: string;
  readonly date: string;
  readonly account: string;
  readonly amount: Ore;
  /**
   * The amount as a number of öre, where the reader read it so: exact, and small enough to add as
   * a number (fitsNumber). Read instead of `amount` on the hot path: a bigint per posting was
   * measured at a twentieth of reading a large ledger.
   */
  readonly ore?: number;
  /**
   * The account as the reader found it (AccountName), where it did: what is kept per account is
   * found by its number, not looked up by its text, on the hot path.
   */
  readonly accountName?: AccountName;
  readonly counterparty: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly text: string;
  readonly source: SourceRef;
}

/** An opening balance (ingående balans) of one entity, account and counterparty. */
export interface OpeningBalance {
  readonly entity: string;
  readonly account: string;
  readonly counterparty: string;
  readonly amount: Ore;
  readonly source: SourceRef;
}

/** A voucher as accountants write it: series and number, "A 24" (the number alone without a series). */
export const voucherId = (series: string, number: string): string => (series ? `${series} ${number}` : number);
