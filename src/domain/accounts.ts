/**
 * Account ranges as workspaces write them: "3000-3999" or "2099". An account longer than a range's
 * bounds is a sub-account and belongs where its first digits do: 143010 is in 1400-1499.
 */
export function accountMatcher(specs: readonly string[] = []): (account: string) => boolean {
  const ranges = specs.map((s) => {
    const [lo, hi = lo] = s.split("-") as [string, string?];
    return { digits: lo.length, lo: Number(lo), hi: Number(hi) };
  });
  return (account) =>
    ranges.some(({ digits, lo, hi }) => {
      const n = leadingNumber(account, digits);
      return n >= lo && n <= hi;
    });
}

/** The number the first `digits` characters of an account write (all of a shorter one); NaN if not digits. */
export function leadingNumber(account: string, digits: number): number {
  const end = Math.min(digits, account.length);
  if (end === 0) return NaN;
  let n = 0;
  for (let i = 0; i < end; i++) {
    const d = account.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}
