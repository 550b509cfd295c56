/**
 * The group definition of a kommunkoncern (LKBR 12 kap, RKR R16) as consolidate.json declares it:
 * the parent (the kommun) and its koncernföretag at their ownership shares. Shapes documented by
 * schemas/koncern.schema.json; money and shares are decimal strings.
 */
import type { SourceSpec } from "../domain/config.js";

export type EntityKind =
  | "kommun"
  | "region"
  | "kommunalforbund"
  | "aktiebolag"
  | "handelsbolag"
  | "ekonomisk-forening"
  | "ideell-forening"
  | "stiftelse";

type Sources = string | SourceSpec | readonly (string | SourceSpec)[];

/** The built-in charts a ledger can be mapped from (its group-line mapping). */
export type ChartFamily = "bas" | "kommun-bas";

export interface SurplusSpec {
  readonly line: string;
  readonly text: string;
  readonly amount: string;
  readonly years: number;
}

export interface AcquisitionSpec {
  /** The kommun founded the company: the shares' book value is the equity subscribed. */
  readonly founded?: boolean;
  readonly date: string;
  /** The share bought, when it is not the share of the year (a later purchase changes it). */
  readonly share?: string;
  /** Where the parent holds the shares: its entity, account and the counterparty code on it. */
  readonly investment: { readonly entity: string; readonly account: string };
  readonly price: string;
  /** The company's equity (100 %) at the acquisition date, and its untaxed reserves. */
  readonly equity: string;
  readonly untaxedReserves?: string;
  readonly surplus?: readonly SurplusSpec[];
  readonly goodwillYears?: number;
}

/**
 * How a ledger names another entity of the group: a dimension's codes (SIE), a counterparty
 * column's codes (CSV, JSON), or accounts kept for one koncernföretag (BAS 1660, 2460 …).
 */
export interface CounterpartyCodes {
  readonly dimension?: number;
  readonly codes?: Readonly<Record<string, string>>;
  readonly accounts?: readonly string[];
  readonly entity?: string;
}

export interface KoncernEntity {
  readonly id: string;
  readonly name: string;
  readonly orgnr?: string;
  readonly kind: EntityKind;
  /** Ownership share per year (direct and indirect), in (0, 1]. */
  readonly shares: Readonly<Record<string, string>>;
  /** The chart the ledgers keep, which picks the built-in mapping to the group lines. */
  readonly chart: ChartFamily;
  /** A mapping file (JSON) of account ranges to group lines, instead of the built-in one. */
  readonly mapping?: string;
  /** A chart of accounts file for ledgers that are not SIE (SIE files carry their #KONTO). */
  readonly accounts?: string;
  readonly ledgers: Readonly<Record<string, Sources>>;
  /** Opening balances per year, for ledgers that do not carry them (CSV, JSON, xlsx). */
  readonly openingBalances?: Readonly<Record<string, Sources>>;
  readonly counterparties?: readonly CounterpartyCodes[];
  readonly acquisition?: AcquisitionSpec;
  /** The parent's accounts for dividends received from koncernföretag. */
  readonly dividendAccounts?: readonly string[];
  /** Pension obligations earned before 1998 incl. löneskatt (ansvarsförbindelse) per year, at 100 %. */
  readonly pensionCommitments?: Readonly<Record<string, string>>;
  /** false leaves the entity out of the group (with a reason, which the note on the group prints). */
  readonly included?: boolean;
  readonly reason?: string;
  /** Words for the note on the group: the basis of a förbund's andel, the other owners. */
  readonly shareBasis?: string;
  readonly otherOwners?: string;
}

export interface GuaranteeSpec {
  /** An entity of the group, or "external:NAME" for anyone else. */
  readonly to: string;
  readonly text: string;
  /** The accounts of the guaranteed debt in the borrower's ledger. */
  readonly debtAccounts?: readonly string[];
  readonly amounts: Readonly<Record<string, string>>;
}

export interface AdjustmentSpec {
  readonly entity: string;
  readonly year: number;
  readonly text: string;
  /** Group line → amount at 100 %, debit positive, balanced: the closing balance sheet and the year's result. */
  readonly lines: Readonly<Record<string, string>>;
  /** The same adjustment's effect on the opening balance sheet (balance lines only), balanced. */
  readonly opening?: Readonly<Record<string, string>>;
}

export interface KoncernDefinition {
  readonly name: string;
  readonly parent: string;
  readonly method?: "proportional" | "full-with-minority";
  /** Why the group departs from proportional consolidation (LKBR 4 kap 3 §): required with full. */
  readonly methodDeparture?: string;
  readonly taxLine?: "separate" | "in-costs";
  readonly eliminationShareRule?: "min";
  readonly goodwillYears?: number;
  readonly tolerance?: string;
  readonly taxRates: readonly { readonly from: string; readonly rate: string }[];
  readonly materiality?: { readonly singlePct?: string; readonly aggregatePct?: string };
  /** Where an internal pair's difference goes: a result line and a balance line. */
  readonly differenceLines?: { readonly result?: string; readonly balance?: string };
  readonly entities: readonly KoncernEntity[];
  readonly guarantees?: readonly GuaranteeSpec[];
  readonly adjustments?: readonly AdjustmentSpec[];
}

/** A consolidate.json with a parent is a kommunkoncern. */
export const isKoncernDefinition = (value: unknown): boolean =>
  typeof value === "object" && value !== null && "parent" in value;

/** The sources of an entity's year, each a SourceSpec naming the entity. */
export function sourcesOf(
  entity: KoncernEntity,
  year: number,
  kind: "ledgers" | "openingBalances" = "ledgers",
): SourceSpec[] {
  const given = entity[kind]?.[String(year)];
  if (given === undefined) return [];
  const list = Array.isArray(given) ? given : [given as string | SourceSpec];
  return list.map((s) => ({ ...(typeof s === "string" ? { path: s } : s), entity: entity.id }));
}
