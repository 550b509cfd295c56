import type { Explanation, VoucherLine } from "../report/explain.js";
import { widest } from "./common.js";
import { formatExact } from "./number.js";
import { markdownText, visible } from "./visible.js";

/** What the explanation is of: "Resultaträkning, Verksamhetens intäkter (income/verksamhetens-intakter), 2013". */
const subject = (e: Explanation, when: string) =>
  `${e.row.label} (${e.statement.replace(/^note:/, "note/")}/${e.row.id}), ${when}${e.scope === "group" ? "" : `, ${e.scope.slice(7)}`}`;

const counterpartyText = (c: { counterparty: string }) => (c.counterparty ? ` (motpart ${c.counterparty})` : "");

const place = (v: VoucherLine) => (v.file ? `${v.file}${v.line ? `:${v.line}` : ""}` : "");

/** Lines of text: the figure, its parts or entities and accounts, the eliminations, the check. */
function lines(e: Explanation, when: string, cell: (s: string) => string, indent: string): string[][] {
  const out: string[][] = [[cell(subject(e, when)), formatExact(e.figure)]];
  if (e.parts) for (const p of e.parts) out.push([`${indent}${cell(p.label)} (${p.id})`, formatExact(p.value)]);
  if (e.declared) out.push([`${indent}angivet i ${cell(e.declared)}`, formatExact(e.figure)]);
  for (const x of e.entities ?? []) {
    out.push([`${indent}${cell(x.name)}`, formatExact(x.total)]);
    for (const c of x.accounts) {
      out.push([`${indent}${indent}${c.account} ${cell(c.name)}${cell(counterpartyText(c))}`, formatExact(c.value)]);
      for (const v of (e.vouchers ?? []).filter(
        (l) => l.entity === c.entity && l.account === c.account && l.counterparty === c.counterparty,
      ))
        out.push([
          `${indent}${indent}${indent}${v.date} ${cell(v.voucher)} ${cell(v.text)} ${cell(place(v))}`.trimEnd(),
          formatExact(v.value),
        ]);
    }
  }
  if (e.eliminated?.length) {
    const total = e.eliminated.reduce((t, c) => t + c.value, 0n);
    out.push([`${indent}Eliminerade interna poster`, formatExact(total)]);
    for (const c of e.eliminated)
      out.push([
        `${indent}${indent}${cell(c.entity)} ${c.account} ${cell(c.name)}${cell(counterpartyText(c))}`,
        formatExact(c.value),
      ]);
  }
  out.push([
    e.addsUp ? "Summan stämmer med siffran i rapporten" : "SUMMAN STÄMMER INTE med siffran i rapporten",
    formatExact(e.figure),
  ]);
  return out;
}

/** The explanation as text: label and exact kronor in two columns. */
export function renderExplanationText(e: Explanation, group: string, when: string): string {
  const rows = lines(e, when, visible, "  ");
  const width = widest(rows.map(([label]) => label!.length));
  const figures = widest(rows.map(([, v]) => v!.length));
  return `${visible(group)}\nBelopp i kr, som i rapporten\n\n${rows.map(([l, v]) => `${l!.padEnd(width)}  ${v!.padStart(figures)}`).join("\n")}\n`;
}

export function renderExplanationMarkdown(e: Explanation, group: string, when: string): string {
  const rows = lines(e, when, markdownText, "&nbsp;&nbsp;");
  return `## ${markdownText(group)}\n\n| Belopp i kr | |\n| :-- | --: |\n${rows.map(([l, v]) => `| ${l} | ${v} |`).join("\n")}\n`;
}
