/** The shapes of the workspace files, as documented by the JSON Schemas in schemas/. */

export interface SourceSpec {
  readonly path: string;
  readonly entity?: string;
  /** SIE: entities are the objects of this dimension. */
  readonly unitsDimension?: number;
  /** SIE: the dimension that names each row's counterparty. */
  readonly motpartDimension?: number;
  /** SIE: -1 reads the file's previous-year balances (#RAR -1), for a year without its own file. */
  readonly rar?: -1;
  /** CSV: this file's dialect and number format, where they differ from the workspace's. */
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
  readonly closing: { readonly resultAccount: string; readonly retainedEarningsAccount: string };
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
  readonly years: Readonly<
    Record<string, { readonly ledgers: readonly SourceSpec[]; readonly openingBalances?: readonly SourceSpec[] }>
  >;
}

export type Sign = 1 | -1;
export type Measure = "closing" | "opening" | "movement" | "debit" | "credit";
export type RowKind = "line" | "subtotal" | "total" | "group" | "of-which" | "by-counterparty";

export interface SelectionSpec {
  readonly accounts: readonly string[];
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
}

export interface StatementSpec {
  readonly id: string;
  readonly title: string;
  readonly subtitle?: { readonly group?: string; readonly entity?: string };
  readonly scopes: readonly ("group" | "entities")[];
  readonly sign?: Sign;
  readonly rows: readonly RowSpec[];
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
