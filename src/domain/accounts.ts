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
      const n = Number(account.length > digits ? account.slice(0, digits) : account);
      return n >= lo && n <= hi;
    });
}
