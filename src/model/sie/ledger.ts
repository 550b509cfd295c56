import { DEFAULT_EQUITY_ACCOUNTS, type SourceSpec } from "../../domain/config.js";
import { accountMatcher } from "../../domain/accounts.js";
import type { Diagnostic, SourceRef } from "../../domain/types.js";
import { periodText } from "../../domain/period.js";
import { readSieInto, SieRecord, type SieConsumer, type SieItem } from "../../read/sie.js";
import type { LedgerSink } from "../ledger-file.js";
import { periodOf, type ReadingWorkspace } from "../workspace.js";
import { SieBalances, splitKey } from "./balances.js";
import { continuityInFile, movementBalanceProblems, voucherProblems } from "./checks.js";
import { SieIdentification } from "./identification.js";
import { Ownership, SieScope } from "./scope.js";
import { SieVouchers } from "./vouchers.js";

export const SIE_EXTENSIONS = new Set([".se", ".si", ".sie"]);

/**
 * Reads a SIE file as a ledger source of one year: its vouchers, its opening balances (#IB,
 * #OIB), or, in a file without vouchers, its balances (#UB, #OUB, #RES) as the year's movement.
 * Checks what the format allows: the fiscal year (#RAR), IB + vouchers = UB per account, #RES =
 * the vouchers' movement, closing balances that balance with the result, and #KSUMMA.
 */
export async function readSieLedger(
  path: string,
  source: SourceSpec,
  year: number,
  ws: ReadingWorkspace,
  sink: LedgerSink,
) {
  const scope = new SieScope(
    path,
    source,
    ws.entities.map((e) => e.id),
  );
  // A source with rar -1 is last year's trial balance, read from this year's file.
  const index = source.rar === -1 ? "-1" : "0";
  const problem = (code: string, message: string, where: SourceRef, hint: string): void =>
    sink.report({ code, severity: "error", message, ...where, hint } satisfies Diagnostic);
  // Where last year is read from this file too, the continuity between the years is checked there.
  const priorFromHere =
    ws.definition.years[String(year - 1)]?.ledgers.some((s) => s.rar === -1 && s.path === source.path) ?? false;
  const ownership = new Ownership(index, priorFromHere);
  const balances = new SieBalances(path, scope, problem, ownership);
  const vouchers = new SieVouchers(path, scope, sink, problem);
  const { id: identified, unreadableLines } = await readRecords(path, index, sink, balances, vouchers, ownership);
  const id = identified!;
  const period = periodOf(ws, year);
  id.checkYear(
    index,
    year,
    period,
    ws.dir
      ? `List each SIE export under the year it covers in consolidate.json, or declare the fiscal year there ("fiscalYear", or "period" for the year).`
      : `Name the year the file covers: the fiscal year starting in ${id.period(index)?.start.slice(0, 4) ?? "its first year"}.`,
  );
  const asOf = index === "0" ? id.omfattn : undefined;
  if (asOf !== undefined && asOf < period.end && balances.hasClosing(index))
    sink.report({
      code: "W-SIE-OMFATTN",
      severity: "warning",
      message: `the file states its balances as of ${asOf} (#OMFATTN), not at the end of the fiscal year ${periodText(period)}`,
      file: path,
      hint: "Statements from balances show the year up to that date; export the file at year end for the annual report.",
    });
  deliver(balances, index, vouchers.count, sink);
  // A file with unreadable lines cannot agree with itself: those lines' errors come first.
  if (unreadableLines > 0) return;
  if (vouchers.count > 0)
    voucherProblems(balances, index, () => (asOf ? vouchers.movementUntil() : vouchers.movement()), problem);
  else if (scope.fileEntity && balances.closing(index).size > 0) movementBalanceProblems(balances, index, problem);
  if (index === "0" && !priorFromHere)
    continuityInFile(
      balances,
      accountMatcher(ws.definition.closing.equityAccounts ?? DEFAULT_EQUITY_ACCOUNTS),
      problem,
    );
}

/** The labels only the vouchers read: a voucher, its rows and the braces around them. */
const isVoucherLine = (label: string) => label === "#TRANS" || label === "{" || label === "}" || label === "#VER";

/**
 * The records of a file, each to what reads it: identification, balances, vouchers. One class for
 * every file, not a closure made for each: the reader's optimized code calls the same `item` at the
 * next file.
 */
class SieRecordReader implements SieConsumer {
  id: SieIdentification | undefined;
  unreadableLines = 0;

  constructor(
    private readonly path: string,
    private readonly index: string,
    private readonly sink: LedgerSink,
    private readonly balances: SieBalances,
    private readonly vouchers: SieVouchers,
    private readonly ownership: Ownership,
  ) {}

  /** A voucher's line the vouchers read where it stands, when no one else needs it as a record (as in item). */
  quickLine(text: string, start: number, end: number, line: number): boolean {
    return this.index === "0" && !this.id!.summing && this.vouchers.quickLine(text, start, end, line);
  }

  item(item: SieItem): void {
    const { index, balances, vouchers } = this;
    if (item instanceof SieRecord) {
      // A voucher's lines, most of a file, go straight to the vouchers: no other reader takes
      // them, and only identification sees them while it sums a checksum.
      if (isVoucherLine(item.label) && index === "0" && !this.id!.summing) {
        vouchers.read(item);
        return;
      }
      if (this.id!.read(item, this.unreadableLines, index === "0")) {
        vouchers.balancesAsOf = this.id!.omfattn;
        return;
      }
      if (balances.read(item)) return;
      if (index === "0") vouchers.read(item);
      // #FLAGGA #FORMAT #SIETYP #PROGRAM #GEN #FNAMN #ORGNR #KPTYP #KONTO #KTYP #SRU #DIM
      // #UNDERDIM #OBJEKT #PBUDGET and unknown labels: the chart and objects are read elsewhere.
    } else if ("encoding" in item)
      this.id = new SieIdentification(this.path, item.encoding, balances.problem, this.ownership);
    else {
      this.sink.report(item.error);
      if (item.error.severity === "error") {
        this.unreadableLines++;
        vouchers.rejectOpen();
      }
    }
  }
}

async function readRecords(
  path: string,
  index: string,
  sink: LedgerSink,
  balances: SieBalances,
  vouchers: SieVouchers,
  ownership: Ownership,
): Promise<{ id?: SieIdentification; unreadableLines: number }> {
  const reader = new SieRecordReader(path, index, sink, balances, vouchers, ownership);
  await readSieInto(path, path, sink.onBytes, reader);
  return { id: reader.id, unreadableLines: reader.unreadableLines };
}

/**
 * The opening balances to the sink, and in a balance-only file (SIE 1–3, or a unit's trial
 * balance) the year's movement: closing less opening, and the result items.
 */
function deliver(balances: SieBalances, index: string, vouchers: number, sink: LedgerSink) {
  const opening = balances.opening(index);
  for (const [key, b] of opening) {
    const [entity, account, cp] = splitKey(key);
    sink.opening(entity, account, cp, b.amount, () => b.at);
  }
  if (vouchers > 0) return;
  const closing = balances.closing(index);
  for (const key of new Set([...closing.keys(), ...opening.keys()])) {
    const [entity, account, cp] = splitKey(key);
    const m = (closing.get(key)?.amount ?? 0n) - (opening.get(key)?.amount ?? 0n);
    if (m !== 0n) sink.movement(entity, account, cp, m, () => closing.get(key)?.at ?? opening.get(key)!.at);
  }
  for (const [key, b] of balances.results(index)) {
    const [entity, account, cp] = splitKey(key);
    if (!closing.has(key)) sink.movement(entity, account, cp, b.amount, () => b.at);
  }
}
