import { basename, extname } from "node:path";
import type { SourceSpec } from "../../domain/config.js";
import type { SourceRef } from "../../domain/types.js";
import type { SieField, SiePlace } from "../../read/sie.js";

export type Objects = readonly (readonly [string, string])[];

const NO_DIMENSIONS: Readonly<Record<string, string>> = Object.freeze({});

export const text = (f: SieField | undefined): string => (typeof f === "string" ? f : "");

/** A row's object of a dimension (a loop: a search with a closure made one for every row). */
function objectOf(objects: Objects, dimension: string): string | undefined {
  for (const [d, object] of objects) if (d === dimension) return object;
  return undefined;
}

export const objectsOf = (f: SieField | undefined): Objects => (f && typeof f !== "string" ? f.objects : []);

/** SIE dates are YYYYMMDD. The length is tested first: most dates a CSV ledger holds are already ISO. */
export const isoDate = (d: string) =>
  d.length === 8 && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d;

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number the digits of `text` from `from` to `to` write, NaN if one is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The common case of sieDate, read digit by digit: YYYYMMDD or YYYY-MM-DD naming a day of the
 * calendar, as YYYY-MM-DD; undefined for anything else (which sieDate then reads or explains).
 */
function plainDay(raw: string): string | undefined {
  const dashed = raw.length === 10;
  if (!dashed && raw.length !== 8) return undefined;
  if (dashed && (raw.charCodeAt(4) !== 45 || raw.charCodeAt(7) !== 45)) return undefined;
  const year = digits(raw, 0, 4);
  const month = dashed ? digits(raw, 5, 7) : digits(raw, 4, 6);
  const day = dashed ? digits(raw, 8, 10) : digits(raw, 6, 8);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= DAYS[month - 1]! && year >= 0)) return undefined;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return undefined;
  return dashed ? raw : `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}`;
}

/**
 * A SIE date (YYYYMMDD, or YYYY-MM-DD as some programs write it) as YYYY-MM-DD, or why it is not
 * a day of the calendar (20130230, 2013-13-45).
 */
export function sieDate(raw: string): { iso: string } | { problem: string } {
  const iso = plainDay(raw);
  if (iso !== undefined) return { iso };
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(raw);
  if (!m || (raw.length === 10) !== raw.includes("-"))
    return {
      problem: `'${raw.length > 20 ? `${raw.slice(0, 20)}…` : raw}' is not a date: SIE writes dates as YYYYMMDD`,
    };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return { problem: `'${raw}' is not a date: there is no month ${m[2]}` };
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (day < 1 || day > days) return { problem: `'${raw}' is not a date: ${m[1]}-${m[2]} has ${days} days` };
  return { iso: `${m[1]}-${m[2]}-${m[3]}` };
}

/** Where a record's field stands: 0 is the label, i the i-th field. */
export const at = (file: string, r: SiePlace, field: number): SourceRef => ({
  file,
  line: r.line,
  column: r.columns[Math.min(field, r.columns.length - 1)] ?? 1,
});

/**
 * How a file's object lists name entities and counterparties: the file is one entity, or its
 * units are the objects of a dimension (a combined file); the counterparty is the object of the
 * motpart dimension. Object ids are matched to entity ids without regard to case.
 */
export class SieScope {
  readonly fileEntity: string | undefined;
  readonly unitsDim: string | undefined;
  readonly motpartDim: string | undefined;
  readonly #entityIds: ReadonlyMap<string, string>;
  /** A kommunkoncern ledger's codes that name group entities, by "dimension|code". */
  readonly #codes: ReadonlyMap<string, string> | undefined;
  readonly #codeDims: ReadonlySet<string>;

  constructor(path: string, source: SourceSpec, entityIds: readonly string[]) {
    this.unitsDim = source.unitsDimension ? String(source.unitsDimension) : undefined;
    this.motpartDim = source.motpartDimension ? String(source.motpartDimension) : undefined;
    const coded = (source.counterparties ?? []).filter((c) => c.dimension !== undefined && c.codes);
    this.#codes = coded.length
      ? new Map(coded.flatMap((c) => Object.entries(c.codes!).map(([code, id]) => [`${c.dimension}|${code}`, id])))
      : undefined;
    this.#codeDims = new Set(coded.map((c) => String(c.dimension)));
    this.fileEntity = source.entity ?? (this.unitsDim ? undefined : basename(path, extname(path)));
    this.#entityIds = new Map(entityIds.map((id) => [id.toLowerCase(), id]));
  }

  #id(obj: string) {
    return this.#entityIds.get(obj.toLowerCase()) ?? obj;
  }

  entityOf(objects: Objects): string | undefined {
    if (this.fileEntity) return this.fileEntity;
    const obj = this.unitsDim ? objectOf(objects, this.unitsDim) : undefined;
    return obj === undefined ? undefined : this.#id(obj);
  }

  counterpartyOf(objects: Objects): string {
    if (objects.length === 0) return ""; // most rows: `{}`
    if (this.#codes) {
      for (const [d, code] of objects) {
        const id = this.#codes.get(`${d}|${code}`);
        if (id !== undefined) return id;
      }
      return "";
    }
    const obj = this.motpartDim ? objectOf(objects, this.motpartDim) : undefined;
    return obj === undefined ? "" : this.#id(obj);
  }

  /**
   * A part on a kommunkoncern ledger's counterparty codes that name no entity of the group (an
   * external customer): the account's total holds it already.
   */
  isExternalPart(objects: Objects): boolean {
    return (
      this.#codes !== undefined && objects.some(([d]) => this.#codeDims.has(d)) && this.counterpartyOf(objects) === ""
    );
  }

  /** The objects of other dimensions (cost centres, projects), kept on a posting. */
  dimensionsOf(objects: Objects): Readonly<Record<string, string>> {
    if (objects.length === 0) return NO_DIMENSIONS;
    const free = objects.filter(([d]) => d !== this.unitsDim && d !== this.motpartDim && !this.#codeDims.has(d));
    return free.length ? Object.fromEntries(free) : NO_DIMENSIONS;
  }

  /**
   * Whether an object balance (#OIB, #OUB, #PSALDO) is one the statements need: a unit's or a
   * counterparty's part. A balance that also names a cost centre or project is a smaller part of
   * one of those, and would be counted twice.
   */
  isUnitOrCounterpartPart(objects: Objects): boolean {
    if (objects.length === 0) return false;
    return objects.every(([d]) => d === this.unitsDim || d === this.motpartDim || this.#codeDims.has(d));
  }
}

/**
 * Whether the problems of a year index's records are this read's to say: a file read for both
 * years has them said once, in the read of their year. An object, not a closure made per file:
 * the code that asks, optimized at a thread's first file, then calls the same function at the next.
 */
export class Ownership {
  constructor(
    readonly index: string,
    readonly priorFromHere: boolean,
  ) {}

  owns(recordIndex: string): boolean {
    return this.index === "-1" ? recordIndex === "-1" : !(recordIndex === "-1" && this.priorFromHere);
  }
}

/** Every record's problems: a read of a file for one year alone. */
export const OWNS_ALL = new Ownership("0", false);
