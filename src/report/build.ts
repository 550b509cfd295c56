import { fiscalYear, isCalendarYear, yearLabel, type Period } from "../domain/period.js";
import type { Ore } from "../domain/money.js";
import type { LayoutSpec, NoteSpec, OverviewSpec, RowSpec, Sign } from "../domain/config.js";
import type { Entity, Member } from "../domain/types.js";
import type { Elimination } from "../consolidate/eliminate.js";
import type { BalanceRow } from "../domain/balance.js";
import { NO_ROWS, rowsOfEntity, type RowTable } from "../domain/row-table.js";
import type { KoncernSection } from "../koncern/report.js";
import {
  entitySums,
  evaluateRows,
  type EntityStatement,
  looksAtEntities,
  type EngineContext,
  type ReportRow,
  type ReportRowKind,
} from "./engine.js";

export interface RowReport {
  readonly id: string;
  readonly label: string;
  readonly kind: ReportRowKind;
  readonly note?: number;
  readonly values: readonly Ore[];
  /** For a sum: the ids of the rows of the same table it adds. */
  readonly sum?: readonly string[];
}

export interface StatementReport {
  readonly id: string;
  readonly scope: string;
  readonly entityName?: string;
  readonly title: string;
  readonly subtitle?: string;
  readonly rows: readonly RowReport[];
}

export interface NoteReport {
  readonly number: number;
  readonly id: string;
  readonly title: string;
  /** Columns of its own (Kommunen and Kommunkoncernen per year); otherwise the report's years. */
  readonly columns?: readonly ColumnReport[];
  readonly rows: readonly RowReport[];
}

/** A column of a table: its header and the year its figures belong to. */
export interface ColumnReport {
  readonly header: string;
  readonly year: number;
}

/** A table beside the statements: a budget follow-up or the multi-year overview. */
export interface TableReport {
  /** "budget" (a statement followed up against its budget) or "overview". */
  readonly id: string;
  /** For a budget follow-up: the statement followed up. */
  readonly statement?: string;
  readonly scope: string;
  readonly entityName?: string;
  readonly title: string;
  readonly columns: readonly ColumnReport[];
  readonly rows: readonly RowReport[];
  /** Printed under the table: the method and principles under a kommunkoncern's note on the group. */
  readonly footnote?: string;
}

export interface PairReport {
  readonly year: number;
  readonly entities: readonly [string, string];
  readonly kind: string;
  readonly amounts: readonly [Ore, Ore];
  readonly difference: Ore;
}

export interface Report {
  readonly schema: "consolidate/report@1";
  /** Set by the caller for a report printed (--force) from data with errors: every format marks it a draft. */
  readonly draft?: true;
  readonly group: { readonly name: string };
  readonly currency: "SEK";
  readonly years: readonly number[];
  /** Only when a year is not a calendar year: its first and last day and its label ("2009/10"). */
  readonly periods?: readonly {
    readonly year: number;
    readonly start: string;
    readonly end: string;
    readonly label: string;
  }[];
  readonly entities: readonly { readonly id: string; readonly name: string }[];
  readonly statements: readonly StatementReport[];
  readonly notes: readonly NoteReport[];
  readonly internal: {
    readonly eliminated: readonly Ore[];
    readonly pairs: readonly PairReport[];
    readonly differences: readonly PairReport[];
    readonly footnote?: string;
  };
  readonly equityByEntity?: {
    readonly title: string;
    readonly entities: readonly { readonly entity: string; readonly name: string; readonly values: readonly Ore[] }[];
  };
  readonly tables?: readonly TableReport[];
  /** A kommunkoncern's matrix, journal, bridges, entities and commitments (exact kronor). */
  readonly koncern?: KoncernSection;
  readonly inputs: readonly { readonly path: string; readonly sha256: string }[];
}

/** One year's consolidated data: the entities' closed rows and the elimination of internal items. */
export interface YearData {
  readonly year: number;
  readonly entityRows: RowTable;
  readonly elimination: Elimination;
}

export interface ReportInput {
  readonly name: string;
  readonly layout: LayoutSpec;
  /** Current year first, then the prior year when the workspace has it. */
  readonly years: readonly YearData[];
  /** The fiscal year of each report year, where it is not the calendar year. */
  readonly periodOf?: (year: number) => Period;
  readonly entities: readonly Entity[];
  readonly members: readonly Member[];
  readonly inputs: readonly { readonly path: string; readonly sha256: string }[];
  /** Every year the workspace holds up to the report year, ascending (for deficits and the overview). */
  readonly history?: readonly YearData[];
  /** The workspace's declared amounts (by layout row id) per year. */
  readonly declared?: ReadonlyMap<number, ReadonlyMap<string, Ore>>;
  readonly budget?: BudgetInput;
}

/** The report year's budget: balance rows from budgets by account, amounts by layout row. */
export interface BudgetInput {
  readonly entityRows: RowTable;
  readonly groupRows: RowTable;
  /** Per entity id: presented amounts by row id. */
  readonly lines: ReadonlyMap<string, ReadonlyMap<string, Ore>>;
}

/** Note numbers: fixed where the layout fixes them, else in order of first reference, then the rest. */
export function numberNotes(layout: LayoutSpec): Map<string, number> {
  const notes = layout.notes ?? [];
  const referenced: string[] = [];
  for (const s of layout.statements) {
    if (!s.scopes.includes("group")) continue;
    for (const r of s.rows) if (r.note && !referenced.includes(r.note)) referenced.push(r.note);
  }
  const order = [...referenced, ...notes.map((n) => n.id).filter((id) => !referenced.includes(id))];
  const fixed = new Map(
    notes.filter((n): n is NoteSpec & { number: number } => n.number !== undefined).map((n) => [n.id, n.number]),
  );
  const used = new Set(fixed.values());
  const numbers = new Map<string, number>();
  let next = 1;
  for (const id of order) {
    if (fixed.has(id)) numbers.set(id, fixed.get(id)!);
    else {
      while (used.has(next)) next++;
      numbers.set(id, next);
      used.add(next);
    }
  }
  return numbers;
}

/**
 * The deficit still to restore after each of `shown` years: a negative value adds to it, a positive
 * one pays it off (the balance requirement's deficits, restored by later surpluses).
 */
export function deficitsToRestore(series: readonly { year: number; value: Ore }[], shown: readonly number[]): Ore[] {
  return shown.map((year) => {
    let deficit = 0n;
    for (const s of series) {
      if (s.year > year) break;
      deficit = s.value < 0n ? deficit - s.value : deficit > s.value ? deficit - s.value : 0n;
    }
    return deficit;
  });
}

/** A row without its note: the statements of a unit and the notes' own rows point to no note. */
function withoutNote(row: ReportRow): Omit<ReportRow, "note"> {
  if (row.note === undefined) return row;
  const { note: _note, ...rest } = row;
  return rest;
}

/** The statements buildReport evaluates for each entity: its units' own statements, and the one its equity per entity is read from. */
export function entityStatements(layout: LayoutSpec): EntityStatement[] {
  const equity = layout.equity && layout.statements.find((s) => s.id === layout.equity!.statement);
  return [...layout.statements.filter((s) => s.scopes.includes("entities")), ...(equity ? [equity] : [])].map((s) => ({
    specs: s.rows,
    sign: s.sign ?? 1,
  }));
}

/** Builds the report as plain data; renderers only format it. */
export function buildReport(input: ReportInput): Report {
  const { layout, years, entities } = input;
  const history = input.history ?? [...years].reverse();
  const names: EngineContext = {
    counterpartyNames: new Map([
      ...input.members.map((m) => [m.code, m.name] as const),
      ...entities.map((e) => [e.id, e.name] as const),
    ]),
  };
  const declaredFor = (shown: readonly YearData[]) =>
    shown.map((y) => input.declared?.get(y.year) ?? new Map<string, Ore>());
  const ctx = { ...names, declared: declaredFor(years) };
  /** The engine's context for a statement evaluated on `rowsOf` each year shown (one for all without carry rows). */
  const contextFor = (spec: { rows: readonly RowSpec[]; sign?: Sign }, rowsOf: (y: YearData) => RowTable) =>
    spec.rows.some((r) => r.carry) ? { ...ctx, carried: carried(spec, rowsOf) } : ctx;
  /** For each carry row: the deficit of the row it names, over the history, after each year shown. */
  const carried = (spec: { rows: readonly RowSpec[]; sign?: Sign }, rowsOf: (y: YearData) => RowTable) =>
    new Map(
      spec.rows
        .filter((r) => r.carry)
        .map((row) => {
          const series = history.map((h) => {
            const ctx = { ...names, declared: declaredFor([h]) };
            const value = evaluateRows(spec.rows, [rowsOf(h)], spec.sign ?? 1, ctx).find((r) => r.id === row.carry);
            return { year: h.year, value: value?.values[0] ?? 0n };
          });
          return [
            row.id,
            deficitsToRestore(
              series,
              years.map((y) => y.year),
            ),
          ] as const;
        }),
    );
  const groupOf = (y: YearData) => y.elimination.groupRows;
  const noteNumbers = numberNotes(layout);
  const groupTables = (specs: readonly RowSpec[], sign: Sign) => {
    const byEntity = looksAtEntities(specs, sign);
    return years.map((y) => (byEntity ? y.elimination.groupRows : y.elimination.groupTotals));
  };
  const statements: StatementReport[] = [];
  for (const spec of layout.statements) {
    const sign = spec.sign ?? 1;
    if (spec.scopes.includes("group")) {
      statements.push({
        id: spec.id,
        scope: "group",
        title: spec.title,
        ...(spec.subtitle?.group ? { subtitle: spec.subtitle.group } : {}),
        rows: evaluateRows(spec.rows, groupTables(spec.rows, sign), sign, contextFor(spec, groupOf)).map(
          ({ note, ...r }) => ({
            ...r,
            ...(note ? { note: noteNumbers.get(note)! } : {}),
          }),
        ),
      });
    }
    if (spec.scopes.includes("entities")) {
      const sumsOf = entitySums(
        spec.rows,
        years.map((y) => y.entityRows),
        sign,
      );
      // What is the same for each entity worked out once: a thousand units' statements are made
      // mostly before V8 has optimized this (the context without carry rows, the subtitle).
      const carries = spec.rows.some((r) => r.carry);
      const subtitle = spec.subtitle?.entity ? { subtitle: spec.subtitle.entity } : {};
      const summed = years.map(() => NO_ROWS);
      for (const e of entities) {
        const sums = sumsOf(e.id);
        // Summed already (entitySums): the engine then only counts the years, and a thousand units'
        // rows are not cut into a table each.
        const rows = sums ? summed : years.map((y) => rowsOfEntity(y.entityRows, e.id));
        statements.push({
          id: spec.id,
          scope: `entity:${e.id}`,
          entityName: e.name,
          title: spec.title,
          ...subtitle,
          rows: evaluateRows(
            spec.rows,
            rows,
            sign,
            carries ? contextFor(spec, (y) => rowsOfEntity(y.entityRows, e.id)) : ctx,
            sums,
          ).map(withoutNote),
        });
      }
    }
  }
  const notes: NoteReport[] = (layout.notes ?? [])
    .map((n) => ({
      number: noteNumbers.get(n.id)!,
      id: n.id,
      title: n.title,
      rows: evaluateRows(n.rows, groupTables(n.rows, n.sign ?? 1), n.sign ?? 1, ctx).map(withoutNote),
    }))
    .sort((a, b) => a.number - b.number);
  const equitySpec = layout.equity && layout.statements.find((s) => s.id === layout.equity!.statement);
  const equitySumsOf =
    equitySpec &&
    entitySums(
      equitySpec.rows,
      years.map((y) => y.entityRows),
      equitySpec.sign ?? 1,
    );
  const equityByEntity = equitySpec && {
    title: layout.equity!.title,
    entities: entities.map((e) => {
      const sums = equitySumsOf!(e.id);
      const rows = evaluateRows(
        equitySpec.rows,
        years.map((y) => (sums ? NO_ROWS : rowsOfEntity(y.entityRows, e.id))),
        equitySpec.sign ?? 1,
        ctx,
        sums,
      );
      return { entity: e.id, name: e.name, values: rows.find((r) => r.id === layout.equity!.row)?.values ?? [] };
    }),
  };
  const tables = [
    ...(input.budget ? budgetTables(input, input.budget, names) : []),
    ...(layout.overview ? [overviewTable(input, layout.overview, history, names)] : []),
  ];
  // Each property named: an object spread from another (5 000 pairs) is made slower, and larger.
  const pairs: PairReport[] = years.flatMap((y) =>
    y.elimination.pairs.map((p) => ({
      year: y.year,
      entities: p.entities,
      kind: p.kind,
      amounts: p.amounts,
      difference: p.difference,
    })),
  );
  return {
    schema: "consolidate/report@1",
    group: { name: input.name },
    currency: "SEK",
    years: years.map((y) => y.year),
    ...periodsOf(
      years.map((y) => y.year),
      input.periodOf,
    ),
    entities: entities.map((e) => ({ id: e.id, name: e.name })),
    statements,
    notes,
    internal: {
      eliminated: years.map((y) => y.elimination.eliminated),
      pairs,
      differences: pairs.filter((p) => p.difference !== 0n),
      ...(layout.internalFootnote ? { footnote: layout.internalFootnote } : {}),
    },
    ...(equityByEntity ? { equityByEntity } : {}),
    ...(tables.length ? { tables } : {}),
    inputs: input.inputs,
  };
}

/** A row's value from the others it adds, for rows whose own figure changed (budgets by line). */
function resum(rows: readonly RowReport[]): RowReport[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const done = new Map<string, readonly Ore[]>();
  const valueOf = (id: string): readonly Ore[] => {
    const known = done.get(id);
    if (known) return known;
    const r = byId.get(id)!;
    const values = r.sum
      ? r.sum.map(valueOf).reduce(
          (t, v) => t.map((x, i) => x + (v[i] ?? 0n)),
          r.values.map(() => 0n),
        )
      : r.values;
    done.set(id, values);
    return values;
  };
  return rows.map((r) => ({ ...r, values: valueOf(r.id) }));
}

/**
 * Budget follow-up (driftredovisning): each followed-up statement, for the group and each entity,
 * with the budget, the outcome and the deviation (outcome − budget, so better than budget is positive).
 * A row the statement leaves out when zero is shown when its budget is not.
 */
function budgetTables(input: ReportInput, budget: BudgetInput, names: EngineContext): TableReport[] {
  const current = input.years[0]!;
  const year = current.year;
  const ctx = { ...names, declared: [input.declared?.get(year) ?? new Map<string, Ore>()] };
  const columns = [
    { header: `Budget ${year}`, year },
    { header: `Utfall ${year}`, year },
    { header: "Avvikelse", year },
  ];
  const scopes = [
    { scope: "group", outcome: current.elimination.groupRows, budgeted: budget.groupRows, lines: groupLines(budget) },
    ...input.entities.map((e) => ({
      scope: `entity:${e.id}`,
      entityName: e.name,
      outcome: rowsOfEntity(current.entityRows, e.id),
      budgeted: rowsOfEntity(budget.entityRows, e.id),
      lines: budget.lines.get(e.id) ?? new Map<string, Ore>(),
    })),
  ];
  return input.layout.statements
    .filter((spec) => spec.budget ?? spec.id === "income")
    .flatMap((spec) => {
      const all = spec.rows.map((r) => ({ ...r, omitWhenZero: false }));
      const omitted = new Set(spec.rows.filter((r) => r.omitWhenZero).map((r) => r.id));
      const sign = spec.sign ?? 1;
      return scopes
        .filter((sc) => spec.scopes.includes(sc.scope === "group" ? "group" : "entities"))
        .map((sc) => {
          const outcome = evaluateRows(all, [sc.outcome], sign, ctx);
          const planned = plannedRows(all, sign, sc.budgeted, sc.lines, ctx);
          const plannedById = new Map(planned.map((r) => [r.id, r.values[0]!]));
          const rows = outcome
            .map(({ note: _note, values, ...r }) => {
              const b = plannedById.get(r.id) ?? 0n;
              const o = values[0]!;
              return { ...r, values: [b, o, o - b] };
            })
            .filter((r) => !omitted.has(r.id) || r.values.some((v) => v !== 0n));
          const kept = new Set(rows.map((r) => r.id));
          return {
            id: "budget",
            statement: spec.id,
            scope: sc.scope,
            ...("entityName" in sc ? { entityName: sc.entityName } : {}),
            title: `Budgetuppföljning, ${spec.title.toLowerCase()} ${year}`,
            columns,
            // A row left out is zero: the sums name only the rows shown.
            rows: rows.map((r) => (r.sum ? { ...r, sum: r.sum.filter((id) => kept.has(id)) } : r)),
          };
        });
    });
}

/**
 * A statement's rows for a plan of the year (a budget, a forecast): by account through the engine,
 * plus the amounts given by row, sums added again over them.
 */
export function plannedRows(
  rows: readonly RowSpec[],
  sign: Sign,
  balanceRows: RowTable | readonly BalanceRow[],
  lines: ReadonlyMap<string, Ore>,
  ctx: EngineContext,
): RowReport[] {
  return resum(
    evaluateRows(rows, [balanceRows], sign, ctx).map(({ note: _note, ...r }) => ({
      ...r,
      values: r.sum ? r.values : [r.values[0]! + (lines.get(r.id) ?? 0n)],
    })),
  );
}

/** The group's budgets by row: the entities' added up. */
export function groupLines(budget: Pick<BudgetInput, "lines">): Map<string, Ore> {
  const all = new Map<string, Ore>();
  for (const lines of budget.lines.values()) for (const [id, v] of lines) all.set(id, (all.get(id) ?? 0n) + v);
  return all;
}

/** The multi-year overview over every year the workspace holds, the latest first. */
function overviewTable(
  input: ReportInput,
  spec: OverviewSpec,
  history: readonly YearData[],
  names: EngineContext,
): TableReport {
  const shown = [...history].reverse().slice(0, spec.years ?? 5);
  const valuesOf = (y: YearData) => {
    const ctx = { ...names, declared: [input.declared?.get(y.year) ?? new Map<string, Ore>()] };
    const out = new Map<string, Ore>();
    for (const s of input.layout.statements.filter((st) => st.scopes.includes("group")))
      for (const r of evaluateRows(s.rows, [y.elimination.groupRows], s.sign ?? 1, ctx))
        out.set(`${s.id}/${r.id}`, r.values[0]!);
    return out;
  };
  const perYear = shown.map(valuesOf);
  return {
    id: "overview",
    scope: "group",
    title: spec.title,
    columns: shown.map((y) => ({ header: String(y.year), year: y.year })),
    rows: spec.rows.map((row) => {
      if (row.ratio) {
        const [a, b] = row.ratio;
        // Hundredths of a percent, rounded half away from zero.
        const values = perYear.map((v) => {
          const num = (v.get(a) ?? 0n) * 10000n;
          const den = v.get(b) ?? 0n;
          if (den === 0n) return 0n;
          const q = (2n * num + (num < 0n === den < 0n ? den : -den)) / (2n * den);
          return q;
        });
        return { id: row.id, label: row.label, kind: "percent" as const, values };
      }
      return {
        id: row.id,
        label: row.label,
        kind: "line" as const,
        values: perYear.map((v) => (row.rows ?? []).reduce((t, ref) => t + (v.get(ref) ?? 0n), 0n)),
      };
    }),
  };
}

/** The report's periods, only where one of its years is not a calendar year. */
function periodsOf(years: readonly number[], periodOf?: (year: number) => Period): Pick<Report, "periods"> {
  const periods = years.map((year) => ({ year, ...(periodOf?.(year) ?? fiscalYear(year)) }));
  if (periods.every(isCalendarYear)) return {};
  return { periods: periods.map((p) => ({ ...p, label: yearLabel(p.year, p) })) };
}
