/** A fiscal year (räkenskapsår): its first and last day as ISO dates. */
export interface Period {
  readonly start: string;
  readonly end: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The day before an ISO date. */
function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

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
  const endYear = p.end.slice(0, 4);
  return endYear === String(year) ? String(year) : `${year}/${endYear.slice(2)}`;
}

/** "2009-07-01 – 2010-06-30". */
export const periodText = (p: Period) => `${p.start} – ${p.end}`;

/** An ISO date within a period (ISO dates compare as strings). */
export const inPeriod = (date: string, p: Period) => date >= p.start && date <= p.end;
