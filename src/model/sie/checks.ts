import { formatSek, type Ore } from "../../domain/money.js";
import type { SourceRef } from "../../domain/types.js";
import { splitKey, type Balances, type SieBalances, type Sums } from "./balances.js";

type Problem = (code: string, message: string, where: SourceRef, hint: string) => void;

const EDITED = "The export is incomplete or its balances were edited; export vouchers and balances together.";

/** Sums per "entity|account", whatever the counterparty (each with the first part's other fields). */
function perAccount<T extends { amount: Ore }>(b: ReadonlyMap<string, T>): Map<string, T> {
  const out = new Map<string, T>();
  for (const [key, v] of b) {
    const [entity, account] = splitKey(key);
    const k = `${entity}|${account}`;
    const sum = out.get(k);
    if (sum) sum.amount += v.amount;
    else out.set(k, { ...v });
  }
  return out;
}

/**
 * A file with vouchers and balances must agree with itself: per entity and account, #IB plus the
 * vouchers is #UB (only the vouchers up to #OMFATTN, where the balances are stated at an earlier
 * date); per object where the file has #OIB/#OUB for it; and #RES is the vouchers' movement. The
 * vouchers' movement is added up (`movement`) only for a file that states such balances: most
 * exports of vouchers state none.
 */
export function voucherProblems(balances: SieBalances, index: string, movement: () => Sums, problem: Problem) {
  if (balances.closing(index).size === 0 && balances.declaredResults(index).size === 0) return;
  const moved = movement();
  const opening = perAccount(balances.opening(index));
  const booked = perAccount(moved);
  for (const [key, { amount: want, at: where }] of perAccount(balances.closing(index))) {
    const before = opening.get(key)?.amount ?? 0n;
    const movement = booked.get(key)?.amount ?? 0n;
    if (before + movement === want) continue;
    const [entity, account] = key.split("|");
    problem(
      "E-SIE-UB",
      `${entity}, account ${account}: #IB ${formatSek(before)} plus the vouchers ${formatSek(movement)} is ${formatSek(before + movement)}, but #UB says ${formatSek(want)}`,
      where,
      EDITED,
    );
  }
  const openingParts = balances.opening(index);
  for (const [key, b] of balances.closing(index)) {
    const [entity, account, cp] = splitKey(key);
    if (!cp) continue;
    const before = openingParts.get(key)?.amount ?? 0n;
    const movement = moved.get(key)?.amount ?? 0n;
    if (before + movement !== b.amount)
      problem(
        "E-SIE-UB",
        `${entity}, account ${account}, object ${cp}: #OIB ${formatSek(before)} plus the vouchers ${formatSek(movement)} is ${formatSek(before + movement)}, but #OUB says ${formatSek(b.amount)}`,
        b.at,
        EDITED,
      );
  }
  for (const [key, { amount: want, at: where }] of perAccount(balances.declaredResults(index))) {
    const got = booked.get(key)?.amount ?? 0n;
    if (got === want) continue;
    const [entity, account] = key.split("|");
    problem(
      "E-SIE-RES",
      `${entity}, account ${account}: the vouchers move ${formatSek(got)}, but #RES says ${formatSek(want)}`,
      where,
      EDITED,
    );
  }
}

/**
 * The year's movement in a file's balances balances, as every voucher does: per entity, the
 * closing balances (#UB) less the opening balances (#IB) plus the result (#RES) sum to zero. (An
 * opening that lacks last year's result carries that gap into #UB; the movement still balances.)
 * #UB on a result account (some programs write them) repeats its #RES and is counted once.
 */
export function movementBalanceProblems(balances: SieBalances, index: string, problem: Problem) {
  const totals = new Map<string, { sum: Ore; at: SourceRef }>();
  const results = perAccount(balances.declaredResults(index));
  const add = (key: string, amount: Ore, where: SourceRef) => {
    const entity = key.split("|")[0]!;
    const t = totals.get(entity) ?? { sum: 0n, at: where };
    t.sum += amount;
    totals.set(entity, t);
  };
  for (const [key, b] of perAccount(balances.closing(index))) if (!results.has(key)) add(key, b.amount, b.at);
  for (const [key, b] of perAccount(balances.opening(index))) if (!results.has(key)) add(key, -b.amount, b.at);
  for (const [key, b] of results) add(key, b.amount, b.at);
  for (const [entity, { sum, at }] of totals)
    if (sum !== 0n)
      problem(
        "E-SIE-BALANCE",
        `${entity}: the file's balances do not balance: #UB less #IB plus #RES is ${formatSek(sum)} kr, where every year's movement sums to zero`,
        { file: at.file },
        "The export is incomplete or its balances were edited; export the file again.",
      );
}

/**
 * Within one file, this year opens where last year closed (#UB -1 = #IB 0): per account outside
 * equity, and equity in total, since the result moves between equity accounts at year end. An
 * opening that does not balance is reported as such elsewhere; its equity is not compared here.
 */
export function continuityInFile(balances: SieBalances, isEquity: (account: string) => boolean, problem: Problem) {
  const previous = balances.closing("-1");
  if (previous.size === 0) return;
  const opening = balances.opening("0");
  const keyOf = (key: string) => {
    const [entity, account, cp] = splitKey(key);
    return isEquity(account) ? `${entity}|equity|` : `${entity}|${account}|${cp}`;
  };
  const sums = (b: Balances) => {
    const out = new Map<string, { amount: Ore; at: SourceRef }>();
    const totals = new Map<string, Ore>();
    for (const [key, v] of b) {
      const k = keyOf(key);
      const s = out.get(k) ?? { amount: 0n, at: v.at };
      s.amount += v.amount;
      out.set(k, s);
      const entity = splitKey(key)[0];
      totals.set(entity, (totals.get(entity) ?? 0n) + v.amount);
    }
    return { out, totals };
  };
  const before = sums(previous);
  const now = sums(opening);
  for (const key of new Set([...before.out.keys(), ...now.out.keys()])) {
    const [entity, account, cp] = splitKey(key);
    const was = before.out.get(key)?.amount ?? 0n;
    const is = now.out.get(key)?.amount ?? 0n;
    if (was === is) continue;
    if (account === "equity" && ((now.totals.get(entity) ?? 0n) !== 0n || (before.totals.get(entity) ?? 0n) !== 0n))
      continue;
    const what = account === "equity" ? "equity in total" : `account ${account}${cp ? `, object ${cp}` : ""}`;
    problem(
      "E-SIE-CONTINUITY",
      `${entity}, ${what}: #UB -1 is ${formatSek(was)}, but #IB 0 is ${formatSek(is)}`,
      now.out.get(key)?.at ?? before.out.get(key)!.at,
      "This year opens where last year closed; check the year-end transfer in the accounting system.",
    );
  }
}
