import type { Unit } from "../domain/money.js";
import type { Report, RowReport } from "../report/build.js";
import { equityRows, internalFootnote } from "./common.js";
import { formatAmount, formatExact } from "./number.js";

const cell = (s: string) => s.replace(/\|/g, "\\|");

function table(report: Report, rows: readonly RowReport[], unit: Unit, withNotes: boolean): string {
  const head = [`Belopp i ${unit}`, ...(withNotes ? ["Not"] : []), ...report.years.map(String)];
  const align = [":--", ...(withNotes ? [":-:"] : []), ...report.years.map(() => "--:")];
  const lines = [`| ${head.join(" | ")} |`, `| ${align.join(" | ")} |`];
  for (const row of rows) {
    const strong = row.kind === "subtotal" || row.kind === "total" || row.kind === "group";
    const wrap = (s: string) => (strong ? `**${s}**` : row.kind === "of-which" ? `*${s}*` : s);
    const note = withNotes ? [row.note === undefined ? "" : String(row.note)] : [];
    lines.push(
      `| ${[wrap(cell(row.label)), ...note, ...row.values.map((v) => wrap(formatAmount(v, unit)))].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/** The financial section as Markdown tables, for pasting into the report draft. */
export function renderMarkdown(report: Report, unit: Unit): string {
  const out: string[] = [];
  const year = report.years[0];
  for (const s of report.statements) {
    out.push(
      `## ${s.entityName ? `${report.group.name}, ${s.entityName}` : report.group.name}: ${s.title} ${year}`,
      "",
    );
    if (s.subtitle) out.push(`*${s.subtitle}*`, "");
    out.push(table(report, s.rows, unit, s.scope === "group"), "");
    if (s.id === "income" && s.scope === "group") {
      const footnote = internalFootnote(report, unit);
      if (footnote) out.push(`*${footnote}*`, "");
    }
  }
  const equity = report.equityByEntity;
  if (equity) {
    const rows = equityRows(equity, report.years.length);
    out.push(`## ${equity.title}`, "", table(report, rows, unit, false), "");
  }
  if (report.internal.pairs.length) {
    const name = (id: string) => report.entities.find((e) => e.id === id)?.name ?? id;
    out.push(
      "## Interna poster, avstämning",
      "",
      "| Från → till | Slag | År | Intäkt, fordran | Kostnad, skuld | Differens |",
      "| :-- | :-- | :-- | --: | --: | --: |",
    );
    for (const p of report.internal.pairs) {
      out.push(
        `| ${cell(`${name(p.entities[0])} → ${name(p.entities[1])}`)} | ${p.kind} | ${p.year} | ${[...p.amounts, p.difference].map(formatExact).join(" | ")} |`,
      );
    }
    out.push("");
  }
  if (report.notes.length) {
    out.push(`## Noter`, "");
    for (const n of report.notes) out.push(`### ${n.number} ${n.title}`, "", table(report, n.rows, unit, false), "");
  }
  return out.join("\n");
}
