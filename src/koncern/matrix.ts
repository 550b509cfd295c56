/**
 * The koncernmatris of one year (KOMMUNKONCERN.md §1.4): each entity's trial balance on the group
 * lines at its share, then balanced entries column by column (adjustments to municipal
 * principles, untaxed reserves, capital elimination, internal items and dividends). Pure: amounts
 * in, matrix, journal and findings out. Debit positive; balance lines at the closing balance with
 * equity before the year's result, which is the sum of the income lines; every column sums to zero.
 */
import type { AcquisitionSpec, KoncernDefinition, KoncernEntity } from "./definition.js";
import { addTo, Dec, exact, sek, merged, ONE, percent, plain, scaled, sumOf, ZERO, type Lines } from "./decimal.js";
import { EQUITY_LINES, INCOME_LINES, isIncomeLine } from "./lines.js";
import { fiscalYear, type Period } from "../domain/period.js";

/** One entity's balance of an account and counterparty, at 100 %. Result accounts open at zero. */
export interface EntityRow {
  readonly account: string;
  readonly line: string;
  /** Another entity of the group, or "" (external). */
  readonly counterparty: string;
  readonly opening: Dec;
  readonly closing: Dec;
  /** Where the row's internal postings and balances are (file:line), for the journal. */
  readonly sources: readonly string[];
}

export interface EntityYear {
  readonly spec: KoncernEntity;
  readonly share: Dec;
  readonly rows: readonly EntityRow[];
}

export interface Finding {
  readonly code: string;
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly hint: string;
  /** Where consolidate.json declares what the finding is about (a JSON pointer). */
  readonly pointer?: string;
  /** Or the ledger row it is about (file:line). */
  readonly at?: string;
}

export type Step = "adjustment" | "reserves" | "capital" | "internal" | "dividend" | "minority";

export interface JournalEntry {
  readonly id: string;
  readonly step: Step;
  readonly text: string;
  readonly entities: readonly string[];
  readonly share: Dec;
  /** Closing balance sheet and the year's result. */
  readonly lines: Lines;
  /** The same chain at the opening balance sheet. */
  readonly opening: Lines;
  readonly sources?: Readonly<Record<string, readonly string[]>>;
  readonly difference?: Dec;
}

export interface PairResult {
  readonly entities: readonly [string, string];
  readonly kind: "result" | "balance";
  readonly share: Dec;
  readonly amounts: readonly [Dec, Dec];
  readonly difference: Dec;
}

export interface AcquisitionResult {
  readonly entity: string;
  readonly bookValue: Dec;
  readonly acquiredEquity: Dec;
  readonly surplus: Dec;
  readonly surplusRemaining: Dec;
  readonly surplusRemainingOpening: Dec;
  readonly goodwill: Dec;
  readonly goodwillRemaining: Dec;
  readonly goodwillRemainingOpening: Dec;
  readonly rate: Dec;
  readonly earlierYears: Dec;
  readonly depreciation: Dec;
  readonly taxDissolved: Dec;
  readonly goodwillDepreciation: Dec;
}

export interface MatrixColumn {
  readonly id: string;
  readonly label: string;
  readonly closing: Lines;
  readonly opening: Lines;
}

export interface KoncernMatrix {
  readonly year: number;
  readonly rate: Dec | undefined;
  /** Entities at share, then adjustments, reserves, capital, internal, and Koncernen. */
  readonly columns: readonly MatrixColumn[];
  readonly journal: readonly JournalEntry[];
  readonly pairs: readonly PairResult[];
  readonly acquisitions: readonly AcquisitionResult[];
  /** Each included entity's share in the matrix: the kommun's share, or 1 in full consolidation. */
  readonly shares: ReadonlyMap<string, Dec>;
  /** Full consolidation: the other owners' part of the year's result (varav minoritetens andel). */
  readonly minorityResult: Dec;
  /** Each entity at 100 %: lines at the closing and opening balance. */
  readonly full: ReadonlyMap<string, { readonly closing: Lines; readonly opening: Lines }>;
  readonly findings: readonly Finding[];
}

export interface MatrixInput {
  readonly definition: KoncernDefinition;
  readonly year: number;
  readonly entities: readonly EntityYear[];
  /** The corporate tax rate of a year, when the definition has one for it. */
  readonly rateOf: (year: number) => Dec | undefined;
  readonly tolerance: Dec;
  /** The part of the year the matrix covers (the whole year unless a delårsrapport's). */
  readonly period?: Period;
}

const STEP_COLUMNS: readonly { id: Step; column: string; label: string }[] = [
  { id: "adjustment", column: "adjustments", label: "Justeringar (kommunala principer)" },
  { id: "reserves", column: "reserves", label: "Obeskattade reserver" },
  { id: "capital", column: "capital", label: "Kapitaleliminering" },
  { id: "internal", column: "internal", label: "Interna poster och utdelningar" },
  { id: "dividend", column: "internal", label: "Interna poster och utdelningar" },
  { id: "minority", column: "minority", label: "Minoritetsintresse" },
];

const linesOf = (rows: readonly EntityRow[], measure: "opening" | "closing", keep = (_: EntityRow) => true) => {
  const out: Lines = new Map();
  for (const r of rows) if (keep(r)) addTo(out, r.line, measure === "opening" ? r.opening : r.closing);
  return out;
};

/** Presented equity of a column or entity: equity lines and the result, credit positive. */
export const equityOf = (lines: Lines, withResult: boolean): Dec =>
  sumOf(lines, EQUITY_LINES)
    .plus(withResult ? sumOf(lines, INCOME_LINES) : ZERO)
    .negated();

export function buildMatrix(input: MatrixInput): KoncernMatrix {
  const { definition, year } = input;
  const findings: Finding[] = [];
  const rate = input.rateOf(year);
  const full = new Map(
    input.entities.map((e) => [
      e.spec.id,
      { closing: linesOf(e.rows, "closing"), opening: linesOf(e.rows, "opening", (r) => !isIncomeLine(r.line)) },
    ]),
  );
  // Full consolidation (a declared departure) takes every entity in full; the others' part of its
  // equity becomes the minority interest. Proportional takes each at the kommun's share.
  const inFull = definition.method === "full-with-minority";
  const ownership = new Map(input.entities.map((e) => [e.spec.id, e.share]));
  const entities = inFull ? input.entities.map((e) => ({ ...e, share: ONE })) : input.entities;
  const byId = new Map(entities.map((e) => [e.spec.id, e]));
  const period = input.period ?? fiscalYear(year);
  const ctx: StepContext = { ...input, entities, rate, full, findings, byId, ownership, period };
  const adjustments = adjustmentEntries(ctx);
  const reserves = reserveEntries(ctx);
  const { entries: capital, acquisitions } = capitalEntries(ctx);
  const { entries: internal, pairs } = internalEntries(ctx);
  const minority = inFull ? minorityEntries(ctx, adjustments) : { entries: [], result: ZERO };
  const journal = [...adjustments, ...reserves, ...capital, ...internal, ...dividendEntries(ctx), ...minority.entries];

  const columns: MatrixColumn[] = entities.map((e) => ({
    id: e.spec.id,
    label: `${e.spec.name} (${percent(ownership.get(e.spec.id)!)}${inFull && !e.share.eq(ownership.get(e.spec.id)!) ? ", i sin helhet" : ""})`,
    closing: scaled(full.get(e.spec.id)!.closing, e.share),
    opening: scaled(full.get(e.spec.id)!.opening, e.share),
  }));
  const steps = STEP_COLUMNS.filter((s, i, all) => all.findIndex((t) => t.column === s.column) === i);
  for (const step of steps.filter((s) => inFull || s.column !== "minority")) {
    const entries = journal.filter((j) => STEP_COLUMNS.find((s) => s.id === j.step)!.column === step.column);
    columns.push({
      id: step.column,
      label: step.label,
      closing: merged(...entries.map((j) => j.lines)),
      opening: merged(...entries.map((j) => j.opening)),
    });
  }
  columns.push({
    id: "koncernen",
    label: "Koncernen",
    closing: merged(...columns.map((c) => c.closing)),
    opening: merged(...columns.map((c) => c.opening)),
  });
  // Koncernen is their sum: it is said not to balance only when no column it adds is.
  const unbalanced = (c: MatrixColumn) => !sumOf(c.closing).isZero() || !sumOf(c.opening).isZero();
  const parts = columns.slice(0, -1).filter(unbalanced);
  for (const c of parts.length ? parts : columns.filter(unbalanced)) {
    for (const [what, lines] of [
      ["closing", c.closing],
      ["opening", c.opening],
    ] as const) {
      const sum = sumOf(lines);
      if (!sum.isZero())
        findings.push({
          code: "E-KONCERN-MATRIX",
          severity: "error",
          message: `${year}: the koncernmatris column ${c.label} sums to ${sek(sum)} kr at the ${what} balance, not to zero`,
          hint: "A column balances when its entity's trial balance does (the opening balance sheet, and the closing balances with the year's result); an error above about the entity's ledger is the cause.",
          ...(full.has(c.id)
            ? { pointer: `/entities/${definition.entities.findIndex((e) => e.id === c.id)}/ledgers` }
            : {}),
        });
    }
  }
  const shares = new Map(entities.map((e) => [e.spec.id, e.share]));
  return { year, rate, columns, journal, pairs, acquisitions, shares, minorityResult: minority.result, full, findings };
}

interface StepContext extends MatrixInput {
  readonly period: Period;
  /** The kommun's share of each entity, whatever share the matrix takes it at. */
  readonly ownership: ReadonlyMap<string, Dec>;
  readonly rate: Dec | undefined;
  readonly full: KoncernMatrix["full"];
  readonly findings: Finding[];
  readonly byId: ReadonlyMap<string, EntityYear>;
}

/** The JSON pointer of an entity (and a field of it) in consolidate.json. */
const pointerOf = (ctx: StepContext, id: string, field = ""): string =>
  `/entities/${ctx.definition.entities.findIndex((e) => e.id === id)}${field}`;

const linesFrom = (record: Readonly<Record<string, string>> | undefined): Lines =>
  new Map(Object.entries(record ?? {}).map(([l, v]) => [l, new Dec(v)]));

/** Step 13: the declared adjustments to municipal principles, at the entity's share. */
function adjustmentEntries(ctx: StepContext): JournalEntry[] {
  return (ctx.definition.adjustments ?? [])
    .filter((a) => a.year === ctx.year && ctx.byId.has(a.entity))
    .map((a, i) => {
      const share = ctx.byId.get(a.entity)!.share;
      return {
        id: `adjustment-${a.entity}-${i + 1}`,
        step: "adjustment" as const,
        text: a.text,
        entities: [a.entity],
        share,
        lines: scaled(linesFrom(a.lines), share),
        opening: scaled(linesFrom(a.opening), share),
      };
    });
}

/** Step 15: untaxed reserves split into deferred tax and equity; bokslutsdispositioner reversed. */
function reserveEntries(ctx: StepContext): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const e of ctx.entities) {
    const { closing, opening } = ctx.full.get(e.spec.id)!;
    const ub = (closing.get("obeskattade-reserver") ?? ZERO).negated();
    const ib = (opening.get("obeskattade-reserver") ?? ZERO).negated();
    const disp = closing.get("bokslutsdispositioner") ?? ZERO;
    if (ub.isZero() && ib.isZero() && disp.isZero()) continue;
    const rate = ctx.rate;
    if (!rate) {
      ctx.findings.push({
        code: "E-KONCERN-TAX-RATE",
        severity: "error",
        message: `${e.spec.name} has untaxed reserves in ${ctx.year}, but taxRates gives no corporate tax rate for the year`,
        hint: 'Add the year\'s rate to "taxRates" in consolidate.json: {"from": "2021-01-01", "rate": "0.206"}.',
        pointer: "/taxRates",
      });
      continue;
    }
    if (!ub.minus(ib).eq(disp))
      ctx.findings.push({
        code: "W-KONCERN-RESERVES",
        severity: "warning",
        message: `${e.spec.name} ${ctx.year}: untaxed reserves moved by ${sek(ub.minus(ib))} kr but the bokslutsdispositioner are ${sek(disp)} kr; the difference is taken against equity`,
        hint: "Reserves moved without a bokslutsdisposition (a merger, a reclassification) are split at the year's rate like the rest.",
        pointer: pointerOf(ctx, e.spec.id),
      });
    const s = e.share;
    const net = ONE.minus(rate);
    const lines: Lines = new Map();
    addTo(lines, "obeskattade-reserver", ub.times(s));
    addTo(lines, "uppskjuten-skatt", ub.times(s).times(rate).negated());
    addTo(lines, "bokslutsdispositioner", disp.times(s).negated());
    addTo(lines, "skatt", disp.times(s).times(rate));
    addTo(lines, "ovrigt-eget-kapital", sumOf(lines).negated());
    const openingLines: Lines = new Map();
    addTo(openingLines, "obeskattade-reserver", ib.times(s));
    addTo(openingLines, "uppskjuten-skatt", ib.times(s).times(rate).negated());
    addTo(openingLines, "ovrigt-eget-kapital", ib.times(s).times(net).negated());
    out.push({
      id: `reserves-${e.spec.id}`,
      step: "reserves",
      text: `Obeskattade reserver i ${e.spec.name} (${exact(ub)} kr, ingående ${exact(ib)} kr) delas i uppskjuten skatt ${percent(rate)} och eget kapital; bokslutsdispositionerna (${exact(disp)} kr) återförs och deras skatteeffekt förs till Skatt`,
      entities: [e.spec.id],
      share: s,
      lines,
      opening: openingLines,
    });
  }
  return out;
}

/**
 * Months of depreciation from an acquisition up to the start of a period and within it, of
 * `life` years: from the month of the acquisition when on its first day, else from the next.
 */
export function monthsSince(date: string, period: Period, life: number): { before: number; during: number } {
  const month = (iso: string) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
  const start = month(date) + (date.endsWith("-01") ? 0 : 1);
  const total = life * 12;
  const upTo = (m: number) => Math.min(Math.max(m - start, 0), total);
  const before = upTo(month(period.start));
  return { before, during: upTo(month(period.end) + 1) - before };
}

/** Straight-line depreciation of `amount` over `life` years after `months`, rounded to öre. */
const depreciatedBy = (amount: Dec, months: number, life: number): Dec =>
  amount
    .times(months)
    .dividedBy(life * 12)
    .toDecimalPlaces(2, Dec.ROUND_HALF_UP);

/** Steps 16–17: the parent's shares against the equity acquired; surplus values and goodwill. */
function capitalEntries(ctx: StepContext): { entries: JournalEntry[]; acquisitions: AcquisitionResult[] } {
  const entries: JournalEntry[] = [];
  const acquisitions: AcquisitionResult[] = [];
  for (const e of ctx.entities) {
    const a = e.spec.acquisition;
    if (e.spec.id === ctx.definition.parent) continue;
    // A koncernföretag without one is refused with the definition (E-KONCERN-ACQUISITION).
    if (!a) continue;
    if (a.date > ctx.period.start.slice(0, 4) + "-01-01") {
      ctx.findings.push({
        code: "E-KONCERN-ACQUISITION",
        severity: "error",
        message: `${e.spec.name} was acquired ${a.date}, after the start of ${ctx.year}: its result and balances before that date are not the group's, and one trial balance for the year cannot tell them apart`,
        hint: `Take it into the group from ${Number(a.date.slice(0, 4)) + 1} (no share for ${ctx.year}), or give its ledger from the acquisition date as its ${ctx.year} ledger and the acquisition at that date's balance.`,
        pointer: pointerOf(ctx, e.spec.id, "/acquisition/date"),
      });
      continue;
    }
    const bookValue = investmentValue(ctx, e.spec.id, a, "closing");
    if (!bookValue.eq(new Dec(a.price)))
      ctx.findings.push({
        code: "E-KONCERN-INVESTMENT",
        severity: "error",
        message: `${e.spec.name}: the shares' book value in ${a.investment.entity}'s account ${a.investment.account} is ${sek(bookValue)} kr at the end of ${ctx.year}, but the acquisition price is ${sek(new Dec(a.price))} kr`,
        hint: `The shares are the rows of account ${a.investment.account} whose counterparty names ${e.spec.id} (in SIE, its code under "counterparties"); a written-down or added holding needs its acquisition data updated.`,
        pointer: pointerOf(ctx, e.spec.id, "/acquisition/price"),
      });
    const result = acquisitionOf(ctx, e, a);
    if (!result) continue;
    entries.push(result.entry);
    acquisitions.push(result.acquisition);
  }
  return { entries, acquisitions };
}

function investmentValue(ctx: StepContext, target: string, a: AcquisitionSpec, measure: "opening" | "closing"): Dec {
  const holder = ctx.byId.get(a.investment.entity);
  if (!holder) return ZERO;
  return holder.rows
    .filter((r) => r.account === a.investment.account && r.counterparty === target)
    .reduce((s, r) => s.plus(measure === "opening" ? r.opening : r.closing), ZERO);
}

/**
 * The capital elimination of one koncernföretag: the shares at their price against the equity
 * acquired, at the opening and the closing balance alike (a book value that moved since is
 * reported as E-KONCERN-INVESTMENT, never absorbed).
 */
function acquisitionOf(
  ctx: StepContext,
  e: EntityYear,
  a: AcquisitionSpec,
): { entry: JournalEntry; acquisition: AcquisitionResult } | undefined {
  const bookValue = new Dec(a.price);
  const name = e.spec.name;
  const share = a.share ? new Dec(a.share) : ctx.ownership.get(e.spec.id)!;
  const reserves = new Dec(a.untaxedReserves ?? 0);
  const surpluses = (a.surplus ?? []).map((x) => ({ ...x, amount: new Dec(x.amount) }));
  const surplus = surpluses.reduce((t, x) => t.plus(x.amount), ZERO);
  const acqYear = Number(a.date.slice(0, 4));
  const needsRate = !reserves.isZero() || !surplus.isZero();
  const rate = needsRate ? ctx.rateOf(acqYear) : (ctx.rateOf(acqYear) ?? ZERO);
  if (!rate) {
    ctx.findings.push({
      code: "E-KONCERN-TAX-RATE",
      severity: "error",
      message: `${name} was acquired ${a.date} with untaxed reserves or surplus values, but taxRates gives no rate for ${acqYear}`,
      hint: 'Add the rate of that year to "taxRates" in consolidate.json.',
      pointer: pointerOf(ctx, e.spec.id, "/acquisition/date"),
    });
    return undefined;
  }
  if (needsRate && ctx.rate && !ctx.rate.eq(rate) && !surplus.isZero())
    ctx.findings.push({
      code: "W-KONCERN-RATE-CHANGED",
      severity: "warning",
      message: `${name}: the deferred tax on its surplus values stays at ${percent(rate)}, the rate of the acquisition year, while ${ctx.year}'s rate is ${percent(ctx.rate)}`,
      hint: "Revalue the deferred tax with an adjustment entry if the change is material.",
      pointer: pointerOf(ctx, e.spec.id, "/acquisition/surplus"),
    });
  const acquired = share.times(new Dec(a.equity).plus(reserves.times(ONE.minus(rate))));
  const kommunalforbund = e.spec.kind === "kommunalforbund";
  const lines: Lines = new Map();
  const opening: Lines = new Map();
  addTo(lines, "finansiella-anlaggningstillgangar", bookValue.negated());
  addTo(opening, "finansiella-anlaggningstillgangar", bookValue.negated());
  if (kommunalforbund) {
    // The recorded andel against the share of the förbund's equity at entry; the difference to equity.
    addTo(lines, "ovrigt-eget-kapital", bookValue);
    addTo(opening, "ovrigt-eget-kapital", bookValue);
    const difference = bookValue.minus(acquired);
    const entry: JournalEntry = {
      id: `capital-${e.spec.id}`,
      step: "capital",
      text: `Kommunens andel i ${name} (bokförd till ${exact(bookValue)} kr) elimineras mot andelen ${plain(share)} av förbundets eget kapital vid inträdet ${a.date} (${exact(acquired)} kr); skillnaden, ${exact(difference.abs())} kr, förs till eget kapital`,
      entities: [a.investment.entity, e.spec.id],
      share,
      lines,
      opening,
    };
    return { entry, acquisition: acquisitionResult(e.spec.id, bookValue, acquired, rate) };
  }
  const goodwill = bookValue.minus(acquired).minus(surplus).plus(surplus.times(rate));
  addTo(lines, "ovrigt-eget-kapital", acquired);
  addTo(opening, "ovrigt-eget-kapital", acquired);
  let earlier = ZERO;
  let depreciation = ZERO;
  let taxDissolved = ZERO;
  let surplusRemaining = ZERO;
  let surplusRemainingOpening = ZERO;
  for (const x of surpluses) {
    const t = monthsSince(a.date, ctx.period, x.years);
    const before = depreciatedBy(x.amount, t.before, x.years);
    const now = depreciatedBy(x.amount, t.before + t.during, x.years).minus(before);
    const left = x.amount.minus(before).minus(now);
    addTo(lines, x.line, left);
    addTo(lines, "uppskjuten-skatt", left.times(rate).negated());
    addTo(opening, x.line, x.amount.minus(before));
    addTo(opening, "uppskjuten-skatt", x.amount.minus(before).times(rate).negated());
    earlier = earlier.plus(before.times(ONE.minus(rate)));
    depreciation = depreciation.plus(now);
    taxDissolved = taxDissolved.plus(now.times(rate));
    surplusRemaining = surplusRemaining.plus(left);
    surplusRemainingOpening = surplusRemainingOpening.plus(x.amount.minus(before));
  }
  const life = a.goodwillYears ?? ctx.definition.goodwillYears ?? 10;
  const g = monthsSince(a.date, ctx.period, life);
  const goodwillBefore = depreciatedBy(goodwill, g.before, life);
  const goodwillNow = depreciatedBy(goodwill, g.before + g.during, life).minus(goodwillBefore);
  // Negative goodwill is a provision released over the same life.
  const goodwillLine = goodwill.isNegative() ? "andra-avsattningar" : "immateriella";
  addTo(lines, goodwillLine, goodwill.minus(goodwillBefore).minus(goodwillNow));
  addTo(opening, goodwillLine, goodwill.minus(goodwillBefore));
  earlier = earlier.plus(goodwillBefore);
  addTo(lines, "ovrigt-eget-kapital", earlier);
  addTo(opening, "ovrigt-eget-kapital", earlier);
  addTo(lines, "avskrivningar", depreciation.plus(goodwillNow));
  addTo(lines, "skatt", taxDissolved.negated());
  const text = a.founded
    ? `Kommunens aktier i ${name} (${exact(bookValue)} kr, aktiekapitalet vid bildandet) elimineras mot det förvärvade egna kapitalet; inget övervärde, ingen goodwill`
    : `Förvärvsmetoden: kommunens aktier i ${name} (köpt ${a.date} för ${exact(bookValue)} kr) mot förvärvat eget kapital ${exact(acquired)} kr (andel ${plain(share)} × (eget kapital ${a.equity} + obeskattade reserver ${exact(reserves)} × (1 − ${plain(rate)}))), övervärden ${exact(surplus)} kr med uppskjuten skatt ${exact(surplus.times(rate))} kr och goodwill ${exact(goodwill)} kr; tidigare års avskrivningar (${exact(earlier)} kr netto) mot ingående eget kapital, årets i Avskrivningar`;
  return {
    entry: {
      id: `capital-${e.spec.id}`,
      step: "capital",
      text,
      entities: [a.investment.entity, e.spec.id],
      share,
      lines,
      opening,
    },
    acquisition: {
      ...acquisitionResult(e.spec.id, bookValue, acquired, rate),
      surplus,
      surplusRemaining,
      surplusRemainingOpening,
      goodwill,
      goodwillRemaining: goodwill.minus(goodwillBefore).minus(goodwillNow),
      goodwillRemainingOpening: goodwill.minus(goodwillBefore),
      earlierYears: earlier,
      depreciation,
      taxDissolved,
      goodwillDepreciation: goodwillNow,
    },
  };
}

const acquisitionResult = (entity: string, bookValue: Dec, acquiredEquity: Dec, rate: Dec): AcquisitionResult => ({
  entity,
  bookValue,
  acquiredEquity,
  rate,
  surplus: ZERO,
  surplusRemaining: ZERO,
  surplusRemainingOpening: ZERO,
  goodwill: ZERO,
  goodwillRemaining: ZERO,
  goodwillRemainingOpening: ZERO,
  earlierYears: ZERO,
  depreciation: ZERO,
  taxDissolved: ZERO,
  goodwillDepreciation: ZERO,
});

/** The rows' sources (file:line) by file, then line. */
function inFileOrder(rows: readonly EntityRow[]): string[] {
  const place = (s: string) => {
    const at = s.lastIndexOf(":");
    return [s.slice(0, at), Number(s.slice(at + 1))] as const;
  };
  return [...new Set(rows.flatMap((r) => r.sources))].sort((x, y) => {
    const [fx, lx] = place(x);
    const [fy, ly] = place(y);
    return fx < fy ? -1 : fx > fy ? 1 : lx - ly;
  });
}

type RowKind = "result" | "balance" | "dividend" | "investment";

/** What an entity's row toward another entity is: an internal item, a dividend, or the shares held. */
function kindOfRow(ctx: StepContext, entity: string, r: EntityRow): RowKind {
  const spec = ctx.byId.get(entity)!.spec;
  if (entity === ctx.definition.parent && (spec.dividendAccounts ?? []).includes(r.account)) return "dividend";
  const a = ctx.byId.get(r.counterparty)?.spec.acquisition;
  if (a && a.investment.entity === entity && a.investment.account === r.account) return "investment";
  return isIncomeLine(r.line) ? "result" : "balance";
}

/**
 * Steps 19 and 21: internal items pair by pair and kind, eliminated at the lower of the two shares.
 * A difference between the two sides stays in the group on the kind's difference line.
 */
function internalEntries(ctx: StepContext): { entries: JournalEntry[]; pairs: PairResult[] } {
  const entries: JournalEntry[] = [];
  const pairs: PairResult[] = [];
  // The parent first, then by id: the same pairs whatever order consolidate.json lists them in.
  const parent = ctx.definition.parent;
  const ids = ctx.entities
    .map((e) => e.spec.id)
    .sort((x, y) => (x === parent ? -1 : y === parent ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const differenceLine = {
    result: ctx.definition.differenceLines?.result ?? "verksamhetens-kostnader",
    balance: ctx.definition.differenceLines?.balance ?? "kortfristiga-skulder",
  };
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const [a, b] = [ids[i]!, ids[j]!];
      const [ea, eb] = [ctx.byId.get(a)!, ctx.byId.get(b)!];
      const share = Dec.min(ea.share, eb.share);
      for (const kind of ["result", "balance"] as const) {
        const rowsOf = (x: EntityYear, toward: string) =>
          x.rows.filter((r) => r.counterparty === toward && kindOfRow(ctx, x.spec.id, r) === kind);
        const [ra, rb] = [rowsOf(ea, b), rowsOf(eb, a)];
        if (ra.length === 0 && rb.length === 0) continue;
        const sides = (measure: "opening" | "closing") => [linesOf(ra, measure), linesOf(rb, measure)] as const;
        const [sa, sb] = sides("closing");
        const [oa, ob] = kind === "balance" ? sides("opening") : [new Map(), new Map()];
        const amounts = [sumOf(sa), sumOf(sb)] as const;
        const difference = amounts[0].plus(amounts[1]);
        if (amounts[0].isZero() && amounts[1].isZero() && sumOf(oa).isZero() && sumOf(ob).isZero()) continue;
        const eliminate = (x: Lines, y: Lines) => {
          const lines = scaled(merged(x, y), share.negated());
          addTo(lines, differenceLine[kind], sumOf(x).plus(sumOf(y)).times(share));
          return lines;
        };
        pairs.push({ entities: [a, b], kind, share, amounts, difference });
        if (difference.abs().gt(ctx.tolerance))
          ctx.findings.push({
            code: "E-INTERNAL-MISMATCH",
            severity: "error",
            message: `${ctx.year}: internal ${kind === "result" ? "revenue and costs" : "receivables and payables"} between ${ea.spec.name} (${sek(amounts[0])} kr) and ${eb.spec.name} (${sek(amounts[1])} kr) differ by ${sek(difference)} kr`,
            hint: `Both sides are eliminated at ${plain(share)}; the difference stays on ${differenceLine[kind]}. Book the missing side, or correct the counterparty on the wrong one.${
              inFileOrder(rb)[0] ? ` ${eb.spec.name}'s side begins at ${inFileOrder(rb)[0]}.` : ""
            }`,
            ...(inFileOrder(ra)[0] ? { at: inFileOrder(ra)[0] } : { pointer: pointerOf(ctx, a) }),
          });
        entries.push({
          id: `internal-${a}-${b}-${kind}`,
          step: "internal",
          text: `${kind === "result" ? "Interna intäkter och kostnader" : "Interna fordringar och skulder"} mellan ${ea.spec.name} och ${eb.spec.name}, elimineras till den lägre ägarandelen (${plain(share)})`,
          entities: [a, b],
          share,
          lines: eliminate(sa, sb),
          opening: eliminate(oa, ob),
          sources: { [a]: inFileOrder(ra), [b]: inFileOrder(rb) },
          difference,
        });
      }
    }
  return { entries, pairs };
}

/** Step 20: the parent's dividends from koncernföretag, from Finansiella intäkter to equity. */
function dividendEntries(ctx: StepContext): JournalEntry[] {
  const parent = ctx.byId.get(ctx.definition.parent);
  if (!parent) return [];
  const out: JournalEntry[] = [];
  const payers = [...new Set(parent.rows.map((r) => r.counterparty))].filter((p) => ctx.byId.has(p)).sort();
  for (const payer of payers) {
    const rows = parent.rows.filter(
      (r) => r.counterparty === payer && kindOfRow(ctx, parent.spec.id, r) === "dividend",
    );
    const amount = rows.reduce((s, r) => s.plus(r.closing), ZERO).negated();
    if (amount.isZero()) continue;
    const lines: Lines = new Map();
    for (const r of rows) addTo(lines, r.line, r.closing.negated());
    addTo(lines, "ovrigt-eget-kapital", amount.negated());
    const name = ctx.byId.get(payer)!.spec.name;
    out.push({
      id: `dividend-${payer}`,
      step: "dividend",
      text: `Utdelning från ${name} till kommunen (${exact(amount)} kr) elimineras mot eget kapital`,
      entities: [payer, parent.spec.id],
      share: ctx.ownership.get(payer)!,
      lines,
      opening: new Map(),
      sources: { [parent.spec.id]: inFileOrder(rows) },
    });
  }
  return out;
}

/**
 * Full consolidation: the other owners' part of each entity's equity (with its untaxed reserves
 * net of tax and its adjustments) moves to Minoritetsintresse, at the opening and the closing
 * balance; their part of the year's result stays in Årets resultat and is disclosed (varav).
 */
function minorityEntries(
  ctx: StepContext,
  adjustments: readonly JournalEntry[],
): { entries: JournalEntry[]; result: Dec } {
  const entries: JournalEntry[] = [];
  let result = ZERO;
  const net = ONE.minus(ctx.rate ?? ZERO);
  for (const e of ctx.entities) {
    const others = ONE.minus(ctx.ownership.get(e.spec.id)!);
    if (e.spec.id === ctx.definition.parent || others.isZero()) continue;
    const { closing, opening } = ctx.full.get(e.spec.id)!;
    const own = adjustments.filter((j) => j.entities.includes(e.spec.id));
    const adjusted = (lines: Lines, measure: "lines" | "opening") => merged(lines, ...own.map((j) => j[measure]));
    const [c, o] = [adjusted(closing, "lines"), adjusted(opening, "opening")];
    const reserves = (x: Lines) => (x.get("obeskattade-reserver") ?? ZERO).negated();
    const disp = c.get("bokslutsdispositioner") ?? ZERO;
    const equityClosing = equityOf(c, false).plus(reserves(c).minus(disp).times(net));
    const equityOpening = equityOf(o, false).plus(reserves(o).times(net));
    result = result.plus(others.times(equityOf(c, true).minus(equityOf(c, false)).plus(disp.times(net))));
    const entry = (equity: Dec): Lines => {
      const lines: Lines = new Map();
      addTo(lines, "ovrigt-eget-kapital", others.times(equity));
      addTo(lines, "minoritetsintresse", others.times(equity).negated());
      return lines;
    };
    entries.push({
      id: `minority-${e.spec.id}`,
      step: "minority",
      text: `Övriga ägares andel (${percent(others)}) av eget kapital i ${e.spec.name}, med obeskattade reserver efter skatt, förs till minoritetsintresse; deras andel av årets resultat ingår i årets resultat`,
      entities: [e.spec.id],
      share: others,
      lines: entry(equityClosing),
      opening: entry(equityOpening),
    });
  }
  return { entries, result };
}
