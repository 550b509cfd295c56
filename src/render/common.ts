import type { Ore, Unit } from "../domain/money.js";
import type { ColumnReport, Report, RowReport, StatementReport } from "../report/build.js";
import { formatAmount } from "./number.js";

/** The mark of a report printed with --force from data with errors, at the top of every format. */
export const DRAFT_MARK = "UTKAST – underlaget har fel som inte är rättade";

/**
 * Internal-item kinds in Swedish, as every format prints them; a kind the workspace declares keeps
 * its id. A Map: a kind named `constructor` or `toString` is an id like any other.
 */
const KIND_LABELS = new Map([
  ["result", "resultat"],
  ["balance", "balans"],
]);
export const kindLabel = (kind: string) => KIND_LABELS.get(kind) ?? kind;

/**
 * The layout's footnote on internal items, with the report's figures filled in, in Swedish form
 * with thousands separators ("1 142 tkr"; no-break spaces, so a figure never breaks over lines).
 */
export function internalFootnote(report: Report, unit: Unit): string | undefined {
  const template = report.internal.footnote;
  if (!template) return undefined;
  return template.replace(
    /\{(amount|year)(\d)\}|\{unit\}/g,
    (whole, what: string | undefined, i: string | undefined) => {
      if (!what) return unit;
      const index = Number(i);
      if (what === "year") return yearLabels(report)[index] ?? "";
      const v = report.internal.eliminated[index];
      return v === undefined ? "" : formatAmount(v, unit);
    },
  );
}

/** Closing equity per entity as table rows, with their sum. */
export function equityRows(equity: NonNullable<Report["equityByEntity"]>, years: number): RowReport[] {
  const rows: RowReport[] = equity.entities.map((e) => ({
    id: e.entity,
    label: e.name,
    kind: "line",
    values: e.values,
  }));
  const total = Array.from({ length: years }, (_, y) => equity.entities.reduce((t, e) => t + (e.values[y] ?? 0n), 0n));
  return [...rows, { id: "summa", label: "Summa", kind: "total", values: total, sum: rows.map((r) => r.id) }];
}

/** One table of the report as every export shows it: a statement, the equity per entity, or a note. */
export interface Section {
  /** What the table is: a statement's id ("income", "balance"), "equity", or "note". */
  readonly statement: string;
  /** "group", or "entity:ID" for an entity's own statement. */
  readonly scope: string;
  /** Whom the table is about: the group's name, or "group, entity". */
  readonly heading: string;
  /** The table's title as printed: "Resultaträkning 2013", "3 Medlemsavgifter". */
  readonly title: string;
  readonly subtitle?: string;
  /** The figures' columns, one per value of each row. */
  readonly columns: readonly ColumnReport[];
  /** Whether the table has a Not column (the group's statements). */
  readonly withNotes: boolean;
  /** The note's number, for a note. */
  readonly note?: number;
  readonly rows: readonly RowReport[];
  /** Printed under the table: the footnote on internal items, under the group's income statement. */
  readonly footnote?: string;
}

/** A group statement with note references has a Not column (the cash-flow analysis has none). */
export const hasNoteColumn = (s: StatementReport) => s.scope === "group" && s.rows.some((r) => r.note !== undefined);

/** How headings name the report's years: "2013", or "2009/10" for a broken fiscal year. */
export const yearLabels = (report: Report): string[] =>
  report.years.map((year, i) => report.periods?.[i]?.label ?? String(year));

/** The report year for a heading, with its dates when it is not a calendar year. */
export const reportYear = (report: Report): string => {
  const p = report.periods?.[0];
  return p ? `${p.label} (${p.start} – ${p.end})` : String(report.years[0]);
};

/** The report years as columns. */
export const yearColumns = (report: Report): ColumnReport[] =>
  report.years.map((year, i) => ({ header: yearLabels(report)[i]!, year }));

/** The tables beside the statements (budget follow-up, overview) as sections. */
export function tableSections(report: Report): Section[] {
  return (report.tables ?? []).map((t) => ({
    statement: t.id === "budget" ? `budget:${t.statement ?? ""}` : t.id,
    scope: t.scope,
    heading: t.entityName ? `${report.group.name}, ${t.entityName}` : report.group.name,
    title: t.title,
    columns: t.columns,
    withNotes: false,
    rows: t.rows,
    ...(t.footnote ? { footnote: t.footnote } : {}),
  }));
}

/**
 * The statements as tables. A kommunkoncern's are printed as municipal annual reports print them:
 * one table per statement with Kommunen and Kommunkoncernen side by side, each with the prior year.
 */
export function statementSections(report: Report, unit: Unit): Section[] {
  const year = reportYear(report);
  const columns = yearColumns(report);
  const parent = report.koncern?.parent;
  if (parent !== undefined)
    return report.statements.filter((s) => s.scope === "group").map((s) => sideBySide(report, s, parent));
  return report.statements.map((s) => {
    const footnote = s.id === "income" && s.scope === "group" ? internalFootnote(report, unit) : undefined;
    return {
      statement: s.id,
      scope: s.scope,
      heading: s.entityName ? `${report.group.name}, ${s.entityName}` : report.group.name,
      title: `${s.title} ${year}`,
      ...(s.subtitle ? { subtitle: s.subtitle } : {}),
      columns,
      withNotes: hasNoteColumn(s),
      rows: s.rows,
      ...(footnote ? { footnote } : {}),
    };
  });
}

/** Headers of the kommun's and the kommunkoncern's columns: "Kommunen 2024" … "Kommunkoncernen 2023". */
export const koncernColumns = (report: Report): ColumnReport[] => [
  ...yearColumns(report).map((c) => ({ ...c, header: `Kommunen ${c.header}` })),
  ...yearColumns(report).map((c) => ({ ...c, header: `Kommunkoncernen ${c.header}` })),
];

/** The group statement and the parent's beside it, row by row (a row either leaves out when zero is kept). */
function sideBySide(report: Report, group: StatementReport, parent: string): Section {
  const own = report.statements.find((s) => s.id === group.id && s.scope === `entity:${parent}`);
  const byId = new Map((own?.rows ?? []).map((r) => [r.id, r]));
  const ids = [...group.rows.map((r) => r.id)];
  (own?.rows ?? []).forEach((r, i) => {
    if (ids.includes(r.id)) return;
    const before = own!.rows
      .slice(0, i)
      .reverse()
      .find((p) => ids.includes(p.id));
    ids.splice(before ? ids.indexOf(before.id) + 1 : 0, 0, r.id);
  });
  const groupById = new Map(group.rows.map((r) => [r.id, r]));
  const years = report.years.length;
  const zeros = Array.from({ length: years }, () => 0n);
  const rows = ids.map((id) => {
    const g = groupById.get(id);
    const k = byId.get(id);
    const base = (g ?? k)!;
    return { ...base, values: [...(k?.values ?? zeros), ...(g?.values ?? zeros)] };
  });
  return {
    statement: group.id,
    scope: "group",
    heading: report.group.name,
    title: `${group.title} ${reportYear(report)}`,
    columns: koncernColumns(report),
    withNotes: hasNoteColumn(group),
    rows,
  };
}

/** The report's tables in the order the seed reports print them: statements, equity, tables, notes. */
export function sections(report: Report, unit: Unit): Section[] {
  const columns = yearColumns(report);
  const out: Section[] = statementSections(report, unit);
  const equity = report.equityByEntity;
  if (equity)
    out.push({
      statement: "equity",
      scope: "group",
      heading: report.group.name,
      title: equity.title,
      columns,
      withNotes: false,
      rows: equityRows(equity, report.years.length),
    });
  out.push(...tableSections(report));
  for (const n of report.notes)
    out.push({
      statement: "note",
      scope: "group",
      heading: report.group.name,
      title: `${n.number} ${n.title}`,
      columns: n.columns ?? columns,
      withNotes: false,
      note: n.number,
      rows: n.rows,
    });
  return out;
}

/** The result of each entity per year: the last total of its own income statement, for the chart. */
export function resultsByEntity(report: Report): { name: string; values: readonly Ore[] }[] {
  return report.statements
    .filter((s) => s.scope.startsWith("entity:") && s.id === "income")
    .flatMap((s) => {
      const total = [...s.rows].reverse().find((r) => r.kind === "total");
      return total ? [{ name: s.entityName ?? s.scope.slice(7), values: total.values }] : [];
    });
}

/** Display names of entities by id (looked up in a map: a thousand entities make thousands of pairs). */
export function entityName(report: Report): (id: string) => string {
  const names = new Map(report.entities.map((e) => [e.id, e.name]));
  return (id) => names.get(id) ?? id;
}

/** The widest of some widths, 0 for none (Math.max(...widths) fails past about 120 000). */
export const widest = (widths: readonly number[]): number => widths.reduce((a, b) => (b > a ? b : a), 0);
