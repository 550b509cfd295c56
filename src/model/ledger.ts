import { shortText } from "../read/csv.js";
import { availableParallelism } from "node:os";
import { statSync } from "node:fs";
import type { Worker } from "node:worker_threads";
import type { Diagnostic, Posting, SourceRef } from "../domain/types.js";
import { isResultAccount } from "../domain/types.js";
import type { Ore } from "../domain/money.js";
import type { SourceSpec } from "../domain/config.js";
import type { Period } from "../domain/period.js";
import { sha256File } from "../read/files.js";
import { readJson } from "../read/json.js";
import { withCellName } from "../read/table.js";
import { unknownAccount, unknownCounterparty, type Finding } from "../validate/rules.js";
import { validateSchema } from "../validate/schema.js";
import { joinTables, TablesInTurn, type KeptSums, type RowTable } from "../domain/row-table.js";
import { byText } from "../domain/balance.js";
import { extname } from "node:path";
import {
  checkedCsvRows,
  duplicateVoucher,
  findVouchers,
  jsonAmount,
  loadLedgerFile,
  scanPostings,
  OPENING_COLUMNS,
  ruleContext,
  type LedgerFileJob,
  type LedgerFileResult,
  type OpeningSink,
} from "./ledger-file.js";
import { optimizeAfterReading, optimizeForReading } from "../start/tiering.js";
import { releaseReaders, stopReaders, takeReaders } from "./readers.js";
import { holdWhenGrown, readingThreads } from "./reader-thread.js";
import { ReceivedNames, unpackRows, type PackedRows } from "./row-transfer.js";
import { TrialBalanceBuilder } from "./trial-balance.js";
import { VoucherRegistry } from "./voucher-registry.js";
import { fileProblem, inWorkspace, readableFile, type Workspace } from "./workspace.js";

export interface InputFile {
  readonly path: string;
  readonly sha256: string;
}

export interface YearLedgers {
  readonly year: number;
  readonly rows: RowTable;
  readonly inputs: readonly InputFile[];
  readonly postings: number;
  readonly vouchers: number;
  /** Where the opening balance of each entity and account was read ("entity|account"). */
  readonly openingSources: ReadonlyMap<string, SourceRef>;
  /** The year's opening-balance files, for problems with no line of their own. */
  readonly openingFiles: readonly string[];
  /** Entities whose opening balances do not sum to zero, with the difference and a file to cite. */
  readonly openingImbalances: ReadonlyMap<string, { readonly total: Ore; readonly file: string }>;
}

export interface LoadOptions {
  /** Bytes read so far, for a progress bar. */
  readonly onBytes?: (bytes: number) => void;
  /**
   * A part of the fiscal year (a delårsrapport's January–August): the rows hold its movements,
   * opening at its first day. Applied while reading.
   */
  readonly window?: Period;
  /** Ledger files read in parallel threads; by default as many as cores when the files are large. */
  readonly jobs?: number;
  /** Whether the threads that read this year wait for the next one (readers.ts): the year after the prior year. */
  readonly keepReaders?: boolean;
  /** Sums the year's rows are to keep as its files' rows come in (keptSums): the elimination's pairs. */
  readonly keep?: () => KeptSums;
  /** Sums of every row the year's rows are to keep alike (keptSumsOfAll): its units' statements. */
  readonly keepAll?: () => KeptSums;
}

/**
 * Streams every ledger and opening-balance file of a year through the bookkeeping rules into a
 * trial balance. Collects all diagnostics; never stops at the first. V8 optimizes for reading
 * while it does, and later once it has (start/tiering.ts).
 */
export async function loadYear(
  ws: Workspace,
  year: number,
  options: LoadOptions = {},
): Promise<{ ledgers: YearLedgers; diagnostics: Diagnostic[] }> {
  optimizeForReading();
  try {
    return await readYear(ws, year, options);
  } finally {
    optimizeAfterReading();
  }
}

async function readYear(
  ws: Workspace,
  year: number,
  options: LoadOptions,
): Promise<{ ledgers: YearLedgers; diagnostics: Diagnostic[] }> {
  const sources = ws.definition.years[String(year)] ?? { ledgers: [] };
  const diagnostics: Diagnostic[] = [];
  const tb = new TrialBalanceBuilder();
  const inputs: InputFile[] = [];
  const ctx = ruleContext(ws, year);
  const report = (f: Finding, at: SourceRef) =>
    diagnostics.push({ code: f.code, severity: "error", message: f.message, ...at, hint: f.hint });

  const openingTotals = new Map<string, { total: Ore; at: SourceRef }>();
  const openingSources = new Map<string, SourceRef>();
  // Where each entity, account and counterparty opened: a second opening is a file or row given twice.
  const openedAt = new Map<string, SourceRef>();
  const acceptOpening: OpeningSink = (entity, account, counterparty, amount, at) => {
    const key = `${entity}\u0000${account}\u0000${counterparty}`;
    const first = openedAt.get(key);
    if (first) {
      report(secondOpening(entity, account, counterparty, first), at("account"));
      return;
    }
    openedAt.set(key, at("account"));
    const known = ws.chart.get(account);
    const findings: Finding[] = [];
    if (!ctx.entityIds.has(entity))
      findings.push({
        code: "E-ENTITY-UNKNOWN",
        message: `entity '${shortText(entity)}' is not an entity of the group`,
        hint: `Known entities: ${[...ctx.entityIds].join(", ")}.`,
        field: "entity",
      });
    if (!known) findings.push(unknownAccount(account, ws.chart));
    else if (isResultAccount(known.type) && amount !== 0n) {
      findings.push({
        code: "E-OPENING-RESULT-ACCOUNT",
        message: `result account ${account} (${known.type}) has an opening balance`,
        hint: "Only balance-sheet accounts (assets, liabilities, equity) carry balances into a new year.",
        field: "account",
      });
    }
    if (counterparty !== "" && !ctx.entityIds.has(counterparty) && !ctx.memberCodes.has(counterparty))
      findings.push(unknownCounterparty(counterparty, ctx));
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
      report(unknownAccount(account, ws.chart), at("account"));
      return;
    }
    tb.addPosting(entity, account, counterparty, amount);
  };

  const jobs: LedgerFileJob[] = [];
  for (const source of sources.ledgers) {
    const path = inWorkspace(ws.dir, source.path);
    const size = ws.fileSizes?.get(path);
    const found = size === undefined ? await readableFile(path, path) : { size };
    if ("problem" in found) diagnostics.push(found.problem);
    else jobs.push({ path, source, year, size: found.size, ...(options.window ? { window: options.window } : {}) });
  }
  const { results, rows: fileRows } = await loadLedgerFiles(ws, jobs, options);
  // Taken in the order of consolidate.json, so that the result never depends on which file
  // finished first (indexed: the entries of a thousand files, destructured, went through the
  // iteration protocol in unoptimized code).
  const vouchers = new VoucherRegistry();
  let postingCount = 0;
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    const job = jobs[i]!;
    inputs.push({ path: job.source.path, sha256: r.sha256 });
    for (let k = 0; k < r.diagnostics.length; k++) diagnostics.push(r.diagnostics[k]!);
    postingCount += r.postings;
    for (let k = 0; k < r.openings.length; k++) {
      const b = r.openings[k]!;
      acceptOpening(b.entity, b.account, b.counterparty, b.amount, () => b.at);
    }
    if (options.window && r.movements.length)
      report(
        {
          code: "E-PERIOD-BALANCES",
          message: `the file holds the year's balances without vouchers: its movements cannot be split at ${options.window.start} – ${options.window.end}`,
          hint: "A part of the year needs the vouchers (SIE 4), or a trial balance exported for that part.",
          field: "account",
        },
        { file: job.path },
      );
    else
      for (let k = 0; k < r.movements.length; k++) {
        const b = r.movements[k]!;
        acceptMovement(b.entity, b.account, b.counterparty, b.amount, () => b.at);
      }
    const again = vouchers.merge(r.vouchers);
    if (again.length) {
      const keys = again.map(({ series, voucher }) => `${series}\u0000${voucher}`);
      const where = await findVouchers(ws, job, new Set(keys));
      for (const key of keys) {
        const [entity, series, voucher] = key.split("\u0000") as [string, string, string];
        report(duplicateVoucher(entity, series, voucher), where.get(key) ?? { file: job.path });
      }
    }
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
  const openingImbalances = new Map<string, { total: Ore; file: string }>();
  for (const [entity, { total, at }] of openingTotals)
    if (total !== 0n) openingImbalances.set(entity, { total, file: at.file });
  return {
    ledgers: {
      year,
      rows: joinTables([fileRows, tb.table()]),
      inputs,
      postings: postingCount,
      vouchers: vouchers.size,
      openingSources,
      openingFiles: (sources.openingBalances ?? []).map((s) => inWorkspace(ws.dir, s.path)),
      openingImbalances,
    },
    diagnostics: diagnostics.map(withCellName),
  };
}

/** An entity's account (and counterparty) opens the year a second time: it would count twice. */
function secondOpening(entity: string, account: string, counterparty: string, first: SourceRef): Finding {
  const where = [first.file, first.line, first.column].filter((x) => x !== undefined).join(":");
  return {
    code: "E-OPENING-DUPLICATE",
    message: `a second opening balance of ${entity} on account ${account}${counterparty ? ` with counterparty ${counterparty}` : ""} (the first is at ${where}): it is not counted`,
    hint: "Each entity opens the year once per account and counterparty: a row given twice, an opening file listed twice, or a unit's SIE #IB given again in an opening file.",
    field: "account",
  };
}

/** The postings of a year's ledgers that `keep` selects, in the order of consolidate.json. */
export async function loadPostings(ws: Workspace, year: number, keep: (p: Posting) => boolean): Promise<Posting[]> {
  const out: Posting[] = [];
  for (const source of ws.definition.years[String(year)]?.ledgers ?? []) {
    const path = inWorkspace(ws.dir, source.path);
    if (!(await fileProblem(path, path)))
      for (const x of await scanPostings(ws, { path, source, year }, keep)) out.push(x);
  }
  return out;
}

async function loadLedgerFiles(
  ws: Workspace,
  jobs: readonly LedgerFileJob[],
  options: LoadOptions,
): Promise<{ results: LedgerFileResult[]; rows: RowTable }> {
  // Each size found as the workspace checked where the file lies, or loadYear that it is readable
  // (a stat a file less each: a thousand files, 7-12 ms), else at once, not through the thread pool
  // (a thousand files' sizes took about 30 ms that way, 6-12 ms so).
  const sizes = jobs.map((j) => j.size ?? statSync(j.path).size);
  const threads = readingThreads(sizes, options.jobs, availableParallelism());
  const order = readingOrder(jobs, sizes, threads);
  const turns = new TablesInTurn(
    order.map((i) => sizes[i]!),
    {
      entities: new Set(ws.entities.map((e) => e.id)),
      chart: ws.chart,
      ...(options.keep ? { more: options.keep() } : {}),
      ...(options.keepAll ? { all: options.keepAll() } : {}),
    },
  );
  const turnOf = new Array<number>(jobs.length);
  order.forEach((i, turn) => (turnOf[i] = turn));
  const results = new Array<LedgerFileResult>(jobs.length);
  const take = (i: number, { result, rows }: { readonly result: LedgerFileResult; readonly rows: RowTable }) => {
    results[i] = result;
    turns.put(turnOf[i]!, rows);
  };
  if (threads <= 1) {
    stopReaders();
    for (const i of order) take(i, await loadLedgerFile(ws, jobs[i]!, options.onBytes));
    return { results, rows: turns.table() };
  }
  // The files are taken in turn by every thread from one shared count: no message a file to hand
  // it out, and no thread is left with files queued for it while another has none.
  const cursor = new Int32Array(new SharedArrayBuffer(4));
  const nextTurn = () => Atomics.add(cursor, 0, 1);
  const afterChunk = (bytes: number) => {
    options.onBytes?.(bytes);
    holdWhenGrown();
  };
  const here = async () => {
    for (let turn = nextTurn(); turn < order.length; turn = nextTurn()) {
      const i = order[turn]!;
      take(i, await loadLedgerFile(ws, jobs[i]!, afterChunk));
      // A small file is read without waiting on the disk: let the workers' messages in between.
      await new Promise(setImmediate);
    }
  };
  const workers = takeReaders(threads - 1, ws, options.onBytes !== undefined);
  const files: ReaderFiles = { files: order.map((i) => ({ i, job: jobs[i]! })), cursor };
  const drive = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      // Set up by takeReaders, the worker has sent no names yet.
      const names = new ReceivedNames();
      const onMessage = (m: WorkerMessage) => {
        if ("bytes" in m) options.onBytes?.(m.bytes);
        else if ("error" in m) fail(new Error(m.error));
        else if ("done" in m) done();
        else {
          take(m.i, { result: m.result, rows: unpackRows(m.rows, names) });
          holdWhenGrown();
        }
      };
      const fail = (err: Error) => {
        worker.off("message", onMessage).off("error", fail);
        reject(err);
      };
      const done = () => {
        worker.off("message", onMessage).off("error", fail);
        resolve();
      };
      worker.on("message", onMessage).on("error", fail);
      // Handed the files at once, not when it is online: the message waits for it.
      worker.postMessage(files);
    });
  let keep = false;
  try {
    await Promise.all([...workers.map(drive), here()]);
    keep = options.keepReaders === true;
  } finally {
    releaseReaders(workers, keep);
  }
  return { results, rows: turns.table() };
}

/** A year's files in the order they are read, each taken by the thread that adds one to `cursor` to its turn. */
export interface ReaderFiles {
  readonly files: readonly { readonly i: number; readonly job: LedgerFileJob }[];
  readonly cursor: Int32Array;
}

/**
 * The order the files are read in: the order their rows come in the year's table (by the entity
 * each is declared for, then path), so that each file's rows go to their place as it is read
 * (TablesInTurn). Largest first instead when one file is more than half a thread's share of the
 * year: no thread is then left alone with a big file at the end.
 */
export function readingOrder(jobs: readonly LedgerFileJob[], sizes: readonly number[], threads: number): number[] {
  const indexes = jobs.map((_, i) => i);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (threads > 1 && sizes.some((size) => size > total / (2 * threads)))
    return indexes.sort((a, b) => sizes[b]! - sizes[a]!);
  const entity = (i: number) => jobs[i]!.source.entity ?? "";
  return indexes.sort((a, b) => byText(entity(a), entity(b)) || byText(jobs[a]!.path, jobs[b]!.path));
}

/** What a ledger worker sends back: progress, a file's result, or an unexpected failure. */
export type WorkerMessage =
  | { bytes: number }
  | { done: true }
  | { i: number; result: LedgerFileResult; rows: PackedRows }
  | { i: number; error: string };

async function readOpeningBalances(
  path: string,
  source: SourceSpec,
  ws: Workspace,
  diagnostics: Diagnostic[],
  sink: OpeningSink,
) {
  if (extname(path).toLowerCase() === ".json") {
    const { doc, diagnostics: syntax } = await readJson(path);
    for (const d of syntax) diagnostics.push(d);
    if (!doc) return;
    const schemaErrors = validateSchema("opening", doc.value, path, doc.locate);
    for (const d of schemaErrors) diagnostics.push(d);
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
  const rows = checkedCsvRows(ws, path, source, diagnostics, {
    required: ["account", "amount", ...(source.entity ? [] : ["entity"])],
    known: OPENING_COLUMNS,
    schema: "opening-row",
  });
  for await (const { fields, amount, at } of rows)
    sink(source.entity ?? fields.entity!, fields.account!, (fields.counterparty ?? "").trim(), amount, at);
}
