import chalk from "chalk";
import type { Unit } from "../domain/money.js";
import type { Report, RowReport } from "../report/build.js";
import {
  DRAFT_MARK,
  equityRows,
  kindLabel,
  statementSections,
  tableSections,
  widest,
  yearLabels,
  type Section,
} from "./common.js";
import { exactWidth, formatExact, formatFigure, MINUS } from "./number.js";
import { guardLines, visible, widthOf } from "./visible.js";
import type { Streamed } from "./streamed.js";

// chalk's styles, called only where there are colours: without, chalk gives the text back as it
// is, after a walk through its builder (a thousand units' tables: ten thousand calls).
const bold = (text: string) => (chalk.level > 0 ? chalk.bold(text) : text);
const italic = (text: string) => (chalk.level > 0 ? chalk.italic(text) : text);
const red = (text: string) => (chalk.level > 0 ? chalk.red(text) : text);

const emphasis = (row: RowReport, text: string) =>
  row.kind === "subtotal" || row.kind === "total" || row.kind === "group"
    ? bold(text)
    : row.kind === "of-which"
      ? italic(text)
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
  // Plain loops: a thousand units' tables are mostly drawn before V8 optimizes this, and
  // unoptimized code pays for every callback and every array spread.
  const head = [bold("")];
  const widths = [labelWidth];
  const aligns: ("left" | "right")[] = ["left"];
  if (withNotes) {
    head.push(bold("Not"));
    widths.push(3);
    aligns.push("right");
  }
  for (let c = 0; c < columns.length; c++) {
    const header = visible(columns[c]!);
    head.push(bold(header));
    widths.push(Math.max(9, header.length + 1));
    aligns.push("right");
  }
  const lines: string[][] = [head];
  const first = withNotes ? 2 : 1;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (i > 0 && (row.kind === "subtotal" || row.kind === "total" || row.kind === "group")) lines.push([]);
    const label = labelOf(row);
    if (label.length > widths[0]!) widths[0] = label.length;
    const line = [emphasis(row, label)];
    if (withNotes) line.push(row.note === undefined ? "" : String(row.note));
    for (let v = 0; v < row.values.length; v++) {
      // Each figure formatted once: for its column's width, and to be printed.
      const figure = formatFigure(row.values[v]!, row.kind, unit);
      if (v < columns.length && figure.length + 1 > widths[first + v]!) widths[first + v] = figure.length + 1;
      line.push(emphasis(row, figure));
    }
    lines.push(line);
  }
  return padded(lines, aligns, widths).join("\n");
}

/**
 * The internal-items reconciliation: each pair's two sides as booked, exact, and the difference;
 * its lines put RECONCILIATION_LINES at a time (a thousand units: 5 000 pairs, 1 MB of text). The
 * columns' widths come first, from the widths the cells will have; each line is then made at once,
 * its cells padded by those widths, and each run of lines put and let go. Made whole, its 30 000
 * cells and 5 000 lines lived until the last was put, and the garbage collector copied them from
 * space to space: 27 ms for the table then; 15.8 ms with each run's cells made and padded as a
 * table (padded), 13.7 ms with each line made at once (a thousand units, medians of 10, with
 * marks), and a run's lines made as one text, 4 ms less again.
 */
function reconciliation(report: Report, put: (lines: string[]) => void, putEnded: (text: string) => void): void {
  const pairs = report.internal.pairs;
  put([bold("Interna poster, avstämning, belopp i kr (debet positivt)"), ""]);
  if (!pairs.length) return put(["Inga interna poster.", ""]);
  // Each entity's name and each kind's label made visible and measured once, not once a pair.
  const names = new Map(report.entities.map((e) => [e.id, shown(visible(e.name))]));
  const name = (id: string) => names.get(id) ?? names.set(id, shown(visible(id))).get(id)!;
  const kinds = new Map<string, Shown>();
  const kindOf = (kind: string) => kinds.get(kind) ?? kinds.set(kind, shown(visible(kindLabel(kind)))).get(kind)!;
  const widths = RECONCILIATION_HEAD.map(widthOf);
  // Plain loops, no cells made: this runs once, mostly before V8 optimizes it.
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    const from = name(p.entities[0]).width + ARROW.length + name(p.entities[1]).width;
    if (from > widths[0]!) widths[0] = from;
    const kind = kindOf(p.kind).width;
    if (kind > widths[1]!) widths[1] = kind;
    const year = String(p.year).length;
    if (year > widths[2]!) widths[2] = year;
    const booked = exactWidth(p.amounts[0]);
    if (booked > widths[3]!) widths[3] = booked;
    const against = exactWidth(p.amounts[1]);
    if (against > widths[4]!) widths[4] = against;
    const difference = p.difference === 0n ? NO_DIFFERENCE.length : exactWidth(p.difference);
    if (difference > widths[5]!) widths[5] = difference;
  }
  put(padded([RECONCILIATION_HEAD.map(bold)], ["left", "left", "left", "right", "right", "right"], widths));
  // A line as padded makes it, each cell's width known: an amount's is its length (one code unit a
  // character, exactWidth), the difference's in red without its colour. Its pieces, line break
  // last, go into one list a run of lines, joined into the run's text at once; no line ends in a
  // blank (its last cell is an amount), so the text is put as it is (putEnded). Lines made by adding
  // their pieces were copied three times (flattened when searched for blanks, joined, written).
  const pad = (column: number, width: number) => blanks(widths[column]! - width);
  const piecesOf = (p: (typeof pairs)[number], out: string[]) => {
    const giving = name(p.entities[0]);
    const receiving = name(p.entities[1]);
    const kind = kindOf(p.kind);
    const year = String(p.year);
    const booked = formatExact(p.amounts[0]);
    // Most pairs match: the other side is the same amount with the other sign, written once.
    const against = p.amounts[1] === -p.amounts[0] && p.amounts[0] !== 0n ? negated(booked) : formatExact(p.amounts[1]);
    const difference = p.difference === 0n ? NO_DIFFERENCE : formatExact(p.difference);
    out.push(giving.text, ARROW, receiving.text, pad(0, giving.width + ARROW.length + receiving.width), "  ");
    out.push(kind.text, pad(1, kind.width), "  ", year, pad(2, year.length), "  ");
    out.push(pad(3, booked.length), booked, "  ", pad(4, against.length), against, "  ");
    out.push(pad(5, difference.length), p.difference === 0n ? difference : red(difference), "\n");
  };
  for (let i = 0; i < pairs.length; i += RECONCILIATION_LINES) {
    const pieces: string[] = [];
    for (let j = i; j < Math.min(pairs.length, i + RECONCILIATION_LINES); j++) piecesOf(pairs[j]!, pieces);
    putEnded(pieces.join(""));
  }
  put([""]);
}

/** An amount as formatExact writes it, with the other sign: "−1 234,50" → "1 234,50" and back. */
const negated = (exact: string) => (exact.startsWith(MINUS) ? exact.slice(MINUS.length) : `${MINUS}${exact}`);

/** A text as printed, with its width (widthOf). */
interface Shown {
  readonly text: string;
  readonly width: number;
}

const shown = (text: string): Shown => ({ text, width: widthOf(text) });

const RECONCILIATION_HEAD = ["Från → till", "Slag", "År", "Intäkt, fordran", "Kostnad, skuld", "Differens"];
const ARROW = " → ";

const RECONCILIATION_LINES = 256;

const NO_DIFFERENCE = formatExact(0n);

/**
 * The lines of columns padded to their widest cell (or to `widths`), two spaces apart, in time
 * linear in the rows (a reconciliation can have thousands of pairs); each cell measured once.
 */
function padded(
  rows: readonly (readonly string[])[],
  aligns: readonly ("left" | "right")[],
  widths?: readonly number[],
): string[] {
  const columns = aligns.length;
  const shown = new Int32Array(rows.length * columns);
  const width = widths ? widths.slice() : Array<number>(columns).fill(0);
  for (let i = 0; i < rows.length; i++)
    for (let c = 0; c < columns; c++) {
      const w = (shown[i * columns + c] = widthOf(rows[i]![c] ?? ""));
      if (!widths && w > width[c]!) width[c] = w;
    }
  // A line a string: measured cheaper than one list of every piece, where this runs once and
  // mostly unoptimized (a thousand units' reconciliation: 21 -> 14 ms in CPU profiles). No line
  // ends in blanks: the cells after its last with more than blanks are left out, and that one is
  // not padded on its right.
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let last = columns - 1;
    while (last >= 0 && isBlank(row[last] ?? "")) last--;
    let line = "";
    for (let c = 0; c <= last; c++) {
      const cell = c === last ? withoutTrailingBlanks(row[c]!) : (row[c] ?? "");
      const pad = blanks(width[c]! - shown[i * columns + c]!);
      if (c > 0) line += "  ";
      line += aligns[c] === "right" ? pad + cell : c === last ? cell : cell + pad;
    }
    lines[i] = line;
  }
  return lines;
}

/** `n` spaces (none for n below 1), the short ones made once. */
const blanks = (n: number): string => (n <= 0 ? "" : n < BLANKS.length ? BLANKS[n]! : " ".repeat(n));
const BLANKS = Array.from({ length: 64 }, (_, n) => " ".repeat(n));

/**
 * The financial section as the seed pages print it: statements (the footnote on internal items
 * under the group statement with id "income"), equity per entity, then the notes. Made a table at
 * a time as it is written (Streamed): a thousand units' text of 750 kB, made whole, kept every line
 * until the end and was copied whole into 3 MB of memory touched for the first time (rendered and
 * written in 74 ms so, 67 ms in pieces: medians of 15, with marks).
 */
export function renderText(report: Report, unit: Unit): Streamed {
  return { stream: (put) => textParts(report, unit, put) };
}

function textParts(report: Report, unit: Unit, putText: (text: string) => void): void {
  const put = (lines: string[]) => putText(endedText(lines));
  // A report from data with errors says so before anything else, and again at the end.
  if (report.draft) put([chalk.bold.red(DRAFT_MARK), ""]);
  const years = yearLabels(report);
  for (const s of statementSections(report, unit)) {
    const lines = [bold(visible(s.heading)), `${visible(s.title)}, belopp i ${unit}`];
    if (s.subtitle) lines.push(visible(s.subtitle));
    lines.push(
      "",
      table(
        s.columns.map((c) => c.header),
        s.rows,
        unit,
        s.withNotes,
      ),
      "",
    );
    if (s.footnote) lines.push(visible(s.footnote), "");
    put(lines);
  }
  const equity = report.equityByEntity;
  if (equity) {
    const rows = equityRows(equity, report.years.length);
    put([bold(`${visible(equity.title)}, belopp i ${unit}`), "", table(years, rows, unit, false), ""]);
  }
  for (const t of tableSections(report)) put(tableBlock(t, unit));
  reconciliation(report, put, (text) => putText(guardLines(text)));
  if (report.notes.length) {
    put([bold("Noter"), `Noter, belopp i ${unit}`, ""]);
    const width = widest(report.notes.flatMap((n) => n.rows.map((r) => labelOf(r).length)));
    for (const n of report.notes) {
      const columns = n.columns?.map((c) => c.header) ?? years;
      put([bold(`${n.number} ${visible(n.title)}`), table(columns, n.rows, unit, false, width), ""]);
    }
  }
  if (report.draft) put([chalk.bold.red(DRAFT_MARK)]);
}

/**
 * Lines as text, each ended by a line break, none ending in spaces or tabs. Joined with the break
 * as its last line: a text and a break put together afterwards is copied whole into one before it
 * is searched or written. Each line is a line or a table (padded), whose lines end in no blank
 * already: a search of the whole text for them, and the copy of it that its result was, took
 * about a tenth of the report's time in CPU profiles.
 */
const endedText = (lines: string[]) => guardLines(lines.map(withoutTrailingBlanks).concat("").join("\n"));

/** A line without the spaces and tabs it ends in. */
function withoutTrailingBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && isBlankAt(line, end - 1)) end--;
  return end === line.length ? line : line.slice(0, end);
}

/** Whether a text is nothing but spaces and tabs (or nothing). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isBlankAt(text, i)) return false;
  return true;
}

const isBlankAt = (text: string, i: number) => text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09;

/** A table beside the statements: whom it is about, its title and unit, then the table. */
const tableBlock = (t: Section, unit: Unit) => [
  bold(visible(t.heading)),
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
  return endedText([bold(visible(heading)), "", ...tables.flatMap((t) => tableBlock(t, unit))]);
}
