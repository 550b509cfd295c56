import { extname } from "node:path";
import type { SourceSpec } from "../domain/config.js";
import type { Diagnostic, Posting, SourceRef } from "../domain/types.js";
import { isResultAccount } from "../domain/types.js";
import { formatKronor, parsePlainAmount, type Ore } from "../domain/money.js";
import { parseAmount } from "../read/amount.js";
import { readCsv, type CsvRecord } from "../read/csv.js";
import { sha256File } from "../read/files.js";
import { readJson, type JsonDocument } from "../read/json.js";
import { POSTING_RULES, VOUCHER_RULES, type Finding, type RuleContext } from "../validate/rules.js";
import { validateSchema } from "../validate/schema.js";
import type { BalanceRow } from "../domain/balance.js";
import { readSieLedger, SIE_EXTENSIONS } from "./sie.js";
import { TrialBalanceBuilder } from "./trial-balance.js";
import { VoucherRegistry } from "./voucher-registry.js";
import { fileProblem, inWorkspace, type Workspace } from "./workspace.js";

export interface InputFile {
  readonly path: string;
  readonly sha256: string;
}

export interface YearLedgers {
  readonly year: number;
  readonly rows: readonly BalanceRow[];
  readonly inputs: readonly InputFile[];
  readonly postings: number;
  /** Where the opening balance of each entity and account was read ("entity|account"). */
  readonly openingSources: ReadonlyMap<string, SourceRef>;
  /** The year's opening-balance files, for problems with no line of their own. */
  readonly openingFiles: readonly string[];
  /** Postings with another entity as counterparty (at most MAX_INTERNAL_POSTINGS), to explain mismatches. */
  readonly internalPostings: readonly Posting[];
}

const MAX_INTERNAL_POSTINGS = 100_000;

/** Where a ledger reader delivers: readable postings, the vouchers of unreadable lines, diagnostics. */
export interface LedgerSink {
  accept(l: Located): void;
  reject(entity: string, series: string, voucher: string): void;
  report(d: Diagnostic): void;
  opening: OpeningSink;
  movement: OpeningSink;
  /** Bytes read so far, for a progress bar. */
  onBytes?: (bytes: number) => void;
}

/** A posting together with a way to point at any of its fields in the file it came from. */
export interface Located {
  readonly posting: Posting;
  at(field: string): SourceRef;
  /** The voucher it belongs to, when a voucher may span entities (SIE); else entity and number. */
  readonly voucherKey?: string;
}

const LEDGER_COLUMNS = ["entity", "series", "voucher", "date", "account", "amount", "counterparty", "text"];
const OPENING_COLUMNS = ["entity", "account", "counterparty", "amount"];
const KNOWN_LEDGER_COLUMNS = new Set(LEDGER_COLUMNS);

/**
 * Streams every ledger and opening-balance file of a year through the bookkeeping rules into a
 * trial balance. Collects all diagnostics; never stops at the first.
 */
export async function loadYear(
  ws: Workspace,
  year: number,
  onBytes?: (bytes: number) => void,
): Promise<{ ledgers: YearLedgers; diagnostics: Diagnostic[] }> {
  const sources = ws.definition.years[String(year)] ?? { ledgers: [] };
  const diagnostics: Diagnostic[] = [];
  const tb = new TrialBalanceBuilder();
  const inputs: InputFile[] = [];
  const ctx: RuleContext = {
    year,
    chart: ws.chart,
    entityIds: new Set(ws.entities.map((e) => e.id)),
    memberCodes: new Set(ws.members.map((m) => m.code)),
  };
  const report = (f: Finding, at: SourceRef) =>
    diagnostics.push({ code: f.code, severity: "error", message: f.message, ...at, hint: f.hint });

  // Vouchers arrive as consecutive postings; a voucher key seen again later is a duplicate.
  const seenVouchers = new VoucherRegistry();
  let current: Located[] = [];
  let currentKey = "";
  // A voucher with a line that could not be read is not checked as a whole: its balance would
  // only repeat that line's error.
  const incomplete = new Set<string>();
  const voucherKey = (entity: string, series: string, voucher: string, file: string) =>
    `${entity}\u0000${series}\u0000${voucher}\u0000${file}`;
  const closeVoucher = () => {
    if (current.length === 0) return;
    const postings = current.map((l) => l.posting);
    for (const rule of incomplete.has(currentKey) ? [] : VOUCHER_RULES) {
      const f = rule.check(postings, ctx);
      if (f) report(f, current[f.posting ?? 0]!.at(f.field));
    }
    const p0 = postings[0]!;
    if (!seenVouchers.add(`${p0.entity}\u0000${p0.series}`, p0.voucher)) {
      report(
        {
          code: "E-VOUCHER-DUPLICATE",
          message: `voucher ${p0.series}${p0.voucher} of ${p0.entity} appears more than once`,
          hint: "Each voucher number is used once per series and entity; keep a voucher's postings together.",
          field: "voucher",
        },
        current[0]!.at("voucher"),
      );
    }
    current = [];
  };
  let postingCount = 0;
  const internalPostings: Posting[] = [];
  const accept = (l: Located) => {
    const p = l.posting;
    const key = l.voucherKey ?? voucherKey(p.entity, p.series, p.voucher, p.source.file);
    if (key !== currentKey) {
      closeVoucher();
      currentKey = key;
    }
    current.push(l);
    postingCount++;
    let ok = true;
    for (const rule of POSTING_RULES) {
      const f = rule.check(p, ctx);
      if (f) {
        ok = false;
        report(f, l.at(f.field));
      }
    }
    if (!ok) return;
    tb.addPosting(p.entity, p.account, p.counterparty, p.amount);
    const internal = p.counterparty !== p.entity && ctx.entityIds.has(p.counterparty);
    // Kept without text and dimensions: a substring of the text would keep the whole chunk of the
    // file it was read from alive.
    if (internal && internalPostings.length < MAX_INTERNAL_POSTINGS)
      internalPostings.push({ ...p, text: "", dimensions: {} });
  };

  const openingTotals = new Map<string, { total: Ore; at: SourceRef }>();
  const openingSources = new Map<string, SourceRef>();
  const acceptOpening: OpeningSink = (entity, account, counterparty, amount, at) => {
    const known = ws.chart.get(account);
    const findings: Finding[] = [];
    if (!ctx.entityIds.has(entity))
      findings.push({
        code: "E-ENTITY-UNKNOWN",
        message: `entity '${entity}' is not an entity of the group`,
        hint: `Known entities: ${[...ctx.entityIds].join(", ")}.`,
        field: "entity",
      });
    if (!known)
      findings.push({
        code: "E-ACCOUNT-UNKNOWN",
        message: `account ${account} is not in the chart of accounts`,
        hint: "Add the account to the chart, or correct the account number.",
        field: "account",
      });
    else if (isResultAccount(known.type) && amount !== 0n) {
      findings.push({
        code: "E-OPENING-RESULT-ACCOUNT",
        message: `result account ${account} (${known.type}) has an opening balance`,
        hint: "Only balance-sheet accounts (assets, liabilities, equity) carry balances into a new year.",
        field: "account",
      });
    }
    if (counterparty !== "" && !ctx.entityIds.has(counterparty) && !ctx.memberCodes.has(counterparty)) {
      findings.push({
        code: "E-COUNTERPARTY-UNKNOWN",
        message: `counterparty '${counterparty}' names no entity or member of the group`,
        hint: "A counterparty is another entity's id (an internal item) or a member's code from consolidate.json.",
        field: "counterparty",
      });
    }
    // The file's own balance counts every line, accepted or not, so that one refused line does
    // not also make the balance sheet look unbalanced.
    const t = openingTotals.get(entity) ?? { total: 0n, at: at("amount") };
    t.total += amount;
    openingTotals.set(entity, t);
    findings.forEach((f) => report(f, at(f.field)));
    if (findings.length) return;
    tb.addOpening(entity, account, counterparty, amount);
    if (!openingSources.has(`${entity}|${account}`)) openingSources.set(`${entity}|${account}`, at("amount"));
  };
  /** A balance-only source's movement for the year (closing minus opening), with no vouchers. */
  const acceptMovement: OpeningSink = (entity, account, counterparty, amount, at) => {
    if (!ws.chart.has(account)) {
      report(
        {
          code: "E-ACCOUNT-UNKNOWN",
          message: `account ${account} is not in the chart of accounts`,
          hint: "Add the account to the chart, or correct the account number.",
          field: "account",
        },
        at("account"),
      );
      return;
    }
    tb.addPosting(entity, account, counterparty, amount);
  };

  for (const source of sources.ledgers) {
    const path = inWorkspace(ws.dir, source.path);
    const problem = await fileProblem(path, path);
    if (problem) {
      diagnostics.push(problem);
      continue;
    }
    inputs.push({ path: source.path, sha256: await sha256File(path) });
    const sink: LedgerSink = {
      accept,
      reject: (entity, series, voucher) => incomplete.add(voucherKey(entity, series, voucher, path)),
      report: (d) => diagnostics.push(d),
      opening: acceptOpening,
      movement: acceptMovement,
      onBytes,
    };
    const ext = extname(path).toLowerCase();
    if (ext === ".json") await readJsonLedger(path, source, sink);
    else if (SIE_EXTENSIONS.has(ext)) await readSieLedger(path, source, year, ws, sink);
    else await readCsvLedger(path, source, ws, sink);
    closeVoucher();
    currentKey = "";
  }

  for (const source of sources.openingBalances ?? []) {
    const path = inWorkspace(ws.dir, source.path);
    const problem = await fileProblem(path, path);
    if (problem) {
      diagnostics.push(problem);
      continue;
    }
    inputs.push({ path: source.path, sha256: await sha256File(path) });
    await readOpeningBalances(path, source, ws, diagnostics, acceptOpening);
  }
  for (const [entity, { total, at }] of openingTotals) {
    if (total !== 0n) {
      diagnostics.push({
        code: "E-BALANCE-UNBALANCED",
        severity: "error",
        message: `the opening balance sheet of ${entity} for ${year} does not balance: assets exceed equity and liabilities by ${formatKronor(total)} kr`,
        file: at.file,
        hint: "Opening balances sum to zero per entity: assets equal equity, provisions and liabilities.",
      });
    }
  }
  return {
    ledgers: {
      year,
      rows: tb.build(),
      inputs,
      postings: postingCount,
      openingSources,
      openingFiles: (sources.openingBalances ?? []).map((s) => inWorkspace(ws.dir, s.path)),
      internalPostings,
    },
    diagnostics,
  };
}

function csvLocator(path: string, r: CsvRecord) {
  return (field: string): SourceRef => ({ file: path, line: r.line, column: r.columnOf(field) });
}

/** Checks a CSV header: the required columns are there, every other column is known. */
function headerProblems(
  path: string,
  names: readonly string[],
  line: number,
  required: string[],
  known: string[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const missing = required.filter((c) => !names.includes(c));
  if (missing.length) {
    out.push({
      code: "E-CSV-COLUMN-MISSING",
      severity: "error",
      message: `missing column(s) ${missing.join(", ")}`,
      file: path,
      line,
      column: 1,
      hint: `The header must name: ${required.join(", ")}.`,
    });
  }
  names.forEach((n) => {
    if (!known.includes(n) && !/^dim\.[A-Za-z0-9_-]+$/.test(n)) {
      out.push({
        code: "E-CSV-COLUMN-UNKNOWN",
        severity: "error",
        message: `unknown column '${n}'`,
        file: path,
        line,
        column: 1,
        hint: `Known columns: ${known.join(", ")}, and dim.NAME for free dimensions.`,
      });
    }
  });
  return out;
}

async function readCsvLedger(path: string, source: SourceSpec, ws: Workspace, sink: LedgerSink) {
  const numberFormat = { ...ws.numberFormat, ...source.numberFormat };
  const required = ["series", "voucher", "date", "account", "amount", ...(source.entity ? [] : ["entity"])];
  let empty = true;
  for await (const batch of readCsv(path, path, { ...ws.csv, ...source.csv }, sink.onBytes))
    for (const item of batch) {
      if ("error" in item) {
        sink.report(item.error);
        empty = false; // the file's problem is said; an empty-ledger warning would only repeat it
        continue;
      }
      if ("header" in item) {
        const problems = headerProblems(path, item.header.names, item.header.line, required, LEDGER_COLUMNS);
        problems.forEach(sink.report);
        if (problems.some((d) => d.code === "E-CSV-COLUMN-MISSING")) return;
        continue;
      }
      empty = false;
      const r = item.record;
      const at = csvLocator(path, r);
      // Unknown columns were reported once, at the header.
      const f: Record<string, string> = {};
      const dimensions: Record<string, string> = {};
      for (const k in r.fields) {
        const v = r.fields[k]!;
        if (KNOWN_LEDGER_COLUMNS.has(k)) f[k] = v;
        else if (k.startsWith("dim.")) {
          f[k] = v;
          if (v !== "") dimensions[k.slice(4)] = v;
        }
      }
      // Dates as YYYYMMDD, as some systems export them, are the same day as YYYY-MM-DD.
      if (f.date && /^\d{8}$/.test(f.date)) f.date = `${f.date.slice(0, 4)}-${f.date.slice(4, 6)}-${f.date.slice(6)}`;
      const entity = source.entity ?? f.entity ?? "";
      const schemaErrors = validateSchema("ledger-row", f, path, (ptr) => ({
        line: r.line,
        column: r.columnOf(ptr.slice(1)),
      }));
      const amount = schemaErrors.length ? undefined : parseAmount(f.amount!, numberFormat);
      if (amount === undefined || "problem" in amount) {
        schemaErrors.forEach(sink.report);
        if (amount)
          sink.report({
            code: amount.code,
            severity: "error",
            message: amount.problem,
            ...at("amount"),
            hint: amount.hint,
          });
        sink.reject(entity, f.series ?? "", f.voucher ?? "");
        continue;
      }
      sink.accept({
        at,
        posting: {
          entity,
          series: f.series!,
          voucher: f.voucher!,
          date: f.date!,
          account: f.account!,
          amount: amount.ore,
          counterparty: (f.counterparty ?? "").trim(),
          dimensions,
          text: f.text ?? "",
          source: { file: path, line: r.line },
        },
      });
    }
  if (empty) {
    sink.report({
      code: "W-LEDGER-EMPTY",
      severity: "warning",
      message: "the ledger has no postings",
      file: path,
      line: 1,
      column: 1,
      hint: "Check that the export is complete, or remove the file from consolidate.json.",
    });
  }
}

interface JsonLedger {
  entity?: string;
  vouchers: {
    entity?: string;
    series: string;
    number: string | number;
    date: string;
    text?: string;
    postings: {
      account: string;
      amount: string | number;
      counterparty?: string;
      dimensions?: Record<string, string>;
      text?: string;
    }[];
  }[];
}

async function readJsonLedger(path: string, source: SourceSpec, sink: LedgerSink) {
  const { doc, diagnostics: syntax } = await readJson(path);
  syntax.forEach(sink.report);
  if (!doc) return;
  const schemaErrors = validateSchema("ledger", doc.value, path, doc.locate);
  schemaErrors.forEach(sink.report);
  if (schemaErrors.length) return;
  const ledger = doc.value as JsonLedger;
  ledger.vouchers.forEach((v, vi) => {
    const entity = source.entity ?? v.entity ?? ledger.entity;
    if (!entity) {
      sink.report({
        code: "E-SCHEMA",
        severity: "error",
        message: "voucher names no entity",
        file: path,
        ...doc.locate(`/vouchers/${vi}`),
        hint: "Give the entity in consolidate.json, at the top of the file, or on the voucher.",
      });
      return;
    }
    v.postings.forEach((p, pi) => {
      const base = `/vouchers/${vi}/postings/${pi}`;
      const at = (field: string): SourceRef => {
        const pointer =
          field === "voucher"
            ? `/vouchers/${vi}/number`
            : ["date", "entity"].includes(field)
              ? `/vouchers/${vi}/${field}`
              : `${base}/${field}`;
        return { file: path, ...doc.locate(pointer) };
      };
      const read = jsonAmount(doc, `${base}/amount`, at("amount"));
      if ("problem" in read) {
        sink.report(read.problem);
        sink.reject(entity, v.series, String(v.number));
        return;
      }
      const amount = read.ore;
      sink.accept({
        at,
        posting: {
          entity,
          series: v.series,
          voucher: String(v.number),
          date: v.date,
          account: p.account,
          amount,
          counterparty: (p.counterparty ?? "").trim(),
          dimensions: p.dimensions ?? {},
          text: p.text ?? v.text ?? "",
          source: at("account"),
        },
      });
    });
  });
}

/** A JSON amount read from the file's own text (a number or a string), never through a float. */
function jsonAmount(doc: JsonDocument, pointer: string, where: SourceRef): { ore: Ore } | { problem: Diagnostic } {
  const raw = doc.raw(pointer) ?? "";
  const ore = parsePlainAmount(raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
  if (ore !== null) return { ore };
  return {
    problem: {
      code: "E-AMOUNT-INVALID",
      severity: "error",
      message: `'${raw}' is not an amount with at most two decimals`,
      ...where,
      hint: "Write kronor with a decimal point and at most two decimals.",
    },
  };
}

export type OpeningSink = (
  entity: string,
  account: string,
  counterparty: string,
  amount: Ore,
  at: (field: string) => SourceRef,
) => void;

async function readOpeningBalances(
  path: string,
  source: SourceSpec,
  ws: Workspace,
  diagnostics: Diagnostic[],
  sink: OpeningSink,
) {
  if (extname(path).toLowerCase() === ".json") {
    const { doc, diagnostics: syntax } = await readJson(path);
    diagnostics.push(...syntax);
    if (!doc) return;
    const schemaErrors = validateSchema("opening", doc.value, path, doc.locate);
    diagnostics.push(...schemaErrors);
    if (schemaErrors.length) return;
    const file = doc.value as {
      entity?: string;
      balances: { entity?: string; account: string; counterparty?: string }[];
    };
    file.balances.forEach((b, i) => {
      const at = (field: string): SourceRef => ({ file: path, ...doc.locate(`/balances/${i}/${field}`) });
      const read = jsonAmount(doc, `/balances/${i}/amount`, at("amount"));
      const entity = source.entity ?? b.entity ?? file.entity ?? "";
      if ("problem" in read) diagnostics.push(read.problem);
      else sink(entity, b.account, (b.counterparty ?? "").trim(), read.ore, at);
    });
    return;
  }
  const required = ["account", "amount", ...(source.entity ? [] : ["entity"])];
  for await (const batch of readCsv(path, path, { ...ws.csv, ...source.csv }))
    for (const item of batch) {
      if ("error" in item) {
        diagnostics.push(item.error);
        continue;
      }
      if ("header" in item) {
        const problems = headerProblems(path, item.header.names, item.header.line, required, OPENING_COLUMNS);
        diagnostics.push(...problems);
        if (problems.some((d) => d.code === "E-CSV-COLUMN-MISSING")) return;
        continue;
      }
      const r = item.record;
      const at = csvLocator(path, r);
      const known = Object.fromEntries(Object.entries(r.fields).filter(([k]) => OPENING_COLUMNS.includes(k)));
      const schemaErrors = validateSchema("opening-row", known, path, (ptr) => ({
        line: r.line,
        column: r.columnOf(ptr.slice(1)),
      }));
      if (schemaErrors.length) {
        diagnostics.push(...schemaErrors);
        continue;
      }
      const amount = parseAmount(r.fields.amount!, { ...ws.numberFormat, ...source.numberFormat });
      if ("problem" in amount) {
        diagnostics.push({
          code: amount.code,
          severity: "error",
          message: amount.problem,
          ...at("amount"),
          hint: amount.hint,
        });
        continue;
      }
      sink(source.entity ?? r.fields.entity!, r.fields.account!, (r.fields.counterparty ?? "").trim(), amount.ore, at);
    }
}
