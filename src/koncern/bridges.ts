/**
 * The checks and disclosures computed beside the matrix: the equity and result bridges (rule 18),
 * ansvarsförbindelser after guarantees are eliminated (rules 22–23), and the materiality of each
 * koncernföretag (rule 6). Pure.
 */
import { accountMatcher } from "../domain/accounts.js";
import { Dec, exact, ONE, plain, sek, sumOf, ZERO } from "./decimal.js";
import type { KoncernDefinition } from "./definition.js";
import { BALANCE_LINES, INCOME_LINES, lineOf } from "./lines.js";
import { equityOf, type EntityRow, type Finding, type KoncernMatrix } from "./matrix.js";

export interface BridgeTerm {
  readonly text: string;
  readonly amount: Dec;
}

export interface Bridge {
  readonly terms: readonly BridgeTerm[];
  readonly sum: Dec;
  readonly koncernen: Dec;
  readonly holds: boolean;
}

export interface Bridges {
  readonly equity: { readonly closing: Bridge; readonly opening: Bridge };
  readonly result: Bridge;
}

const bridge = (terms: BridgeTerm[], koncernen: Dec): Bridge => {
  const sum = terms.reduce((s, t) => s.plus(t.amount), ZERO);
  return { terms, sum, koncernen, holds: sum.eq(koncernen) };
};

const column = (m: KoncernMatrix, id: string) => m.columns.find((c) => c.id === id)!;

/**
 * Group equity from the entities' own books (rule 18) and the group result likewise, each against
 * the matrix's Koncernen column: two routes to one figure, which must agree to the öre.
 */
export function bridgesOf(def: KoncernDefinition, m: KoncernMatrix, names: ReadonlyMap<string, string>): Bridges {
  const rate = m.rate ?? ZERO;
  const net = ONE.minus(rate);
  const parent = def.parent;
  const others = m.columns.filter((c) => m.full.has(c.id) && c.id !== parent);
  const shareOf = (id: string) => plain(m.shares.get(id)!);
  const reservesOf = (lines: Map<string, Dec>) => (lines.get("obeskattade-reserver") ?? ZERO).negated();
  const adjustments = column(m, "adjustments");
  const equityTerms = (measure: "closing" | "opening"): BridgeTerm[] => {
    const withResult = measure === "closing";
    const full = (id: string) => m.full.get(id)![measure];
    const bookValue = m.acquisitions.reduce((s, a) => s.plus(a.bookValue), ZERO);
    const remaining = (a: KoncernMatrix["acquisitions"][number]) =>
      measure === "closing" ? a.surplusRemaining : a.surplusRemainingOpening;
    return [
      { text: `${names.get(parent)}: eget kapital`, amount: equityOf(full(parent), withResult) },
      { text: "Kommunens bokförda värde av aktier och andelar i koncernföretag", amount: bookValue.negated() },
      ...others.map((c) => {
        const equity = equityOf(full(c.id), withResult);
        const reserves = reservesOf(full(c.id));
        const share = shareOf(c.id);
        return {
          text: `${names.get(c.id)}: andel ${share} × (eget kapital ${exact(equity)} + obeskattade reserver ${exact(reserves)} × (1 − ${plain(rate)}))`,
          amount: new Dec(share).times(equity.plus(reserves.times(net))),
        };
      }),
      {
        text: "Kvarvarande övervärden × (1 − skattesats)",
        amount: m.acquisitions.reduce((s, a) => s.plus(remaining(a).times(ONE.minus(a.rate))), ZERO),
      },
      {
        text: "Kvarvarande goodwill",
        amount: m.acquisitions.reduce(
          (s, a) => s.plus(measure === "closing" ? a.goodwillRemaining : a.goodwillRemainingOpening),
          ZERO,
        ),
      },
      { text: "Justeringar till kommunala principer", amount: equityOf(adjustments[measure], withResult) },
    ];
  };
  const koncern = column(m, "koncernen");
  const resultOf = (lines: Map<string, Dec>) => sumOf(lines, INCOME_LINES).negated();
  const dividends = m.journal
    .filter((j) => j.step === "dividend")
    .reduce((s, j) => s.plus(sumOf(j.lines, INCOME_LINES)), ZERO);
  const resultTerms: BridgeTerm[] = [
    { text: `${names.get(parent)}: årets resultat`, amount: resultOf(m.full.get(parent)!.closing) },
    ...others.map((c) => {
      const full = m.full.get(c.id)!.closing;
      const disp = full.get("bokslutsdispositioner") ?? ZERO;
      const share = shareOf(c.id);
      return {
        text: `${names.get(c.id)}: andel ${share} × (årets resultat ${exact(resultOf(full))} + bokslutsdispositioner ${exact(disp)} × (1 − ${plain(rate)}))`,
        amount: new Dec(share).times(resultOf(full).plus(disp.times(net))),
      };
    }),
    { text: "Utdelningar från koncernföretag till kommunen", amount: dividends.negated() },
    ...m.acquisitions.flatMap((a) =>
      [
        { text: `${names.get(a.entity)}: avskrivning av övervärden`, amount: a.depreciation.negated() },
        { text: `${names.get(a.entity)}: upplöst uppskjuten skatt på övervärden`, amount: a.taxDissolved },
        { text: `${names.get(a.entity)}: avskrivning av goodwill`, amount: a.goodwillDepreciation.negated() },
      ].filter((t) => !t.amount.isZero()),
    ),
    { text: "Justeringar till kommunala principer", amount: resultOf(adjustments.closing) },
  ];
  return {
    equity: {
      closing: bridge(equityTerms("closing"), equityOf(koncern.closing, true)),
      opening: bridge(equityTerms("opening"), equityOf(koncern.opening, false)),
    },
    result: bridge(resultTerms, resultOf(koncern.closing)),
  };
}

export function bridgeFindings(year: number, b: Bridges): Finding[] {
  const failed = [
    ["equity at the end of the year", b.equity.closing],
    ["equity at the start of the year", b.equity.opening],
    ["the year's result", b.result],
  ] as const;
  return failed
    .filter(([, x]) => !x.holds)
    .map(([what, x]) => ({
      code: "E-KONCERN-BRIDGE",
      severity: "error" as const,
      message: `${year}: the bridge of ${what} gives ${sek(x.sum)} kr from the entities' books, but the koncernmatris gives ${sek(x.koncernen)} kr (difference ${sek(x.sum.minus(x.koncernen))} kr)`,
      hint: "An internal item booked against equity, or an entry outside the rules' steps, moves group equity; the elimination journal shows each step's lines.",
    }));
}

export interface GuaranteeRow {
  readonly to: string;
  readonly text: string;
  readonly amount: Dec;
  readonly share?: Dec;
  readonly guaranteedDebt?: Dec;
  readonly eliminated: Dec;
  readonly remaining: Dec;
}

export interface Commitments {
  readonly guarantees: readonly GuaranteeRow[];
  readonly pensions: readonly { readonly entity: string; readonly share: Dec; readonly amount: Dec }[];
}

/** Guarantees to koncernföretag eliminated up to share × the guaranteed debt; pensions at share. */
export function commitmentsOf(
  def: KoncernDefinition,
  year: number,
  rows: ReadonlyMap<string, readonly EntityRow[]>,
  shares: ReadonlyMap<string, Dec>,
): Commitments {
  const guarantees = (def.guarantees ?? []).flatMap((g): GuaranteeRow[] => {
    const given = g.amounts[String(year)];
    if (given === undefined) return [];
    const amount = new Dec(given);
    const share = shares.get(g.to);
    if (!share) return [{ to: g.to, text: g.text, amount, eliminated: ZERO, remaining: amount }];
    const debtAccount = accountMatcher(g.debtAccounts ?? []);
    const guaranteedDebt = (rows.get(g.to) ?? [])
      .filter((r) => debtAccount(r.account))
      .reduce((s, r) => s.minus(r.closing), ZERO);
    const eliminated = Dec.min(amount, Dec.max(ZERO, share.times(guaranteedDebt)));
    return [{ to: g.to, text: g.text, amount, share, guaranteedDebt, eliminated, remaining: amount.minus(eliminated) }];
  });
  const pensions = def.entities.flatMap((e) => {
    const amount = e.pensionCommitments?.[String(year)];
    const share = shares.get(e.id);
    return amount !== undefined && share ? [{ entity: e.id, share, amount: new Dec(amount) }] : [];
  });
  return { guarantees, pensions };
}

export interface MaterialityRow {
  readonly entity: string;
  readonly share: Dec;
  readonly included: boolean;
  /** The kommun's share of the entity's omsättning (verksamhetens intäkter) and omslutning (total assets). */
  readonly turnover?: Dec;
  readonly assets?: Dec;
  readonly turnoverPct?: Dec;
  readonly assetsPct?: Dec;
}

const turnoverOf = (rows: readonly EntityRow[]) =>
  rows.filter((r) => r.line === "verksamhetens-intakter").reduce((s, r) => s.minus(r.closing), ZERO);
const assetsOf = (rows: readonly EntityRow[]) =>
  rows.filter((r) => lineOf(r.line)?.kind === "asset").reduce((s, r) => s.plus(r.closing), ZERO);

/**
 * Each entity's share of omsättning and omslutning against skatteintäkter + generella statsbidrag
 * (rule 6): an entity left out must be below the single limit, all left out below the aggregate.
 */
export function materialityOf(
  def: KoncernDefinition,
  year: number,
  m: KoncernMatrix,
  rows: ReadonlyMap<string, readonly EntityRow[]>,
): { rows: MaterialityRow[]; findings: Finding[] } {
  const parent = m.full.get(def.parent)?.closing;
  const base = parent ? sumOf(parent, ["skatteintakter", "generella-statsbidrag"]).negated() : ZERO;
  const single = new Dec(def.materiality?.singlePct ?? "2");
  const aggregate = new Dec(def.materiality?.aggregatePct ?? "5");
  const pct = (x: Dec) => (base.isZero() ? undefined : x.dividedBy(base).times(100));
  const out: MaterialityRow[] = [];
  for (const e of def.entities.filter((x) => x.id !== def.parent)) {
    const share = new Dec(e.shares[String(year)] ?? "0");
    const included = m.full.has(e.id);
    const own = rows.get(e.id);
    if (!own) {
      out.push({ entity: e.id, share, included });
      continue;
    }
    const turnover = share.times(turnoverOf(own));
    const assets = share.times(assetsOf(own));
    out.push({
      entity: e.id,
      share,
      included,
      turnover,
      assets,
      ...(pct(turnover) ? { turnoverPct: pct(turnover)! } : {}),
      ...(pct(assets) ? { assetsPct: pct(assets)! } : {}),
    });
  }
  const findings: Finding[] = [];
  const left = out.filter((r) => !r.included && r.turnoverPct && r.assetsPct);
  for (const r of left)
    if (r.turnoverPct!.gte(single) || r.assetsPct!.gte(single))
      findings.push({
        code: "W-KONCERN-MATERIAL",
        severity: "warning",
        message: `${def.entities.find((e) => e.id === r.entity)!.name} is left out, but its share of omsättning is ${r.turnoverPct!.toFixed(1).replace(".", ",")} % and of omslutning ${r.assetsPct!.toFixed(1).replace(".", ",")} % of skatteintäkter and generella statsbidrag (limit ${plain(single)} %)`,
        hint: "An entity is of ringa betydelse only when both are below the limit: include it, or state why in its reason.",
        pointer: `/entities/${def.entities.findIndex((e) => e.id === r.entity)}/included`,
      });
  const total = (f: (r: MaterialityRow) => Dec | undefined) => left.reduce((s, r) => s.plus(f(r) ?? ZERO), ZERO);
  if (left.length > 1 && (total((r) => r.turnoverPct).gte(aggregate) || total((r) => r.assetsPct).gte(aggregate)))
    findings.push({
      code: "W-KONCERN-MATERIAL",
      severity: "warning",
      message: `the entities left out together reach ${total((r) => r.turnoverPct)
        .toFixed(1)
        .replace(".", ",")} % of omsättning and ${total((r) => r.assetsPct)
        .toFixed(1)
        .replace(".", ",")} % of omslutning (limit ${plain(aggregate)} % together)`,
      hint: "Include the largest of them.",
    });
  return { rows: out, findings };
}

/**
 * Each entity opens the year where it closed the year before (balance lines, and equity with the
 * year's result): otherwise the comparatives and the cash flow's opening would disagree.
 */
export function continuityFindings(def: KoncernDefinition, current: KoncernMatrix, prior: KoncernMatrix): Finding[] {
  const out: Finding[] = [];
  for (const [id, now] of current.full) {
    const before = prior.full.get(id);
    if (!before) continue;
    const name = def.entities.find((e) => e.id === id)!.name;
    const pairs: [string, Dec, Dec][] = BALANCE_LINES.filter((l) => lineOf(l)!.kind !== "equity").map((l) => [
      lineOf(l)!.label,
      now.opening.get(l) ?? ZERO,
      before.closing.get(l) ?? ZERO,
    ]);
    pairs.push(["Eget kapital", equityOf(now.opening, false), equityOf(before.closing, true)]);
    for (const [label, opening, closing] of pairs)
      if (!opening.eq(closing))
        out.push({
          code: "E-KONCERN-CONTINUITY",
          severity: "error",
          message: `${name} opens ${current.year} with ${label} ${sek(opening)} kr, but closed ${prior.year} with ${sek(closing)} kr`,
          hint: `The ${current.year} ledger's opening balances must be the ${prior.year} closing balances (with the result in equity); export both years from the same books.`,
          pointer: `/entities/${def.entities.findIndex((e) => e.id === id)}/ledgers`,
        });
  }
  return out;
}
