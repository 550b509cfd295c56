/**
 * The sammanställda räkenskaper as a report: statements for the kommun and the kommunkoncern (the
 * one statement engine on the matrix's parent and Koncernen columns), notes with both, and the
 * koncern section the exports carry: matrix, journal, bridges, ansvarsförbindelser, entities.
 */
import { compareRows, type BalanceRow } from "../domain/balance.js";
import { RowTable } from "../domain/row-table.js";
import { formatSek, type Ore } from "../domain/money.js";
import { notEliminated } from "../consolidate/eliminate.js";
import {
  buildReport,
  type NoteReport,
  type Report,
  type RowReport,
  type StatementReport,
  type TableReport,
} from "../report/build.js";
import type { InputFile } from "../model/ledger.js";
import { type Bridge, type Bridges, type Commitments, type MaterialityRow } from "./bridges.js";
import { Dec, exact, percent, plain, sumOf, ZERO, type Lines } from "./decimal.js";
import type { KoncernDefinition } from "./definition.js";
import { koncernLayout } from "./layout.js";
import { GROUP_LINES, lineOf } from "./lines.js";
import { equityOf, type JournalEntry, type KoncernMatrix, type MatrixColumn } from "./matrix.js";

export interface KoncernYearResult {
  readonly matrix: KoncernMatrix;
  readonly bridges: Bridges;
  readonly commitments: Commitments;
  readonly materiality: readonly MaterialityRow[];
}

type Amounts = Readonly<Record<string, string>>;

export interface MatrixReport {
  readonly columns: readonly { readonly id: string; readonly label: string }[];
  readonly rows: readonly { readonly id: string; readonly label: string; readonly values: Amounts }[];
  readonly totals: Amounts;
}

export interface KoncernSection {
  readonly parent: string;
  readonly method: "proportional" | "full-with-minority";
  readonly eliminationShareRule: "min";
  readonly taxLine: "separate" | "in-costs";
  readonly conventions: readonly string[];
  readonly entities: readonly {
    readonly id: string;
    readonly name: string;
    readonly kind: string;
    readonly orgnr?: string;
    readonly shares: Amounts;
    readonly included: boolean;
    readonly reason?: string;
    readonly otherOwners?: string;
    readonly turnover?: string;
    readonly assets?: string;
    readonly turnoverPct?: string;
    readonly assetsPct?: string;
  }[];
  readonly years: readonly {
    readonly year: number;
    readonly taxRate?: string;
    readonly matrix: MatrixReport;
    readonly openingMatrix: MatrixReport;
    readonly journal: readonly JournalReport[];
    readonly bridges: {
      readonly equity: { readonly closing: BridgeReport; readonly opening: BridgeReport };
      readonly result: BridgeReport;
    };
    readonly guarantees: readonly Amounts[];
    readonly pensions: readonly Amounts[];
  }[];
}

export interface JournalReport {
  readonly id: string;
  readonly step: string;
  readonly text: string;
  readonly entities: readonly string[];
  readonly share: string;
  readonly lines: readonly { readonly line: string; readonly amount: string }[];
  readonly opening: readonly { readonly line: string; readonly amount: string }[];
  readonly difference?: string;
  readonly sources?: Readonly<Record<string, readonly string[]>>;
}

export interface BridgeReport {
  readonly terms: readonly { readonly text: string; readonly amount: string }[];
  readonly sum: string;
  readonly koncernen: string;
  readonly holds: boolean;
}

const listed = (lines: Lines) =>
  GROUP_LINES.filter((l) => !(lines.get(l.id) ?? ZERO).isZero()).map((l) => ({
    line: l.id,
    amount: exact(lines.get(l.id)!),
  }));

function matrixReport(columns: readonly MatrixColumn[], measure: "closing" | "opening"): MatrixReport {
  const values = (line: string) => Object.fromEntries(columns.map((c) => [c.id, exact(c[measure].get(line) ?? ZERO)]));
  // Minoritetsintresse has a row only in full consolidation.
  const shown = (l: (typeof GROUP_LINES)[number]) =>
    l.id !== "minoritetsintresse" || columns.some((c) => !(c[measure].get(l.id) ?? ZERO).isZero());
  const lines = GROUP_LINES.filter((l) => shown(l) && (measure === "closing" || l.kind !== "income"));
  return {
    columns: columns.map((c) => ({ id: c.id, label: c.label })),
    rows: lines.map((l) => ({ id: l.id, label: l.label, values: values(l.id) })),
    totals: Object.fromEntries(columns.map((c) => [c.id, exact(sumOf(c[measure]))])),
  };
}

const journalReport = (j: JournalEntry): JournalReport => ({
  id: j.id,
  step: j.step,
  text: j.text,
  entities: j.entities,
  share: plain(j.share),
  lines: listed(j.lines),
  opening: listed(j.opening),
  ...(j.difference ? { difference: exact(j.difference) } : {}),
  ...(j.sources ? { sources: j.sources } : {}),
});

const bridgeReport = (b: Bridge): BridgeReport => ({
  terms: b.terms.map((t) => ({ text: t.text, amount: exact(t.amount) })),
  sum: exact(b.sum),
  koncernen: exact(b.koncernen),
  holds: b.holds,
});

/** Decimal places enough for every amount of the matrices: their statements add exactly. */
function scaleOf(years: readonly KoncernYearResult[]): number {
  let places = 2;
  for (const y of years)
    for (const c of y.matrix.columns)
      for (const lines of [c.closing, c.opening])
        for (const v of lines.values()) places = Math.max(places, v.decimalPlaces());
  return places;
}

/** A column's lines as balance rows for the statement engine, in units of 10^-places kronor. */
function rowsOf(column: MatrixColumn, entity: string, places: number): RowTable {
  const units = (d: Dec): bigint => BigInt(d.times(new Dec(10).pow(places)).toFixed(0));
  const rows = GROUP_LINES.map((l): BalanceRow => {
    const opening = column.opening.get(l.id) ?? ZERO;
    const closing = column.closing.get(l.id) ?? ZERO;
    return {
      entity,
      account: l.id,
      counterparty: "",
      opening: units(opening),
      debit: units(closing.minus(opening)),
      credit: 0n,
    };
  });
  return RowTable.from(rows.sort(compareRows));
}

/** Units of 10^-places kronor to öre, half away from zero: each figure rounded on its own. */
function toOre(value: bigint, places: number): Ore {
  const d = 10n ** BigInt(places - 2);
  const q = value / d;
  const r = value % d;
  return 2n * (r < 0n ? -r : r) >= d ? q + (value < 0n ? -1n : 1n) : q;
}

export interface KoncernReportInput {
  readonly definition: KoncernDefinition;
  /** The report year first, then the prior year. */
  readonly years: readonly KoncernYearResult[];
  readonly inputs: readonly InputFile[];
}

export function buildKoncernReport(input: KoncernReportInput): Report {
  const def = input.definition;
  const places = scaleOf(input.years);
  const parent = def.entities.find((e) => e.id === def.parent)!;
  const column = (y: KoncernYearResult, id: string) => y.matrix.columns.find((c) => c.id === id)!;
  const base = buildReport({
    name: def.name,
    layout: koncernLayout(def),
    years: input.years.map((y) => {
      const groupRows = rowsOf(column(y, "koncernen"), parent.id, places);
      return {
        year: y.matrix.year,
        entityRows: rowsOf(column(y, parent.id), parent.id, places),
        elimination: notEliminated(groupRows),
      };
    }),
    entities: [{ id: parent.id, name: parent.name }],
    members: [],
    inputs: input.inputs,
  });
  const rescale = (rows: readonly RowReport[]) =>
    rows.map((r) => ({ ...r, values: r.values.map((v) => toOre(v, places)) }));
  const notes = koncernNotes(def, input.years);
  const noteOf = new Map(notes.map((n) => [n.id, n.number]));
  const minority = input.years.map((y) => oreOf(y.matrix.minorityResult));
  const statements: StatementReport[] = base.statements.map((s) => {
    const rows = rescale(s.rows).map((r) => {
      const note = s.id !== "cashflow" && s.scope === "group" ? noteOf.get(r.id) : undefined;
      return note ? { ...r, note } : r;
    });
    // Full consolidation: the other owners' part of the group's result, under it.
    if (s.id === "income" && s.scope === "group" && minority.some((v) => v !== 0n))
      rows.push({
        id: "varav-minoritetens-andel",
        label: "varav minoritetens andel",
        kind: "of-which",
        values: minority,
      });
    return { ...s, ...(s.scope === "group" ? {} : { entityName: parent.name }), rows };
  });
  const pairs = input.years.flatMap((y) =>
    y.matrix.pairs.map((p) => ({
      year: y.matrix.year,
      entities: p.entities,
      kind: p.kind,
      amounts: [oreOf(p.amounts[0]), oreOf(p.amounts[1])] as const,
      difference: oreOf(p.difference),
    })),
  );
  return {
    ...base,
    entities: def.entities.map((e) => ({ id: e.id, name: e.name })),
    statements,
    notes,
    internal: {
      eliminated: input.years.map((y) => oreOf(sumOf(column(y, "internal").closing, ["verksamhetens-intakter"]))),
      pairs,
      differences: pairs.filter((p) => p.difference !== 0n),
    },
    tables: koncernTables(def, input.years),
    koncern: koncernSection(def, input.years),
  };
}

/**
 * The note on the group (its entities, shares and principles), how much of the kommun's revenue
 * base each entity amounts to, and the bridges of equity and result: tables every format prints.
 */
function koncernTables(def: KoncernDefinition, years: readonly KoncernYearResult[]): TableReport[] {
  const current = years[0]!;
  const year = current.matrix.year;
  const kinds: Record<string, string> = {
    kommunalforbund: "kommunalförbund",
    "ekonomisk-forening": "ekonomisk förening",
    "ideell-forening": "ideell förening",
  };
  const hundredths = (d: Dec) => BigInt(d.times(10000).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toFixed(0));
  const shares: TableReport = {
    id: "koncernforetag",
    scope: "group",
    title: "Den kommunala koncernen: ägarandelar i procent",
    columns: years.map((y) => ({ header: String(y.matrix.year), year: y.matrix.year })),
    rows: def.entities.map((e) => {
      const left = e.included === false ? `, ingår inte${e.reason ? `: ${e.reason}` : ""}` : "";
      return {
        id: e.id,
        label: `${e.name} (${kinds[e.kind] ?? e.kind}${left})`,
        kind: "percent" as const,
        values: years.map((y) => hundredths(new Dec(e.shares[String(y.matrix.year)] ?? "0"))),
      };
    }),
    footnote: [...conventionsOf(def), ...shareChanges(def, years)].join(" "),
  };
  const scope: TableReport = {
    id: "omfattning",
    scope: "group",
    title: `Koncernföretagens omfattning ${year}, kommunens andel i procent av skatteintäkter och generella statsbidrag`,
    columns: [
      { header: "Omsättning", year },
      { header: "Omslutning", year },
    ],
    rows: current.materiality
      .filter((m) => m.turnoverPct && m.assetsPct)
      .map((m) => ({
        id: m.entity,
        label: def.entities.find((e) => e.id === m.entity)!.name,
        kind: "percent" as const,
        values: [hundredths(m.turnoverPct!.dividedBy(100)), hundredths(m.assetsPct!.dividedBy(100))],
      })),
  };
  const bridgeTable = (id: string, title: string, b: Bridge, koncernLabel: string): TableReport => ({
    id,
    scope: "group",
    title,
    columns: [{ header: String(year), year }],
    rows: [
      ...b.terms.map((t, i) => ({
        id: `term-${i + 1}`,
        label: t.text,
        kind: "line" as const,
        values: [oreOf(t.amount)],
      })),
      { id: "summa", label: "Summa", kind: "total" as const, values: [oreOf(b.sum)] },
      { id: "koncernen", label: koncernLabel, kind: "total" as const, values: [oreOf(b.koncernen)] },
    ],
  });
  return [
    shares,
    ...(scope.rows.length ? [scope] : []),
    bridgeTable(
      "eget-kapital",
      `Avstämning av kommunkoncernens eget kapital ${year}`,
      current.bridges.equity.closing,
      "Eget kapital enligt sammanställd balansräkning",
    ),
    bridgeTable(
      "resultat",
      `Avstämning av kommunkoncernens resultat ${year}`,
      current.bridges.result,
      "Årets resultat enligt sammanställd resultaträkning",
    ),
  ];
}

const oreOf = (d: Dec): Ore => BigInt(d.times(100).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toFixed(0));

/** The presented sign of a line: income and assets as they are, the rest credit positive. */
const presented = (line: string, d: Dec) => (lineOf(line)!.kind === "asset" ? d : d.negated());

/**
 * The notes, with Kommunen and Kommunkoncernen for the year and the prior year: each statement
 * line where the group differs from the kommun, specified by where its amount comes from (the
 * entities at share and each step of the matrix); then the ansvarsförbindelser.
 */
function koncernNotes(def: KoncernDefinition, years: readonly KoncernYearResult[]): NoteReport[] {
  const columns = [
    ...years.map((y) => ({ header: `Kommunen ${y.matrix.year}`, year: y.matrix.year })),
    ...years.map((y) => ({ header: `Kommunkoncernen ${y.matrix.year}`, year: y.matrix.year })),
  ];
  const value = (y: KoncernYearResult, col: string, line: string) =>
    y.matrix.columns.find((c) => c.id === col)?.closing.get(line) ?? ZERO;
  const sources = years[0]!.matrix.columns.filter((c) => c.id !== "koncernen");
  const notes: NoteReport[] = [];
  for (const line of GROUP_LINES) {
    const differs = years.some((y) => !value(y, def.parent, line.id).eq(value(y, "koncernen", line.id)));
    if (!differs) continue;
    const figures = (col: string) => [
      ...years.map((y) => (col === def.parent ? oreOf(presented(line.id, value(y, col, line.id))) : 0n)),
      ...years.map((y) => oreOf(presented(line.id, value(y, col, line.id)))),
    ];
    const rows: RowReport[] = sources
      .map((c) => ({ id: c.id, label: c.label, kind: "line" as const, values: figures(c.id) }))
      .filter((r) => r.values.some((v) => v !== 0n));
    const total = [
      ...years.map((y) => oreOf(presented(line.id, value(y, def.parent, line.id)))),
      ...years.map((y) => oreOf(presented(line.id, value(y, "koncernen", line.id)))),
    ];
    rows.push({ id: "summa", label: "Summa", kind: "total", values: total, sum: rows.map((r) => r.id) });
    notes.push({ number: notes.length + 1, id: line.id, title: line.label, columns, rows });
  }
  notes.push({
    number: notes.length + 1,
    id: "ansvarsforbindelser",
    title: "Ansvarsförbindelser",
    columns,
    rows: commitmentRows(def, years),
  });
  return notes;
}

function commitmentRows(def: KoncernDefinition, years: readonly KoncernYearResult[]): RowReport[] {
  const ofParent = (y: KoncernYearResult) =>
    y.commitments.pensions.find((p) => p.entity === def.parent)?.amount ?? ZERO;
  const pensionsAtShare = (y: KoncernYearResult) =>
    y.commitments.pensions.reduce((s, p) => s.plus(p.amount.times(p.share)), ZERO);
  const internal = (y: KoncernYearResult) => y.commitments.guarantees.filter((g) => g.share);
  const external = (y: KoncernYearResult) => y.commitments.guarantees.filter((g) => !g.share);
  const total = (gs: readonly { amount: Dec }[]) => gs.reduce((s, g) => s.plus(g.amount), ZERO);
  const left = (gs: readonly { remaining: Dec }[]) => gs.reduce((s, g) => s.plus(g.remaining), ZERO);
  const row = (
    id: string,
    label: string,
    kommun: (y: KoncernYearResult) => Dec,
    koncern: (y: KoncernYearResult) => Dec,
    kind: RowReport["kind"] = "line",
  ) => ({
    id,
    label,
    kind,
    values: [...years.map((y) => oreOf(kommun(y))), ...years.map((y) => oreOf(koncern(y)))],
  });
  const rows = [
    row("pensioner-fore-1998", "Pensionsförpliktelser intjänade före 1998 inkl. löneskatt", ofParent, pensionsAtShare),
    row(
      "borgen-koncernforetag",
      "Borgensåtaganden, kommunala koncernföretag",
      (y) => total(internal(y)),
      (y) => left(internal(y)),
    ),
    row(
      "borgen-ovriga",
      "Borgensåtaganden, övriga",
      (y) => total(external(y)),
      (y) => left(external(y)),
    ),
  ];
  return [
    ...rows,
    row(
      "summa",
      "Summa ansvarsförbindelser",
      (y) => ofParent(y).plus(total(y.commitments.guarantees)),
      (y) => pensionsAtShare(y).plus(left(y.commitments.guarantees)),
      "total",
    ),
  ].map((r) => (r.id === "summa" ? { ...r, sum: rows.map((x) => x.id) } : r));
}

function koncernSection(def: KoncernDefinition, years: readonly KoncernYearResult[]): KoncernSection {
  const current = years[0]!;
  const materiality = new Map(current.materiality.map((m) => [m.entity, m]));
  const fixed = (d: Dec | undefined) => (d ? exact(d) : undefined);
  return {
    parent: def.parent,
    method: def.method ?? "proportional",
    eliminationShareRule: "min",
    taxLine: def.taxLine ?? "separate",
    conventions: conventionsOf(def),
    entities: def.entities.map((e) => {
      const m = materiality.get(e.id);
      const turnover = fixed(m?.turnover);
      const assets = fixed(m?.assets);
      return {
        id: e.id,
        name: e.name,
        kind: e.kind,
        ...(e.orgnr ? { orgnr: e.orgnr } : {}),
        shares: Object.fromEntries(years.map((y) => [y.matrix.year, e.shares[String(y.matrix.year)] ?? "0"])),
        included: e.id === def.parent || current.matrix.full.has(e.id),
        ...(e.reason ? { reason: e.reason } : {}),
        ...(e.otherOwners ? { otherOwners: e.otherOwners } : {}),
        ...(turnover ? { turnover } : {}),
        ...(assets ? { assets } : {}),
        ...(m?.turnoverPct ? { turnoverPct: m.turnoverPct.toFixed(2) } : {}),
        ...(m?.assetsPct ? { assetsPct: m.assetsPct.toFixed(2) } : {}),
      };
    }),
    years: years.map((y) => ({
      year: y.matrix.year,
      ...(y.matrix.rate ? { taxRate: plain(y.matrix.rate) } : {}),
      matrix: matrixReport(y.matrix.columns, "closing"),
      openingMatrix: matrixReport(y.matrix.columns, "opening"),
      journal: y.matrix.journal.map(journalReport),
      bridges: {
        equity: { closing: bridgeReport(y.bridges.equity.closing), opening: bridgeReport(y.bridges.equity.opening) },
        result: bridgeReport(y.bridges.result),
      },
      guarantees: y.commitments.guarantees.map((g) => ({
        to: g.to,
        text: g.text,
        amount: exact(g.amount),
        ...(g.share ? { share: plain(g.share) } : {}),
        ...(g.guaranteedDebt ? { guaranteedDebt: exact(g.guaranteedDebt) } : {}),
        eliminated: exact(g.eliminated),
        remaining: exact(g.remaining),
      })),
      pensions: y.commitments.pensions.map((p) => ({
        entity: p.entity,
        share: plain(p.share),
        amount: exact(p.amount),
        atShare: exact(p.amount.times(p.share)),
      })),
    })),
  };
}

/**
 * How the group changed since the prior year (rule 24): a changed share restates the opening
 * balance sheet at the new share; the difference against the prior year's closing equity is said.
 */
function shareChanges(def: KoncernDefinition, years: readonly KoncernYearResult[]): string[] {
  const [current, prior] = years;
  if (!current || !prior) return [];
  const changed = def.entities.filter(
    (e) => (e.shares[String(current.matrix.year)] ?? "0") !== (e.shares[String(prior.matrix.year)] ?? "0"),
  );
  if (changed.length === 0) return [];
  const koncern = (y: KoncernYearResult) => y.matrix.columns.find((c) => c.id === "koncernen")!;
  const restated = equityOf(koncern(current).opening, false).minus(equityOf(koncern(prior).closing, true));
  const each = changed.map(
    (e) =>
      `${e.name} från ${percent(new Dec(e.shares[String(prior.matrix.year)] ?? "0"))} till ${percent(new Dec(e.shares[String(current.matrix.year)] ?? "0"))}`,
  );
  return [
    `Ägarandelarna ändrades under ${current.matrix.year}: ${each.join(", ")}. Ingående balanser är omräknade till årets andelar; eget kapital vid årets början skiljer sig därför med ${formatSek(oreOf(restated))} kr från föregående års utgående.`,
  ];
}

/** The method and principles in words, for the note on the group (rule 27). */
export function conventionsOf(def: KoncernDefinition): string[] {
  if (def.method === "full-with-minority")
    return [
      `Avsteg från proportionell konsolidering (LKBR 4 kap 3 §): koncernföretagen konsolideras i sin helhet och övriga ägares andel redovisas som minoritetsintresse. Skäl: ${def.methodDeparture ?? ""}`,
      ...conventionsOf({ ...def, method: "proportional" }).slice(1),
    ];
  return [
    "Proportionell konsolidering: koncernföretagens tillgångar, skulder, intäkter och kostnader tas upp till så stor del som motsvarar kommunens ägarandel; ingen minoritetsandel.",
    "Kapitalelimineringen görs enligt förvärvsmetoden: kommunens bokförda värde på aktier och andelar elimineras mot det egna kapital som fanns vid förvärvet; övervärden skrivs av över sin livslängd och goodwill över " +
      `${def.goodwillYears ?? 10} år om inte annat anges.`,
    "Obeskattade reserver delas i uppskjuten skatt (med årets bolagsskattesats) och eget kapital; bokslutsdispositioner återförs och deras skatteeffekt redovisas som skatt.",
    "Interna intäkter, kostnader, fordringar och skulder elimineras till den lägre av de två parternas ägarandelar; interna utdelningar elimineras mot eget kapital.",
    "Borgen till kommunala koncernföretag elimineras upp till ägarandelen av den borgensbelagda skulden.",
    "Bolagens pensionsredovisning räknas inte om till blandmodellen (LKBR 12 kap 6 §).",
    def.taxLine === "in-costs"
      ? "Skatt redovisas bland verksamhetens kostnader."
      : "Skatt redovisas på egen rad efter finansiella poster.",
  ];
}
