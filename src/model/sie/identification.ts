import type { Period } from "../../domain/period.js";
import { periodText } from "../../domain/period.js";
import type { SourceRef } from "../../domain/types.js";
import type { SieEncoding, SieRecord } from "../../read/sie.js";
import { SieChecksum } from "../../read/sie-checksum.js";
import { at, OWNS_ALL, sieDate, text, type Ownership } from "./scope.js";

type Problem = (code: string, message: string, where: SourceRef, hint: string) => void;

/**
 * The records that say what a file is: its fiscal years (#RAR), the date its balances are stated
 * at (#OMFATTN) and its checksum (#KSUMMA, over the records between an opening `#KSUMMA` and the
 * closing `#KSUMMA n`).
 */
export class SieIdentification {
  readonly years = new Map<string, SieRecord>();
  /** #RAR indexes with a date that is no day of the calendar (reported where read). */
  readonly #badYears = new Set<string>();
  omfattn: string | undefined;
  #checksum: SieChecksum;
  #summing = false;
  #summed = false;

  /** Whether the records read now count toward the file's checksum (#KSUMMA ... #KSUMMA n). */
  get summing(): boolean {
    return this.#summing;
  }

  constructor(
    readonly path: string,
    encoding: SieEncoding,
    readonly problem: Problem,
    /** Whether the problems of a year index's records are this read's to say. */
    readonly ownership: Ownership = OWNS_ALL,
  ) {
    this.#checksum = new SieChecksum(encoding);
  }

  /** Sees every record (for the checksum); handles the identification records. */
  read(r: SieRecord, unreadableLines: number, checkSum: boolean): boolean {
    if (r.label === "#KSUMMA") {
      this.#ksumma(r, unreadableLines, checkSum);
      return true;
    }
    if (this.#summing) this.#checksum.addRecord(r.label, r.fields);
    if (r.label === "#RAR") {
      this.years.set(text(r.fields[0]), r);
      for (const field of [2, 3]) {
        const raw = text(r.fields[field - 1]);
        const index = text(r.fields[0]);
        if (raw !== "" && !this.#date(raw, r, field, "#RAR", this.ownership.owns(index))) this.#badYears.add(index);
      }
    } else if (r.label === "#OMFATTN")
      this.omfattn = this.#date(text(r.fields[0]), r, 1, "#OMFATTN", this.ownership.owns("0"));
    else return false;
    return true;
  }

  /** A date field as YYYY-MM-DD; one that is no day of the calendar is reported at its field. */
  #date(raw: string, r: SieRecord, field: number, label: string, report: boolean): string | undefined {
    const d = sieDate(raw);
    if ("iso" in d) return d.iso;
    if (report)
      this.problem(
        "E-SIE-DATE",
        `${label}: ${d.problem}`,
        at(this.path, r, field),
        "Correct the date in the accounting system and export the file again.",
      );
    return undefined;
  }

  #ksumma(r: SieRecord, unreadableLines: number, checkSum: boolean) {
    if (!this.#summing && !this.#summed && r.fields.length === 0) {
      this.#summing = true;
      return;
    }
    if (!this.#summing) return;
    this.#summing = false;
    this.#summed = true;
    const declared = text(r.fields[0]);
    // A line that could not be read cannot be counted: its error is the one to fix first.
    if (checkSum && unreadableLines === 0 && !this.#checksum.matches(declared))
      this.problem(
        "E-SIE-KSUMMA",
        `#KSUMMA ${declared} does not match the file's contents (checksum ${this.#checksum.value})`,
        at(this.path, r, 1),
        "The file was changed after it was exported, or cut short; export it again.",
      );
  }

  /** The fiscal year of a #RAR index, when the file states it with two dates. */
  period(index: string): Period | undefined {
    const r = this.years.get(index);
    const [start, end] = [sieDate(text(r?.fields[1])), sieDate(text(r?.fields[2]))];
    return "iso" in start && "iso" in end ? { start: start.iso, end: end.iso } : undefined;
  }

  /** The file's fiscal year for `index` is the year it is read as. */
  checkYear(index: string, year: number, expected: Period, hint: string) {
    const r = this.years.get(index);
    if (!r || this.#badYears.has(index)) return;
    const period = this.period(index);
    if (!period) {
      this.problem(
        "E-SIE-YEAR",
        `the file's fiscal year (#RAR ${index}) has no dates: a SIE file states its year as #RAR ${index} YYYYMMDD YYYYMMDD`,
        at(this.path, r, Math.min(2, r.fields.length)),
        "Export the file again with its fiscal year, or correct the #RAR record.",
      );
      return;
    }
    if (period.start !== expected.start || period.end !== expected.end)
      this.problem(
        "E-SIE-YEAR",
        `the file's fiscal year (#RAR ${index}) is ${periodText(period)}, but it is read as ${year} (${periodText(expected)})`,
        at(this.path, r, 2),
        hint,
      );
  }
}
