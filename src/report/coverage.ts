import { rowsOfAccounts, type RowParts, type RowTable } from "../domain/row-table.js";
import type { LayoutSpec, StatementSpec } from "../domain/config.js";
import { formatSek } from "../domain/money.js";
import type { Account, Diagnostic } from "../domain/types.js";
import { compileSelection } from "./engine.js";
import type { Elimination } from "../consolidate/eliminate.js";

export interface LayoutSource {
  readonly spec: LayoutSpec;
  readonly file: string;
  locate(pointer: string): { line: number; column: number };
}

interface Selector {
  readonly pointer: string;
  readonly id: string;
  readonly statement: string;
  readonly matches: (rows: RowTable, i: number) => boolean;
  readonly takesAccount: (account: string) => boolean;
  readonly filtersRows: boolean;
}

/** The rows that place money in a statement (lines and groups that select accounts, closing balances). */
function selectors(spec: LayoutSpec, scope: "group" | "entities"): Selector[] {
  const out: Selector[] = [];
  spec.statements.forEach((s: StatementSpec, si) => {
    if (!s.scopes.includes(scope) || s.coverage === false) return;
    s.rows.forEach((row, ri) => {
      if ((row.kind !== "line" && row.kind !== "group") || !row.select) return;
      const sels = row.select.filter((x) => (x.measure ?? "closing") === "closing").map((x) => compileSelection(x, 1));
      if (sels.length) {
        out.push({
          pointer: `/statements/${si}/rows/${ri}`,
          id: row.id,
          statement: s.id,
          matches: (rows, i) => sels.some((f) => f.at(rows, i) !== undefined),
          takesAccount: (account) => sels.some((f) => f.takesAccount(account)),
          filtersRows: sels.some((f) => f.filtersRows),
        });
      }
    });
  });
  return out;
}

/**
 * Every balance must land on exactly one statement line: an account no line selects would vanish
 * from the statements, one that two lines select would be counted twice. The consolidated
 * statements are checked on the group's rows; the per-entity statements on each entity's rows of
 * the accounts they cover.
 */
export function coverageProblems(
  year: number,
  layout: LayoutSource,
  group: Pick<Elimination, "groupRows" | "groupParts">,
  entityRows: RowTable,
  chart: ReadonlyMap<string, Account>,
): Diagnostic[] {
  const unselected = new Map<string, { total: bigint; entities: Set<string> }>();
  const double = new Map<string, Selector[]>();
  /**
   * The rows of each account are matched against the lines that take the account at all (worked
   * out once per account); when none of those looks further than the account, all its rows land
   * where the first does, and they are passed over.
   */
  const check = (rows: RowTable, candidates: Selector[], covers: (account: string) => boolean, part?: RowParts) => {
    const linesOf = (account: string) => {
      if (!covers(account)) return null;
      const near = candidates.filter((c) => c.takesAccount(account));
      const byAccount = near.some((c) => c.filtersRows) ? undefined : near;
      return byAccount?.length === 1 ? null : { near, byAccount };
    };
    const plans = new Map<string, ReturnType<typeof linesOf>>();
    const planOf = (account: string) => {
      let plan = plans.get(account);
      if (plan === undefined) plans.set(account, (plan = linesOf(account)));
      return plan;
    };
    for (const i of rowsOfAccounts(rows, (account) => planOf(account) !== null)) {
      // The rows a part leaves out are asked for only here, where a row is looked at (RowParts).
      if (rows.isZero(i) || part?.left?.[i]) continue;
      const account = rows.account(i);
      const plan = planOf(account)!;
      const hits = plan.byAccount ?? plan.near.filter((c) => c.matches(rows, i));
      if (hits.length === 0) {
        const u = unselected.get(account) ?? { total: 0n, entities: new Set<string>() };
        u.total += rows.closing(i);
        u.entities.add(rows.entity(i));
        unselected.set(account, u);
      } else if (hits.length > 1 && !double.has(account)) double.set(account, hits);
    }
  };
  // The group's rows are checked in their parts, the same rows; a problem found there is worded
  // from the rows themselves, in their order (a line's problem names the first row it meets).
  const groupSelectors = selectors(layout.spec, "group");
  for (const part of group.groupParts) check(part.rows, groupSelectors, () => true, part);
  if (unselected.size || double.size) {
    unselected.clear();
    double.clear();
    check(group.groupRows, groupSelectors, () => true);
  }
  const entitySelectors = selectors(layout.spec, "entities");
  // An entity statement answers for the accounts its rows name, whatever their filters.
  const covered = layout.spec.statements
    .filter((s) => s.scopes.includes("entities") && s.coverage !== false)
    .flatMap((s) => s.rows.flatMap((row) => (row.kind === "line" || row.kind === "group" ? (row.select ?? []) : [])))
    .map((sel) => compileSelection({ accounts: sel.accounts }, 1));
  check(entityRows, entitySelectors, (account) => covered.some((f) => f.takesAccount(account)));

  const name = (account: string) => (chart.get(account) ? `${account} ${chart.get(account)!.name}` : account);
  const out: Diagnostic[] = [];
  for (const [account, u] of [...unselected].sort()) {
    out.push({
      code: "E-LAYOUT-UNSELECTED",
      severity: "error",
      message: `${year}: account ${name(account)} has a balance (${formatSek(u.total)} kr in ${[...u.entities].sort().join(", ")}) that no statement line selects: it would vanish from the statements`,
      file: layout.file,
      ...layout.locate("/statements"),
      hint: `Add account ${account} to the accounts of one statement line.`,
    });
  }
  // One problem per pair of rows that overlap, naming every account they share.
  const overlaps = new Map<string, { hits: Selector[]; accounts: string[] }>();
  for (const [account, hits] of [...double].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const key = hits.map((h) => h.pointer).join("|");
    const o = overlaps.get(key) ?? { hits, accounts: [] };
    o.accounts.push(account);
    overlaps.set(key, o);
  }
  for (const { hits, accounts } of overlaps.values()) {
    const many = accounts.length > 1;
    out.push({
      code: "E-LAYOUT-DOUBLE",
      severity: "error",
      message: `${year}: ${hits.map((h) => `'${h.statement}/${h.id}'`).join(" and ")} both select account${many ? "s" : ""} ${accounts.map(name).join(", ")}: ${many ? "they" : "it"} would be counted twice`,
      file: layout.file,
      ...layout.locate(`${hits[1]!.pointer}/select`),
      hint: "Narrow one line's account ranges (or use exclude) so that each account lands on one line.",
    });
  }
  return out;
}
