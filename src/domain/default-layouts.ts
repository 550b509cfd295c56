import type { LayoutSpec, NoteSpec, OverviewSpec, RowSpec, Sign, StatementSpec } from "./config.js";

/**
 * Built-in layouts for a group with nothing but SIE exports: the LKBR (2018:597) statement lines
 * in their standard wording, for a BAS chart (federations, companies) and for a Kommun-Bas chart
 * (municipalities, regions). `consolidate init --from-sie` writes the chosen one into the new
 * workspace, to be adapted there.
 */
export type ChartFamily = "bas" | "kommun-bas";

interface Ranges {
  readonly revenue: string[];
  readonly costs: string[];
  readonly depreciation: string[];
  readonly tax: string[];
  readonly equalisation: string[];
  readonly financialIncome: string[];
  readonly financialCosts: string[];
  readonly extraordinary: string[];
  readonly appropriations: string[];
  readonly intangible: string[];
  readonly land: string[];
  readonly machinery: string[];
  readonly financialAssets: string[];
  readonly stock: string[];
  readonly receivables: string[];
  readonly investments: string[];
  readonly cash: string[];
  readonly equity: string[];
  readonly result: string;
  readonly pensions: string[];
  readonly otherProvisions: string[];
  readonly longTerm: string[];
  readonly shortTerm: string[];
  /** Gains on disposals (realisationsvinster), taken off the result for the balance requirement. */
  readonly gains: string[];
}

/** Where the lines' money is in each chart. The difference accounts are 3999 and 2999. */
const RANGES: Record<ChartFamily, Ranges> = {
  bas: {
    revenue: ["3000-3998"],
    costs: ["4000-7699", "7900-7999"],
    depreciation: ["7700-7899"],
    tax: [],
    equalisation: [],
    financialIncome: ["8000-8399"],
    financialCosts: ["8400-8699"],
    extraordinary: ["8700-8799"],
    appropriations: ["8800-8999"],
    intangible: ["1000-1099"],
    land: ["1100-1199"],
    machinery: ["1200-1299"],
    financialAssets: ["1300-1399"],
    stock: ["1400-1499"],
    receivables: ["1500-1799"],
    investments: ["1800-1899"],
    cash: ["1900-1999"],
    equity: ["2000-2099"],
    result: "2099",
    pensions: ["2200-2239"],
    otherProvisions: ["2100-2199", "2240-2299"],
    longTerm: ["2300-2399"],
    shortTerm: ["2400-2998"],
    gains: ["3973", "8220-8229", "8250-8259"],
  },
  "kommun-bas": {
    revenue: ["3000-3998"],
    costs: ["4000-6799", "6900-7999"],
    depreciation: ["6800-6899"],
    tax: ["8000-8099"],
    equalisation: ["8200-8399"],
    financialIncome: ["8400-8499"],
    financialCosts: ["8500-8599"],
    extraordinary: ["8700-8899"],
    appropriations: ["8100-8199", "8600-8699", "8900-8999"],
    intangible: ["1000-1099"],
    land: ["1100-1199"],
    machinery: ["1200-1299"],
    financialAssets: ["1300-1399"],
    stock: ["1400-1499"],
    receivables: ["1500-1799"],
    investments: ["1800-1899"],
    cash: ["1900-1999"],
    equity: ["2000-2099"],
    result: "2099",
    pensions: ["2200-2249"],
    otherProvisions: ["2100-2199", "2250-2299"],
    longTerm: ["2300-2399"],
    shortTerm: ["2400-2998"],
    gains: ["3600-3699"],
  },
};

const line = (id: string, label: string, accounts: string[], extra: Partial<RowSpec> = {}): RowSpec => ({
  id,
  label,
  kind: "line",
  select: [{ accounts }],
  ...extra,
});
const sum = (id: string, label: string, kind: RowSpec["kind"], ids: string[]): RowSpec => ({
  id,
  label,
  kind,
  sum: ids,
});
/** A line for accounts a chart may not have: shown only when it holds money. */
const optional = (id: string, label: string, accounts: string[], extra: Partial<RowSpec> = {}): RowSpec[] =>
  accounts.length ? [line(id, label, accounts, { omitWhenZero: true, ...extra })] : [];

const note = (id: string, title: string, sign: Sign, rows: RowSpec[]): NoteSpec => ({ id, title, sign, rows });

/** Classes 0 and 9: statistics, memo and suspense accounts (9999 Obs-konto), which BAS leaves open. */
const OTHER_ACCOUNTS = ["0000-0999", "9000-9999"];
const RESULT_ACCOUNTS = ["3000-8999", ...OTHER_ACCOUNTS];
/** The year's change of balance accounts, as cash: an increase of an asset is cash spent. */
const change = (accounts: readonly string[], sign: Sign = -1) => ({ accounts, measure: "movement" as const, sign });

/**
 * Kassaflödesanalys, indirect method: every balance account but cash on exactly one line (the
 * depreciation added back is taken off the investments again), so that it reconciles by
 * construction; `equal` checks it against the cash accounts every run.
 */
function cashFlow(r: Ranges): StatementSpec {
  const fixed = [...r.intangible, ...r.land, ...r.machinery];
  const flows: RowSpec[] = [
    { id: "arets-resultat", label: "Årets resultat", kind: "line", select: [{ accounts: RESULT_ACCOUNTS, sign: -1 }] },
    {
      id: "justering-avskrivningar",
      label: "Justering för av- och nedskrivningar",
      kind: "line",
      select: [change(r.depreciation, 1)],
    },
    {
      id: "justering-avsattningar",
      label: "Justering för gjorda avsättningar",
      kind: "line",
      select: [change([...r.pensions, ...r.otherProvisions])],
    },
    sum("medel-fore-rorelsekapital", "Medel från verksamheten före förändring av rörelsekapital", "subtotal", [
      "arets-resultat",
      "justering-avskrivningar",
      "justering-avsattningar",
    ]),
    {
      id: "forandring-fordringar",
      label: "Ökning (−)/minskning (+) av förråd, fordringar och kortfristiga placeringar",
      kind: "line",
      select: [change([...r.stock, ...r.receivables, ...r.investments])],
    },
    {
      id: "forandring-kortfristiga-skulder",
      label: "Ökning (+)/minskning (−) av kortfristiga skulder",
      kind: "line",
      select: [change([...r.shortTerm, "2999"])],
    },
    sum("kassaflode-lopande", "Kassaflöde från den löpande verksamheten", "subtotal", [
      "medel-fore-rorelsekapital",
      "forandring-fordringar",
      "forandring-kortfristiga-skulder",
    ]),
    {
      id: "investering-materiella",
      label: "Investering i immateriella och materiella anläggningstillgångar",
      kind: "line",
      select: [change(fixed), change(r.depreciation)],
    },
    {
      id: "investering-finansiella",
      label: "Investering i finansiella anläggningstillgångar",
      kind: "line",
      select: [change(r.financialAssets)],
    },
    sum("kassaflode-investering", "Kassaflöde från investeringsverksamheten", "subtotal", [
      "investering-materiella",
      "investering-finansiella",
    ]),
    {
      id: "forandring-langfristiga-skulder",
      label: "Förändring av långfristiga skulder",
      kind: "line",
      select: [change(r.longTerm)],
    },
    {
      id: "forandring-eget-kapital",
      label: "Förändring av eget kapital utöver årets resultat",
      kind: "line",
      omitWhenZero: true,
      select: [change(r.equity), { accounts: RESULT_ACCOUNTS, sign: 1 }],
    },
    sum("kassaflode-finansiering", "Kassaflöde från finansieringsverksamheten", "subtotal", [
      "forandring-langfristiga-skulder",
      "forandring-eget-kapital",
    ]),
    sum("arets-kassaflode", "Årets kassaflöde", "total", [
      "kassaflode-lopande",
      "kassaflode-investering",
      "kassaflode-finansiering",
    ]),
    {
      id: "likvida-medel-borjan",
      label: "Likvida medel vid årets början",
      kind: "line",
      select: [{ accounts: r.cash, measure: "opening" }],
    },
    sum("likvida-medel-slut", "Likvida medel vid årets slut", "total", ["likvida-medel-borjan", "arets-kassaflode"]),
  ];
  return {
    id: "cashflow",
    title: "Kassaflödesanalys",
    subtitle: { group: "Sammanställd, exkl interna poster", entity: "Inkl interna poster" },
    scopes: ["group", "entities"],
    coverage: false,
    equal: [{ row: "likvida-medel-slut", to: [{ accounts: r.cash }] }],
    rows: flows,
  };
}

/** Balanskravsutredning: the year's result less gains on disposals, ± what the workspace declares. */
function balanceRequirement(r: Ranges): StatementSpec {
  const declared = (id: string, label: string): RowSpec => ({ id, label, kind: "line", declared: true });
  return {
    id: "balanskrav",
    title: "Balanskravsutredning",
    scopes: ["group"],
    coverage: false,
    rows: [
      {
        id: "arets-resultat",
        label: "Årets resultat enligt resultaträkningen",
        kind: "line",
        select: [{ accounts: RESULT_ACCOUNTS, sign: -1 }],
      },
      {
        id: "realisationsvinster",
        label: "Avgår: samtliga realisationsvinster",
        kind: "line",
        select: [{ accounts: r.gains }],
      },
      declared("realisationsvinster-undantag", "Justering för realisationsvinster enligt undantagsmöjlighet"),
      declared("orealiserade-vardepapper", "Orealiserade vinster och förluster i värdepapper"),
      sum("resultat-efter-justeringar", "Årets resultat efter balanskravsjusteringar", "subtotal", [
        "arets-resultat",
        "realisationsvinster",
        "realisationsvinster-undantag",
        "orealiserade-vardepapper",
      ]),
      declared("till-resultatutjamningsreserv", "Medel till resultatutjämningsreserv"),
      declared("fran-resultatutjamningsreserv", "Medel från resultatutjämningsreserv"),
      sum("balanskravsresultat", "Årets balanskravsresultat", "total", [
        "resultat-efter-justeringar",
        "till-resultatutjamningsreserv",
        "fran-resultatutjamningsreserv",
      ]),
      {
        id: "underskott-att-aterstalla",
        label: "Balanskravsunderskott att återställa",
        kind: "line",
        carry: "balanskravsresultat",
      },
    ],
  };
}

const OVERVIEW: OverviewSpec = {
  title: "Femårsöversikt",
  rows: [
    { id: "arets-resultat", label: "Årets resultat", rows: ["income/arets-resultat"] },
    {
      id: "verksamhetens-nettokostnader",
      label: "Verksamhetens nettokostnader",
      rows: ["income/verksamhetens-nettokostnader"],
    },
    { id: "summa-tillgangar", label: "Summa tillgångar", rows: ["balance/summa-tillgangar"] },
    { id: "eget-kapital", label: "Eget kapital", rows: ["balance/eget-kapital"] },
    { id: "soliditet", label: "Soliditet, %", ratio: ["balance/eget-kapital", "balance/summa-tillgangar"] },
  ],
};

export function defaultLayout(family: ChartFamily): LayoutSpec {
  const r = RANGES[family];
  const income: RowSpec[] = [
    line("verksamhetens-intakter", "Verksamhetens intäkter", r.revenue, { note: "intakter" }),
    line("verksamhetens-kostnader", "Verksamhetens kostnader", r.costs, { note: "kostnader" }),
    line("avskrivningar", "Avskrivningar", r.depreciation),
    line("differens-interna-poster", "Differens interna poster", ["3999"], { omitWhenZero: true }),
    sum("verksamhetens-nettokostnader", "Verksamhetens nettokostnader", "subtotal", [
      "verksamhetens-intakter",
      "verksamhetens-kostnader",
      "avskrivningar",
      "differens-interna-poster",
    ]),
    ...optional("skatteintakter", "Skatteintäkter", r.tax),
    ...optional("generella-statsbidrag", "Generella statsbidrag och utjämning", r.equalisation),
    sum("verksamhetens-resultat", "Verksamhetens resultat", "subtotal", [
      "verksamhetens-nettokostnader",
      ...(r.tax.length ? ["skatteintakter"] : []),
      ...(r.equalisation.length ? ["generella-statsbidrag"] : []),
    ]),
    line("finansiella-intakter", "Finansiella intäkter", r.financialIncome),
    line("finansiella-kostnader", "Finansiella kostnader", r.financialCosts),
    sum("resultat-efter-finansiella-poster", "Resultat efter finansiella poster", "subtotal", [
      "verksamhetens-resultat",
      "finansiella-intakter",
      "finansiella-kostnader",
    ]),
    line("extraordinara-poster", "Extraordinära poster", r.extraordinary),
    ...optional("bokslutsdispositioner", "Bokslutsdispositioner och skatt", r.appropriations),
    // Shown whenever these accounts do not net to zero, so that nothing in them goes unseen.
    line("ovriga-konton", "Övriga konton (klass 0 och 9)", OTHER_ACCOUNTS, { omitWhenZero: true }),
    sum("arets-resultat", "Årets resultat", "total", [
      "resultat-efter-finansiella-poster",
      "extraordinara-poster",
      ...(r.appropriations.length ? ["bokslutsdispositioner"] : []),
      "ovriga-konton",
    ]),
  ];
  const balance: RowSpec[] = [
    sum("anlaggningstillgangar", "Anläggningstillgångar", "group", [
      "immateriella",
      "mark-byggnader",
      "maskiner-och-inventarier",
      "finansiella-anlaggningstillgangar",
    ]),
    line("immateriella", "Immateriella anläggningstillgångar", r.intangible, { omitWhenZero: true }),
    line("mark-byggnader", "Mark, byggnader och tekniska anläggningar", r.land, { omitWhenZero: true }),
    line("maskiner-och-inventarier", "Maskiner och inventarier", r.machinery),
    line("finansiella-anlaggningstillgangar", "Finansiella anläggningstillgångar", r.financialAssets),
    sum("omsattningstillgangar", "Omsättningstillgångar", "group", [
      "forrad",
      "fordringar",
      "kortfristiga-placeringar",
      "kassa-och-bank",
    ]),
    line("forrad", "Förråd m.m.", r.stock, { omitWhenZero: true }),
    line("fordringar", "Fordringar", r.receivables),
    line("kortfristiga-placeringar", "Kortfristiga placeringar", r.investments, { omitWhenZero: true }),
    line("kassa-och-bank", "Kassa och bank", r.cash),
    sum("summa-tillgangar", "Summa tillgångar", "total", ["anlaggningstillgangar", "omsattningstillgangar"]),
    line("eget-kapital", "Eget kapital", r.equity, { kind: "group", sign: -1, note: "eget-kapital" }),
    line("darav-arets-resultat", "därav årets resultat", [r.result], { kind: "of-which", sign: -1 }),
    sum("avsattningar", "Avsättningar", "group", ["avsattningar-for-pensioner", "andra-avsattningar"]),
    line("avsattningar-for-pensioner", "Avsättningar för pensioner och liknande förpliktelser", r.pensions, {
      sign: -1,
    }),
    line("andra-avsattningar", "Andra avsättningar", r.otherProvisions, { sign: -1, omitWhenZero: true }),
    sum("skulder", "Skulder", "group", ["langfristiga-skulder", "kortfristiga-skulder", "differens-interna-poster"]),
    line("langfristiga-skulder", "Långfristiga skulder", r.longTerm, { sign: -1 }),
    line("kortfristiga-skulder", "Kortfristiga skulder", r.shortTerm, { sign: -1 }),
    line("differens-interna-poster", "Differens interna poster", ["2999"], { sign: -1, omitWhenZero: true }),
    sum("summa-eget-kapital-avsattningar-och-skulder", "Summa eget kapital, avsättningar och skulder", "total", [
      "eget-kapital",
      "avsattningar",
      "skulder",
    ]),
  ];
  return {
    statements: [
      {
        id: "income",
        title: "Resultaträkning",
        subtitle: { group: "Sammanställd, exkl interna poster", entity: "Inkl interna poster" },
        scopes: ["group", "entities"],
        sign: -1,
        rows: income,
      },
      { id: "balance", title: "Balansräkning", scopes: ["group"], sign: 1, rows: balance },
      cashFlow(r),
      balanceRequirement(r),
    ],
    notes: [
      note("intakter", "Verksamhetens intäkter", -1, [
        { id: "per-motpart", label: "Per motpart", kind: "by-counterparty", select: [{ accounts: r.revenue }] },
        line("ovriga", "Övriga intäkter", r.revenue, {
          omitWhenZero: true,
          select: [{ accounts: r.revenue, counterparties: [""] }],
        }),
        line("summa", "Summa", r.revenue, { kind: "total" }),
      ]),
      note("kostnader", "Verksamhetens kostnader", 1, [line("summa", "Summa", r.costs, { kind: "total" })]),
      note("eget-kapital", "Eget kapital", -1, [
        line("ingaende", "Ingående eget kapital", r.equity, { select: [{ accounts: r.equity, measure: "opening" }] }),
        line("arets-resultat", "Årets resultat", [r.result], {
          select: [{ accounts: [r.result], measure: "movement" }],
        }),
        line("utgaende", "Utgående eget kapital", r.equity, { kind: "total" }),
      ]),
    ],
    internalFootnote:
      "Interna poster på {amount0} {unit} för {year0} har exkluderats från den sammanställda resultaträkningen.",
    equity: { statement: "balance", row: "eget-kapital", title: "Utgående eget kapital per enhet" },
    overview: OVERVIEW,
  };
}
