/** The shapes of the workspace files, as documented by the JSON Schemas in schemas/. */

export interface SourceSpec {
  readonly path: string;
  readonly entity?: string;
  /** SIE: entities are the objects of this dimension. */
  readonly unitsDimension?: number;
  /** SIE: the dimension that names each row's counterparty. */
  readonly motpartDimension?: number;
  /**
   * Which objects name another entity of a kommunkoncern: per dimension (SIE) or for the
   * counterparty column (CSV, JSON), a code → entity id map. Other codes are external.
   */
  readonly counterparties?: readonly {
    readonly dimension?: number;
    readonly codes?: Readonly<Record<string, string>>;
  }[];
  /** SIE: -1 reads the file's previous-year balances (#RAR -1), for a year without its own file. */
  readonly rar?: -1;
  /** Excel workbook (.xlsx): the sheet to read; by default the first visible one. */
  readonly sheet?: string;
  /**
   * CSV: this file's dialect and number format, where they differ from the workspace's. Workbooks
   * use the header mapping (`columns`) and the number format of amounts written as text.
   */
  readonly csv?: CsvDialectSpec;
  readonly numberFormat?: { readonly decimal?: "." | ","; readonly thousands?: "" | " " | "." };
}

/** How CSV files are written: delimiter and encoding (detected when not given), header names. */
export interface CsvDialectSpec {
  readonly delimiter?: "," | ";" | "\t";
  readonly encoding?: "utf8" | "windows-1252";
  readonly columns?: Readonly<Record<string, string>>;
}

export interface GroupDefinition {
  readonly name: string;
  readonly currency?: "SEK";
  readonly chart: string;
  readonly layouts: Readonly<Record<string, string>>;
  readonly numberFormat?: { readonly decimal?: "." | ","; readonly thousands?: "" | " " | "." };
  readonly csv?: CsvDialectSpec;
  /** The fiscal year's first day ("07-01" for a broken fiscal year); a year is named by its start. */
  readonly fiscalYear?: { readonly start: string };
  readonly closing: ClosingSpec;
  readonly internal: {
    readonly tolerance?: string;
    readonly differenceAccounts: { readonly result: string; readonly balance: string };
    readonly kinds?: readonly {
      readonly id: string;
      readonly label: string;
      readonly accounts: readonly string[];
      readonly differenceAccount: string;
    }[];
  };
  readonly entities: readonly { readonly id: string; readonly name: string }[];
  readonly members?: readonly { readonly code: string; readonly name: string }[];
  readonly years: Readonly<Record<string, YearSpec>>;
  readonly fees?: readonly FeeSpec[];
}

export interface ClosingSpec {
  readonly resultAccount: string;
  readonly retainedEarningsAccount: string;
  /** Equity accounts: their continuity from year to year is checked in total (default 2000-2099). */
  readonly equityAccounts?: readonly string[];
  /**
   * Result accounts of the year-end closing entry (8999 Årets resultat against 2099): left out of
   * the year's result, since the closing moves the result, it does not make it (default 8990-8999).
   */
  readonly closingEntryAccounts?: readonly string[];
}

export const DEFAULT_EQUITY_ACCOUNTS = ["2000-2099"];
export const DEFAULT_CLOSING_ENTRY_ACCOUNTS = ["8990-8999"];

export interface YearSpec {
  readonly ledgers: readonly SourceSpec[];
  /** A fiscal year of its own length (the first or last year of a company, a changed year end). */
  readonly period?: { readonly start: string; readonly end: string };
  readonly openingBalances?: readonly SourceSpec[];
  readonly budgets?: readonly SourceSpec[];
  /** Full-year forecasts (helårsprognos) for the delårsrapport, by account or layout row like budgets. */
  readonly forecasts?: readonly SourceSpec[];
  /** Amounts the ledgers cannot tell, by layout row id (kronor, as presented). */
  readonly adjustments?: Readonly<Record<string, string>>;
  /** Inhabitants per member code, for fees per inhabitant. */
  readonly populations?: Readonly<Record<string, number>> | SourceSpec;
}

export type Sign = 1 | -1;
export type Measure = "closing" | "opening" | "movement" | "debit" | "credit";
export type RowKind = "line" | "subtotal" | "total" | "group" | "of-which" | "by-counterparty";

export interface SelectionSpec {
  readonly accounts: readonly string[];
  /** Group lines of a kommunkoncern (its statements select lines, not accounts). */
  readonly lines?: readonly string[];
  readonly exclude?: readonly string[];
  readonly entities?: readonly string[];
  readonly counterparties?: readonly string[];
  readonly measure?: Measure;
  readonly sign?: Sign;
}

export interface RowSpec {
  readonly id: string;
  readonly label: string;
  readonly kind: RowKind;
  readonly note?: string;
  readonly select?: readonly SelectionSpec[];
  readonly sum?: readonly string[];
  readonly sign?: Sign;
  readonly omitWhenZero?: boolean;
  /** The value comes from the workspace's adjustments for the year, not from the ledgers. */
  readonly declared?: boolean;
  /** The deficit of this row (another row's id) still to restore, over every year up to the one shown. */
  readonly carry?: string;
}

export interface StatementSpec {
  readonly id: string;
  readonly title: string;
  readonly subtitle?: { readonly group?: string; readonly entity?: string };
  readonly scopes: readonly ("group" | "entities")[];
  readonly sign?: Sign;
  readonly rows: readonly RowSpec[];
  /** false for an analysis that shows balances again (cash flow): left out of the coverage check. */
  readonly coverage?: boolean;
  /** Rows that must equal a selection of the balances every year. */
  readonly equal?: readonly { readonly row: string; readonly to: readonly SelectionSpec[] }[];
  /** Whether `--budget` follows this statement up (default: the statement with id "income"). */
  readonly budget?: boolean;
}

export interface NoteSpec {
  readonly id: string;
  readonly title: string;
  readonly number?: number;
  readonly sign?: Sign;
  readonly rows: readonly RowSpec[];
}

export interface LayoutSpec {
  readonly statements: readonly StatementSpec[];
  readonly notes?: readonly NoteSpec[];
  readonly internalFootnote?: string;
  readonly equity?: { readonly statement: string; readonly row: string; readonly title: string };
  readonly overview?: OverviewSpec;
}

/** A multi-year overview: rows that add statement rows ("statement/row") or divide two of them. */
export interface OverviewSpec {
  readonly title: string;
  readonly years?: number;
  readonly rows: readonly {
    readonly id: string;
    readonly label: string;
    readonly rows?: readonly string[];
    readonly ratio?: readonly [string, string];
  }[];
}

/** How members pay for one activity in one year. Amounts are kronor as decimal strings. */
export interface FeeYearSpec {
  /** Members that take part (default: every member with a rate, a fixed fee or a population). */
  readonly members?: readonly string[];
  readonly perInhabitant?: string;
  readonly perInhabitantFor?: Readonly<Record<string, string>>;
  readonly fixed?: string;
  readonly fixedFor?: Readonly<Record<string, string>>;
}

/** An activity members pay for, where its fees are booked, and its fee model per year. */
export interface FeeSpec {
  readonly id: string;
  readonly label: string;
  readonly entity: string;
  readonly accounts: readonly string[];
  readonly years: Readonly<Record<string, FeeYearSpec>>;
}

/** A kind of internal item, matched on its own: revenue and costs, receivables and payables, loans… */
export interface InternalKind {
  readonly id: string;
  readonly label: string;
  /** Account ranges ("3000-7999", "8410") of this kind; the two defaults go by account type instead. */
  readonly accounts?: readonly string[];
  readonly differenceAccount: string;
}

/** The two kinds every group has: result accounts and balance accounts. */
export const defaultInternalKinds = (differenceAccounts: { result: string; balance: string }): InternalKind[] => [
  { id: "result", label: "revenue and costs", differenceAccount: differenceAccounts.result },
  { id: "balance", label: "receivables, payables and loans", differenceAccount: differenceAccounts.balance },
];
