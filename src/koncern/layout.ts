/**
 * The sammanställda räkenskaper's statements on the group lines (KOMMUNKONCERN.md §1.5), as a
 * layout for the one statement engine: resultaträkning, balansräkning and kassaflödesanalys, the
 * same for the kommun and the kommunkoncern.
 */
import type { LayoutSpec, Measure, RowSpec, Sign } from "../domain/config.js";
import type { KoncernDefinition } from "./definition.js";
import { INCOME_LINES, lineOf } from "./lines.js";

const pick = (lines: readonly string[], measure: Measure = "closing", sign?: Sign) => ({
  accounts: [],
  lines,
  measure,
  ...(sign ? { sign } : {}),
});

const line = (id: string, options: Partial<RowSpec> = {}): RowSpec => ({
  id,
  label: lineOf(id)!.label,
  kind: "line",
  select: [pick([id])],
  ...options,
});

const sum = (id: string, label: string, of: readonly string[], kind: RowSpec["kind"] = "subtotal"): RowSpec => ({
  id,
  label,
  kind,
  sum: of,
});

function income(def: KoncernDefinition): RowSpec[] {
  const inCosts = def.taxLine === "in-costs";
  return [
    line("verksamhetens-intakter"),
    {
      ...line("verksamhetens-kostnader"),
      select: [pick(inCosts ? ["verksamhetens-kostnader", "skatt"] : ["verksamhetens-kostnader"])],
    },
    line("avskrivningar"),
    sum("verksamhetens-nettokostnader", "Verksamhetens nettokostnader", [
      "verksamhetens-intakter",
      "verksamhetens-kostnader",
      "avskrivningar",
    ]),
    line("skatteintakter"),
    line("generella-statsbidrag"),
    sum("verksamhetens-resultat", "Verksamhetens resultat", [
      "verksamhetens-nettokostnader",
      "skatteintakter",
      "generella-statsbidrag",
    ]),
    line("finansiella-intakter"),
    line("finansiella-kostnader"),
    sum("resultat-efter-finansiella-poster", "Resultat efter finansiella poster", [
      "verksamhetens-resultat",
      "finansiella-intakter",
      "finansiella-kostnader",
    ]),
    // Eliminated in the group; shown only if some are left (a koncernbidrag to a company outside it,
    // a reserve without a tax rate).
    line("koncernbidrag", { omitWhenZero: true }),
    line("bokslutsdispositioner", { omitWhenZero: true }),
    ...(inCosts ? [] : [line("skatt")]),
    line("extraordinara-poster"),
    sum(
      "arets-resultat",
      "Årets resultat",
      [
        "resultat-efter-finansiella-poster",
        "koncernbidrag",
        "bokslutsdispositioner",
        ...(inCosts ? [] : ["skatt"]),
        "extraordinara-poster",
      ],
      "total",
    ),
  ];
}

const BALANCE: RowSpec[] = [
  line("immateriella"),
  line("mark-byggnader"),
  line("maskiner-och-inventarier"),
  line("finansiella-anlaggningstillgangar"),
  sum("anlaggningstillgangar", "Summa anläggningstillgångar", [
    "immateriella",
    "mark-byggnader",
    "maskiner-och-inventarier",
    "finansiella-anlaggningstillgangar",
  ]),
  line("bidrag-till-infrastruktur"),
  line("forrad"),
  line("fordringar"),
  line("kortfristiga-placeringar"),
  line("kassa-och-bank"),
  sum("omsattningstillgangar", "Summa omsättningstillgångar", [
    "forrad",
    "fordringar",
    "kortfristiga-placeringar",
    "kassa-och-bank",
  ]),
  sum(
    "summa-tillgangar",
    "Summa tillgångar",
    ["anlaggningstillgangar", "bidrag-till-infrastruktur", "omsattningstillgangar"],
    "total",
  ),
  { id: "arets-resultat", label: "Årets resultat", kind: "line", sign: -1, select: [pick(INCOME_LINES)] },
  line("resultatutjamningsreserv", { sign: -1 }),
  line("ovrigt-eget-kapital", { sign: -1 }),
  // Only in full consolidation (a declared departure).
  line("minoritetsintresse", { sign: -1, omitWhenZero: true }),
  sum("eget-kapital", "Summa eget kapital", [
    "arets-resultat",
    "resultatutjamningsreserv",
    "ovrigt-eget-kapital",
    "minoritetsintresse",
  ]),
  // Eliminated in the group; shown only where a reserve is left.
  line("obeskattade-reserver", { sign: -1, omitWhenZero: true }),
  line("avsattningar-for-pensioner", { sign: -1 }),
  line("uppskjuten-skatt", { sign: -1 }),
  line("andra-avsattningar", { sign: -1 }),
  sum("avsattningar", "Summa avsättningar", ["avsattningar-for-pensioner", "uppskjuten-skatt", "andra-avsattningar"]),
  line("langfristiga-skulder", { sign: -1 }),
  line("kortfristiga-skulder", { sign: -1 }),
  sum("skulder", "Summa skulder", ["langfristiga-skulder", "kortfristiga-skulder"]),
  sum(
    "summa-eget-kapital-avsattningar-och-skulder",
    "Summa eget kapital, avsättningar och skulder",
    ["eget-kapital", "obeskattade-reserver", "avsattningar", "skulder"],
    "total",
  ),
];

const PROVISIONS = ["obeskattade-reserver", "avsattningar-for-pensioner", "uppskjuten-skatt", "andra-avsattningar"];
const FIXED = ["immateriella", "mark-byggnader", "maskiner-och-inventarier"];

/**
 * The indirect method over the balance lines: every line's change lands in one row, so the year's
 * cash flow is the change in Kassa och bank by construction (LKBR 8 kap).
 */
const CASH_FLOW: RowSpec[] = [
  { id: "arets-resultat", label: "Årets resultat", kind: "line", sign: -1, select: [pick(INCOME_LINES)] },
  {
    id: "avskrivningar",
    label: "Justering för av- och nedskrivningar",
    kind: "line",
    select: [pick(["avskrivningar"])],
  },
  {
    id: "avsattningar",
    label: "Justering för förändring av avsättningar",
    kind: "line",
    sign: -1,
    select: [pick(PROVISIONS, "movement")],
  },
  sum("fore-rorelsekapital", "Medel från verksamheten före förändring av rörelsekapital", [
    "arets-resultat",
    "avskrivningar",
    "avsattningar",
  ]),
  {
    id: "forrad",
    label: "Ökning (−)/minskning (+) av förråd",
    kind: "line",
    sign: -1,
    select: [pick(["forrad"], "movement")],
  },
  {
    id: "fordringar",
    label: "Ökning (−)/minskning (+) av fordringar och kortfristiga placeringar",
    kind: "line",
    sign: -1,
    select: [pick(["fordringar", "kortfristiga-placeringar"], "movement")],
  },
  {
    id: "kortfristiga-skulder",
    label: "Ökning (+)/minskning (−) av kortfristiga skulder",
    kind: "line",
    sign: -1,
    select: [pick(["kortfristiga-skulder"], "movement")],
  },
  sum("lopande", "Kassaflöde från den löpande verksamheten", [
    "fore-rorelsekapital",
    "forrad",
    "fordringar",
    "kortfristiga-skulder",
  ]),
  {
    id: "materiella",
    label: "Investering i materiella och immateriella anläggningstillgångar (netto)",
    kind: "line",
    sign: -1,
    select: [pick(FIXED, "movement"), pick(["avskrivningar"])],
  },
  {
    id: "finansiella",
    label: "Investering i finansiella anläggningstillgångar (netto)",
    kind: "line",
    sign: -1,
    select: [pick(["finansiella-anlaggningstillgangar"], "movement")],
  },
  {
    id: "infrastruktur",
    label: "Bidrag till infrastruktur",
    kind: "line",
    sign: -1,
    select: [pick(["bidrag-till-infrastruktur"], "movement")],
  },
  sum("investering", "Kassaflöde från investeringsverksamheten", ["materiella", "finansiella", "infrastruktur"]),
  {
    id: "langfristiga",
    label: "Förändring av långfristiga skulder",
    kind: "line",
    sign: -1,
    select: [pick(["langfristiga-skulder"], "movement")],
  },
  {
    id: "eget-kapital",
    label: "Förändring av eget kapital utöver årets resultat",
    kind: "line",
    sign: -1,
    select: [pick(["resultatutjamningsreserv", "ovrigt-eget-kapital", "minoritetsintresse"], "movement")],
  },
  sum("finansiering", "Kassaflöde från finansieringsverksamheten", ["langfristiga", "eget-kapital"]),
  sum("arets-kassaflode", "Årets kassaflöde", ["lopande", "investering", "finansiering"], "total"),
  {
    id: "likvida-medel-borjan",
    label: "Likvida medel vid årets början",
    kind: "line",
    select: [pick(["kassa-och-bank"], "opening")],
  },
  { id: "likvida-medel-slut", label: "Likvida medel vid årets slut", kind: "line", select: [pick(["kassa-och-bank"])] },
];

export function koncernLayout(def: KoncernDefinition): LayoutSpec {
  const statement = (id: string, title: string, rows: RowSpec[], sign: Sign) => ({
    id,
    title,
    scopes: ["group" as const, "entities" as const],
    sign,
    rows,
  });
  return {
    statements: [
      statement("income", "Resultaträkning", income(def), -1),
      statement("balance", "Balansräkning", BALANCE, 1),
      { ...statement("cashflow", "Kassaflödesanalys", CASH_FLOW, 1), coverage: false },
    ],
  };
}
