import { basename, extname } from "node:path";
import type { LayoutSpec, SourceSpec } from "../domain/config.js";
import { parsePlainAmount, type Ore } from "../domain/money.js";
import type { Diagnostic, SourceRef } from "../domain/types.js";
import type { RowTable } from "../domain/row-table.js";
import { sha256File } from "../read/files.js";
import { readJson } from "../read/json.js";
import { readSie, SieRecord, type SieField } from "../read/sie.js";
import { withCellName } from "../read/table.js";
import { validateSchema } from "../validate/schema.js";
import { checkedCsvRows, jsonAmount } from "./ledger-file.js";
import type { InputFile } from "./ledger.js";
import { SIE_EXTENSIONS } from "./sie/ledger.js";
import { TrialBalanceBuilder } from "./trial-balance.js";
import { fileProblem, inWorkspace, type Workspace } from "./workspace.js";

export interface YearBudget {
  /** Budgets by account, as balance rows of the year's movement (ledger signs). */
  readonly rows: RowTable;
  /** Budgets by layout row, as presented, per entity. */
  readonly lines: ReadonlyMap<string, ReadonlyMap<string, Ore>>;
  readonly inputs: readonly InputFile[];
}

const BUDGET_COLUMNS = ["entity", "account", "line", "counterparty", "text", "amount"];

/** One budget amount as read, with where it stands. */
interface BudgetItem {
  readonly entity: string;
  readonly account?: string;
  readonly line?: string;
  readonly counterparty: string;
  readonly amount: Ore;
  at(field: string): SourceRef;
}

/** The row ids `--budget` follows up: the rows of the statements it follows. */
export const budgetLines = (layout: LayoutSpec) =>
  new Set(layout.statements.filter((s) => s.budget ?? s.id === "income").flatMap((s) => s.rows.map((r) => r.id)));

/**
 * Reads the year's budget files (CSV, Excel, JSON, or SIE with #PBUDGET): amounts by account go into a
 * trial balance like postings, amounts by layout row are kept per entity and row.
 */
export async function loadBudgets(
  ws: Workspace,
  year: number,
  layout: LayoutSpec,
  sources: readonly SourceSpec[] = ws.definition.years[String(year)]?.budgets ?? [],
): Promise<{ budget: YearBudget; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const tb = new TrialBalanceBuilder();
  const lines = new Map<string, Map<string, Ore>>();
  const inputs: InputFile[] = [];
  const entityIds = new Set(ws.entities.map((e) => e.id));
  const memberCodes = new Set(ws.members.map((m) => m.code));
  const known = budgetLines(layout);
  const problem = (code: string, message: string, at: SourceRef, hint: string) =>
    diagnostics.push({ code, severity: "error", message, ...at, hint });
  const accept = (b: BudgetItem) => {
    let ok = true;
    if (!entityIds.has(b.entity)) {
      problem(
        "E-ENTITY-UNKNOWN",
        `entity '${b.entity}' is not an entity of the group`,
        b.at("entity"),
        `Known entities: ${[...entityIds].join(", ")}.`,
      );
      ok = false;
    }
    if (b.account !== undefined && !ws.chart.has(b.account)) {
      problem(
        "E-ACCOUNT-UNKNOWN",
        `account ${b.account} is not in the chart of accounts`,
        b.at("account"),
        "Add the account to the chart, or correct the account number.",
      );
      ok = false;
    }
    if (b.line !== undefined && !known.has(b.line)) {
      problem(
        "E-BUDGET-LINE-UNKNOWN",
        `'${b.line}' is not a row of a statement the budget follows up`,
        b.at("line"),
        `Budget by a row id of the layout's income statement (${[...known].slice(0, 6).join(", ")}, …), or by account.`,
      );
      ok = false;
    }
    if (b.counterparty !== "" && !entityIds.has(b.counterparty) && !memberCodes.has(b.counterparty)) {
      problem(
        "E-COUNTERPARTY-UNKNOWN",
        `counterparty '${b.counterparty}' names no entity or member of the group`,
        b.at("counterparty"),
        "A counterparty is another entity's id (an internal item) or a member's code from consolidate.json.",
      );
      ok = false;
    }
    if (!ok) return;
    if (b.account !== undefined) tb.addPosting(b.entity, b.account, b.counterparty, b.amount);
    else {
      const own = lines.get(b.entity) ?? new Map<string, Ore>();
      own.set(b.line!, (own.get(b.line!) ?? 0n) + b.amount);
      lines.set(b.entity, own);
    }
  };
  for (const source of sources) {
    const path = inWorkspace(ws.dir, source.path);
    const unreadable = await fileProblem(path, path);
    if (unreadable) {
      diagnostics.push(unreadable);
      continue;
    }
    inputs.push({ path: source.path, sha256: await sha256File(path) });
    const ext = extname(path).toLowerCase();
    if (ext === ".json") await readJsonBudget(path, source, diagnostics, accept);
    else if (SIE_EXTENSIONS.has(ext)) await readSieBudget(ws, path, source, diagnostics, accept);
    else await readCsvBudget(ws, path, source, diagnostics, accept);
  }
  return { budget: { rows: tb.table(), lines, inputs }, diagnostics: diagnostics.map(withCellName) };
}

async function readCsvBudget(
  ws: Workspace,
  path: string,
  source: SourceSpec,
  diagnostics: Diagnostic[],
  accept: (b: BudgetItem) => void,
) {
  const rows = checkedCsvRows(ws, path, source, diagnostics, {
    required: ["amount", ...(source.entity ? [] : ["entity"])],
    known: BUDGET_COLUMNS,
    schema: "budget-row",
    dropEmpty: true, // an empty account or line column: the other one is used
  });
  for await (const { fields, amount, at } of rows)
    accept({
      entity: source.entity ?? fields.entity ?? "",
      ...(fields.account ? { account: fields.account } : { line: fields.line! }),
      counterparty: (fields.counterparty ?? "").trim(),
      amount,
      at,
    });
}

async function readJsonBudget(
  path: string,
  source: SourceSpec,
  diagnostics: Diagnostic[],
  accept: (b: BudgetItem) => void,
) {
  const { doc, diagnostics: syntax } = await readJson(path);
  for (const d of syntax) diagnostics.push(d);
  if (!doc) return;
  const schemaErrors = validateSchema("budget", doc.value, path, doc.locate);
  for (const d of schemaErrors) diagnostics.push(d);
  if (schemaErrors.length) return;
  const file = doc.value as {
    entity?: string;
    budget: { entity?: string; account?: string; line?: string; counterparty?: string }[];
  };
  file.budget.forEach((b, i) => {
    const at = (field: string): SourceRef => ({ file: path, ...doc.locate(`/budget/${i}/${field}`) });
    const read = jsonAmount(doc, `/budget/${i}/amount`, at("amount"));
    if ("problem" in read) {
      diagnostics.push(read.problem);
      return;
    }
    accept({
      entity: source.entity ?? b.entity ?? file.entity ?? "",
      ...(b.account ? { account: b.account } : { line: b.line! }),
      counterparty: (b.counterparty ?? "").trim(),
      amount: read.ore,
      at,
    });
  });
}

const text = (f: SieField | undefined): string => (typeof f === "string" ? f : "");

/** SIE budgets: `#PBUDGET 0 yyyymm account {objects} amount`, the periods of the current year added up. */
async function readSieBudget(
  ws: Workspace,
  path: string,
  source: SourceSpec,
  diagnostics: Diagnostic[],
  accept: (b: BudgetItem) => void,
) {
  const entityIds = new Map(ws.entities.map((e) => [e.id.toLowerCase(), e.id]));
  const unitsDim = source.unitsDimension ? String(source.unitsDimension) : undefined;
  const motpartDim = source.motpartDimension ? String(source.motpartDimension) : undefined;
  const fileEntity = source.entity ?? (unitsDim ? undefined : basename(path, extname(path)));
  for await (const batch of readSie(path, path))
    for (const item of batch) {
      if ("error" in item) diagnostics.push(item.error);
      if (!(item instanceof SieRecord) || item.label !== "#PBUDGET" || text(item.fields[0]) !== "0") continue;
      const r = item;
      const objects = typeof r.fields[3] === "object" ? r.fields[3].objects : [];
      const object = (dim: string | undefined) => {
        const obj = dim ? objects.find(([d]) => d === dim)?.[1] : undefined;
        return obj === undefined ? undefined : (entityIds.get(obj.toLowerCase()) ?? obj);
      };
      const entity = fileEntity ?? object(unitsDim);
      if (!entity) continue; // a total over all units: the per-unit rows carry it
      const at = (field: string): SourceRef => {
        const index = { account: 3, counterparty: 4, entity: 4, amount: 5 }[field] ?? 0;
        return { file: path, line: r.line, column: r.columns[Math.min(index, r.columns.length - 1)] ?? 1 };
      };
      const amount = parsePlainAmount(text(r.fields[4]));
      if (amount === null) {
        diagnostics.push({
          code: "E-AMOUNT-INVALID",
          severity: "error",
          message: `'${text(r.fields[4])}' is not a SIE amount (decimal point, at most two decimals)`,
          ...at("amount"),
          hint: "SIE amounts are written like -1234.50.",
        });
        continue;
      }
      accept({ entity, account: text(r.fields[2]), counterparty: object(motpartDim) ?? "", amount, at });
    }
}
