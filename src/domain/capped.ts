import type { Diagnostic } from "./types.js";
import { formatCount } from "./money.js";

/** Diagnostics of one code listed per file; the rest are counted, then said in one diagnostic. */
export const DIAGNOSTICS_PER_CODE = 1000;

/**
 * Diagnostics gathered into a list, at most DIAGNOSTICS_PER_CODE of each code and file: a file
 * with the same fault on 120 000 lines costs a thousand diagnostics, not 120 000. `finish` adds
 * one diagnostic per code and file over the cap, "…and 119 000 more like this", at the first line
 * not listed (without a hint, so that the text output shows it after the repeats it collapses).
 */
export class CappedDiagnostics {
  readonly #counts = new Map<string, { first: Diagnostic; count: number; from?: number; to?: number }>();

  constructor(
    /** Where the diagnostics go. */
    readonly list: Diagnostic[] = [],
    readonly cap = DIAGNOSTICS_PER_CODE,
  ) {}

  push(d: Diagnostic): void {
    const key = `${d.file ?? ""}\u0000${d.code}`;
    const seen = this.#counts.get(key);
    if (!seen) this.#counts.set(key, { first: d, count: 1 });
    else if (++seen.count > this.cap) {
      if (d.line !== undefined) {
        seen.from = Math.min(seen.from ?? d.line, d.line);
        seen.to = Math.max(seen.to ?? d.line, d.line);
      }
      return;
    }
    this.list.push(d);
  }

  /** The list, with a diagnostic for each code and file that passed the cap; once. */
  finish(): Diagnostic[] {
    for (const { first, count, from, to } of this.#counts.values()) {
      if (count <= this.cap) continue;
      const lines = from === undefined ? "" : from === to ? `, line ${from}` : `, lines ${from}–${to}`;
      this.list.push({
        code: first.code,
        severity: first.severity,
        message: `…and ${formatCount(count - this.cap)} more like this${lines}, not listed (${formatCount(this.cap)} are)`,
        ...(first.file === undefined ? {} : { file: first.file }),
        ...(from === undefined ? {} : { line: from }),
      });
    }
    this.#counts.clear();
    return this.list;
  }
}
