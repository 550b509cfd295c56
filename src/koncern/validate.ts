/** What consolidate.json of a kommunkoncern must hold beyond its schema: ids, shares, lines, balance. */
import type { Diagnostic } from "../domain/types.js";
import { didYouMean } from "../domain/suggest.js";
import { Dec, percent, sek, ZERO } from "./decimal.js";
import type { KoncernDefinition } from "./definition.js";

interface Located {
  readonly file: string;
  readonly definition: KoncernDefinition;
  readonly locate: (pointer: string) => { line: number; column: number };
}

/** Below this share an entity is presumed to lack betydande inflytande (LKBR 2 kap 5 §). */
export const INFLUENCE_SHARE = new Dec("0.2");

export function definitionProblems(ws: Located): Diagnostic[] {
  const out: Diagnostic[] = [];
  const problem = (
    code: string,
    pointer: string,
    message: string,
    hint: string,
    severity: "error" | "warning" = "error",
  ) => out.push({ code, severity, message, file: ws.file, ...ws.locate(pointer), hint });
  const def = ws.definition;
  const ids = def.entities.map((e) => e.id);
  const known = (id: string) => ids.includes(id);
  const suggest = (id: string) => didYouMean(id, ids);

  if (!known(def.parent))
    problem(
      "E-KONCERN-PARENT",
      "/parent",
      `the parent '${def.parent}' is not one of the entities`,
      `Name the kommun's entity id.${suggest(def.parent)}`,
    );
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i)
      problem(
        "E-WORKSPACE-DUPLICATE-ID",
        `/entities/${i}/id`,
        `entity id '${id}' is used twice`,
        "Give every entity an id of its own.",
      );
  });
  def.entities.forEach((e, i) => {
    for (const [year, share] of Object.entries(e.shares)) {
      const s = new Dec(share);
      if (s.lte(0) || s.gt(1))
        problem(
          "E-KONCERN-SHARE",
          `/entities/${i}/shares/${year}`,
          `${e.name}: the share ${share} for ${year} is outside (0, 1]`,
          "A share is a decimal fraction of the whole: 0.6 for 60 %; leave out a year the kommun owned nothing.",
        );
      else if (e.id === def.parent && !s.eq(1))
        problem(
          "E-KONCERN-SHARE",
          `/entities/${i}/shares/${year}`,
          `the parent ${e.name} is taken at ${share}, not at 1`,
          "The kommun itself is always taken in full.",
        );
    }
    for (const year of Object.keys(e.ledgers))
      if (e.id !== def.parent && e.included !== false && e.shares[year] === undefined)
        problem(
          "E-KONCERN-SHARE",
          `/entities/${i}/shares`,
          `${e.name} has ledgers for ${year} but no share for it`,
          `Add "${year}": "SHARE" under its shares.`,
        );
    const a = e.acquisition;
    if (a && !known(a.investment.entity))
      problem(
        "E-KONCERN-ACQUISITION",
        `/entities/${i}/acquisition/investment/entity`,
        `the shares in ${e.name} are held by '${a.investment.entity}', which is not an entity`,
        `Name the entity whose ledger holds the shares.${suggest(a.investment.entity)}`,
      );
    if (
      a?.founded &&
      !new Dec(a.price).eq(new Dec(a.share ?? Object.values(e.shares)[0] ?? "1").times(new Dec(a.equity)))
    )
      problem(
        "E-KONCERN-ACQUISITION",
        `/entities/${i}/acquisition/price`,
        `${e.name} is declared founded by the kommun, but its price ${sek(new Dec(a.price))} kr is not the equity it subscribed, ${sek(new Dec(a.equity))} kr`,
        "A company the kommun founded was bought for the equity it subscribed: give both as booked.",
      );
    if (!a && known(def.parent) && e.id !== def.parent && e.included !== false)
      problem(
        "E-KONCERN-ACQUISITION",
        `/entities/${i}`,
        `${e.name} is in the group but consolidate.json gives no acquisition: the capital elimination needs the price, date and equity acquired`,
        'Add "acquisition": {"date", "investment": {"entity", "account"}, "price", "equity"} (with "founded": true for a company the kommun founded).',
      );
    (e.counterparties ?? []).forEach((c, k) => {
      if (c.entity && !known(c.entity))
        problem(
          "E-KONCERN-COUNTERPARTY",
          `/entities/${i}/counterparties/${k}/entity`,
          `the accounts ${(c.accounts ?? []).join(", ")} of ${e.name} name '${c.entity}', which is not an entity`,
          `Name the entity they are kept for.${suggest(c.entity)}`,
        );
      for (const [code, id] of Object.entries(c.codes ?? {}))
        if (!known(id))
          problem(
            "E-KONCERN-COUNTERPARTY",
            `/entities/${i}/counterparties/${k}/codes/${code}`,
            `code ${code} of ${e.name} names '${id}', which is not an entity`,
            `Map each code to an entity id.${suggest(id)}`,
          );
    });
    const share = Object.values(e.shares).reduce((m, x) => Dec.max(m, new Dec(x)), ZERO);
    if (e.included === false && share.gte(INFLUENCE_SHARE))
      problem(
        "W-KONCERN-EXCLUDED",
        `/entities/${i}/included`,
        `${e.name} is owned ${percent(share)} but left out of the sammanställda räkenskaper${e.reason ? ` (${e.reason})` : ""}`,
        "20 % or more presumes betydande inflytande (LKBR 2 kap 5 §): leave it out only when it is of ringa betydelse; the materiality table shows its share of omsättning and omslutning.",
        "warning",
      );
  });
  (def.guarantees ?? []).forEach((g, i) => {
    if (!g.to.startsWith("external:") && !known(g.to))
      problem(
        "E-KONCERN-GUARANTEE",
        `/guarantees/${i}/to`,
        `the guarantee '${g.text}' is to '${g.to}', neither an entity nor "external:NAME"`,
        `Name an entity id, or external:NAME for anyone outside the group.${suggest(g.to)}`,
      );
  });
  (def.adjustments ?? []).forEach((adj, i) => {
    if (!known(adj.entity))
      problem(
        "E-KONCERN-ADJUSTMENT",
        `/adjustments/${i}/entity`,
        `the adjustment '${adj.text}' is for '${adj.entity}', which is not an entity`,
        `Name the entity it adjusts.${suggest(adj.entity)}`,
      );
    for (const [what, lines] of [
      ["lines", adj.lines],
      ["opening", adj.opening ?? {}],
    ] as const) {
      const sum = Object.values(lines).reduce((s, v) => s.plus(new Dec(v)), ZERO);
      if (!sum.isZero())
        problem(
          "E-KONCERN-ADJUSTMENT",
          `/adjustments/${i}/${what}`,
          `the adjustment '${adj.text}' does not balance: its ${what} sum to ${sek(sum)} kr`,
          "An adjustment is a balanced entry: debits positive, credits negative, summing to zero.",
        );
    }
  });
  return out;
}
