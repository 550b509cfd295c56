import { accountNameIn, type AccountName } from "../domain/account-names.js";
import { extname } from "node:path";
import type { SourceSpec } from "../domain/config.js";
import type { Diagnostic, Posting, SourceRef } from "../domain/types.js";
import { isResultAccount, voucherId } from "../domain/types.js";
import type { Period } from "../domain/period.js";
import { closest } from "../domain/suggest.js";
import { parseDigitsOre, parseDigitsOreIn, parseGroupedOreIn, parsePlainAmount, type Ore } from "../domain/money.js";
import type { BalanceRow } from "../domain/balance.js";
import type { RowTable } from "../domain/row-table.js";
import {
  fieldCountProblem,
  readTable,
  readTableInto,
  tableAmount,
  type TableConsumer,
  type TableHeader,
  type TableItem,
  type TableRecord,
} from "../read/table.js";
import { fieldColumns, shortText } from "../read/csv.js";
import { QUOTE } from "../read/text.js";
import type { NumberFormat } from "../read/amount.js";
import { CappedDiagnostics } from "../domain/capped.js";
import { sha256File } from "../read/files.js";
import { readJson, type JsonDocument } from "../read/json.js";
import { passesPostingRules, POSTING_RULES, VOUCHER_RULES, type Finding, type RuleContext } from "../validate/rules.js";
import { validateSchema, type SchemaName } from "../validate/schema.js";
import { readSieLedger, SIE_EXTENSIONS } from "./sie/ledger.js";
import { isoDate } from "./sie/scope.js";
import { TrialBalanceBuilder } from "./trial-balance.js";
import { VoucherRegistry, type VoucherSnapshot } from "./voucher-registry.js";
import { periodOf, type ReadingWorkspace } from "./workspace.js";

/** Where a ledger reader delivers: readable postings, the vouchers of unreadable lines, diagnostics. */
export interface LedgerSink {
  /** Whether the posting was booked as the year's movement (not refused by a rule, not outside the part of the year read). */
  accept(l: Located): boolean;
  /** The movement booked so far, as trial-balance rows (the file's reader, not a scan of it). */
  booked?(): readonly BalanceRow[];
  reject(entity: string, series: string, voucher: string): void;
  report(d: Diagnostic): void;
  opening: OpeningSink;
  movement: OpeningSink;
  /** Bytes read so far, for a progress bar. */
  onBytes?: (bytes: number) => void;
}

export type OpeningSink = (
  entity: string,
  account: string,
  counterparty: string,
  amount: Ore,
  at: (field: string) => SourceRef,
) => void;

/** A posting together with a way to point at any of its fields in the file it came from. */
export interface Located {
  readonly posting: Posting;
  at(field: string): SourceRef;
  /** The voucher it belongs to, when a voucher may span entities (SIE); else entity and number. */
  readonly voucherKey?: string;
  /**
   * Where the file marks its vouchers off (a JSON voucher object), which one the posting stands
   * in: a posting of the next one starts another voucher, even under the same number.
   */
  readonly voucherRecord?: number;
}

/** A balance a ledger file declares (SIE #IB, or a balance-only file's movement), kept for the year. */
export interface DeclaredBalance {
  readonly entity: string;
  readonly account: string;
  readonly counterparty: string;
  readonly amount: Ore;
  readonly at: SourceRef;
}

/** Everything one ledger file contributes to its year but its rows, computed without looking at other files. */
export interface LedgerFileResult {
  readonly sha256: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly postings: number;
  readonly vouchers: VoucherSnapshot;
  readonly openings: readonly DeclaredBalance[];
  readonly movements: readonly DeclaredBalance[];
}

/** One ledger file of a year, as the main thread or a worker thread is given it. */
export interface LedgerFileJob {
  /** The path as shown in diagnostics (workspace folder + path in consolidate.json). */
  readonly path: string;
  readonly source: SourceSpec;
  readonly year: number;
  /** Its size in bytes, when looked up already (it was checked to be readable). */
  readonly size?: number;
  /** A part of the fiscal year: postings after it are left out, those before it open it. */
  readonly window?: Period;
}

/** A part of the year, and where a result booked before it goes in the balance sheet. */
interface Window {
  readonly period: Period;
  readonly resultAccount: string;
}

/**
 * A set that remembers the last name it found: a file's postings are mostly one entity's, whose
 * name is then found without a lookup (1M postings: 1 % fewer instructions, cachegrind).
 */
export class LastFound extends Set<string> {
  #last: string | undefined;

  override has(name: string): boolean {
    if (name === this.#last) return true;
    const found = super.has(name);
    if (found) this.#last = name;
    return found;
  }

  override delete(name: string): boolean {
    if (name === this.#last) this.#last = undefined;
    return super.delete(name);
  }

  override clear(): void {
    this.#last = undefined;
    super.clear();
  }
}

const contexts = new WeakMap<ReadingWorkspace, Map<number, RuleContext>>();

/** The rules' view of a workspace's year, made once (a year of a thousand files asks a thousand times). */
export function ruleContext(ws: ReadingWorkspace, year: number): RuleContext {
  let byYear = contexts.get(ws);
  if (!byYear) contexts.set(ws, (byYear = new Map()));
  let ctx = byYear.get(year);
  if (!ctx)
    byYear.set(
      year,
      (ctx = {
        year,
        period: periodOf(ws, year),
        chart: ws.chart,
        entityIds: new LastFound(ws.entities.map((e) => e.id)),
        memberCodes: new Set(ws.members.map((m) => m.code)),
      }),
    );
  return ctx;
}

/**
 * Reads one ledger file through the posting and voucher rules into its own trial balance.
 * Files are independent, so that they can be read in parallel; loadYear joins them.
 */
export async function loadLedgerFile(
  ws: ReadingWorkspace,
  job: LedgerFileJob,
  onBytes?: (bytes: number) => void,
): Promise<{ result: LedgerFileResult; rows: RowTable }> {
  const { result, balance } = await readLedgerFile(ws, job, onBytes);
  return { result, rows: balance.table() };
}

/** loadLedgerFile with the file's trial balance as it was added up: a worker thread packs it rather than build its rows. */
export async function readLedgerFile(
  ws: ReadingWorkspace,
  job: LedgerFileJob,
  onBytes?: (bytes: number) => void,
): Promise<{ result: LedgerFileResult; balance: TrialBalanceBuilder }> {
  const window = job.window && { period: job.window, resultAccount: ws.definition.closing.resultAccount };
  const collector = new FileCollector(ruleContext(ws, job.year), onBytes, window);
  await readLedger(ws, job, collector);
  collector.closeVoucher();
  // Read to its end, the file has left its checksum; one read short of its end is read again.
  return { result: collector.result(await sha256File(job.path)), balance: collector.balance };
}

function readLedger(ws: ReadingWorkspace, job: LedgerFileJob, sink: LedgerSink): Promise<void> {
  const ext = extname(job.path).toLowerCase();
  if (ext === ".json") return readJsonLedger(job.path, job.source, sink);
  if (SIE_EXTENSIONS.has(ext)) return readSieLedger(job.path, job.source, job.year, ws, sink);
  return readCsvLedger(job.path, job.source, ws, sink);
}

/**
 * Where the first posting of each wanted voucher ("entity\0series\0number") lies in a file. Only
 * for the rare voucher found again in another file: its place is not kept while reading.
 */
export async function findVouchers(
  ws: ReadingWorkspace,
  job: LedgerFileJob,
  wanted: ReadonlySet<string>,
): Promise<Map<string, SourceRef>> {
  const found = new Map<string, SourceRef>();
  const ignore = () => {};
  await readLedger(ws, job, {
    accept(l) {
      const key = `${l.posting.entity}\u0000${l.posting.series}\u0000${l.posting.voucher}`;
      if (wanted.has(key) && !found.has(key)) found.set(key, l.at("voucher"));
      return false;
    },
    reject: ignore,
    report: ignore,
    opening: ignore,
    movement: ignore,
  });
  return found;
}

/** The postings of a file that `keep` selects, read again (to explain a difference, say). */
export async function scanPostings(
  ws: ReadingWorkspace,
  job: LedgerFileJob,
  keep: (p: Posting) => boolean,
): Promise<Posting[]> {
  const kept: Posting[] = [];
  const ignore = () => {};
  await readLedger(ws, job, {
    accept(l) {
      if (keep(l.posting)) kept.push(l.posting);
      return false;
    },
    reject: ignore,
    report: ignore,
    opening: ignore,
    movement: ignore,
  });
  return kept;
}

/** The state of one file's reading: the voucher being assembled, totals, findings. */
class FileCollector implements LedgerSink {
  readonly #ctx: RuleContext;
  readonly #tb = new TrialBalanceBuilder();
  readonly #vouchers = new VoucherRegistry();
  readonly #diagnostics = new CappedDiagnostics(); // at most a thousand of a code
  readonly #openings: DeclaredBalance[] = [];
  readonly #movements: DeclaredBalance[] = [];
  // A voucher with a line that could not be read is not checked as a whole: its balance would
  // only repeat that line's error.
  readonly #incomplete = new Set<string>();
  #current: Located[] = [];
  /** The first posting of the voucher closed last. */
  #lastClosed: Posting | undefined;
  #lastSeries: { entity: string; series: string; key: string } | undefined;
  #postings = 0;
  readonly onBytes?: (bytes: number) => void;

  readonly #window: Window | undefined;

  constructor(ctx: RuleContext, onBytes?: (bytes: number) => void, window?: Window) {
    this.#ctx = ctx;
    this.onBytes = onBytes;
    this.#window = window;
  }

  /**
   * A posting outside a part of the year: one before it opens the part (a result then stands in
   * equity, on the result account, so that the balance sheet at the part's end balances); one
   * after it is left out.
   */
  #outside(p: Posting, w: Window): void {
    if (p.date > w.period.end) return;
    const type = this.#ctx.chart.get(p.account)?.type;
    if (type && isResultAccount(type)) this.#tb.addOpening(p.entity, w.resultAccount, "", p.amount);
    else this.#tb.addOpening(p.entity, p.account, p.counterparty, p.amount);
  }

  report(d: Diagnostic) {
    this.#diagnostics.push(d);
  }

  #finding(f: Finding, at: SourceRef) {
    this.#diagnostics.push({ code: f.code, severity: "error", message: f.message, ...at, hint: f.hint });
  }

  reject(entity: string, series: string, voucher: string) {
    this.#incomplete.add(`${entity}\u0000${series}\u0000${voucher}`);
  }

  /** Vouchers arrive as consecutive postings; a change of voucher closes the one before. */
  #sameVoucher(a: Located, b: Located): boolean {
    if (a.voucherRecord !== b.voucherRecord) return false;
    if (a.voucherKey !== undefined || b.voucherKey !== undefined) return a.voucherKey === b.voucherKey;
    const p = a.posting;
    const q = b.posting;
    return p.voucher === q.voucher && p.series === q.series && p.entity === q.entity;
  }

  closeVoucher() {
    const current = this.#current;
    if (current.length === 0) return;
    this.#current = [];
    // Filled by index, not by map(): optimized code would make map()'s array of another kind than
    // the interpreter does, and the rules optimized for one would be thrown away on the other.
    const postings = new Array<Posting>(current.length);
    for (let i = 0; i < current.length; i++) postings[i] = current[i]!.posting;
    const p0 = postings[0]!;
    // SIE vouchers may span units, so their lines are rejected without an entity.
    const entity = current[0]!.voucherKey === undefined ? p0.entity : "";
    if (this.#incomplete.size === 0 || !this.#incomplete.has(`${entity}\u0000${p0.series}\u0000${p0.voucher}`))
      for (const rule of VOUCHER_RULES) {
        const f = rule.check(postings, this.#ctx);
        if (f) this.#finding(f, current[f.posting ?? 0]!.at(f.field));
      }
    if (!this.#vouchers.add(this.#seriesKey(p0.entity, p0.series), p0.voucher)) {
      // Right after itself: two exports joined where they overlap.
      const last = this.#lastClosed;
      const again =
        last && last.entity === p0.entity && last.series === p0.series && last.voucher === p0.voucher
          ? p0.date
          : undefined;
      this.#finding(duplicateVoucher(p0.entity, p0.series, p0.voucher, again), current[0]!.at("voucher"));
    }
    this.#lastClosed = p0;
  }

  /** The registry's key of an entity's series, made once for a run of vouchers of the same series. */
  #seriesKey(entity: string, series: string): string {
    const k = this.#lastSeries;
    if (k && k.entity === entity && k.series === series) return k.key;
    this.#lastSeries = { entity, series, key: `${entity}\u0000${series}` };
    return this.#lastSeries.key;
  }

  accept(l: Located): boolean {
    const current = this.#current;
    if (current.length > 0 && !this.#sameVoucher(current[0]!, l)) this.closeVoucher();
    this.#current.push(l);
    this.#postings++;
    const p = l.posting;
    const ctx = this.#ctx;
    if (!passesPostingRules(p, ctx)) {
      for (const rule of POSTING_RULES) {
        const f = rule.check(p, ctx);
        if (f) this.#finding(f, l.at(f.field));
      }
      return false;
    }
    const w = this.#window;
    if (w && (p.date < w.period.start || p.date > w.period.end)) {
      this.#outside(p, w);
      return false;
    }
    const account = p.accountName ?? p.account;
    if (p.ore !== undefined) this.#tb.addPostingOre(p.entity, account, p.counterparty, p.ore);
    else this.#tb.addPosting(p.entity, account, p.counterparty, p.amount);
    return true;
  }

  booked(): readonly BalanceRow[] {
    return this.#tb.build();
  }

  readonly opening: OpeningSink = (entity, account, counterparty, amount, at) => {
    this.#openings.push({ entity, account, counterparty, amount, at: at("amount") });
  };

  readonly movement: OpeningSink = (entity, account, counterparty, amount, at) => {
    this.#movements.push({ entity, account, counterparty, amount, at: at("account") });
  };

  get balance(): TrialBalanceBuilder {
    return this.#tb;
  }

  result(sha256: string): LedgerFileResult {
    return {
      sha256,
      diagnostics: this.#diagnostics.finish(),
      postings: this.#postings,
      vouchers: this.#vouchers.snapshot(),
      openings: this.#openings,
      movements: this.#movements,
    };
  }
}

export const duplicateVoucher = (
  entity: string,
  series: string,
  voucher: string,
  /** The date, when the voucher comes again right after itself. */
  again?: string,
): Finding => ({
  code: "E-VOUCHER-DUPLICATE",
  message:
    again === undefined
      ? `voucher ${voucherId(series, voucher)} of ${entity} appears more than once`
      : `voucher ${voucherId(series, voucher)} of ${entity} appears more than once: again right after itself, dated ${again}`,
  hint:
    again === undefined
      ? "Each voucher number is used once per series and entity; keep a voucher's postings together."
      : "Two exports joined where they overlap repeat a voucher: remove the second copy.",
  field: "voucher",
});

const LEDGER_COLUMNS = ["entity", "series", "voucher", "date", "account", "amount", "counterparty", "text"];
export const OPENING_COLUMNS = ["entity", "account", "counterparty", "amount"];
const KNOWN_LEDGER_COLUMNS = new Set(LEDGER_COLUMNS);

function csvLocator(path: string, r: TableRecord) {
  return (field: string): SourceRef => ({ file: path, line: r.line, column: r.columnOf(field) });
}

/**
 * A CSV posting that also says where its fields are: one object per row, not a posting, its source
 * and a locator (measured to matter at millions of rows).
 */
class CsvPosting implements Posting, Located {
  // Fields declared, not defined, and set once in the constructor: made at every posting, the
  // object is then built in one pass, without an initializer of its fields (measured). Each is
  // given as it is kept, without a branch: so small, the constructor is inlined where the quick
  // path makes a posting (1.4 % fewer instructions at 1M postings, cachegrind).
  declare readonly entity: string;
  declare readonly series: string;
  declare readonly voucher: string;
  declare readonly date: string;
  declare readonly account: string;
  declare readonly accountName: AccountName | undefined;
  declare readonly ore: number | undefined;
  declare readonly counterparty: string;
  declare readonly dimensions: Readonly<Record<string, string>>;
  declare readonly text: string;
  declare private readonly big: Ore | undefined;
  declare private readonly file: string;
  declare private readonly record: FieldPlaces;

  constructor(
    entity: string,
    series: string,
    voucher: string,
    date: string,
    account: string,
    /** The account's name where the quick path found it (CsvLedgerRows.quickLine). */
    accountName: AccountName | undefined,
    /** The amount as a number of öre where it was read as one (it then fitsNumber), else as a bigint. */
    ore: number | undefined,
    big: Ore | undefined,
    counterparty: string,
    dimensions: Readonly<Record<string, string>>,
    text: string,
    file: string,
    record: FieldPlaces,
  ) {
    this.entity = entity;
    this.series = series;
    this.voucher = voucher;
    this.date = date;
    this.account = account;
    this.accountName = accountName;
    this.ore = ore;
    this.counterparty = counterparty;
    this.dimensions = dimensions;
    this.text = text;
    this.big = big;
    this.file = file;
    this.record = record;
  }

  get amount(): Ore {
    return this.big ?? BigInt(this.ore!);
  }

  get source(): SourceRef {
    return { file: this.file, line: this.record.line };
  }

  get posting(): Posting {
    return this;
  }

  at(field: string): SourceRef {
    return { file: this.file, line: this.record.line, column: this.record.columnOf(field) };
  }
}

/** Where the fields of a CSV posting's line stand. */
interface FieldPlaces {
  readonly line: number;
  columnOf(name: string): number;
}

/**
 * A line the quick path read (CsvLedgerRows.quickLine), with as many fields as the header. Where
 * a field stands is found only when a diagnostic asks.
 */
class QuickLine implements FieldPlaces {
  declare readonly line: number;
  declare private readonly text: string;
  declare private readonly start: number;
  declare private readonly end: number;
  declare private readonly header: TableHeader;

  constructor(line: number, text: string, start: number, end: number, header: TableHeader) {
    this.line = line;
    this.text = text;
    this.start = start;
    this.end = end;
    this.header = header;
  }

  columnOf(name: string): number {
    const columns = fieldColumns(this.text.slice(this.start, this.end), this.header.delimiter!);
    return columns[this.header.index.get(name) ?? 0]!;
  }
}

const NO_DIMENSIONS: Readonly<Record<string, string>> = Object.freeze({});

/** Header names accountants write for the tool's columns (Swedish and English), lower case. */
const HEADER_WORDS: Readonly<Record<string, string>> = {
  konto: "account",
  kontonr: "account",
  kontonummer: "account",
  belopp: "amount",
  summa: "amount",
  datum: "date",
  bokföringsdatum: "date",
  transaktionsdatum: "date",
  verifikation: "voucher",
  verifikat: "voucher",
  vernr: "voucher",
  verifikationsnummer: "voucher",
  serie: "series",
  verserie: "series",
  motpart: "counterparty",
  kund: "counterparty",
  beskrivning: "text",
  benämning: "text",
  transaktionstext: "text",
  enhet: "entity",
  resultatenhet: "entity",
  rad: "line",
  budget: "amount",
};

/**
 * Checks a CSV header: the required columns are there, every other column is known, none is named
 * twice. An unknown column that another name would fit (`konto` for account) is the cause of that
 * column missing: one diagnostic, with the mapping to add to consolidate.json.
 */
function headerProblems(
  path: string,
  header: TableHeader,
  required: string[],
  known: string[],
  /** The file's header names for the tool's columns (`csv.columns`). */
  mapping: Readonly<Record<string, string>> = {},
): { diagnostics: Diagnostic[]; usable: boolean } {
  // Whether a header has a problem depends on its names and what is asked of it; the mapping and
  // the names as written only word the problem. A thousand files mostly share one header.
  const key = [header.names, required, known].map((list) => list.join("\u0000")).join("\u0001");
  if (sound.has(key)) return { diagnostics: [], usable: true };
  const found = wordedHeaderProblems(path, header, required, known, mapping);
  if (found.diagnostics.length === 0) {
    if (sound.size === SOUND_HEADERS) sound.clear();
    sound.add(key);
  }
  return found;
}

/** Headers headerProblems found nothing wrong with (its key); at most SOUND_HEADERS kept. */
const sound = new Set<string>();
const SOUND_HEADERS = 64;

function wordedHeaderProblems(
  path: string,
  header: TableHeader,
  required: string[],
  known: string[],
  mapping: Readonly<Record<string, string>>,
): { diagnostics: Diagnostic[]; usable: boolean } {
  const { names, line, columns } = header;
  const out: Diagnostic[] = [];
  const present = new Set(names);
  const covered = new Set<string>();
  let column = 1;
  const first = new Map<string, number>();
  let twice = false;
  for (const [i, n] of names.entries()) {
    const at = columns?.[i] ?? column;
    column += (header.original?.[i] ?? n).length + 1;
    const before = first.get(n);
    if (before === undefined) first.set(n, i);
    else if (n !== "") {
      // The last would win, and which one that is depends on nothing the reader sees.
      twice = true;
      const written = [header.original?.[before] ?? n, header.original?.[i] ?? n];
      const mapped = header.original
        ? written.find((w) => w !== n)
        : mapping[n] !== undefined && mapping[n] !== n
          ? mapping[n] // a workbook's header: the names as written are not known
          : undefined;
      out.push({
        code: "E-CSV-COLUMN-DUPLICATE",
        severity: "error",
        message:
          mapped === undefined
            ? `the header names column '${shortText(n)}' twice (fields ${before + 1} and ${i + 1})`
            : `the header has a column '${shortText(mapped)}', which consolidate.json maps to ${shortText(n)}, and a column '${shortText(n)}' as well (fields ${before + 1} and ${i + 1})`,
        file: path,
        line,
        column: at,
        hint:
          mapped === undefined
            ? "Each column is named once: rename or remove one of them."
            : `Each column is read once: remove the mapping "${n}": "${mapped}" from "csv": { "columns" }, or rename or remove one of the columns.`,
      });
      continue;
    }
    if (known.includes(n) || /^dim\.[A-Za-z0-9_-]+$/.test(n)) continue;
    const guess = HEADER_WORDS[n.toLowerCase()] ?? closest(n, known);
    const fits = guess !== undefined && known.includes(guess) && !present.has(guess) && !covered.has(guess);
    if (fits) covered.add(guess);
    out.push({
      code: "E-CSV-COLUMN-UNKNOWN",
      severity: "error",
      message: fits
        ? `unknown column '${shortText(n)}': is it the ${guess} column?`
        : `unknown column '${shortText(n)}'`,
      file: path,
      line,
      column: at,
      hint: fits
        ? `Rename the header to '${guess}', or map it in consolidate.json: "csv": { "columns": { "${guess}": "${shortText(n)}" } }`
        : `Known columns: ${known.join(", ")}, and dim.NAME for free dimensions.`,
    });
  }
  const missing = required.filter((c) => !present.has(c) && !covered.has(c));
  if (missing.length)
    out.push({
      code: "E-CSV-COLUMN-MISSING",
      severity: "error",
      message: `missing column(s) ${missing.join(", ")}`,
      file: path,
      line,
      column: 1,
      hint: `The header must name: ${required.join(", ")}.`,
    });
  return { diagnostics: out, usable: !twice && required.every((c) => present.has(c)) };
}

/** A row that names another entity than the one consolidate.json gives its file: never booked on either. */
function entityConflict(source: SourceSpec, written: string | undefined, at: SourceRef): Diagnostic | undefined {
  const own = written?.trim();
  if (source.entity === undefined || own === undefined || own === "" || own === source.entity) return undefined;
  return {
    code: "E-ENTITY-CONFLICT",
    severity: "error",
    message: `the row's entity is '${shortText(own)}', but consolidate.json gives this file the entity '${source.entity}'`,
    ...at,
    hint: "Correct the row, or remove \"entity\" from this file's entry in consolidate.json so that each row's own entity is used.",
  };
}

/**
 * The rows of a small CSV input (opening balances, budgets), each checked: the header's columns,
 * the row against its schema, the amount in the declared number format. Problems go to
 * `diagnostics`; only rows without any are yielded.
 */
export async function* checkedCsvRows(
  ws: ReadingWorkspace,
  path: string,
  source: SourceSpec,
  diagnostics: Diagnostic[],
  spec: {
    readonly required: string[];
    readonly known: string[];
    readonly schema: SchemaName;
    readonly dropEmpty?: boolean;
    /** false for a table without an amount column (populations). */
    readonly amount?: boolean;
  },
): AsyncGenerator<{ fields: Record<string, string>; amount: Ore; at: (field: string) => SourceRef }> {
  const numberFormat = { ...ws.numberFormat, ...source.numberFormat };
  const report = new CappedDiagnostics(diagnostics); // at most a thousand of a code from this file
  const dialect = { ...ws.csv, ...source.csv };
  let header: TableHeader | undefined;
  try {
    for await (const batch of readTable(path, path, { ...dialect, sheet: source.sheet }))
      for (const item of batch) {
        if ("error" in item) {
          report.push(item.error);
          continue;
        }
        if ("header" in item) {
          header = item.header;
          const problems = headerProblems(path, header, spec.required, spec.known, dialect.columns);
          for (const d of problems.diagnostics) report.push(d);
          if (!problems.usable) return;
          continue;
        }
        const r = item.record;
        if (r.unreadable) continue; // the reader said why
        const at = csvLocator(path, r);
        const count = fieldCountProblem(path, r, header!, spec.required);
        if (count) {
          report.push(count);
          continue;
        }
        const fields = Object.fromEntries(
          Object.entries(r.fields).filter(([k, v]) => spec.known.includes(k) && !(spec.dropEmpty && v === "")),
        );
        const conflict = entityConflict(source, fields.entity, at("entity"));
        if (conflict) {
          report.push(conflict);
          continue;
        }
        const schemaErrors = validateSchema(spec.schema, fields, path, (ptr) => ({
          line: r.line,
          column: r.columnOf(ptr.slice(1)),
        }));
        if (schemaErrors.length) {
          for (const d of schemaErrors) report.push(d);
          continue;
        }
        if (spec.amount === false) {
          yield { fields, amount: 0n, at };
          continue;
        }
        const amount = tableAmount(r, "amount", fields.amount!, numberFormat);
        if ("problem" in amount) {
          report.push({
            code: amount.code,
            severity: "error",
            message: amount.problem,
            ...at("amount"),
            hint: amount.hint,
          });
          continue;
        }
        yield { fields, amount: amount.ore, at };
      }
  } finally {
    report.finish();
  }
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const digit = (s: string, i: number) => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};

/**
 * The date isIsoDate last accepted: a voucher's postings, and often the next voucher's, share one.
 * It starts as a real day, never as a text isIsoDate refuses (an empty date was once taken for it).
 */
let lastIsoDate = "2000-01-01";

/** YYYY-MM-DD naming a real day: what the schema's "date" format accepts, checked without it. */
function isIsoDate(s: string): boolean {
  if (s === lastIsoDate) return true;
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = digit(s, 5) * 10 + digit(s, 6);
  const day = digit(s, 8) * 10 + digit(s, 9);
  // NaN (a non-digit) fails every comparison below.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]! && year >= 0)) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month === 2 && day > 28 && !leap) return false;
  lastIsoDate = s;
  return true;
}

/** ^[0-9A-Za-z_-]+$ */
function isVoucherNumber(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45)) return false;
  }
  return true;
}

/** ^[0-9]{4,6}$ */
function isAccountNumber(s: string): boolean {
  if (s.length < 4 || s.length > 6) return false;
  for (let i = 0; i < s.length; i++) if (Number.isNaN(digit(s, i))) return false;
  return true;
}

/**
 * The columns of a ledger row hold what schemas/ledger-row.schema.json demands. Measured: the
 * schema validator took a sixth of a large run, so rows are checked here first and only a row that
 * fails goes to the schema, which then explains what is wrong. Must never accept more than the
 * schema (a property test holds the two together).
 */
export function ledgerRowIsValid(
  entity: string | undefined,
  series: string | undefined,
  voucher: string | undefined,
  date: string | undefined,
  account: string | undefined,
  amount: string | undefined,
): boolean {
  return (
    (entity === undefined || entity.length > 0) &&
    series !== undefined &&
    series.length > 0 &&
    voucher !== undefined &&
    isVoucherNumber(voucher) &&
    date !== undefined &&
    isIsoDate(date) &&
    account !== undefined &&
    isAccountNumber(account) &&
    amount !== undefined &&
    amount.length > 0
  );
}

/** Column positions of a ledger header, -1 where the column is absent. */
function ledgerColumns(header: TableHeader) {
  const at = (name: string) => header.index.get(name) ?? -1;
  const dims = header.names.flatMap((n, i) => (n.startsWith("dim.") && n.length > 4 ? [[n.slice(4), i] as const] : []));
  return {
    entity: at("entity"),
    series: at("series"),
    voucher: at("voucher"),
    date: at("date"),
    account: at("account"),
    amount: at("amount"),
    counterparty: at("counterparty"),
    text: at("text"),
    dims,
  };
}

/**
 * Whether CSV lines may be read in place (CsvLedgerRows.quickLine). Tests turn it off to read the
 * same file through the records alone, and compare.
 */
export const quickPath = { enabled: true };

const DIMENSION_OBJECTS = 1024;

/** The rows of a CSV ledger after its header, each read into a posting or refused with the reason. */
class CsvLedgerRows {
  readonly #numberFormat: NumberFormat;
  readonly #plainDigits: boolean;
  readonly #decimal: number;
  /** The thousands separator's char code; -1 for none. */
  readonly #thousands: number;
  readonly #col: ReturnType<typeof ledgerColumns>;
  /** Lines the quick path read. */
  quickLines = 0;
  /** Where each field of the line being read begins and ends (quickLine); a quoted one within its quotes. */
  readonly #starts: Int32Array;
  readonly #ends: Int32Array;
  readonly #quick: boolean;
  readonly #delimiter: string;
  readonly #delimiterCode: number;
  /** 1 for each column whose value quickLine takes without checking its characters (#splitQuoted). */
  readonly #looseColumns: Uint8Array;
  /** 1 for each field of the line being read that is quoted and holds a doubled quote (#splitQuoted). */
  readonly #doubled: Uint8Array;
  /** Whether #doubled marks a field of the line being read. */
  #anyDoubled = false;
  // The fields of the last line read quickly, which the next line mostly repeats (a voucher's
  // postings share all but account and amount). Each holds a value the checks accept, from the
  // start, so that a field equal to it needs no check (as the date memo of isIsoDate).
  #entity = "e";
  #series = "A";
  #voucher = "1";
  #date = "2000-01-01";
  /** The last date written YYYYMMDD, and the same in ISO form (#isoOfCompact); from the start a pair that holds. */
  #compactWritten = "20000101";
  #compactIso = "2000-01-01";
  #counterpartyWritten = "";
  #counterparty = "";
  #text = "";
  /** The free dimensions of the last line read quickly, as written, and as its posting holds them. */
  readonly #dimensionValues: string[];
  readonly #dimensionPlaces: readonly (readonly [string, number])[];
  #dimensions = NO_DIMENSIONS;
  /** The dimensions objects made for this file's lines, by their values (a file has few, mostly). */
  readonly #dimensionObjects = new Map<string, Readonly<Record<string, string>>>();

  constructor(
    private readonly path: string,
    private readonly source: SourceSpec,
    ws: ReadingWorkspace,
    private readonly header: TableHeader,
    private readonly required: readonly string[],
    private readonly sink: LedgerSink,
  ) {
    this.#numberFormat = { ...ws.numberFormat, ...source.numberFormat };
    this.#plainDigits = this.#numberFormat.thousands === "";
    this.#decimal = this.#numberFormat.decimal.charCodeAt(0);
    this.#thousands = this.#plainDigits ? -1 : this.#numberFormat.thousands.charCodeAt(0);
    this.#col = ledgerColumns(header);
    this.#starts = new Int32Array(header.names.length);
    this.#ends = new Int32Array(header.names.length);
    this.#doubled = new Uint8Array(header.names.length);
    this.#delimiter = header.delimiter ?? "";
    this.#delimiterCode = this.#delimiter.charCodeAt(0);
    const checked = [this.#col.voucher, this.#col.date, this.#col.account, this.#col.amount];
    this.#looseColumns = Uint8Array.from(header.names, (_, i) => (checked.includes(i) ? 0 : 1));
    this.#dimensionPlaces = this.#col.dims.map(([name], k) => [name, k] as const);
    this.#dimensionValues = this.#col.dims.map(() => "");
    this.#quick = quickPath.enabled && this.#delimiter !== "";
  }

  /**
   * A line read in place into a posting when it holds what the quick check of read() accepts,
   * with an amount in digits as the declared format groups them. False for any other line, which
   * read() then reads or explains: this path never reports, it only takes the lines that need no
   * word. `quoted`: whether the line holds a quote.
   */
  quickLine(text: string, start: number, end: number, line: number, quoted: boolean): boolean {
    this.#anyDoubled = false;
    if (!this.#quick || !(quoted ? this.#splitQuoted(text, start, end) : this.#split(text, start, end))) return false;
    const col = this.#col;
    const series = this.#field(text, col.series, this.#series);
    if (series.length === 0) return false;
    const voucher = this.#field(text, col.voucher, this.#voucher);
    if (voucher !== this.#voucher && !isVoucherNumber(voucher)) return false;
    let date: string | undefined = this.#field(text, col.date, this.#date);
    if (date !== this.#date && !isIsoDate(date) && (date = this.#isoOfCompact(date)) === undefined) return false;
    const starts = this.#starts;
    const ends = this.#ends;
    const account = this.#account(text, starts[col.account]!, ends[col.account]!);
    if (account === undefined) return false;
    const ore =
      this.#thousands < 0
        ? parseDigitsOreIn(text, starts[col.amount]!, ends[col.amount]!, this.#decimal)
        : parseGroupedOreIn(text, starts[col.amount]!, ends[col.amount]!, this.#decimal, this.#thousands);
    if (ore === null) return false;
    let entity = this.source.entity ?? "";
    if (col.entity >= 0) {
      const written = this.#field(text, col.entity, this.#entity);
      // A file given its entity in consolidate.json: its rows may write it too, and none another.
      if (written.length === 0 || (this.source.entity !== undefined && written !== this.source.entity)) return false;
      this.#entity = entity = written;
    }
    this.#series = series;
    this.#voucher = voucher;
    this.#date = date;
    this.quickLines++;
    this.sink.accept(
      new CsvPosting(
        entity,
        series,
        voucher,
        date,
        account.text,
        account,
        ore,
        undefined,
        col.counterparty < 0 ? "" : this.#counterpartyOf(text),
        col.dims.length === 0 ? NO_DIMENSIONS : this.#dimensionsOf(text),
        col.text < 0 ? "" : (this.#text = this.#field(text, col.text, this.#text)),
        this.path,
        new QuickLine(line, text, start, end, this.header),
      ),
    );
    return true;
  }

  /** Finds the fields of a line without quotes: false unless it has as many as the header. */
  #split(text: string, start: number, end: number): boolean {
    const starts = this.#starts;
    const ends = this.#ends;
    const last = starts.length - 1;
    const delimiter = this.#delimiter;
    let k = 0;
    starts[0] = start;
    for (let d = text.indexOf(delimiter, start); d >= 0 && d < end; d = text.indexOf(delimiter, d + 1)) {
      if (k === last) return false; // more fields than the header
      ends[k] = d;
      starts[++k] = d + 1;
    }
    ends[k] = end;
    return k === last;
  }

  /**
   * Finds the fields of a line with quotes, as the CSV reader's records do; a quoted field with a
   * doubled quote (a quote within a text) is marked in #doubled, for #field to unfold. False for a
   * line it cannot read so, or not with as many fields as the header: characters after a closing
   * quote, a quoted field over the line's end, and a quote inside a field not quoted as a whole.
   * That last one is looked for only in the columns whose values quickLine does not check
   * (#looseColumns): a voucher number, date, account or amount with a quote in it fails its own
   * check. Each field then costs one search, quoted or not, and one more for each doubled quote
   * (measured: a search is most of the cost of splitting a line), and the character after a field
   * is read once (cachegrind: each character read costs about a fifth of a search).
   */
  #splitQuoted(text: string, start: number, end: number): boolean {
    const starts = this.#starts;
    const ends = this.#ends;
    const last = starts.length - 1;
    const doubled = this.#doubled;
    const loose = this.#looseColumns;
    const delimiter = this.#delimiter;
    const delimiterCode = this.#delimiterCode;
    let quote = -1; // the first quote at or after `i` in a loose column, once looked for
    let i = start;
    for (let k = 0; ; k++) {
      doubled[k] = 0;
      if (text.charCodeAt(i) === QUOTE) {
        // The character after a quote, read once: a second quote (doubled), a delimiter or the end.
        let close = text.indexOf('"', i + 1);
        let after = close >= 0 && close + 1 < end ? text.charCodeAt(close + 1) : -1;
        while (after === QUOTE) {
          doubled[k] = 1;
          this.#anyDoubled = true;
          close = text.indexOf('"', close + 2);
          after = close >= 0 && close + 1 < end ? text.charCodeAt(close + 1) : -1;
        }
        if (close < 0 || close >= end) return false;
        starts[k] = i + 1;
        ends[k] = close;
        if (close + 1 === end) return k === last;
        if (k === last || after !== delimiterCode) return false;
        i = close + 2;
      } else {
        let d = text.indexOf(delimiter, i);
        if (d < 0 || d > end) d = end;
        if (loose[k] === 1) {
          if (quote < i) quote = text.indexOf('"', i) >>> 0; // none: 2^32 - 1, past any line
          if (quote < d) return false;
        }
        starts[k] = i;
        ends[k] = d;
        if (d === end) return k === last;
        if (k === last) return false;
        i = d + 1;
      }
    }
  }

  /**
   * The i-th field of the line being read, its doubled quotes unfolded: `last` when it writes the
   * same (cut out and compared: measured cheaper than startsWith).
   */
  #field(text: string, i: number, last: string): string {
    const from = this.#starts[i]!;
    const to = this.#ends[i]!;
    let value = text.slice(from, to);
    if (this.#anyDoubled && this.#doubled[i] === 1) value = value.replaceAll('""', '"');
    return value === last ? last : value;
  }

  /** An account number of 4 to 6 digits, as isAccountNumber; undefined for any other text. */
  #account(text: string, from: number, to: number): AccountName | undefined {
    return to - from < 4 || to - from > 6 ? undefined : accountNameIn(text, from, to);
  }

  /** The counterparty of the line being read, trimmed as read() trims it. */
  #counterpartyOf(text: string): string {
    const i = this.#col.counterparty;
    if (this.#starts[i] === this.#ends[i]) return "";
    const written = this.#field(text, i, this.#counterpartyWritten);
    if (written !== this.#counterpartyWritten) {
      this.#counterpartyWritten = written;
      this.#counterparty = written.trim();
    }
    return this.#counterparty;
  }

  /** A date written YYYYMMDD, as some systems export dates, in ISO form as read() reads it; else undefined. */
  #isoOfCompact(written: string): string | undefined {
    if (written !== this.#compactWritten) {
      const iso = isoDate(written);
      if (iso === written || !isIsoDate(iso)) return undefined;
      this.#compactWritten = written;
      this.#compactIso = iso;
    }
    return this.#compactIso;
  }

  /** The line's free dimensions, as dimensionsOf reads a record's: the last line's when it repeats them. */
  #dimensionsOf(text: string): Readonly<Record<string, string>> {
    const dims = this.#col.dims;
    const values = this.#dimensionValues;
    let same = true;
    for (let k = 0; k < dims.length; k++) {
      const value = this.#field(text, dims[k]![1], values[k]!);
      if (value !== values[k]) {
        values[k] = value;
        same = false;
      }
    }
    if (same) return this.#dimensions;
    // One object per distinct set of values, not per line (making one was a sixth of a run); at
    // most DIMENSION_OBJECTS kept, so that a file of ever new values does not grow memory.
    const key = values.length === 1 ? values[0]! : JSON.stringify(values);
    let dimensions = this.#dimensionObjects.get(key);
    if (dimensions === undefined) {
      if (this.#dimensionObjects.size === DIMENSION_OBJECTS) this.#dimensionObjects.clear();
      this.#dimensionObjects.set(key, (dimensions = dimensionsOf(values, this.#dimensionPlaces)));
    }
    return (this.#dimensions = dimensions);
  }

  read(r: TableRecord): void {
    const { path, source, header, sink } = this;
    const col = this.#col;
    const v = r.values;
    const fileEntity = valueAt(v, col.entity);
    const series = valueAt(v, col.series);
    const voucher = valueAt(v, col.voucher);
    const written = valueAt(v, col.date);
    const date = written === undefined ? undefined : isoDate(written); // YYYYMMDD, as some systems export dates
    const account = valueAt(v, col.account);
    const amountText = valueAt(v, col.amount);
    const entity = source.entity ?? fileEntity ?? "";
    if (r.unreadable) {
      sink.reject(entity, series ?? "", voucher ?? ""); // the reader said why
      return;
    }
    const refused =
      v.length !== header.names.length || (source.entity !== undefined && fileEntity !== undefined)
        ? this.#refusal(r, fileEntity)
        : undefined;
    if (refused) {
      sink.report(refused);
      sink.reject(entity, series ?? "", voucher ?? "");
      return;
    }
    const valid = ledgerRowIsValid(fileEntity, series, voucher, date, account, amountText);
    // The common amount (a plain decimal in the declared format) read directly, any other explained.
    const quick = valid && this.#plainDigits && !r.numberOf ? parseDigitsOre(amountText!, this.#decimal) : null;
    const amount = quick ?? this.#explained(r, valid, date, amountText!);
    if (amount === undefined) {
      sink.reject(entity, series ?? "", voucher ?? "");
      return;
    }
    const dimensions = col.dims.length === 0 ? NO_DIMENSIONS : dimensionsOf(v, col.dims);
    sink.accept(
      new CsvPosting(
        entity,
        series!,
        voucher!,
        date!,
        account!,
        undefined,
        typeof amount === "number" ? amount : undefined,
        typeof amount === "number" ? undefined : amount,
        (valueAt(v, col.counterparty) ?? "").trim(),
        dimensions,
        valueAt(v, col.text) ?? "",
        path,
        r,
      ),
    );
  }

  /** What refuses a row as a whole: fields it lacks or has too many of, another entity than its file's. */
  #refusal(r: TableRecord, fileEntity: string | undefined): Diagnostic | undefined {
    const { path, source, header } = this;
    return (
      (r.values.length !== header.names.length ? fieldCountProblem(path, r, header, this.required) : undefined) ??
      entityConflict(source, fileEntity, csvLocator(path, r)("entity"))
    );
  }

  /** The amount of a row the quick reading did not take: read in its format, or what is wrong said. */
  #explained(r: TableRecord, valid: boolean, date: string | undefined, amountText: string): Ore | undefined {
    const schemaErrors = valid ? [] : rowSchemaErrors(this.path, r, date);
    const read = schemaErrors.length ? undefined : tableAmount(r, "amount", amountText, this.#numberFormat);
    if (read !== undefined && !("problem" in read)) return read.ore;
    for (const d of schemaErrors) this.sink.report(d);
    if (read)
      this.sink.report({
        code: read.code,
        severity: "error",
        message: read.problem,
        ...csvLocator(this.path, r)("amount"),
        hint: read.hint,
      });
    return undefined;
  }
}

const valueAt = (values: readonly string[], i: number) => (i < 0 ? undefined : values[i]);

/** A row's free dimensions (dim.NAME columns) that hold a value. */
function dimensionsOf(values: readonly string[], dims: readonly (readonly [string, number])[]) {
  let dimensions = NO_DIMENSIONS;
  for (const [name, i] of dims) {
    const d = values[i];
    if (d !== undefined && d !== "") dimensions = { ...dimensions, [name]: d };
  }
  return dimensions;
}

/**
 * Reads a CSV ledger's items one at a time, as they are read: a garbage collection while a piece
 * of the file is being read then finds only the line at hand alive, not the rest of its records.
 */
class CsvLedgerReader implements TableConsumer {
  done = false;
  #rows: CsvLedgerRows | undefined;
  /** Whether the file holds a row or a problem (else it is an empty ledger). */
  #any = false;
  readonly #required: string[];

  constructor(
    private readonly path: string,
    private readonly source: SourceSpec,
    private readonly ws: ReadingWorkspace,
    private readonly sink: LedgerSink,
  ) {
    this.#required = ["series", "voucher", "date", "account", "amount", ...(source.entity ? [] : ["entity"])];
  }

  get empty(): boolean {
    return !this.#any && !this.#rows?.quickLines;
  }

  item(item: TableItem): void {
    if (this.done) return;
    if ("record" in item) {
      this.#any = true;
      this.#rows!.read(item.record);
    } else if ("error" in item) {
      this.sink.report(item.error);
      this.#any = true; // the file's problem is said; an empty-ledger warning would only repeat it
    } else {
      const { path, source, ws, sink } = this;
      const columns = { ...ws.csv, ...source.csv }.columns;
      const problems = headerProblems(path, item.header, this.#required, LEDGER_COLUMNS, columns);
      for (const d of problems.diagnostics) sink.report(d);
      this.done = !problems.usable;
      if (!this.done) this.#rows = new CsvLedgerRows(path, source, ws, item.header, this.#required, sink);
    }
  }

  // One method for every file (not a closure per file): the reader's optimized code calls it
  // without being thrown away at the next file.
  quickLine(text: string, start: number, end: number, line: number, quoted: boolean): boolean {
    return this.#rows !== undefined && this.#rows.quickLine(text, start, end, line, quoted);
  }
}

async function readCsvLedger(path: string, source: SourceSpec, ws: ReadingWorkspace, sink: LedgerSink) {
  const reader = new CsvLedgerReader(path, source, ws, sink);
  await readTableInto(path, path, { ...ws.csv, ...source.csv, sheet: source.sheet }, sink.onBytes, reader);
  if (reader.done || !reader.empty) return;
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

/** The schema's word on a row the quick check refused; empty if the schema accepts it after all. */
function rowSchemaErrors(path: string, r: TableRecord, date: string | undefined): Diagnostic[] {
  // Unknown columns were reported once, at the header.
  const f: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.fields)) if (KNOWN_LEDGER_COLUMNS.has(k) || k.startsWith("dim.")) f[k] = v;
  if (date !== undefined) f.date = date;
  return validateSchema("ledger-row", f, path, (ptr) => ({ line: r.line, column: r.columnOf(ptr.slice(1)) }));
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
  for (const d of syntax) sink.report(d);
  if (!doc) return;
  const schemaErrors = validateSchema("ledger", doc.value, path, doc.locate);
  for (const d of schemaErrors) sink.report(d);
  if (schemaErrors.length) return;
  const ledger = doc.value as JsonLedger;
  const fileConflict = entityConflict(source, ledger.entity, { file: path, ...doc.locate("/entity") });
  if (fileConflict) {
    sink.report(fileConflict);
    return;
  }
  ledger.vouchers.forEach((v, vi) => {
    const conflict = entityConflict(source, v.entity, { file: path, ...doc.locate(`/vouchers/${vi}/entity`) });
    if (conflict) {
      sink.report(conflict);
      sink.reject(source.entity!, v.series, String(v.number));
      return;
    }
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
      sink.accept({
        at,
        voucherRecord: vi,
        posting: {
          entity,
          series: v.series,
          voucher: String(v.number),
          date: v.date,
          account: p.account,
          amount: read.ore,
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
export function jsonAmount(
  doc: JsonDocument,
  pointer: string,
  where: SourceRef,
): { ore: Ore } | { problem: Diagnostic } {
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
