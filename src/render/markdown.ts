import type { Unit } from "../domain/money.js";
import type { Report, RowReport } from "../report/build.js";
import {
  DRAFT_MARK,
  entityName,
  equityRows,
  kindLabel,
  statementSections,
  tableSections,
  yearLabels,
  type Section,
} from "./common.js";
import { formatExact, formatFigure } from "./number.js";
import { markdownText } from "./visible.js";

/** A text from the input in a cell or heading: shown as it is, never as markup, never breaking the table. */
const md = markdownText;

function table(columns: readonly string[], rows: readonly RowReport[], unit: Unit, withNotes: boolean): string {
  const head = [`Belopp i ${unit}`, ...(withNotes ? ["Not"] : []), ...columns.map(md)];
  const align = [":--", ...(withNotes ? [":-:"] : []), ...columns.map(() => "--:")];
  const lines = [`| ${head.join(" | ")} |`, `| ${align.join(" | ")} |`];
  for (const row of rows) {
    const strong = row.kind === "subtotal" || row.kind === "total" || row.kind === "group";
    const wrap = (s: string) => (strong ? `**${s}**` : row.kind === "of-which" ? `*${s}*` : s);
    const note = withNotes ? [row.note === undefined ? "" : String(row.note)] : [];
    lines.push(
      `| ${[wrap(md(row.label)), ...note, ...row.values.map((v) => wrap(formatFigure(v, row.kind, unit)))].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/** The financial section as Markdown tables, for pasting into the report draft. */
export function renderMarkdown(report: Report, unit: Unit): string {
  const out: string[] = report.draft ? [`> **${DRAFT_MARK}**`, ""] : [];
  const years = yearLabels(report);
  for (const s of statementSections(report, unit)) {
    out.push(`## ${md(s.heading)}: ${md(s.title)}`, "");
    if (s.subtitle) out.push(`*${md(s.subtitle)}*`, "");
    out.push(
      table(
        s.columns.map((c) => c.header),
        s.rows,
        unit,
        s.withNotes,
      ),
      "",
    );
    if (s.footnote) out.push(`*${md(s.footnote)}*`, "");
  }
  const equity = report.equityByEntity;
  if (equity) {
    const rows = equityRows(equity, report.years.length);
    out.push(`## ${md(equity.title)}`, "", table(years, rows, unit, false), "");
  }
  for (const t of tableSections(report)) out.push(...tableBlock(t, unit));
  if (report.internal.pairs.length) {
    const name = entityName(report);
    out.push(
      "## Interna poster, avstämning",
      "",
      "| Från → till | Slag | År | Intäkt, fordran | Kostnad, skuld | Differens |",
      "| :-- | :-- | :-- | --: | --: | --: |",
    );
    for (const p of report.internal.pairs) {
      out.push(
        `| ${md(`${name(p.entities[0])} → ${name(p.entities[1])}`)} | ${md(kindLabel(p.kind))} | ${p.year} | ${[...p.amounts, p.difference].map(formatExact).join(" | ")} |`,
      );
    }
    out.push("");
  }
  if (report.notes.length) {
    out.push(`## Noter`, "");
    for (const n of report.notes)
      out.push(
        `### ${n.number} ${md(n.title)}`,
        "",
        table(n.columns?.map((c) => c.header) ?? years, n.rows, unit, false),
        "",
      );
  }
  if (report.draft) out.push(`> **${DRAFT_MARK}**`, "");
  return out.join("\n");
}

/** A table beside the statements, with whom it is about and its title as a heading. */
const tableBlock = (t: Section, unit: Unit) => [
  `## ${md(t.heading)}: ${md(t.title)}`,
  "",
  // A table without rows (a forecast that is not there) has only its footnote.
  ...(t.rows.length
    ? [
        table(
          t.columns.map((c) => c.header),
          t.rows,
          unit,
          false,
        ),
        "",
      ]
    : []),
  ...(t.footnote ? [`*${md(t.footnote)}*`, ""] : []),
];

/** Tables only (member fees, say) as Markdown, under one heading. */
export function renderTablesMarkdown(heading: string, tables: readonly Section[], unit: Unit): string {
  return [`# ${md(heading)}`, "", ...tables.flatMap((t) => tableBlock(t, unit))].join("\n");
}
