import type { AccountType, Diagnostic } from "../../domain/types.js";
import { readSie, SieRecord, type SieField } from "../../read/sie.js";
import { fileProblem } from "../workspace.js";

/** What a SIE file says about its company, chart, dimensions, objects and years. */
export interface SieHeader {
  readonly path: string;
  companyName?: string;
  chartType?: string;
  readonly accounts: Map<string, { name: string; type?: AccountType }>;
  /** Accounts that records book on or state balances for, whether #KONTO names them or not. */
  readonly accountsUsed: Set<string>;
  /** dimension → its name (#DIM) */
  readonly dimensions: Map<string, string>;
  /** dimension → object id → name */
  readonly objects: Map<string, Map<string, string>>;
  /** #RAR index → [start, end] as YYYYMMDD ("" where the file leaves them out) */
  readonly years: Map<string, [string, string]>;
  /** Whether the file carries last year's balances (#UB -1 / #RES -1). */
  hasPriorYear: boolean;
}

const KTYP: Record<string, AccountType> = { T: "asset", S: "liability", I: "revenue", K: "expense" };
const str = (f: SieField | undefined) => (typeof f === "string" ? f : "");

/** The field that names the account, for the records that book on one or state its balance. */
const ACCOUNT_FIELD: Readonly<Record<string, number>> = {
  "#TRANS": 0,
  "#IB": 1,
  "#UB": 1,
  "#RES": 1,
  "#OIB": 1,
  "#OUB": 1,
  "#PSALDO": 2,
};

/**
 * How much of a file is split at a time when reading stops at the vouchers: a 64 KiB piece would
 * hold a thousand voucher lines after a typical header, split for nothing (measured: a sixth of
 * the time before a large SIE year starts reading).
 */
const HEADER_CHUNK_BYTES = 8 * 1024;

/**
 * Reads what a SIE file says about itself. The descriptive records stand before the vouchers
 * (SIE 4 orders a file so), so reading stops there, unless `whole` asks for the accounts used
 * further on too (a 4I file may book on accounts it never names).
 */
export async function readSieHeader(
  path: string,
  whole = false,
): Promise<{ header?: SieHeader; diagnostics: Diagnostic[] }> {
  const problem = await fileProblem(path, path);
  if (problem) return { diagnostics: [problem] };
  const header: SieHeader = {
    path,
    accounts: new Map(),
    accountsUsed: new Set(),
    dimensions: new Map(),
    objects: new Map(),
    years: new Map(),
    hasPriorYear: false,
  };
  const diagnostics: Diagnostic[] = [];
  let vouchers = false;
  for await (const batch of readSie(path, path, undefined, whole ? undefined : HEADER_CHUNK_BYTES)) {
    for (const item of batch) {
      if ("error" in item) diagnostics.push(item.error);
      if (!(item instanceof SieRecord)) continue;
      const { label, fields } = item;
      if (label === "#VER" && !whole) {
        vouchers = true;
        break;
      }
      describe(header, label, fields);
    }
    if (vouchers) break;
  }
  return { header, diagnostics };
}

function describe(header: SieHeader, label: string, fields: readonly SieField[]) {
  const [a, b, c] = [str(fields[0]), str(fields[1]), str(fields[2])];
  const accountField = ACCOUNT_FIELD[label];
  if (accountField !== undefined) {
    const account = str(fields[accountField]);
    // Not a number, not an account ("FEL"): left for the ledger's account check to name.
    if (/^\d+$/.test(account)) header.accountsUsed.add(account);
    if (a === "-1" && (label === "#UB" || label === "#OUB" || label === "#RES")) header.hasPriorYear = true;
    return;
  }
  switch (label) {
    case "#FNAMN":
      header.companyName = a;
      break;
    case "#KPTYP":
      header.chartType = a;
      break;
    case "#KONTO":
      if (a) header.accounts.set(a, { ...header.accounts.get(a), name: b || a });
      break;
    case "#KTYP":
      if (a && KTYP[b.toUpperCase()])
        header.accounts.set(a, { name: header.accounts.get(a)?.name ?? a, type: KTYP[b.toUpperCase()] });
      break;
    case "#DIM":
      if (a) header.dimensions.set(a, b);
      break;
    case "#OBJEKT":
      if (a && b) {
        if (!header.objects.has(a)) header.objects.set(a, new Map());
        header.objects.get(a)!.set(b, c || b);
      }
      break;
    case "#RAR":
      if (a) header.years.set(a, [b, c]);
      break;
  }
}
