/**
 * The group lines of the sammanställda räkenskaper (LKBR 5 and 6 kap as kommuner print them,
 * KOMMUNKONCERN.md §1.5) and the built-in mappings of the two charts onto them (§1.7). A
 * workspace can map a ledger its own way with a mapping file of the same shape.
 */
import { accountMatcher } from "../domain/accounts.js";
import type { ChartFamily } from "./definition.js";

export type LineKind = "income" | "asset" | "equity" | "liability";

export interface GroupLine {
  readonly id: string;
  readonly label: string;
  readonly kind: LineKind;
}

export const GROUP_LINES: readonly GroupLine[] = [
  { id: "verksamhetens-intakter", label: "Verksamhetens intäkter", kind: "income" },
  { id: "verksamhetens-kostnader", label: "Verksamhetens kostnader", kind: "income" },
  { id: "avskrivningar", label: "Avskrivningar", kind: "income" },
  { id: "skatteintakter", label: "Skatteintäkter", kind: "income" },
  { id: "generella-statsbidrag", label: "Generella statsbidrag och utjämning", kind: "income" },
  { id: "finansiella-intakter", label: "Finansiella intäkter", kind: "income" },
  { id: "finansiella-kostnader", label: "Finansiella kostnader", kind: "income" },
  // Between companies of the group: an internal pair, eliminated; their tax effect stays.
  { id: "koncernbidrag", label: "Koncernbidrag", kind: "income" },
  { id: "bokslutsdispositioner", label: "Bokslutsdispositioner", kind: "income" },
  { id: "skatt", label: "Skatt", kind: "income" },
  { id: "extraordinara-poster", label: "Extraordinära poster", kind: "income" },
  { id: "immateriella", label: "Immateriella anläggningstillgångar", kind: "asset" },
  { id: "mark-byggnader", label: "Mark, byggnader och tekniska anläggningar", kind: "asset" },
  { id: "maskiner-och-inventarier", label: "Maskiner och inventarier", kind: "asset" },
  { id: "finansiella-anlaggningstillgangar", label: "Finansiella anläggningstillgångar", kind: "asset" },
  { id: "bidrag-till-infrastruktur", label: "Bidrag till infrastruktur", kind: "asset" },
  { id: "forrad", label: "Förråd m.m.", kind: "asset" },
  { id: "fordringar", label: "Fordringar", kind: "asset" },
  { id: "kortfristiga-placeringar", label: "Kortfristiga placeringar", kind: "asset" },
  { id: "kassa-och-bank", label: "Kassa och bank", kind: "asset" },
  { id: "resultatutjamningsreserv", label: "Resultatutjämningsreserv", kind: "equity" },
  { id: "ovrigt-eget-kapital", label: "Övrigt eget kapital", kind: "equity" },
  // Only in full consolidation, a declared departure from the proportional method.
  { id: "minoritetsintresse", label: "Minoritetens andel av eget kapital", kind: "equity" },
  { id: "obeskattade-reserver", label: "Obeskattade reserver", kind: "liability" },
  {
    id: "avsattningar-for-pensioner",
    label: "Avsättningar för pensioner och liknande förpliktelser",
    kind: "liability",
  },
  { id: "uppskjuten-skatt", label: "Uppskjuten skatt", kind: "liability" },
  { id: "andra-avsattningar", label: "Andra avsättningar", kind: "liability" },
  { id: "langfristiga-skulder", label: "Långfristiga skulder", kind: "liability" },
  { id: "kortfristiga-skulder", label: "Kortfristiga skulder", kind: "liability" },
];

export const LINE_IDS = GROUP_LINES.map((l) => l.id);
const BY_ID = new Map(GROUP_LINES.map((l) => [l.id, l]));
export const lineOf = (id: string): GroupLine | undefined => BY_ID.get(id);
export const isIncomeLine = (id: string): boolean => BY_ID.get(id)?.kind === "income";
export const INCOME_LINES = LINE_IDS.filter(isIncomeLine);
export const BALANCE_LINES = LINE_IDS.filter((l) => !isIncomeLine(l));
export const EQUITY_LINES = LINE_IDS.filter((l) => BY_ID.get(l)?.kind === "equity");

/** One rule of a mapping: these account ranges go to this line. The first rule that matches wins. */
export interface MappingRule {
  readonly accounts: readonly string[];
  readonly line: string;
}

/** Class 1 is the same in both charts. */
const ASSETS: readonly MappingRule[] = [
  { accounts: ["10"], line: "immateriella" },
  { accounts: ["11"], line: "mark-byggnader" },
  { accounts: ["12"], line: "maskiner-och-inventarier" },
  { accounts: ["13"], line: "finansiella-anlaggningstillgangar" },
  { accounts: ["14"], line: "forrad" },
  { accounts: ["15-17"], line: "fordringar" },
  { accounts: ["18"], line: "kortfristiga-placeringar" },
  { accounts: ["19"], line: "kassa-och-bank" },
];

/** BAS (companies, ÅRL/K3): the classes of the BAS chart, with untaxed reserves and tax apart. */
const BAS: readonly MappingRule[] = [
  ...ASSETS,
  { accounts: ["20"], line: "ovrigt-eget-kapital" },
  { accounts: ["21"], line: "obeskattade-reserver" },
  { accounts: ["224"], line: "uppskjuten-skatt" },
  { accounts: ["220-223"], line: "avsattningar-for-pensioner" },
  { accounts: ["225-229"], line: "andra-avsattningar" },
  { accounts: ["23"], line: "langfristiga-skulder" },
  { accounts: ["24-29"], line: "kortfristiga-skulder" },
  { accounts: ["30-39"], line: "verksamhetens-intakter" },
  { accounts: ["77-78"], line: "avskrivningar" },
  { accounts: ["40-79"], line: "verksamhetens-kostnader" },
  { accounts: ["80-83"], line: "finansiella-intakter" },
  { accounts: ["84-86"], line: "finansiella-kostnader" },
  { accounts: ["87"], line: "extraordinara-poster" },
  { accounts: ["882-883"], line: "koncernbidrag" },
  { accounts: ["88"], line: "bokslutsdispositioner" },
  { accounts: ["890-898"], line: "skatt" },
  // The closing entry (8999 Årets resultat against 2099) moves the result into equity: mapped to
  // equity it takes it out again, since the matrix holds equity before the year's result.
  { accounts: ["899"], line: "ovrigt-eget-kapital" },
];

/** Kommun-Bas (kommun, region, förbund, LKBR): tax revenue and general grants on lines of their own. */
const KOMMUN_BAS: readonly MappingRule[] = [
  ...ASSETS,
  { accounts: ["203"], line: "resultatutjamningsreserv" },
  { accounts: ["20"], line: "ovrigt-eget-kapital" },
  { accounts: ["220-224"], line: "avsattningar-for-pensioner" },
  { accounts: ["225-229"], line: "andra-avsattningar" },
  { accounts: ["23"], line: "langfristiga-skulder" },
  { accounts: ["24-29"], line: "kortfristiga-skulder" },
  { accounts: ["30-39"], line: "verksamhetens-intakter" },
  { accounts: ["68"], line: "avskrivningar" },
  { accounts: ["40-79"], line: "verksamhetens-kostnader" },
  { accounts: ["80"], line: "skatteintakter" },
  { accounts: ["82-83"], line: "generella-statsbidrag" },
  { accounts: ["84"], line: "finansiella-intakter" },
  { accounts: ["85"], line: "finansiella-kostnader" },
  { accounts: ["87-88"], line: "extraordinara-poster" },
  { accounts: ["899"], line: "ovrigt-eget-kapital" },
];

export const BUILT_IN_MAPPINGS: Readonly<Record<ChartFamily, readonly MappingRule[]>> = {
  bas: BAS,
  "kommun-bas": KOMMUN_BAS,
};

/** A mapping compiled to a function from an account to its line; undefined for an account no rule takes. */
export function compileMapping(rules: readonly MappingRule[]): (account: string) => string | undefined {
  const compiled = rules.map((r) => ({ line: r.line, matches: accountMatcher(r.accounts) }));
  return (account) => compiled.find((r) => r.matches(account))?.line;
}
