import { leadingNumber } from "../domain/accounts.js";
/**
 * Remembers which vouchers have been seen, to find a number used twice, in memory that grows with
 * the gaps in the numbering rather than with the number of vouchers: ledgers number their
 * vouchers 1, 2, 3… per series, so each series is a few ranges. Other numbers are kept as they are.
 */
export interface VoucherSnapshot {
  /** Per series key, the ranges of numbers seen: [from, to, from, to, ...]. */
  readonly ranges: readonly (readonly [string, readonly number[]])[];
  /** Series key and number joined by NUL, for numbers that are not plain integers. */
  readonly other: readonly string[];
}

/**
 * The numbers of one series: ranges in ascending order, which a number above all of them extends
 * or follows, and the numbers that came below the highest (out of order) in a set, merged into the
 * ranges whenever the set has grown to the ranges' size. Each number costs O(log n), amortized,
 * whatever the order: no array is ever spliced in the middle.
 */
class Series {
  /** [from, to, from, to, ...], ascending and disjoint. */
  ranges: number[] = [];
  /** Numbers below the highest range's end, not in a range. */
  loose = new Set<number>();

  add(n: number): boolean {
    const r = this.ranges;
    const last = r.length - 1;
    if (last < 0 || n > r[last]! + 1) {
      r.push(n, n);
      return true;
    }
    if (n === r[last]! + 1) {
      r[last] = n;
      return true;
    }
    if (this.#inRanges(n) || this.loose.has(n)) return false;
    this.loose.add(n);
    if (this.loose.size >= Math.max(1024, r.length / 2)) this.compact();
    return true;
  }

  #inRanges(n: number): boolean {
    const r = this.ranges;
    // The last range starting at or before n.
    let lo = 0;
    let hi = r.length / 2 - 1;
    if (hi < 0 || r[0]! > n) return false;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (r[mid * 2]! <= n) lo = mid;
      else hi = mid - 1;
    }
    return n <= r[lo * 2 + 1]!;
  }

  /** Merges the loose numbers into the ranges. */
  compact(): void {
    if (this.loose.size === 0) return;
    const loose = Float64Array.from(this.loose).sort();
    this.loose = new Set();
    const r = this.ranges;
    const out: number[] = [];
    const put = (from: number, to: number) => {
      if (out.length > 0 && from <= out[out.length - 1]! + 1) out[out.length - 1] = Math.max(out[out.length - 1]!, to);
      else out.push(from, to);
    };
    let i = 0;
    let j = 0;
    while (i < r.length || j < loose.length) {
      if (j >= loose.length || (i < r.length && r[i]! < loose[j]!)) {
        put(r[i]!, r[i + 1]!);
        i += 2;
      } else put(loose[j]!, loose[j++]!);
    }
    this.ranges = out;
  }
}

/** The number a voucher id of 1 to 15 digits writes; NaN for any other id (read digit by digit: every voucher asks). */
function voucherNumber(voucher: string): number {
  return voucher.length > 15 ? NaN : leadingNumber(voucher, 15);
}

export class VoucherRegistry {
  readonly #series = new Map<string, Series>();
  readonly #other = new Set<string>();
  /** The vouchers registered, counted as they come: a year's thousand files' series are not gone over again. */
  #count = 0;

  /** Registers a voucher; false when it was registered before. */
  add(series: string, voucher: string): boolean {
    const n = voucherNumber(voucher);
    let added: boolean;
    if (Number.isNaN(n)) {
      const key = `${series}\u0000${voucher}`;
      added = !this.#other.has(key);
      if (added) this.#other.add(key);
    } else added = this.#of(series).add(n);
    if (added) this.#count++;
    return added;
  }

  #of(series: string): Series {
    let s = this.#series.get(series);
    if (!s) this.#series.set(series, (s = new Series()));
    return s;
  }

  /** How many vouchers have been registered. */
  get size(): number {
    return this.#count;
  }

  snapshot(): VoucherSnapshot {
    const ranges: [string, number[]][] = [];
    for (const [key, s] of this.#series) {
      s.compact();
      ranges.push([key, s.ranges]);
    }
    return { ranges, other: [...this.#other] };
  }

  /** Registers every voucher of another file's registry; returns those registered before. */
  merge(other: VoucherSnapshot): { series: string; voucher: string }[] {
    const seen: { series: string; voucher: string }[] = [];
    // Indexed, not destructured: a thousand files' registries are merged mostly before V8 has
    // optimized this, and unoptimized code destructures through the iteration protocol.
    for (let k = 0; k < other.ranges.length; k++) {
      const series = other.ranges[k]![0];
      const r = other.ranges[k]![1];
      const s = this.#series.get(series);
      // The usual case: each file has series of its own.
      if (s === undefined) {
        this.#of(series).ranges = r.slice();
        for (let i = 0; i < r.length; i += 2) this.#count += r[i + 1]! - r[i]! + 1;
        continue;
      }
      for (let i = 0; i < r.length; i += 2)
        for (let n = r[i]!; n <= r[i + 1]!; n++)
          if (s.add(n)) this.#count++;
          else seen.push({ series, voucher: String(n) });
    }
    for (const key of other.other) {
      const cut = key.lastIndexOf("\u0000");
      const series = key.slice(0, cut);
      const voucher = key.slice(cut + 1);
      if (!this.add(series, voucher)) seen.push({ series, voucher });
    }
    return seen;
  }
}
