import chalk from "chalk";
import Table from "cli-table3";
import type { Unit } from "../domain/money.js";
import type { Report, RowReport } from "../report/build.js";
import { internalFootnote } from "./footnote.js";
import { formatAmount } from "./number.js";

const BARE = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

const emphasis = (row: RowReport, text: string) =>
  row.kind === "subtotal" || row.kind === "total" || row.kind === "group"
    ? chalk.bold(text)
    : row.kind === "of-which"
      ? chalk.italic(text)
      : text;

function table(report: Report, rows: readonly RowReport[], unit: Unit, withNotes: boolean): string {
  const head = ["", ...(withNotes ? ["Not"] : []), ...report.years.map(String)];
  const t = new Table({
    head: head.map((h) => chalk.bold(h)),
    chars: BARE,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
    colAligns: ["left", ...(withNotes ? (["right"] as const) : []), ...report.years.map(() => "right" as const)],
  });
  rows.forEach((row, i) => {
    const spaced = (row.kind === "subtotal" || row.kind === "total" || row.kind === "group") && i > 0;
    if (spaced) t.push(head.map(() => ""));
    const label = row.kind === "of-which" ? `  ${row.label}` : row.label;
    t.push([
      emphasis(row, label),
      ...(withNotes ? [row.note === undefined ? "" : String(row.note)] : []),
      ...row.values.map((v) => emphasis(row, formatAmount(v, unit))),
    ]);
  });
  return t.toString();
}

/** The financial section as the seed pages print it: statements, footnote, notes. */
export function renderText(report: Report, unit: Unit): string {
  const out: string[] = [];
  const year = report.years[0];
  for (const s of report.statements) {
    const heading = s.entityName ? `${report.group.name}, ${s.entityName}` : report.group.name;
    out.push(chalk.bold(heading), `${s.title} ${year}, belopp i ${unit}`);
    if (s.subtitle) out.push(s.subtitle);
    out.push("", table(report, s.rows, unit, s.scope === "group"), "");
    if (s.id === "income" && s.scope === "group") {
      const footnote = internalFootnote(report, unit);
      if (footnote) out.push(footnote, "");
    }
  }
  if (report.notes.length) {
    out.push(chalk.bold("Noter"), `Noter, belopp i ${unit}`, "");
    for (const n of report.notes) {
      out.push(chalk.bold(`${n.number} ${n.title}`), table(report, n.rows, unit, false), "");
    }
  }
  return `${out.join("\n").replace(/[ \t]+$/gm, "")}\n`;
}
