/**
 * Remembers which vouchers have been seen, to find a number used twice, in memory that grows with
 * the gaps in the numbering rather than with the number of vouchers: ledgers number their
 * vouchers 1, 2, 3… per series, so each series is a few ranges. Other numbers are kept as they are.
 */
export interface VoucherSnapshot {
  /** Per series key, the ranges of numbers seen: [from, to, from, to, …]. */
  readonly ranges: readonly (readonly [string, readonly number[]])[];
  /** Series key and number joined by NUL, for numbers that are not plain integers. */
  readonly other: readonly string[];
}

export class VoucherRegistry {
  readonly #ranges = new Map<string, number[]>(); // series key → sorted [from, to, from, to, …]
  readonly #other = new Set<string>();

  /** Registers a voucher; false when it was registered before. */
  add(series: string, voucher: string): boolean {
    const n = /^\d{1,15}$/.test(voucher) ? Number(voucher) : NaN;
    if (Number.isNaN(n)) {
      const key = `${series}\u0000${voucher}`;
      if (this.#other.has(key)) return false;
      this.#other.add(key);
      return true;
    }
    let r = this.#ranges.get(series);
    if (!r) this.#ranges.set(series, (r = []));
    const last = r.length - 1;
    if (last < 0 || n > r[last]! + 1) {
      r.push(n, n);
      return true;
    }
    if (n === r[last]! + 1) {
      r[last] = n;
      return true;
    }
    // Out of order: find the range at or before n.
    let lo = 0;
    let hi = r.length / 2 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (r[mid * 2]! <= n) lo = mid;
      else hi = mid - 1;
    }
    const i = lo * 2;
    if (r[i]! <= n && n <= r[i + 1]!) return false;
    if (n < r[i]!) {
      if (n === r[i]! - 1) r[i] = n;
      else r.splice(i, 0, n, n);
    } else if (n === r[i + 1]! + 1) {
      r[i + 1] = n;
      if (r[i + 2] === n + 1) r.splice(i + 1, 2);
    } else if (r[i + 2] === n + 1) r[i + 2] = n;
    else r.splice(i + 2, 0, n, n);
    return true;
  }

  /** How many vouchers have been registered. */
  get size(): number {
    let n = this.#other.size;
    for (const r of this.#ranges.values()) for (let i = 0; i < r.length; i += 2) n += r[i + 1]! - r[i]! + 1;
    return n;
  }

  snapshot(): VoucherSnapshot {
    return { ranges: [...this.#ranges], other: [...this.#other] };
  }

  /** Registers every voucher of another file's registry; returns those registered before. */
  merge(other: VoucherSnapshot): { series: string; voucher: string }[] {
    const seen: { series: string; voucher: string }[] = [];
    for (const [series, r] of other.ranges) {
      // The usual case: each file has series of its own.
      if (!this.#ranges.has(series)) {
        this.#ranges.set(series, [...r]);
        continue;
      }
      for (let i = 0; i < r.length; i += 2)
        for (let n = r[i]!; n <= r[i + 1]!; n++)
          if (!this.add(series, String(n))) seen.push({ series, voucher: String(n) });
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
