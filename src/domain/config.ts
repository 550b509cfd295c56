/** The shapes of the workspace files, as documented by the JSON Schemas in schemas/. */

export interface SourceSpec {
  readonly path: string;
  readonly entity?: string;
}

export interface GroupDefinition {
  readonly name: string;
  readonly currency?: "SEK";
  readonly chart: string;
  readonly layouts: Readonly<Record<string, string>>;
  readonly numberFormat?: { readonly decimal?: "." | ","; readonly thousands?: "" | " " | "." };
  readonly csv?: { readonly delimiter?: "," | ";" | "\t" };
  readonly closing: { readonly resultAccount: string; readonly retainedEarningsAccount: string };
  readonly internal: {
    readonly tolerance?: string;
    readonly differenceAccounts: { readonly result: string; readonly balance: string };
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
