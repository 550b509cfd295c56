import { accountMatcher } from "../domain/accounts.js";
import { ExactSum, type Ore } from "../domain/money.js";
import type { RowSpec, SelectionSpec, Sign } from "../domain/config.js";
import { closingOf, movementOf, type BalanceRow } from "../domain/balance.js";
import {
  addedUpAcross,
  asTable,
  keptSumsOfAll,
  tableNames,
  type KeptSums,
  type RowTable,
} from "../domain/row-table.js";

export type ReportRowKind = "line" | "subtotal" | "total" | "group" | "of-which" | "percent";

/** One evaluated row: values as presented (sign applied), one per report year. */
export interface ReportRow {
  readonly id: string;
  readonly label: string;
  readonly kind: ReportRowKind;
  readonly note?: string;
  readonly values: readonly Ore[];
  /** For a sum: the ids of the rows of the same table it adds (so a spreadsheet can add them too). */
  readonly sum?: readonly string[];
}

export interface EngineContext {
  /** Display names of counterparties (members and entities), for by-counterparty rows. */
  readonly counterpartyNames: ReadonlyMap<string, string>;
  /** Per year (as rowsByYear): the workspace's declared amounts by row id. */
  readonly declared?: readonly ReadonlyMap<string, Ore>[];
  /** Values computed over more years than shown (deficits to restore), by row id, per year. */
  readonly carried?: ReadonlyMap<string, readonly Ore[]>;
}

const collator = new Intl.Collator("sv");

const MEASURES = {
  closing: closingOf,
  opening: (r: BalanceRow) => r.opening,
  movement: movementOf,
  debit: (r: BalanceRow) => r.debit,
  credit: (r: BalanceRow) => r.credit,
} as const;

const TABLE_MEASURES = {
  closing: (t: RowTable, i: number) => t.closing(i),
  opening: (t: RowTable, i: number) => t.amount(i, 0),
  movement: (t: RowTable, i: number) => t.amount(i, 1) + t.amount(i, 2),
  debit: (t: RowTable, i: number) => t.amount(i, 1),
  credit: (t: RowTable, i: number) => t.amount(i, 2),
} as const;

const LIMIT = 2 ** 50;
/** An amount of a table as a number when it is below 2^50 öre (a sum of three such stays exact), else NaN. */
const smallNumber = (n: number) => (n < LIMIT && n > -LIMIT ? n : NaN);

/** The amounts each measure adds, as bits: opening 1, debit 2, credit 4. */
const MEASURE_PARTS = { closing: 7, opening: 1, movement: 6, debit: 2, credit: 4 } as const;

/** The amounts of row i that a measure's parts (MEASURE_PARTS) name, added up as a number of öre. */
const partsNumber = (t: RowTable, i: number, parts: number) =>
  (parts & 1 ? smallNumber(t.number(i, 0)) : 0) +
  (parts & 2 ? smallNumber(t.number(i, 1)) : 0) +
  (parts & 4 ? smallNumber(t.number(i, 2)) : 0);

/**
 * A selection compiled to a function from a balance row to its presented contribution, with the
 * test of the account alone (to pass over every row of an account no line takes).
 */
export interface Selection {
  (r: BalanceRow): Ore | undefined;
  /** The contribution of row i of a table (as the selection of a row). */
  readonly at: (rows: RowTable, i: number) => Ore | undefined;
  /**
   * The same contribution of row i of a table whose account it takes (takesAccount), as a number
   * of öre: exact when each amount it adds is below 2^50 (NaN when one is not); undefined for a row
   * its entities or counterparties leave out. No bigint is made.
   */
  readonly numberAt: (rows: RowTable, i: number) => number | undefined;
  readonly takesAccount: (account: string) => boolean;
  /** Whether it looks at more than the account (entities, counterparties). */
  readonly filtersRows: boolean;
  /** Whether it looks at the entity of a row. */
  readonly filtersEntities: boolean;
  /** The amounts of a row its measure adds (MEASURE_PARTS), and the sign it gives them. */
  readonly parts: number;
  readonly signNumber: number;
}

const compiled = new WeakMap<SelectionSpec, Map<Sign, Selection>>();

/** The selection compiled once per spec and sign: a statement is evaluated for every entity. */
export function compileSelection(sel: SelectionSpec, rowSign: Sign): Selection {
  let bySign = compiled.get(sel);
  if (!bySign) compiled.set(sel, (bySign = new Map()));
  let selection = bySign.get(rowSign);
  if (!selection) bySign.set(rowSign, (selection = compile(sel, rowSign)));
  return selection;
}

function compile(sel: SelectionSpec, rowSign: Sign): Selection {
  const lines = sel.lines && new Set(sel.lines);
  const included = lines ? (account: string) => lines.has(account) : accountMatcher(sel.accounts);
  const excluded = accountMatcher(sel.exclude);
  const entities = sel.entities ? new Set(sel.entities) : undefined;
  const counterparties = sel.counterparties ? new Set(sel.counterparties) : undefined;
  const measure = MEASURES[sel.measure ?? "closing"];
  const signNumber = (sel.sign ?? 1) * rowSign;
  const sign = BigInt(signNumber);
  const takesAccount = (account: string) => included(account) && !excluded(account);
  const takesParties = (r: BalanceRow) =>
    (!entities || entities.has(r.entity)) && (!counterparties || counterparties.has(r.counterparty));
  const placesOf = (names: ReadonlySet<string> | undefined) =>
    names && new Set([...names].map((name) => tableNames.place(name)));
  const entityPlaces = placesOf(entities);
  const counterpartyPlaces = placesOf(counterparties);
  const takesPartiesAt = (t: RowTable, i: number) =>
    (!entityPlaces || entityPlaces.has(t.entityAt(i))) &&
    (!counterpartyPlaces || counterpartyPlaces.has(t.counterpartyAt(i)));
  const tableMeasure = TABLE_MEASURES[sel.measure ?? "closing"];
  const parts = MEASURE_PARTS[sel.measure ?? "closing"];
  return Object.assign(
    (r: BalanceRow) => (takesAccount(r.account) && takesParties(r) ? sign * measure(r) : undefined),
    {
      at: (t: RowTable, i: number) =>
        takesAccount(t.account(i)) && takesPartiesAt(t, i) ? sign * tableMeasure(t, i) : undefined,
      numberAt: (t: RowTable, i: number) => (takesPartiesAt(t, i) ? signNumber * partsNumber(t, i, parts) : undefined),
      takesAccount,
      filtersRows: entities !== undefined || counterparties !== undefined,
      filtersEntities: entities !== undefined,
      parts,
      signNumber,
    },
  );
}

/** The selections that take an account, and the index of each one's spec (read by index: measured). */
type Takers = { readonly specs: readonly number[]; readonly selections: readonly Selection[] };

/** For each row spec, the selections it adds (none for sums, declared and carried rows). */
type Plan = {
  readonly selections: readonly (readonly Selection[])[];
  /** Whether a selection looks at the entity of a row: when none does, rows may be added up across entities. */
  readonly filtersEntities: boolean;
  /** Per account (by its place in tableNames), the selections that take it, and the index of each one's spec. */
  readonly takers: (Takers | undefined)[];
};

const plans = new WeakMap<readonly RowSpec[], Map<Sign, Plan>>();

/** A table's selections, made once per table and sign (every entity's statement reads the same). */
function planOf(specs: readonly RowSpec[], defaultSign: Sign): Plan {
  let bySign = plans.get(specs);
  if (!bySign) plans.set(specs, (bySign = new Map()));
  let plan = bySign.get(defaultSign);
  if (!plan) {
    const selections = specs.map((spec) =>
      spec.sum || spec.declared || spec.carry
        ? []
        : (spec.select ?? []).map((s) => compileSelection(s, spec.sign ?? defaultSign)),
    );
    const filtersEntities = selections.some((sels) => sels.some((sel) => sel.filtersEntities));
    plan = { selections, filtersEntities, takers: [] };
    bySign.set(defaultSign, plan);
  }
  return plan;
}

/**
 * Whether a table's selections look at the entity of a row. A group's statement that does not
 * reads the group's rows added up across entities (Elimination.groupTotals), which are all it takes.
 */
export const looksAtEntities = (specs: readonly RowSpec[], defaultSign: Sign): boolean =>
  planOf(specs, defaultSign).filtersEntities;

/** The selections of a plan that take an account: worked out once per account. */
function takersOf(plan: Plan, place: number): Takers {
  let takers = plan.takers[place];
  if (!takers) {
    const account = tableNames.list[place]!;
    const specs: number[] = [];
    const selections: Selection[] = [];
    plan.selections.forEach((sels, k) => {
      for (const sel of sels)
        if (sel.takesAccount(account)) {
          specs.push(k);
          selections.push(sel);
        }
    });
    takers = { specs, selections };
    plan.takers[place] = takers;
  }
  return takers;
}

/**
 * What each spec's selections add up to each year, and per counterparty for a by-counterparty
 * line: one pass over the rows, each row visiting only the selections that take its account.
 * Amounts are added as numbers while exact (ExactSum; each below 2^50 öre, read without a bigint
 * by numberAt); a larger amount, and a by-counterparty line, as bigints.
 */
function selectionSums(specs: readonly RowSpec[], rowsByYear: readonly RowTable[], defaultSign: Sign): SelectionSums {
  const plan = planOf(specs, defaultSign);
  const years = rowsByYear.length;
  const sums = specs.map(() => ({
    totals: rowsByYear.map(() => new ExactSum()),
    parties: new Map<string, Ore[]>(),
  }));
  const byParty = specs.map((s) => s.kind === "by-counterparty");
  rowsByYear.forEach((yearRows, y) => {
    const rows = plan.filtersEntities ? yearRows : acrossEntities(yearRows);
    for (let i = 0; i < rows.length; i++) {
      const takers = takersOf(plan, rows.accountAt(i));
      for (let t = 0; t < takers.specs.length; t++) {
        const k = takers.specs[t]!;
        const sel = takers.selections[t]!;
        const sum = sums[k]!;
        if (!byParty[k]) {
          const n = sel.numberAt(rows, i);
          if (n === undefined) continue;
          if (!Number.isNaN(n)) {
            sum.totals[y]!.addNumber(n);
            continue;
          }
        }
        const v = sel.at(rows, i);
        if (v === undefined) continue;
        sum.totals[y]!.add(v);
        const counterparty = rows.counterparty(i);
        if (byParty[k] && counterparty !== "") {
          let party = sum.parties.get(counterparty);
          if (!party) sum.parties.set(counterparty, (party = Array.from({ length: years }, () => 0n)));
          party[y]! += v;
        }
      }
    }
  });
  return sums.map(({ totals, parties }) => ({ values: totals.map((t) => t.value), parties }));
}

/** What each spec's selections add up to each year, and per counterparty for a by-counterparty line. */
export type SelectionSums = readonly {
  readonly values: readonly Ore[];
  readonly parties: ReadonlyMap<string, Ore[]>;
}[];

const NO_PARTIES: ReadonlyMap<string, Ore[]> = new Map();

/**
 * The selection sums of every entity of the years' tables, for a statement evaluated for each of
 * them: kept as each table was made (KeptEntitySums), or else one small loop over each table's
 * columns (as addedUpAcross), where each entity's own pass called a selection a row (a thousand
 * units: a quarter of a million rows, a fifteenth of the run). The sums are numbers with their
 * sizes, exact while the sizes stay below 2^53 öre; an entity past that, or with an amount a number
 * does not hold, gets undefined and is summed on its own (selectionSums), and so does every entity
 * when a selection looks at more than the account or a line is by counterparty.
 */
export function entitySums(
  specs: readonly RowSpec[],
  tablesByYear: readonly RowTable[],
  defaultSign: Sign,
): (entity: string) => SelectionSums | undefined {
  const plan = planOf(specs, defaultSign);
  if (!isSimple(plan, specs)) return () => undefined;
  const years = tablesByYear.map((table) => keptEntitySums(table, plan) ?? yearSums(plan, specs.length, table));
  // Plain loops: called once per entity, mostly before V8 has optimized it.
  return (entity) => {
    const place = tableNames.place(entity);
    const found: (Float64Array | undefined)[] = [];
    for (let y = 0; y < years.length; y++) {
      const sums = years[y]!(place);
      if (sums === null) return undefined;
      found.push(sums);
    }
    const out: { values: Ore[]; parties: ReadonlyMap<string, Ore[]> }[] = [];
    for (let k = 0; k < specs.length; k++) {
      const values: Ore[] = [];
      for (let y = 0; y < found.length; y++) values.push(found[y] ? BigInt(found[y]![k]!) : 0n);
      out.push({ values, parties: NO_PARTIES });
    }
    return out;
  };
}

/** Whether each entity's sums of a plan can be added up as numbers per spec: no by-counterparty line, no selection by entity or counterparty. */
const isSimple = (plan: Plan, specs: readonly RowSpec[]) =>
  specs.every(
    (spec, k) =>
      plan.selections[k]!.length === 0 ||
      (spec.kind !== "by-counterparty" && !plan.selections[k]!.some((sel) => sel.filtersRows)),
  );

/**
 * An entity's sums of a plan's specs (by its place): undefined for an entity without rows, null
 * for one whose sums may not be exact.
 */
type SumsOf = (entity: number) => Float64Array | null | undefined;

/** Each entity's sums of a plan's specs over one table (entitySums). */
function yearSums(plan: Plan, specCount: number, table: RowTable): SumsOf {
  const { keys, length } = table;
  const byEntity = new Map<number, Float64Array | null>();
  for (let start = 0; start < length;) {
    const entity = keys[3 * start]!;
    const sums = new Float64Array(specCount);
    const sizes = new Float64Array(specCount);
    const end = addEntityRows(plan, table, start, sums, sizes);
    // An entity whose rows do not come in one run (a table out of the canonical order) is summed on its own.
    byEntity.set(entity, !byEntity.has(entity) && sizes.every((size) => size < 2 ** 53) ? sums : null);
    start = end;
  }
  return (entity) => byEntity.get(entity);
}

/**
 * The rows of one entity, from row `start` to the next entity's, added to its sums of a plan's
 * specs, with their sizes; the row after its last returned. A function of its own, this small,
 * that also finds where the entity's rows end: called once per entity, it is optimized after a few
 * entities, where a loop over a thousand entities' rows ran mostly before V8 had optimized it.
 */
function addEntityRows(plan: Plan, table: RowTable, start: number, sums: Float64Array, sizes: Float64Array): number {
  const { keys, amounts } = table;
  const entity = keys[3 * start]!;
  let k = 3 * start;
  for (; k < keys.length && keys[k] === entity; k += 3) {
    const takers = plan.takers[keys[k + 1]!] ?? takersOf(plan, keys[k + 1]!);
    for (let t = 0; t < takers.specs.length; t++) {
      const spec = takers.specs[t]!;
      const { parts, signNumber } = takers.selections[t]!;
      const opening = parts & 1 ? amounts[k]! : 0;
      const debit = parts & 2 ? amounts[k + 1]! : 0;
      const credit = parts & 4 ? amounts[k + 2]! : 0;
      sums[spec] = sums[spec]! + signNumber * (opening + debit + credit);
      // NaN (an amount held as a bigint) fails the test of the sizes, as a sum past 2^53 does.
      sizes[spec] = sizes[spec]! + Math.abs(opening) + Math.abs(debit) + Math.abs(credit);
    }
  }
  return k / 3;
}

/** The sums of a plan a table kept as it was made (KeptEntitySums), if it kept them. */
function keptEntitySums(table: RowTable, plan: Plan): SumsOf | undefined {
  const kept = keptSumsOfAll(table);
  return kept instanceof KeptEntitySums ? kept.sumsOf(plan) : undefined;
}

/** A statement evaluated for each entity: its row specs and its sign. */
export interface EntityStatement {
  readonly specs: readonly RowSpec[];
  readonly sign: Sign;
}

/**
 * Each entity's sums of its statements' selections (entitySums), kept as a year's table is made:
 * TablesInTurn adds each file's rows as it copies them, while the code that adds them is fast, and
 * a table made from another (the closing) adjusts them by the rows it puts in and leaves out. Made
 * once the files are read instead, a thousand units' pass over a quarter of a million rows took
 * 11-19 ms, mostly before V8 had optimized it (3-6 ms once it had).
 */
export class KeptEntitySums implements KeptSums {
  readonly #statements: readonly EntityStatement[];
  readonly #plans: readonly Plan[];
  /** Where each plan's specs start among an entity's sums, and how many sums an entity has. */
  readonly #offsets: readonly number[];
  readonly #width: number;
  /** Entities and accounts are kept up to this place; a place past it leaves the sums untold. */
  readonly #room: number;
  /** By account (its place): the index of its first taker plus one (0 while not looked up), and the index after its last. */
  readonly #first: Int32Array;
  readonly #end: Int32Array;
  /** By taker: the index of its spec among an entity's sums, the parts of a row it takes, its sign. */
  readonly #slot: Int32Array;
  readonly #parts: Int32Array;
  readonly #sign: Float64Array;
  #takers = 0;
  /** By entity (its place) times the sums an entity has: the sums, and their sizes. */
  readonly #sums: Float64Array;
  readonly #sizes: Float64Array;
  #untold = false;

  /** The sums of `statements` whose selections entitySums can add up as numbers. */
  constructor(statements: readonly EntityStatement[], from?: KeptEntitySums) {
    this.#statements = statements;
    const plans = statements
      .filter((s) => isSimple(planOf(s.specs, s.sign), s.specs))
      .map((s) => planOf(s.specs, s.sign));
    this.#plans = [...new Set(plans)];
    this.#offsets = this.#plans.map((_, i) => this.#plans.slice(0, i).reduce((n, p) => n + p.selections.length, 0));
    this.#width = this.#plans.reduce((n, p) => n + p.selections.length, 0);
    const selections = this.#plans.reduce((n, p) => n + p.selections.flat().length, 0);
    this.#room = from ? from.#room : 2 * tableNames.list.length + 1024;
    this.#first = from ? from.#first.slice() : new Int32Array(this.#room);
    this.#end = from ? from.#end.slice() : new Int32Array(this.#room);
    this.#slot = from ? from.#slot.slice() : new Int32Array(this.#room * selections);
    this.#parts = from ? from.#parts.slice() : new Int32Array(this.#room * selections);
    this.#sign = from ? from.#sign.slice() : new Float64Array(this.#room * selections);
    this.#takers = from ? from.#takers : 0;
    this.#sums = from ? from.#sums.slice() : new Float64Array(this.#room * this.#width);
    this.#sizes = from ? from.#sizes.slice() : new Float64Array(this.#room * this.#width);
    this.#untold = from ? from.#untold : false;
  }

  addRow(
    entity: number,
    account: number,
    _counterparty: number,
    opening: number,
    debit: number,
    credit: number,
    sign: 1 | -1,
  ): void {
    if (entity >= this.#room || account >= this.#room) {
      this.#untold = true;
      return;
    }
    const first = this.#first[account] || this.#lookUp(account);
    const base = entity * this.#width;
    for (let t = first - 1, end = this.#end[account]!; t < end; t++) {
      const parts = this.#parts[t]!;
      const o = parts & 1 ? opening : 0;
      const d = parts & 2 ? debit : 0;
      const c = parts & 4 ? credit : 0;
      const at = base + this.#slot[t]!;
      this.#sums[at] = this.#sums[at]! + sign * this.#sign[t]! * (o + d + c);
      // NaN (an amount held as a bigint) fails the test of the sizes, as a sum past 2^53 does.
      this.#sizes[at] = this.#sizes[at]! + Math.abs(o) + Math.abs(d) + Math.abs(c);
    }
  }

  copy(): KeptEntitySums {
    return new KeptEntitySums(this.#statements, this);
  }

  /** Each entity's sums of a plan's specs; undefined when they were not kept. */
  sumsOf(plan: Plan): SumsOf | undefined {
    const index = this.#plans.indexOf(plan);
    if (index < 0 || this.#untold) return undefined;
    const count = plan.selections.length;
    return (entity) => {
      if (entity >= this.#room) return undefined;
      const start = entity * this.#width + this.#offsets[index]!;
      const exact = this.#sizes.subarray(start, start + count).every((size) => size < 2 ** 53);
      return exact ? this.#sums.slice(start, start + count) : null;
    };
  }

  /** Looks up which selections take an account: its first taker's index plus one. */
  #lookUp(account: number): number {
    const first = this.#takers;
    this.#plans.forEach((plan, p) => {
      const { specs, selections } = takersOf(plan, account);
      specs.forEach((spec, t) => {
        this.#slot[this.#takers] = this.#offsets[p]! + spec;
        this.#parts[this.#takers] = selections[t]!.parts;
        this.#sign[this.#takers] = selections[t]!.signNumber;
        this.#takers++;
      });
    });
    this.#end[account] = this.#takers;
    return (this.#first[account] = first + 1);
  }
}

/** A table added up across its entities, made once per table (acrossEntities). */
const summed = new WeakMap<RowTable, RowTable>();

/**
 * Rows of several entities added up per account and counterparty, under no entity: what a
 * selection that never looks at the entity takes from them, in fewer rows. The group's rows are
 * every entity's, and each statement of the group reads them (a thousand entities: a quarter of a
 * million rows, each account's read once per entity). One entity's rows are taken as they are.
 */
function acrossEntities(rows: RowTable): RowTable {
  if (rows.length < 2 || rows.entityAt(0) === rows.entityAt(rows.length - 1)) return rows;
  let out = summed.get(rows);
  if (!out) summed.set(rows, (out = addedUpAcross([{ rows }])));
  return out;
}

/**
 * The one engine behind every statement and note: evaluates ordered row specs against the
 * balance rows of each year. A sum adds the presented values of other rows of the same table,
 * before or after it (a group row above its lines); the layout loader rejects cycles. `given`:
 * the sums of the selections when known already (entitySums).
 */
export function evaluateRows(
  specs: readonly RowSpec[],
  rowsGiven: readonly (RowTable | readonly BalanceRow[])[],
  defaultSign: Sign,
  ctx: EngineContext,
  given?: SelectionSums,
): ReportRow[] {
  const rowsByYear = rowsGiven.map(asTable);
  const years = rowsByYear.length;
  const sums = given ?? selectionSums(specs, rowsByYear, defaultSign);
  const program = programOf(specs);
  const { slots } = program;
  // By slot (a row id's spec, the last one with that id): its values, and the rows it selects.
  const totals = new Array<readonly Ore[] | undefined>(specs.length);
  const selected = new Array<ReportRow[] | undefined>(specs.length);
  for (let k = 0; k < specs.length; k++) {
    const spec = specs[k]!;
    if (spec.sum) continue;
    const slot = slots[k]!;
    if (spec.declared || spec.carry) {
      const values = spec.carry
        ? [...(ctx.carried?.get(spec.id) ?? zeros(years))]
        : rowsByYear.map((_, y) => ctx.declared?.[y]?.get(spec.id) ?? 0n);
      totals[slot] = values;
      selected[slot] = [{ id: spec.id, label: spec.label, kind: "line", values }];
    } else if (spec.kind === "by-counterparty") {
      const rows = counterpartyRows(spec, sums[k]!.parties, ctx);
      const total = zeros(years);
      for (const r of rows) for (let y = 0; y < years; y++) total[y]! += r.values[y]!;
      totals[slot] = total;
      selected[slot] = rows;
    } else {
      const { values } = sums[k]!;
      totals[slot] = values;
      selected[slot] = [
        spec.note
          ? { id: spec.id, label: spec.label, kind: spec.kind, note: spec.note, values }
          : { id: spec.id, label: spec.label, kind: spec.kind, values },
      ];
    }
  }
  const shown = new Array<ReportRow[]>(specs.length);
  for (let k = 0; k < specs.length; k++) {
    const spec = specs[k]!;
    const slot = slots[k]!;
    // Only a sum is not selected: it adds the rows its spec names, as they are shown (below).
    let rows = selected[slot] ?? [sumRow(spec, valueOf(program, totals, years, slot))];
    if (spec.omitWhenZero) rows = rows.filter((r) => r.values.some((v) => v !== 0n));
    shown[slot] = rows;
  }
  const out: ReportRow[] = [];
  for (let k = 0; k < specs.length; k++) {
    const spec = specs[k]!;
    const rows = shown[slots[k]!]!;
    if (!spec.sum || shownAsNamed(program.refs[k]!, spec.sum, shown)) {
      for (const r of rows) out.push(r);
      continue;
    }
    // A by-counterparty row adds up as its counterparties' rows; a row left out was zero.
    const sum = program.refs[k]!.flatMap((ref) => (ref < 0 ? [] : shown[ref]!.map((t) => t.id)));
    for (const r of rows) out.push({ ...r, sum });
  }
  return out;
}

const zeros = (years: number): Ore[] => Array.from({ length: years }, () => 0n);

/** A by-counterparty row's lines, one per counterparty, by name. */
function counterpartyRows(spec: RowSpec, parties: ReadonlyMap<string, Ore[]>, ctx: EngineContext): ReportRow[] {
  return [...parties]
    .map(([party, v]) => ({
      id: `${spec.id}-${party.toLowerCase()}`,
      label: ctx.counterpartyNames.get(party) ?? party,
      kind: "line" as const,
      values: v,
    }))
    .sort((a, b) => collator.compare(a.label, b.label) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const sumRow = (spec: RowSpec, values: readonly Ore[]): ReportRow =>
  spec.note
    ? { id: spec.id, label: spec.label, kind: spec.kind as ReportRowKind, note: spec.note, values, sum: spec.sum! }
    : { id: spec.id, label: spec.label, kind: spec.kind as ReportRowKind, values, sum: spec.sum! };

/** The values of the row at a slot: a sum's added up from the rows it names (made once, kept in `totals`). */
function valueOf(
  program: Program,
  totals: (readonly Ore[] | undefined)[],
  years: number,
  slot: number,
): readonly Ore[] {
  const known = totals[slot];
  if (known) return known;
  const values = zeros(years);
  for (const ref of program.refs[slot]!) {
    if (ref < 0) continue;
    const added = valueOf(program, totals, years, ref);
    for (let y = 0; y < years; y++) values[y]! += added[y]!;
  }
  totals[slot] = values;
  return values;
}

/** Whether each row a sum names is shown as one row under its own id (not by counterparty, not left out). */
function shownAsNamed(refs: readonly number[], ids: readonly string[], shown: readonly ReportRow[][]): boolean {
  for (let r = 0; r < refs.length; r++) {
    const rows = refs[r]! < 0 ? undefined : shown[refs[r]!];
    if (rows?.length !== 1 || rows[0]!.id !== ids[r]) return false;
  }
  return true;
}

/**
 * What evaluating a table needs of its specs alone, worked out once per list of specs (a thousand
 * units' statements share theirs): each spec's slot, the index of the last spec with its id
 * (which a sum naming that id adds), and the slots of the rows each sum names (-1 for an id that
 * is no row of the table: it adds nothing). Looked up by id in maps made for each, a thousand
 * units' statements took 6-8 ms to evaluate, mostly before V8 had optimized the code; 3.5-5 ms
 * now (timed around evaluateRows).
 */
interface Program {
  readonly slots: readonly number[];
  readonly refs: readonly (readonly number[])[];
}

const programs = new WeakMap<readonly RowSpec[], Program>();

function programOf(specs: readonly RowSpec[]): Program {
  let program = programs.get(specs);
  if (!program) {
    const slotOf = new Map(specs.map((s, k) => [s.id, k]));
    const slots = specs.map((s) => slotOf.get(s.id)!);
    // A sum's refs by the slot of its spec, so that valueOf (by slot) adds what the last spec with the id names.
    const refs = specs.map((s) => (s.sum ?? []).map((ref) => slotOf.get(ref) ?? -1));
    program = { slots, refs };
    programs.set(specs, program);
  }
  return program;
}
