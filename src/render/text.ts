import chalk from "chalk";
import type { Unit } from "../domain/money.js";
import type { Report, RowReport } from "../report/build.js";
import {
  DRAFT_MARK,
  entityName,
  equityRows,
  kindLabel,
  statementSections,
  tableSections,
  widest,
  yearLabels,
  type Section,
} from "./common.js";
import { formatExact, formatFigure } from "./number.js";
import { guardLines, visible, widthOf } from "./visible.js";

const emphasis = (row: RowReport, text: string) =>
  row.kind === "subtotal" || row.kind === "total" || row.kind === "group"
    ? chalk.bold(text)
    : row.kind === "of-which"
      ? chalk.italic(text)
      : text;

// Texts from the input (labels, names, titles) are printed with their control characters visible.
const labelOf = (row: RowReport) => (row.kind === "of-which" ? `  ${visible(row.label)}` : visible(row.label));

/** A table of rows; `labelWidth` lines up several tables (the notes) under one another. */
function table(
  columns: readonly string[],
  rows: readonly RowReport[],
  unit: Unit,
  withNotes: boolean,
  labelWidth = 0,
): string {
  // Joined by concat, not spread: a thousand units' tables are mostly drawn before V8 optimizes
  // this, and unoptimized code spreads an array through the iteration protocol.
  const head = [""].concat(withNotes ? ["Not"] : [], columns.map(visible));
  const labels = rows.map(labelOf);
  // Each figure formatted once: for its column's width, and to be printed.
  const figures = rows.map((r) => r.values.map((v) => formatFigure(v, r.kind, unit)));
  const widths = [Math.max(labelWidth, widest(labels.map((l) => l.length)))].concat(
    withNotes ? [3] : [],
    columns.map((c, i) => Math.max(9, visible(c).length + 1, widest(figures.map((f) => (f[i] ?? "").length + 1)))),
  );
  const aligns = widths.map((_, c) => (c === 0 ? "left" : "right") as "left" | "right");
  const lines = [head.map((h) => chalk.bold(h))];
  rows.forEach((row, i) => {
    const spaced = (row.kind === "subtotal" || row.kind === "total" || row.kind === "group") && i > 0;
    if (spaced) lines.push([]);
    lines.push(
      [emphasis(row, labels[i]!)].concat(
        withNotes ? [row.note === undefined ? "" : String(row.note)] : [],
        figures[i]!.map((f) => emphasis(row, f)),
      ),
    );
  });
  return padded(lines, aligns, widths);
}

/** The internal-items reconciliation: each pair's two sides as booked, exact, and the difference. */
function reconciliation(report: Report): string {
  const entity = entityName(report);
  const name = (id: string) => visible(entity(id));
  const head = ["Från → till", "Slag", "År", "Intäkt, fordran", "Kostnad, skuld", "Differens"];
  const rows = report.internal.pairs.map((p) => {
    const difference = formatExact(p.difference);
    return [
      `${name(p.entities[0])} → ${name(p.entities[1])}`,
      visible(kindLabel(p.kind)),
      String(p.year),
      formatExact(p.amounts[0]),
      formatExact(p.amounts[1]),
      p.difference === 0n ? difference : chalk.red(difference),
    ];
  });
  const title = chalk.bold("Interna poster, avstämning, belopp i kr (debet positivt)");
  if (!rows.length) return `${title}\n\nInga interna poster.\n`;
  const aligns = ["left", "left", "left", "right", "right", "right"] as const;
  const table = padded([head.map((h) => chalk.bold(h))].concat(rows), aligns);
  return `${title}\n\n${table}\n`;
}

/**
 * Columns padded to their widest cell (or to `widths`), two spaces apart, in time linear in the
 * rows (a reconciliation can have thousands of pairs).
 */
function padded(
  rows: readonly (readonly string[])[],
  aligns: readonly ("left" | "right")[],
  widths = aligns.map((_, c) => widest(rows.map((r) => widthOf(r[c] ?? "")))),
): string {
  let out = "";
  rows.forEach((r, i) => {
    let line = "";
    aligns.forEach((align, c) => {
      const cell = r[c] ?? "";
      const pad = blanks(widths[c]! - widthOf(cell));
      line += `${c > 0 ? "  " : ""}${align === "right" ? pad + cell : cell + pad}`;
    });
    out += `${i > 0 ? "\n" : ""}${line}`;
  });
  return out;
}

/** `n` spaces (none for n below 1), the short ones made once. */
const blanks = (n: number): string => (n <= 0 ? "" : n < BLANKS.length ? BLANKS[n]! : " ".repeat(n));
const BLANKS = Array.from({ length: 64 }, (_, n) => " ".repeat(n));

/**
 * The financial section as the seed pages print it: statements (the footnote on internal items
 * under the group statement with id "income"), equity per entity, then the notes.
 */
export function renderText(report: Report, unit: Unit): string {
  // A report from data with errors says so before anything else, and again at the end.
  const out: string[] = report.draft ? [chalk.bold.red(DRAFT_MARK), ""] : [];
  const years = yearLabels(report);
  for (const s of statementSections(report, unit)) {
    out.push(chalk.bold(visible(s.heading)), `${visible(s.title)}, belopp i ${unit}`);
    if (s.subtitle) out.push(visible(s.subtitle));
    out.push(
      "",
      table(
        s.columns.map((c) => c.header),
        s.rows,
        unit,
        s.withNotes,
      ),
      "",
    );
    if (s.footnote) out.push(visible(s.footnote), "");
  }
  const equity = report.equityByEntity;
  if (equity) {
    const rows = equityRows(equity, report.years.length);
    out.push(chalk.bold(`${visible(equity.title)}, belopp i ${unit}`), "", table(years, rows, unit, false), "");
  }
  for (const t of tableSections(report)) out.push(...tableBlock(t, unit));
  out.push(reconciliation(report));
  if (report.notes.length) {
    out.push(chalk.bold("Noter"), `Noter, belopp i ${unit}`, "");
    const width = widest(report.notes.flatMap((n) => n.rows.map((r) => labelOf(r).length)));
    for (const n of report.notes) {
      const columns = n.columns?.map((c) => c.header) ?? years;
      out.push(chalk.bold(`${n.number} ${visible(n.title)}`), table(columns, n.rows, unit, false, width), "");
    }
  }
  if (report.draft) out.push(chalk.bold.red(DRAFT_MARK));
  return endedText(out);
}

/**
 * The lines of an output as one text, ended by a line break. Joined with the break as its last
 * line: a text and a break put together afterwards is copied whole into one before it is searched
 * or written (a thousand units' text report: 1.4 MB).
 */
const endedText = (lines: string[]) => guardLines(withoutTrailingBlanks([...lines, ""].join("\n")));

/** Lines without the spaces and tabs they end in (the padding of a table's last column). */
const withoutTrailingBlanks = (text: string) => text.replace(/(?<![ \t])[ \t]+(?=\n|$)/g, "");

/** A table beside the statements: whom it is about, its title and unit, then the table. */
const tableBlock = (t: Section, unit: Unit) => [
  chalk.bold(visible(t.heading)),
  `${visible(t.title)}${t.rows.length ? `, belopp i ${unit}` : ""}`,
  "",
  ...tableOf(t, unit),
  ...(t.footnote ? [visible(t.footnote), ""] : []),
];

/** A table with rows; a table without any (a forecast that is not there) has only its footnote. */
const tableOf = (t: Section, unit: Unit) =>
  t.rows.length === 0
    ? []
    : [
        table(
          t.columns.map((c) => c.header),
          t.rows,
          unit,
          false,
        ),
        "",
      ];

/** Tables only (member fees, say), under one heading. */
export function renderTablesText(heading: string, tables: readonly Section[], unit: Unit): string {
  return endedText([chalk.bold(visible(heading)), "", ...tables.flatMap((t) => tableBlock(t, unit))]);
}
