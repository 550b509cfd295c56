import type { Ore, Unit } from "../domain/money.js";
import type { Report, RowReport } from "../report/build.js";
import type { Explanation } from "../report/explain.js";
import type { Streamed } from "./streamed.js";
import {
  DRAFT_MARK,
  entityName,
  kindLabel,
  reportYear,
  resultsByEntity,
  sections,
  yearLabels,
  type Section,
} from "./common.js";
import { formatAmount, formatExact, formatFigure, inUnit } from "./number.js";

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const CSS = `
@page { size: A4; margin: 20mm 18mm 22mm 22mm;
  @bottom-center { content: "Sida " counter(page) " av " counter(pages); font-family: "Georgia", "DejaVu Serif", serif; font-size: 8.5pt; color: #555; } }
* { box-sizing: border-box; }
body { font-family: "Georgia", "DejaVu Serif", serif; font-size: 10.5pt; color: #111; margin: 0 auto; max-width: 170mm; }
@media screen { body { padding: 10mm 4mm; } }
header.report { border-bottom: 1.5pt solid #1d4e89; margin-bottom: 8mm; }
header.report h1 { font-size: 18pt; margin: 0 0 2mm; color: #1d4e89; }
header.report p { margin: 0 0 3mm; color: #444; }
section { break-inside: avoid; margin: 0 0 9mm; }
section.statement { break-before: page; }
section.statement.follows { break-before: auto; }
h2 { font-size: 13pt; margin: 0 0 1mm; }
h2 .who { display: block; font-size: 9.5pt; font-weight: normal; color: #555; }
h3 .who { font-size: 9pt; font-weight: normal; color: #555; }
td.amount a { color: inherit; text-decoration: none; border-bottom: 0.5pt dotted #1d4e89; }
@media print { td.amount a { border-bottom: none; } }
h3 { font-size: 11pt; margin: 0 0 1mm; }
p.subtitle, p.footnote { font-style: italic; margin: 1mm 0 2mm; }
p.footnote { font-size: 9pt; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 0.6mm 1.5mm; vertical-align: bottom; }
thead th { border-bottom: 0.75pt solid #111; font-weight: bold; }
th.label, td.label { text-align: left; }
td.note, th.note { text-align: center; width: 10mm; }
td.amount, th.amount { text-align: right; width: 24mm; white-space: nowrap; }
thead th.group { text-align: center; border-bottom: 0.5pt solid #111; }
tr.subtotal td, tr.total td, tr.group td { font-weight: bold; }
tr.subtotal td.amount, tr.total td.amount { border-top: 0.5pt solid #111; }
tr.total td.amount { border-bottom: 1.5pt double #111; }
tr.group td { padding-top: 2.5mm; }
tr.of-which td { font-style: italic; }
tr.of-which td.label { padding-left: 6mm; }
td.difference { color: #a00000; font-weight: bold; }
figure { margin: 0 0 9mm; break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 2mm; }
svg text { font-family: inherit; font-size: 8pt; }
footer.inputs { font-size: 8pt; color: #555; word-break: break-all; }
/* A unit's name never breaks over lines; a long pair breaks after the arrow. */
section.reconciliation td.label .unit { white-space: nowrap; }
`;

/**
 * A report from data with errors: the words at the top of the page and in the top margin of every
 * printed page, and a large "UTKAST" across each page (a fixed element prints on every page).
 */
const DRAFT_CSS = `
@page { @top-center { content: "${DRAFT_MARK}"; font-family: "Georgia", "DejaVu Serif", serif; font-size: 9pt; font-weight: bold; color: #c00000; } }
p.draft { border: 1.5pt solid #c00000; color: #c00000; font-weight: bold; font-size: 12pt; padding: 2mm 3mm; margin: 0 0 6mm; }
div.watermark { position: fixed; top: 0; left: 0; width: 100%; height: 100%; display: flex; align-items: center; justify-content: center; pointer-events: none; z-index: 10; }
div.watermark span { transform: rotate(-45deg); font-size: 110pt; font-weight: bold; letter-spacing: 8pt; color: rgba(192, 0, 0, 0.14); }
`;

/**
 * Columns named "Group year" in runs of two or more ("Kommunen 2024", "Kommunen 2023",
 * "Kommunkoncernen 2024" …), as the groups over their years; undefined for plain columns.
 */
function columnGroups(columns: readonly string[]): { name: string; years: string[] }[] | undefined {
  const split = columns.map((c) => /^(.+) (\S+)$/.exec(c));
  if (columns.length < 4 || split.some((m) => !m)) return undefined;
  const groups: { name: string; years: string[] }[] = [];
  for (const m of split) {
    const last = groups.at(-1);
    if (last && last.name === m![1]) last.years.push(m![2]!);
    else groups.push({ name: m![1]!, years: [m![2]!] });
  }
  return groups.length > 1 && groups.every((g) => g.years.length > 1) ? groups : undefined;
}

function tableHead(columns: readonly string[], unit: Unit, withNotes: boolean): string {
  const groups = columnGroups(columns);
  if (!groups)
    return `<tr><th class="label">Belopp i ${unit}</th>${withNotes ? '<th class="note">Not</th>' : ""}${columns.map((c) => `<th class="amount">${escape(c)}</th>`).join("")}</tr>`;
  const top = groups.map((g) => `<th class="group" colspan="${g.years.length}">${escape(g.name)}</th>`).join("");
  const years = groups.flatMap((g) => g.years.map((y) => `<th class="amount">${escape(y)}</th>`)).join("");
  return `<tr><th class="label" rowspan="2">Belopp i ${unit}</th>${withNotes ? '<th class="note" rowspan="2">Not</th>' : ""}${top}</tr>\n<tr>${years}</tr>`;
}

/** Where a figure's explanation is in the appendix: its anchor, for a row and a column of a table. */
type FigureLink = (row: string, column: number) => string | undefined;

function amountsTable(
  columns: readonly string[],
  rows: readonly RowReport[],
  unit: Unit,
  withNotes: boolean,
  link: FigureLink = () => undefined,
): string {
  const head = tableHead(columns, unit, withNotes);
  const body = rows
    .map((r) => {
      const note = withNotes ? `<td class="note">${r.note ?? ""}</td>` : "";
      const figure = (v: Ore, i: number) => {
        const text = formatFigure(v, r.kind, unit);
        const anchor = link(r.id, i);
        return anchor ? `<a href="#${anchor}">${text}</a>` : text;
      };
      const values = r.values.map((v, i) => `<td class="amount">${figure(v, i)}</td>`).join("");
      return `<tr class="${r.kind}"><td class="label">${escape(r.label)}</td>${note}${values}</tr>`;
    })
    .join("\n");
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function sectionHtml(s: Section, unit: Unit, first: boolean, link?: FigureLink): string {
  const isNote = s.statement === "note";
  const title = isNote
    ? `<h3>${escape(s.title)}</h3>`
    : `<h2><span class="who">${escape(s.heading)}</span>${escape(s.title)}</h2>`;
  const kind = isNote
    ? "note"
    : s.statement === "equity" || s.statement === "overview" || s.statement.startsWith("budget:")
      ? "table"
      : `statement${first || s.scope !== "group" ? " follows" : ""}`;
  return [
    `<section class="${kind}">`,
    title,
    s.subtitle ? `<p class="subtitle">${escape(s.subtitle)}</p>` : "",
    amountsTable(
      s.columns.map((c) => c.header),
      s.rows,
      unit,
      s.withNotes,
      link,
    ),
    s.footnote ? `<p class="footnote">${escape(s.footnote)}</p>` : "",
    "</section>",
  ]
    .filter(Boolean)
    .join("\n");
}

const PALETTE = ["#1d4e89", "#8fb3d9", "#c9d9ec"];

/** A bar chart of each entity's result, a bar per year, drawn as inline SVG (no scripts, no network). */
export function resultChart(report: Report, unit: Unit): string {
  const results = resultsByEntity(report);
  if (!results.length) return "";
  const rounded = results.map((r) => ({ name: r.name, values: r.values.map((v) => inUnit(v, unit).toNumber()) }));
  const all = rounded.flatMap((r) => r.values);
  const top = Math.max(0, ...all);
  const bottom = Math.min(0, ...all);
  const span = top - bottom || 1;
  const width = 600;
  const height = 220;
  // Below the plot: room for a negative bar's figure, then the names, then the legend.
  const plot = { left: 10, right: width - 10, top: 20, bottom: height - 58 };
  const y = (v: number) => plot.top + ((top - v) / span) * (plot.bottom - plot.top);
  const slot = (plot.right - plot.left) / rounded.length;
  const bar = Math.min(48, (slot * 0.7) / report.years.length);
  const parts: string[] = [
    `<line x1="${plot.left}" x2="${plot.right}" y1="${y(0)}" y2="${y(0)}" stroke="#111" stroke-width="0.75"/>`,
  ];
  rounded.forEach((r, i) => {
    const x0 = plot.left + slot * i + (slot - bar * report.years.length) / 2;
    r.values.forEach((v, k) => {
      const x = x0 + bar * k;
      const y1 = Math.min(y(v), y(0));
      const h = Math.max(Math.abs(y(v) - y(0)), 0.5);
      const label = formatAmount(results[i]!.values[k] as Ore, unit);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[k % PALETTE.length]}"><title>${escape(r.name)} ${report.years[k]}: ${label} ${unit}</title></rect>`,
        `<text x="${(x + (bar - 2) / 2).toFixed(1)}" y="${(v >= 0 ? y1 - 3 : y1 + h + 10).toFixed(1)}" text-anchor="middle">${label}</text>`,
      );
    });
    parts.push(
      `<text x="${(plot.left + slot * i + slot / 2).toFixed(1)}" y="${height - 26}" text-anchor="middle">${escape(r.name)}</text>`,
    );
  });
  const legend = report.years
    .map(
      (year, k) =>
        `<rect x="${plot.left + k * 70}" y="${height - 12}" width="10" height="10" fill="${PALETTE[k % PALETTE.length]}"/><text x="${plot.left + k * 70 + 14}" y="${height - 3}">${year}</text>`,
    )
    .join("");
  return [
    `<figure class="chart">`,
    `<figcaption>Årets resultat per resultatenhet, ${unit}</figcaption>`,
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Årets resultat per resultatenhet">`,
    ...parts,
    legend,
    `</svg>`,
    `</figure>`,
  ].join("\n");
}

function reconciliationHtml(report: Report): string {
  const entity = entityName(report);
  if (!report.internal.pairs.length) return "";
  const rows = report.internal.pairs
    .map(
      (p) =>
        `<tr><td class="label"><span class="unit">${escape(entity(p.entities[0]))}\u00a0→</span> <span class="unit">${escape(entity(p.entities[1]))}</span></td><td class="label">${escape(kindLabel(p.kind))}</td><td class="note">${p.year}</td>${p.amounts.map((a) => `<td class="amount">${formatExact(a)}</td>`).join("")}<td class="amount${p.difference === 0n ? "" : " difference"}">${formatExact(p.difference)}</td></tr>`,
    )
    .join("\n");
  return [
    `<section class="reconciliation">`,
    `<h3>Interna poster, avstämning, belopp i kr (debet positivt)</h3>`,
    `<table><thead><tr><th class="label">Från → till</th><th class="label">Slag</th><th class="note">År</th><th class="amount">Intäkt, fordran</th><th class="amount">Kostnad, skuld</th><th class="amount">Differens</th></tr></thead>`,
    `<tbody>${rows}</tbody></table>`,
    `</section>`,
  ].join("\n");
}

/**
 * The financial section as one self-contained, print-ready page (A4): the statements as the seed
 * reports lay them out, the footnote on internal items, equity and result per entity (with a
 * chart), the reconciliation of internal items, the notes, and the inputs with their SHA-256.
 */
export function renderHtml(report: Report, unit: Unit, explanations: readonly Explanation[] = []): Streamed {
  const all = sections(report, unit);
  const statements = all.filter((s) => s.statement !== "note");
  const notes = all.filter((s) => s.statement === "note");
  const explained = new Set(explanations.map((e) => anchorOf(e.statement, e.scope, e.row.id)));
  const years = report.years.length;
  // The report year's figures link to their explanations; side by side, the kommun's and the group's.
  const linkFor =
    (s: Section): FigureLink =>
    (row, column) => {
      const scope = report.koncern
        ? column === 0
          ? `entity:${report.koncern.parent}`
          : column === years
            ? "group"
            : undefined
        : column === 0
          ? s.scope
          : undefined;
      const anchor = scope && anchorOf(s.statement, scope, row);
      return anchor && explained.has(anchor) ? anchor : undefined;
    };
  function* body(): Generator<string> {
    for (const [i, s] of statements.entries()) yield sectionHtml(s, unit, i === 0, linkFor(s));
    yield resultChart(report, unit);
    yield reconciliationHtml(report);
    if (notes.length)
      yield `<section class="statement"><h2>Noter</h2><p class="subtitle">Belopp i ${unit}</p></section>`;
    for (const s of notes) yield sectionHtml(s, unit, false);
    yield* explanationsHtml(report, explanations);
    yield `<footer class="inputs"><p>Indata: ${report.inputs.map((i) => `${escape(i.path)} (SHA-256 ${i.sha256})`).join("; ")}</p></footer>`;
  }
  const labels = yearLabels(report);
  const prior = labels.length > 1 ? `, jämförelseår ${labels.slice(1).join(", ")}` : "";
  return page(
    report.group.name,
    `${report.draft ? "UTKAST: " : ""}${report.group.name} ${labels[0]}`,
    `Räkenskaper ${reportYear(report)}, belopp i ${unit}${prior}`,
    body,
    report.draft === true,
  );
}

const anchorOf = (statement: string, scope: string, row: string) =>
  `f-${statement}-${scope}-${row}`.toLowerCase().replace(/[^a-z0-9-]+/g, "-");

/**
 * The appendix a figure links to: where it comes from, each entity's accounts and the internal
 * items eliminated, in exact kronor, and whether it adds up. Made a section at a time: a thousand
 * units' appendix is 56 MB of text, and made as one string (then the page, another) it took the
 * run to 477 MB of memory.
 */
function* explanationsHtml(report: Report, explanations: readonly Explanation[]): Generator<string> {
  if (!explanations.length) return;
  const row = (label: string, value: Ore, cls = "") =>
    `<tr${cls ? ` class="${cls}"` : ""}><td class="label">${label}</td><td class="amount">${formatExact(value)}</td></tr>`;
  const entity = entityName(report);
  yield `<section class="statement"><h2>Bilaga: varifrån siffrorna kommer</h2><p class="subtitle">Varje belopp i årets kolumner länkar hit: konton per enhet och eliminerade interna poster, belopp i kr</p></section>`;
  for (const e of explanations) {
    const lines = [
      ...(e.parts ?? []).map((p) => row(escape(p.label), p.value)),
      ...(e.entities ?? []).flatMap((x) => [
        row(escape(x.name), x.total, "subtotal"),
        ...x.accounts.map((c) =>
          row(
            `${escape(c.account)} ${escape(c.name)}${c.counterparty ? ` (motpart ${escape(entity(c.counterparty))})` : ""}`,
            c.value,
            "of-which",
          ),
        ),
      ]),
      ...((e.eliminated ?? []).length
        ? [
            row(
              "Eliminerade interna poster",
              e.eliminated!.reduce((t, c) => t + c.value, 0n),
              "subtotal",
            ),
          ]
        : []),
      ...(e.eliminated ?? []).map((c) =>
        row(`${escape(entity(c.entity))} ${escape(c.account)} ${escape(c.name)}`, c.value, "of-which"),
      ),
      row(e.addsUp ? "Summa, som i rapporten" : "Summa: STÄMMER INTE med rapporten", e.figure, "total"),
    ];
    const whose = e.scope === "group" ? report.group.name : entity(e.scope.slice(7));
    yield `<section class="note" id="${anchorOf(e.statement, e.scope, e.row.id)}"><h3>${escape(e.row.label)} <span class="who">${escape(whose)}</span></h3><table><tbody>${lines.join("")}</tbody></table></section>`;
  }
}

/** Tables only (member fees, say) as one print-ready page. */
export function renderTablesHtml(
  heading: string,
  title: string,
  subtitle: string,
  tables: readonly Section[],
  unit: Unit,
): Streamed {
  return page(heading, title, subtitle, () => tables.map((t, i) => sectionHtml(t, unit, i === 0)));
}

/** A print-ready page of `body`'s parts (empty ones left out), each made as it is written. */
function page(heading: string, title: string, subtitle: string, body: () => Iterable<string>, draft = false): Streamed {
  const head = [
    "<!DOCTYPE html>",
    '<html lang="sv">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>${escape(title)}</title>`,
    `<style>${CSS}${draft ? DRAFT_CSS : ""}</style>`,
    "</head>",
    "<body>",
    ...(draft
      ? [
          `<div class="watermark" aria-hidden="true"><span>UTKAST</span></div>`,
          `<p class="draft" role="alert">${escape(DRAFT_MARK)}</p>`,
        ]
      : []),
    `<header class="report"><h1>${escape(heading)}</h1><p>${escape(subtitle)}</p></header>`,
  ].join("\n");
  return {
    stream(put) {
      put(head);
      for (const part of body()) if (part) put(`\n${part}`);
      put("\n</body>\n</html>\n");
    },
  };
}
