import { distance } from "fastest-levenshtein";

/**
 * The candidate a mistyped word most likely meant: one equal but for case, else the nearest by
 * edit distance within `maxDistance` (ties go to the longer common beginning: 1939 → 1930, not
 * 1949). Undefined when nothing is near enough to be worth suggesting.
 */
export function closest(word: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; d: number; prefix: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const c = candidate.toLowerCase();
    if (c === lower) return candidate;
    const d = distance(lower, c);
    if (d > maxDistance || d >= Math.max(lower.length, c.length)) continue;
    let prefix = 0;
    while (prefix < c.length && c[prefix] === lower[prefix]) prefix++;
    if (!best || d < best.d || (d === best.d && prefix > best.prefix)) best = { candidate, d, prefix };
  }
  return best?.candidate;
}

/** " Did you mean X?" for a hint, or "" when nothing is near. */
export function didYouMean(word: string, candidates: Iterable<string>, show: (c: string) => string = (c) => `'${c}'`) {
  const c = closest(word, candidates);
  return c === undefined ? "" : ` Did you mean ${show(c)}?`;
}
