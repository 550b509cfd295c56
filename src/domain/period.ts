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
