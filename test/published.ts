// The published figures of Sjuhärads kommunalförbund's 2011 and 2013 annual reports
// (fixtures/sjuharad/published/sjuharad-YEAR.json, in tkr as printed), and the test suite's own
// comparison of a `consolidate <year> --format json` report against them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SJUHARAD } from "./helpers.js";

export const PUBLISHED = join(SJUHARAD, "published");

export interface PublishedRow {
  label: string;
  values: number[];
  note?: number;
  kind?: string;
}

export interface Published {
  source: string;
  unit: "tkr";
  years: number[];
  incomeStatement: { title: string; rows: PublishedRow[] };
  entityIncomeStatements?: Record<string, PublishedRow[]>;
  balanceSheet: { title?: string; rows: PublishedRow[] };
  notes: { number: number; title: string; rows: PublishedRow[] }[];
  internalPostingsFootnote?: { text: string; values: number[] };
  closingEquityByEntity?: { year: number; values: Record<string, number> };
  entityResults?: { year: number; values: Record<string, number>; total: number };
}

/** The published report of a year: 2011 or 2013. */
export function published(year: 2011 | 2013): Published {
  return JSON.parse(readFileSync(join(PUBLISHED, `sjuharad-${year}.json`), "utf8")) as Published;
}

interface ReportRow {
  label: string;
  values?: string[];
}

/** The parts of a `--format json` report the comparison reads. */
export interface ComparableReport {
  years?: number[];
  statements?: { id: string; scope: string; entityName?: string; title?: string; rows?: ReportRow[] }[];
  notes?: { number: number; title: string; rows?: ReportRow[] }[];
  internal?: { eliminated?: string[] };
}

export interface Comparison {
  /** Published figures the report reproduces. */
  readonly matched: number;
  /** Published figures compared. */
  readonly total: number;
  /** One line per figure not reproduced: where it is, what was published and what the report has. */
  readonly misses: string[];
}

/** Labels are compared without case, spacing or punctuation: "Förbundsbidrag, Kansli" = "förbundsbidrag kansli". */
const key = (label: string | undefined) =>
  (label ?? "")
    .toLowerCase()
    .split(/[\s,.:]+/)
    .filter(Boolean)
    .join(" ");

/**
 * Kronor with öre as a decimal string ("-1141800.00") to whole tkr, as an annual report prints
 * them: each figure rounded on its own, halves away from zero. Undefined when it is not an amount.
 */
export function toTkr(kronor: string | undefined): number | undefined {
  const m = /^(-?)(\d+)(?:\.(\d{1,2})\d*)?$/.exec((kronor ?? "").trim());
  if (!m) return undefined;
  const ore = BigInt(m[2]!) * 100n + BigInt((m[3] ?? "").padEnd(2, "0"));
  const tkr = Number((ore + 50_000n) / 100_000n);
  return m[1] === "-" && tkr !== 0 ? -tkr : tkr;
}

/**
 * Lists the published figures the report does not reproduce: every row of the group's income
 * statement and balance sheet, each unit's income statement, every note, and the footnote on
 * internal items, for each year the published report shows. A published row is reproduced when
 * some report row of the same label (several rows may share one, e.g. "Summa") has the figure in tkr.
 */
export function compareWithPublished(report: ComparableReport, reference: Published): Comparison {
  const misses: string[] = [];
  let matched = 0;
  let total = 0;
  const column = reference.years.map((year) => report.years?.indexOf(year) ?? -1);

  const figure = (where: string, year: number, want: number, got: (number | undefined)[] | string) => {
    total += 1;
    if (typeof got === "string") misses.push(`${where} ${year}: ${got}`);
    else if (got.includes(want)) matched += 1;
    else misses.push(`${where} ${year}: published ${want}, report ${got.map((g) => g ?? "none").join(" or ")}`);
  };

  const rows = (where: string, publishedRows: PublishedRow[], reportRows: ReportRow[] | undefined) => {
    for (const row of publishedRows) {
      const same = (reportRows ?? []).filter((r) => key(r.label) === key(row.label));
      row.values.forEach((want, i) => {
        const c = column[i]!;
        const year = reference.years[i]!;
        if (c < 0) figure(`${where} / ${row.label} /`, year, want, "the report does not show the year");
        else if (same.length === 0) figure(`${where} / ${row.label} /`, year, want, "no such row in the report");
        else
          figure(
            `${where} / ${row.label} /`,
            year,
            want,
            same.map((r) => toTkr(r.values?.[c])),
          );
      });
    }
  };

  const statements = report.statements ?? [];
  const group = (id: string) => statements.find((s) => s.id === id && s.scope === "group");
  rows("income statement (group)", reference.incomeStatement.rows, group("income")?.rows);
  rows("balance sheet (group)", reference.balanceSheet.rows, group("balance")?.rows);

  for (const [name, entityRows] of Object.entries(reference.entityIncomeStatements ?? {})) {
    const n = key(name);
    const statement = statements.find((s) => {
      if (s.id !== "income" || !s.scope.startsWith("entity:")) return false;
      const e = key(s.entityName);
      return (e !== "" && (e.includes(n) || n.includes(e))) || key(s.title).includes(n);
    });
    rows(`income statement (${name})`, entityRows, statement?.rows);
  }

  for (const note of reference.notes) {
    const notes = report.notes ?? [];
    const found = notes.find((x) => key(x.title) === key(note.title)) ?? notes.find((x) => x.number === note.number);
    rows(`note ${note.number} ${note.title}`, note.rows, found?.rows);
  }

  const footnote = reference.internalPostingsFootnote;
  if (footnote)
    footnote.values.forEach((want, i) => {
      const c = column[i]!;
      const year = reference.years[i]!;
      if (c < 0) figure("internal items eliminated", year, want, "the report does not show the year");
      else figure("internal items eliminated", year, want, [toTkr(report.internal?.eliminated?.[c])]);
    });

  return { matched, total, misses };
}
