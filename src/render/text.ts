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
  const frame = frameOf(columns, rows, withNotes, labelWidth);
  const first = withNotes ? 2 : 1;
  // Each figure formatted once: for its column's width, and to be printed.
  const figures: string[][] = [];
  const widths = frame.widths.slice();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const shown = Math.min(row.values.length, columns.length);
    const line = new Array<string>(shown);
    for (let v = 0; v < shown; v++) {
      const figure = formatFigure(row.values[v]!, row.kind, unit);
      if (figure.length + 1 > widths[first + v]!) widths[first + v] = figure.length + 1;
      line[v] = figure;
    }
    figures.push(line);
  }
  let text = lineOf(frame.head, frame.headWidths, widths, frame.aligns);
  for (let i = 0; i < rows.length; i++) {
    if (frame.blankBefore[i]) text += "\n";
    const line = figures[i]!;
    if (line.length === 0) {
      text += `\n${lineOf(frame.cells[i]!, frame.cellWidths[i]!, widths, frame.aligns)}`;
      continue;
    }
    // A figure is never blank, and never ends in one: the last is printed as it is.
    text += `\n${frame.prefixes[i]}`;
    for (let v = 0; v < line.length; v++) {
      const figure = line[v]!;
      text += `  ${blanks(widths[first + v]! - figure.length)}${emphasis(rows[i]!, figure)}`;
    }
  }
  return text;
}

/**
 * What a table prints whatever its figures: its head, each row's label (and note) as printed and
 * padded, where a blank line goes, and the least widths of its columns. The statements of a
 * thousand units print the same labels under the same headers: the frame made for the first
 * serves the next as long as they match (frameOf keeps the last one made). With a table drawn
 * whole for each, and each put on its own, a thousand units' statements took 14 ms of the text
 * report, mostly before V8 had optimized the code; 10.5 ms now (medians of 15, with marks).
 */
interface Frame {
  readonly columns: readonly string[];
  readonly rows: readonly Pick<RowReport, "label" | "kind" | "note">[];
  readonly withNotes: boolean;
  readonly labelWidth: number;
  readonly colours: number;
  readonly aligns: readonly Align[];
  readonly head: readonly string[];
  readonly headWidths: readonly number[];
  /** Label width, the Not column's, then each figure column's least: its header and a space. */
  readonly widths: readonly number[];
  readonly blankBefore: readonly boolean[];
  /** Each row's cells before its figures, and their widths (widthOf), for a row without figures. */
  readonly cells: readonly (readonly string[])[];
  readonly cellWidths: readonly (readonly number[])[];
  /** Each row's line up to its first figure, for a row with figures. */
  readonly prefixes: readonly string[];
}

type Align = "left" | "right";

let lastFrame: Frame | undefined;

function frameOf(
  columns: readonly string[],
  rows: readonly RowReport[],
  withNotes: boolean,
  labelWidth: number,
): Frame {
  const last = lastFrame;
  if (last && fits(last, columns, rows, withNotes, labelWidth)) return last;
  return (lastFrame = newFrame(columns, rows, withNotes, labelWidth));
}

/** Whether a frame prints these rows under these headers as they are printed now. */
function fits(
  frame: Frame,
  columns: readonly string[],
  rows: readonly RowReport[],
  withNotes: boolean,
  labelWidth: number,
) {
  if (frame.withNotes !== withNotes || frame.labelWidth !== labelWidth || frame.colours !== chalk.level) return false;
  if (frame.columns.length !== columns.length || frame.rows.length !== rows.length) return false;
  for (let c = 0; c < columns.length; c++) if (frame.columns[c] !== columns[c]) return false;
  for (let i = 0; i < rows.length; i++) {
    const a = frame.rows[i]!;
    const b = rows[i]!;
    if (a.label !== b.label || a.kind !== b.kind || a.note !== b.note) return false;
  }
  return true;
}

function newFrame(
  columns: readonly string[],
  rows: readonly RowReport[],
  withNotes: boolean,
  labelWidth: number,
): Frame {
  const head = [bold("")];
  const widths = [labelWidth];
  const aligns: Align[] = ["left"];
  if (withNotes) {
    head.push(bold("Not"));
    widths.push(3);
    aligns.push("right");
  }
  for (const column of columns) {
    const header = visible(column);
    head.push(bold(header));
    widths.push(Math.max(9, header.length + 1));
    aligns.push("right");
  }
  const cells = rows.map((row) => {
    const label = labelOf(row);
    if (label.length > widths[0]!) widths[0] = label.length;
    const before = [emphasis(row, label)];
    if (withNotes) before.push(row.note === undefined ? "" : String(row.note));
    return before;
  });
  const cellWidths = cells.map((before) => before.map(widthOf));
  const prefixes = cells.map((before, i) =>
    before
      .map((cell, c) =>
        c === 0
          ? `${cell}${blanks(widths[0]! - cellWidths[i]![0]!)}`
          : `  ${blanks(widths[c]! - cellWidths[i]![c]!)}${cell}`,
      )
      .join(""),
  );
  return {
    columns: [...columns],
    rows: rows.map(({ label, kind, note }) => ({ label, kind, note })),
    withNotes,
    labelWidth,
    colours: chalk.level,
    aligns,
    head,
    headWidths: head.map(widthOf),
    widths,
    blankBefore: rows.map(
      (row, i) => i > 0 && (row.kind === "subtotal" || row.kind === "total" || row.kind === "group"),
    ),
    cells,
    cellWidths,
    prefixes,
  };
}

/**
 * The internal-items reconciliation: each pair's two sides as booked, exact, and the difference;
 * its lines put RECONCILIATION_LINES at a time (a thousand units: 5 000 pairs, 1 MB of text). The
 * columns' widths come first, from the widths the cells will have; each line is then made at once,
 * its cells padded by those widths, and each run of lines put and let go. Made whole, its 30 000
 * cells and 5 000 lines lived until the last was put, and the garbage collector copied them from
 * space to space: 27 ms for the table then; 15.8 ms with each run's cells made and padded as a
 * table, 13.7 ms with each line made at once (a thousand units, medians of 10, with
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
  const head = RECONCILIATION_HEAD.map(bold);
  put([lineOf(head, head.map(widthOf), widths, ["left", "left", "left", "right", "right", "right"])]);
  // A line as lineOf makes it, each cell's width known: an amount's is its length (one code unit a
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
 * A line of cells whose widths (widthOf) are `shown`, each padded to its column's width, two
 * spaces apart. No line ends in blanks: the cells after its last with more than blanks are left
 * out, and that one is not padded on its right.
 */
function lineOf(
  row: readonly string[],
  shown: readonly number[],
  width: readonly number[],
  aligns: readonly Align[],
): string {
  let last = aligns.length - 1;
  while (last >= 0 && isBlank(row[last] ?? "")) last--;
  let line = "";
  for (let c = 0; c <= last; c++) {
    const cell = c === last ? withoutTrailingBlanks(row[c]!) : (row[c] ?? "");
    const pad = blanks(width[c]! - (shown[c] ?? 0));
    if (c > 0) line += "  ";
    line += aligns[c] === "right" ? pad + cell : c === last ? cell : cell + pad;
  }
  return line;
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
  // The statements put STATEMENTS_AT_ONCE at a time: each is ended lines, and guardLines is the
  // same on them joined (its searches stop at line breaks).
  let run: string[] = [];
  for (const s of statementSections(report, unit)) {
    run.push(statementText(s, unit));
    if (run.length === STATEMENTS_AT_ONCE) {
      putText(guardLines(run.join("")));
      run = [];
    }
  }
  if (run.length) putText(guardLines(run.join("")));
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

const STATEMENTS_AT_ONCE = 64;

/** A statement as endedText makes its lines, unguarded: heading, title, table and footnote. */
function statementText(s: Section, unit: Unit): string {
  let text = `${withoutTrailingBlanks(bold(visible(s.heading)))}\n${visible(s.title)}, belopp i ${unit}\n`;
  if (s.subtitle) text += `${withoutTrailingBlanks(visible(s.subtitle))}\n`;
  // A table's lines end in no blank (lineOf).
  text += `\n${table(
    s.columns.map((c) => c.header),
    s.rows,
    unit,
    s.withNotes,
  )}\n\n`;
  if (s.footnote) text += `${withoutTrailingBlanks(visible(s.footnote))}\n\n`;
  return text;
}

/**
 * Lines as text, each ended by a line break, none ending in spaces or tabs. Joined with the break
 * as its last line: a text and a break put together afterwards is copied whole into one before it
 * is searched or written. Each line is a line or a table (lineOf), whose lines end in no blank
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
