import type { Ore } from "../domain/money.js";
import type { LayoutSpec, NoteSpec } from "../domain/config.js";
import type { Entity, Member } from "../domain/types.js";
import type { Elimination } from "../consolidate/eliminate.js";
import type { BalanceRow } from "../domain/balance.js";
import { evaluateRows, type EngineContext, type ReportRowKind } from "./engine.js";

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
  readonly rows: readonly RowReport[];
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
  readonly group: { readonly name: string };
  readonly currency: "SEK";
  readonly years: readonly number[];
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
  readonly inputs: readonly { readonly path: string; readonly sha256: string }[];
}

/** One year's consolidated data: the entities' closed rows and the elimination of internal items. */
export interface YearData {
  readonly year: number;
  readonly entityRows: readonly BalanceRow[];
  readonly elimination: Elimination;
}

export interface ReportInput {
  readonly name: string;
  readonly layout: LayoutSpec;
  /** Current year first, then the prior year when the workspace has it. */
  readonly years: readonly YearData[];
  readonly entities: readonly Entity[];
  readonly members: readonly Member[];
  readonly inputs: readonly { readonly path: string; readonly sha256: string }[];
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

/** Builds the report as plain data; renderers only format it. */
export function buildReport(input: ReportInput): Report {
  const { layout, years, entities } = input;
  const ctx: EngineContext = {
    counterpartyNames: new Map([
      ...input.members.map((m) => [m.code, m.name] as const),
      ...entities.map((e) => [e.id, e.name] as const),
    ]),
  };
  const noteNumbers = numberNotes(layout);
  const groupRows = years.map((y) => y.elimination.groupRows);
  const statements: StatementReport[] = [];
  for (const spec of layout.statements) {
    const sign = spec.sign ?? 1;
    if (spec.scopes.includes("group")) {
      statements.push({
        id: spec.id,
        scope: "group",
        title: spec.title,
        ...(spec.subtitle?.group ? { subtitle: spec.subtitle.group } : {}),
        rows: evaluateRows(spec.rows, groupRows, sign, ctx).map(({ note, ...r }) => ({
          ...r,
          ...(note ? { note: noteNumbers.get(note)! } : {}),
        })),
      });
    }
    if (spec.scopes.includes("entities")) {
      for (const e of entities) {
        const rows = years.map((y) => y.entityRows.filter((r) => r.entity === e.id));
        statements.push({
          id: spec.id,
          scope: `entity:${e.id}`,
          entityName: e.name,
          title: spec.title,
          ...(spec.subtitle?.entity ? { subtitle: spec.subtitle.entity } : {}),
          rows: evaluateRows(spec.rows, rows, sign, ctx).map(({ note: _note, ...r }) => r),
        });
      }
    }
  }
  const notes: NoteReport[] = (layout.notes ?? [])
    .map((n) => ({
      number: noteNumbers.get(n.id)!,
      id: n.id,
      title: n.title,
      rows: evaluateRows(n.rows, groupRows, n.sign ?? 1, ctx).map(({ note: _note, ...r }) => r),
    }))
    .sort((a, b) => a.number - b.number);
  const equitySpec = layout.equity && layout.statements.find((s) => s.id === layout.equity!.statement);
  const equityByEntity = equitySpec && {
    title: layout.equity!.title,
    entities: entities.map((e) => {
      const rows = evaluateRows(
        equitySpec.rows,
        years.map((y) => y.entityRows.filter((r) => r.entity === e.id)),
        equitySpec.sign ?? 1,
        ctx,
      );
      return { entity: e.id, name: e.name, values: rows.find((r) => r.id === layout.equity!.row)?.values ?? [] };
    }),
  };
  const pairs: PairReport[] = years.flatMap((y) => y.elimination.pairs.map((p) => ({ year: y.year, ...p })));
  return {
    schema: "consolidate/report@1",
    group: { name: input.name },
    currency: "SEK",
    years: years.map((y) => y.year),
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
    inputs: input.inputs,
  };
}
