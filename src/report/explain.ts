/**
 * Where a figure comes from: a statement's or a note's row, down to the accounts and
 * counterparties of each entity, the internal items eliminated from it pair by pair, and (given
 * the postings) every voucher line. Each level adds up to the one above; the explanation says
 * whether it does. Pure.
 */
import type { BalanceRow } from "../domain/balance.js";
import { asTable, rowsOfAccounts, rowsOfEntity, type RowTable } from "../domain/row-table.js";
import type { LayoutSpec, NoteSpec, RowSpec, Sign, StatementSpec } from "../domain/config.js";
import type { Ore } from "../domain/money.js";
import type { Account, Entity, Posting } from "../domain/types.js";
import type { YearData } from "./build.js";
import { compileSelection, evaluateRows, type ReportRow } from "./engine.js";

export interface Contribution {
  readonly entity: string;
  readonly account: string;
  readonly name: string;
  readonly counterparty: string;
  readonly value: Ore;
}

export interface VoucherLine {
  readonly file: string;
  readonly line?: number;
  readonly date: string;
  readonly voucher: string;
  readonly text: string;
  readonly entity: string;
  readonly account: string;
  readonly counterparty: string;
  /** As presented (the row's sign applied). */
  readonly value: Ore;
}

export interface Explanation {
  readonly schema: "consolidate/explain@1";
  readonly year: number;
  /** "income", "balance", … or "note:3". */
  readonly statement: string;
  readonly scope: string;
  readonly row: { readonly id: string; readonly label: string; readonly kind: string };
  /** The figure as the report prints it (exact kronor, as presented). */
  readonly figure: Ore;
  /** A sum row: the rows it adds. */
  readonly parts?: readonly { readonly id: string; readonly label: string; readonly value: Ore }[];
  /** A line: each entity's accounts and counterparties. */
  readonly entities?: readonly {
    readonly entity: string;
    readonly name: string;
    readonly total: Ore;
    readonly accounts: readonly Contribution[];
  }[];
  /** A group line: internal items taken out (negative of what the entities booked), pair by pair. */
  readonly eliminated?: readonly Contribution[];
  /** Where the value is declared rather than booked (an adjustment in consolidate.json). */
  readonly declared?: string;
  /** The voucher lines and opening balances behind each account, with --vouchers. */
  readonly vouchers?: readonly VoucherLine[];
  /** Whether every level adds up to the figure. */
  readonly addsUp: boolean;
}

export interface ExplainInput {
  readonly layout: LayoutSpec;
  readonly data: YearData;
  readonly chart: ReadonlyMap<string, Account>;
  readonly entities: readonly Entity[];
  /** The report's figure of the row, as printed (for the check against it). */
  readonly printed: (statement: string, scope: string, row: string) => Ore | undefined;
  readonly declared?: ReadonlyMap<string, Ore>;
  /** Display names of counterparties (members and entities), for by-counterparty rows. */
  readonly counterpartyNames?: ReadonlyMap<string, string>;
}

/** A table of the layout (statement or note) and the sign its rows take by default. */
interface Table {
  readonly key: string;
  readonly rows: readonly RowSpec[];
  readonly sign: Sign;
  readonly scopes: readonly string[];
}

function tablesOf(layout: LayoutSpec): Table[] {
  return [
    ...layout.statements.map((s: StatementSpec) => ({ key: s.id, rows: s.rows, sign: s.sign ?? 1, scopes: s.scopes })),
    ...(layout.notes ?? []).map((n: NoteSpec) => ({
      key: `note:${n.id}`,
      rows: n.rows,
      sign: n.sign ?? 1,
      scopes: ["group"],
    })),
  ];
}

/**
 * A row of a table by id or by the start of its label ("income/verksamhetens-intakter",
 * "income/Verksamhetens int"); by-counterparty rows by their shown id ("…-bor").
 */
export function findRow(
  layout: LayoutSpec,
  statement: string,
  ref: string,
): { table: Table; spec: RowSpec; counterparty?: string } | { problem: string } {
  const tables = tablesOf(layout);
  const table = tables.find((t) => t.key === statement || t.key === `note:${statement}`);
  if (!table)
    return {
      problem: `no statement or note '${statement}': ${tables.map((t) => t.key.replace(/^note:/, "")).join(", ")}`,
    };
  const exact = table.rows.find((r) => r.id === ref);
  if (exact) return { table, spec: exact };
  const party = table.rows.find((r) => r.kind === "by-counterparty" && ref.startsWith(`${r.id}-`));
  if (party) return { table, spec: party, counterparty: ref.slice(party.id.length + 1) };
  const wanted = ref.toLowerCase();
  const byLabel = table.rows.filter((r) => r.label.toLowerCase().startsWith(wanted));
  if (byLabel.length === 1) return { table, spec: byLabel[0]! };
  const ids = table.rows.map((r) => r.id).join(", ");
  return {
    problem: byLabel.length
      ? `'${ref}' begins ${byLabel.length} row labels of ${statement}: ${byLabel.map((r) => r.id).join(", ")}`
      : `no row '${ref}' in ${statement}: ${ids}`,
  };
}

/**
 * The contributions of a line's selections to the rows given, per entity, account and
 * counterparty. Only the rows of the accounts the line takes are looked at (rowsOfAccounts): a
 * thousand entities' HTML report explains every figure, and a pass over a quarter of a million
 * rows for each of the group's lines took seconds.
 */
function contributions(
  spec: RowSpec,
  sign: Sign,
  rows: RowTable,
  chart: ReadonlyMap<string, Account>,
  counterparty?: string,
): Contribution[] {
  const selections = (spec.select ?? []).map((s) => compileSelection(s, spec.sign ?? sign));
  const out = new Map<string, Contribution>();
  for (const i of rowsOfAccounts(rows, (account) => selections.some((sel) => sel.takesAccount(account)))) {
    if (counterparty !== undefined && rows.counterparty(i).toLowerCase() !== counterparty) continue;
    let value = 0n;
    let hit = false;
    for (const sel of selections) {
      const v = sel.at(rows, i);
      if (v !== undefined) {
        value += v;
        hit = true;
      }
    }
    if (!hit || value === 0n) continue;
    const [entity, account, party] = [rows.entity(i), rows.account(i), rows.counterparty(i)];
    const key = `${entity}|${account}|${party}`;
    const known = out.get(key);
    out.set(key, {
      entity,
      account,
      name: chart.get(account)?.name ?? "",
      counterparty: party,
      value: (known?.value ?? 0n) + value,
    });
  }
  return [...out.values()];
}

/** A table's rows evaluated for one scope, by the table's key and the scope (explainAll: once each, not once a row). */
type Evaluated = Map<string, ReportRow[]>;

export function explain(
  input: ExplainInput,
  statement: string,
  ref: string,
  scope: string,
  evaluated: Evaluated = new Map(),
): Explanation | { problem: string } {
  const found = findRow(input.layout, statement, ref);
  if ("problem" in found) return found;
  const { table, spec, counterparty } = found;
  const entity = scope.startsWith("entity:") ? scope.slice(7) : undefined;
  if (entity !== undefined && !table.scopes.includes("entities"))
    return { problem: `${statement} is the group's only; leave out --entity` };
  const entityRows = entity === undefined ? input.data.entityRows : rowsOfEntity(input.data.entityRows, entity);
  const groupRows = entity === undefined ? input.data.elimination.groupRows : entityRows;
  const rowId = counterparty !== undefined ? `${spec.id}-${counterparty}` : spec.id;
  const printedKey = table.key.startsWith("note:") ? `note:${table.key.slice(5)}` : table.key;
  const evaluatedKey = `${table.key}\u0000${scope}`;
  let all = evaluated.get(evaluatedKey);
  if (!all)
    evaluated.set(
      evaluatedKey,
      (all = evaluateRows(table.rows, [groupRows], table.sign, {
        counterpartyNames: input.counterpartyNames ?? new Map(),
        declared: [input.declared ?? new Map()],
      })),
    );
  const figure = all.find((r) => r.id === rowId)?.values[0] ?? 0n;
  const printed = input.printed(printedKey, scope, rowId);
  const base = {
    schema: "consolidate/explain@1" as const,
    year: input.data.year,
    statement: printedKey,
    scope,
    row: { id: rowId, label: all.find((r) => r.id === rowId)?.label ?? spec.label, kind: spec.kind },
    figure,
  };
  if (spec.sum) {
    const shown = all.find((r) => r.id === rowId);
    const parts = (shown?.sum ?? []).flatMap((id) => all.filter((r) => r.id === id));
    const total = parts.reduce((t, p) => t + p.values[0]!, 0n);
    return {
      ...base,
      parts: parts.map((p) => ({ id: p.id, label: p.label, value: p.values[0]! })),
      addsUp: total === figure && (printed === undefined || printed === figure),
    };
  }
  if (spec.declared || spec.carry)
    return {
      ...base,
      declared: spec.declared
        ? `consolidate.json: years.${input.data.year}.adjustments.${spec.id}`
        : `the deficits of ${spec.carry} over the earlier years`,
      addsUp: printed === undefined || printed === figure,
    };
  const sign = table.sign;
  const booked = contributions(spec, sign, entityRows, input.chart, counterparty);
  const eliminated =
    entity === undefined
      ? contributions(spec, sign, entriesTable(input.data.elimination.entries), input.chart, counterparty)
      : [];
  const byEntity = new Map<string, Contribution[]>();
  for (const c of booked) {
    const accounts = byEntity.get(c.entity);
    if (accounts) accounts.push(c);
    else byEntity.set(c.entity, [c]);
  }
  const names = entityNames(input.entities);
  const entities = [...byEntity.keys()].sort().map((id) => {
    const accounts = byEntity.get(id)!;
    return { entity: id, name: names.get(id) ?? id, total: accounts.reduce((t, c) => t + c.value, 0n), accounts };
  });
  const total = [...booked, ...eliminated].reduce((t, c) => t + c.value, 0n);
  return {
    ...base,
    entities,
    eliminated,
    addsUp: total === figure && (printed === undefined || printed === figure),
  };
}

const entryTables = new WeakMap<readonly BalanceRow[], RowTable>();

/** The elimination's entries as a table, made once for them (each of the group's lines asks). */
function entriesTable(entries: readonly BalanceRow[]): RowTable {
  let table = entryTables.get(entries);
  if (!table) entryTables.set(entries, (table = asTable(entries)));
  return table;
}

const namesOf = new WeakMap<readonly Entity[], ReadonlyMap<string, string>>();

/** The entities' names by id, made once for a list (a thousand units' figures ask it tens of thousands of times). */
function entityNames(entities: readonly Entity[]): ReadonlyMap<string, string> {
  let names = namesOf.get(entities);
  if (!names) namesOf.set(entities, (names = new Map(entities.map((e) => [e.id, e.name]))));
  return names;
}

/** The voucher lines behind a line's accounts, each as presented (the row's sign applied). */
export function voucherLines(spec: RowSpec, sign: Sign, postings: readonly Posting[]): VoucherLine[] {
  const selections = (spec.select ?? []).map((s) => compileSelection(s, spec.sign ?? sign));
  return postings.flatMap((p) => {
    const r: BalanceRow = {
      entity: p.entity,
      account: p.account,
      counterparty: p.counterparty,
      opening: 0n,
      debit: p.amount > 0n ? p.amount : 0n,
      credit: p.amount < 0n ? p.amount : 0n,
    };
    const value = selections.reduce((t, sel) => t + (sel(r) ?? 0n), 0n);
    if (value === 0n) return [];
    return [
      {
        file: p.source.file,
        ...(p.source.line ? { line: p.source.line } : {}),
        date: p.date,
        voucher: p.series ? `${p.series} ${p.voucher}` : p.voucher,
        text: p.text,
        entity: p.entity,
        account: p.account,
        counterparty: p.counterparty,
        value,
      },
    ];
  });
}

/** Every figure of a report's year (its statements, each scope) explained, for links to them. */
export function explainAll(
  input: ExplainInput,
  statements: readonly { id: string; scope: string; rows: readonly { id: string }[] }[],
): Explanation[] {
  const evaluated: Evaluated = new Map();
  return statements.flatMap((s) =>
    s.rows.flatMap((row) => {
      const e = explain(input, s.id, row.id, s.scope, evaluated);
      return "problem" in e || e.declared ? [] : [e];
    }),
  );
}
