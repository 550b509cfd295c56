/** A fiscal year (räkenskapsår): its first and last day as ISO dates. */
export interface Period {
  readonly start: string;
  readonly end: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The day a number of days from an ISO date. */
function dayFrom(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

const dayBefore = (iso: string) => dayFrom(iso, -1);
export const dayAfter = (iso: string) => dayFrom(iso, 1);

/**
 * The fiscal year named by the calendar year it starts in: with a start of "07-01", 2009 is
 * 2009-07-01 – 2010-06-30 (a broken fiscal year, brutet räkenskapsår).
 */
export function fiscalYear(year: number, start = "01-01"): Period {
  if (start === "01-01") return { start: `${year}-01-01`, end: `${year}-12-31` };
  return { start: `${year}-${start}`, end: dayBefore(`${year + 1}-${start}`) };
}

/** Whether a period is a calendar year. */
export const isCalendarYear = (p: Period) =>
  p.start.endsWith("-01-01") && p.end.endsWith("-12-31") && p.start.slice(0, 4) === p.end.slice(0, 4);

/** How a report heading names the year: "2013", or "2009/10" for a broken fiscal year. */
export function yearLabel(year: number, p?: Period): string {
  if (!p || isCalendarYear(p)) return String(year);
  // By the years it spans: a first fiscal year of 26 months, 2013-07-01 – 2015-08-31, is 2013/15.
  const [from, to] = [p.start.slice(0, 4), p.end.slice(0, 4)];
  return from === to ? from : `${from}/${to.slice(2)}`;
}

/** "2009-07-01 – 2010-06-30". */
export const periodText = (p: Period) => `${p.start} – ${p.end}`;

/** An ISO date within a period (ISO dates compare as strings). */
export const inPeriod = (date: string, p: Period) => date >= p.start && date <= p.end;

const MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
const ENGLISH: Record<string, string> = { may: "maj", oct: "okt" };
/** Parts of a fiscal year: tertials (T1–T3, as kommuner report), quarters, halves, in months. */
const PARTS: Record<string, readonly [number, number]> = {
  t1: [0, 4],
  t2: [4, 8],
  t3: [8, 12],
  q1: [0, 3],
  q2: [3, 6],
  q3: [6, 9],
  q4: [9, 12],
  h1: [0, 6],
  h2: [6, 12],
};

/** The first day of the month `months` after the month of an ISO date. */
function monthStart(iso: string, months: number): string {
  const index = Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1 + months;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}-01`;
}

const lastDay = (month: string) => dayBefore(monthStart(`${month}-01`, 1));
const isDay = (iso: string) => /^\d{4}-\d{2}-\d{2}$/.test(iso) && dayFrom(iso, 0) === iso;

/**
 * A part of a fiscal year as people write it: 2013-01-01..2013-08-31, 2013-01..2013-08, a month
 * 2013-08, jan-aug (months of the fiscal year), T1–T3, Q1–Q4, H1–H2. Undefined with the reason when
 * the text is none of these or lies outside the fiscal year.
 */
export function parsePeriod(text: string, fiscal: Period): { period: Period } | { problem: string } {
  // En and em dashes, escaped: the bundles hold no character past U+00FF (test/start.test.ts).
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[\u2013\u2014]/g, "-");
  let period: Period | undefined;
  const range = /^(\d{4}-\d{2}(?:-\d{2})?)\.\.(\d{4}-\d{2}(?:-\d{2})?)$/.exec(t);
  const month = /^(\d{4}-\d{2})$/.exec(t);
  const names = /^([a-zåäö]{3})(?:-([a-zåäö]{3}))?$/.exec(t);
  if (range) {
    const [from, to] = [range[1]!, range[2]!];
    period = { start: from.length === 7 ? `${from}-01` : from, end: to.length === 7 ? lastDay(to) : to };
  } else if (month) period = { start: `${month[1]}-01`, end: lastDay(month[1]!) };
  else if (PARTS[t]) {
    const [a, b] = PARTS[t];
    period = { start: monthStart(fiscal.start, a), end: dayBefore(monthStart(fiscal.start, b)) };
  } else if (names) {
    const index = (name: string) => MONTHS.indexOf(ENGLISH[name] ?? name);
    const [a, b] = [index(names[1]!), index(names[2] ?? names[1]!)];
    if (a >= 0 && b >= 0) {
      // Months in the fiscal year's order: with a year from July, jan is the seventh month.
      const first = Number(fiscal.start.slice(5, 7)) - 1;
      const offset = (m: number) => (m - first + 12) % 12;
      period = {
        start: monthStart(fiscal.start, offset(a)),
        end: dayBefore(monthStart(fiscal.start, offset(b) + 1)),
      };
    }
  }
  if (!period || !isDay(period.start) || !isDay(period.end))
    return {
      problem: `'${text}' is not a period: write 2013-01-01..2013-08-31, 2013-01..2013-08, 2013-08, jan-aug, T1–T3, Q1–Q4 or H1–H2`,
    };
  if (period.start > period.end) return { problem: `the period ${periodText(period)} ends before it starts` };
  if (period.start < fiscal.start || period.end > fiscal.end)
    return { problem: `the period ${periodText(period)} is not within the fiscal year ${periodText(fiscal)}` };
  return { period };
}

/** The same part of another fiscal year: as many months (and days) from its start. */
export function samePeriodIn(period: Period, fiscal: Period, other: Period): Period {
  const months = (iso: string) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7));
  const shift = months(other.start) - months(fiscal.start);
  const move = (iso: string) => {
    const first = monthStart(iso, shift);
    const day = Math.min(Number(iso.slice(8, 10)), Number(lastDay(first.slice(0, 7)).slice(8, 10)));
    // The last day of a month stays the last day (29 February → 28 February).
    return iso === lastDay(iso.slice(0, 7)) ? lastDay(first.slice(0, 7)) : `${first.slice(0, 8)}${pad(day)}`;
  };
  return { start: move(period.start), end: move(period.end) };
}

/** Whether a period is all of its fiscal year. */
export const isWholeYear = (period: Period, fiscal: Period) =>
  period.start === fiscal.start && period.end === fiscal.end;

/** How headings name a part of a year: "jan–aug 2013" for whole months, else its dates. */
export function partLabel(period: Period): string {
  const whole = period.start.endsWith("-01") && period.end === lastDay(period.end.slice(0, 7));
  if (!whole) return periodText(period);
  const [a, b] = [MONTHS[Number(period.start.slice(5, 7)) - 1]!, MONTHS[Number(period.end.slice(5, 7)) - 1]!];
  const [y1, y2] = [period.start.slice(0, 4), period.end.slice(0, 4)];
  const months = a === b && y1 === y2 ? a : `${a}–${b}`;
  return y1 === y2 ? `${months} ${y1}` : `${a} ${y1}–${b} ${y2}`;
}

/**
 * The part of a year a run covers, and the same part of the year before (its comparatives), by
 * year; empty for the whole year. A text that is no period gives the reason instead.
 */
export function partsOfYears(
  text: string | undefined,
  year: number,
  fiscalOf: (year: number) => Period,
): Map<number, Period> | { problem: string } {
  if (text === undefined) return new Map();
  const fiscal = fiscalOf(year);
  const parsed = parsePeriod(text, fiscal);
  if ("problem" in parsed) return parsed;
  if (isWholeYear(parsed.period, fiscal)) return new Map();
  return new Map([
    [year, parsed.period],
    [year - 1, samePeriodIn(parsed.period, fiscal, fiscalOf(year - 1))],
  ]);
}
