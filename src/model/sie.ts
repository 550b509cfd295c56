import { basename, extname } from "node:path";
import { crc32 } from "node:zlib";
import iconv from "iconv-lite";
import type { SourceSpec } from "../domain/config.js";
import { formatKronor, parsePlainAmount, type Ore } from "../domain/money.js";
import type { Diagnostic, SourceRef } from "../domain/types.js";
import { readSie, type SieEncoding, type SieField, type SieRecord } from "../read/sie.js";
import type { LedgerSink } from "./ledger-file.js";
import type { Workspace } from "./workspace.js";

export const SIE_EXTENSIONS = new Set([".se", ".si", ".sie"]);

const NO_DIMENSIONS: Readonly<Record<string, string>> = Object.freeze({});

const text = (f: SieField | undefined): string => (typeof f === "string" ? f : "");
const objectsOf = (f: SieField | undefined) => (f && typeof f !== "string" ? f.objects : []);

/** SIE dates are YYYYMMDD. */
const isoDate = (d: string) => (/^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d);

/** Where a record's field stands: 0 is the label, i the i-th field. */
const at = (file: string, r: SieRecord, field: number): SourceRef => ({
  file,
  line: r.line,
  column: r.columns[Math.min(field, r.columns.length - 1)] ?? 1,
});

/** Sums per entity, account and counterparty, without building a key per voucher row. */
class Movements {
  readonly #sums = new Map<string, Map<string, Map<string, { amount: Ore }>>>();

  add(entity: string, account: string, counterparty: string, amount: Ore) {
    let accounts = this.#sums.get(entity);
    if (!accounts) this.#sums.set(entity, (accounts = new Map()));
    let cps = accounts.get(account);
    if (!cps) accounts.set(account, (cps = new Map()));
    const sum = cps.get(counterparty);
    if (sum) sum.amount += amount;
    else cps.set(counterparty, { amount });
  }

  /** The sum for "entity|account|counterparty". */
  get(key: string): Ore | undefined {
    const [entity, account, cp] = key.split("|") as [string, string, string];
    return this.#sums.get(entity)?.get(account)?.get(cp)?.amount;
  }

  *entries(): Generator<[string, Ore]> {
    for (const [entity, accounts] of this.#sums)
      for (const [account, cps] of accounts) for (const [cp, s] of cps) yield [`${entity}|${account}|${cp}`, s.amount];
  }
}

type Balances = Map<string, { amount: Ore; at: SourceRef }>;
const addTo = (map: Balances, key: string, amount: Ore, where: SourceRef) => {
  const b = map.get(key);
  if (b) b.amount += amount;
  else map.set(key, { amount, at: where });
};

/** The #KSUMMA checksum: CRC-32 over every label and field content from the opening #KSUMMA on. */
class Checksum {
  #crc = 0;
  #active = false;
  #done = false;
  constructor(readonly encoding: SieEncoding) {}
  add(r: SieRecord): "open" | "close" | undefined {
    if (r.label === "#KSUMMA") {
      if (!this.#active && !this.#done && r.fields.length === 0) {
        this.#active = true;
        this.#feed(r.label);
        return "open";
      }
      if (this.#active) {
        this.#active = false;
        this.#done = true;
        return "close";
      }
      return undefined;
    }
    // The braces around a voucher's rows, like spaces, quotes and line breaks, are not counted.
    if (!this.#active || r.label === "{" || r.label === "}") return undefined;
    this.#feed(r.label);
    for (const f of r.fields) {
      if (typeof f === "string") this.#feed(f);
      else for (const [dim, obj] of f.objects) this.#feed(dim + obj);
    }
    return undefined;
  }
  #feed(s: string) {
    this.#crc = crc32(iconv.encode(s, this.encoding === "win1252" ? "win1252" : this.encoding), this.#crc);
  }
  get value() {
    return this.#crc >>> 0;
  }
}

/**
 * Reads a SIE4 file as a ledger source of one year: its vouchers (#VER with #TRANS; #RTRANS and
 * #BTRANS rows are not booked), its opening balances (#IB, #OIB), or, in a file without vouchers,
 * its balances (#UB, #OUB, #RES) as the year's movement. Checks what the format allows: the year
 * (#RAR 0), IB + vouchers = UB per account, #RES = the result accounts' movement, the previous
 * year's #UB = this year's #IB, and #KSUMMA.
 */
export async function readSieLedger(path: string, source: SourceSpec, year: number, ws: Workspace, sink: LedgerSink) {
  const entityIds = new Map(ws.entities.map((e) => [e.id.toLowerCase(), e.id]));
  const fileEntity = source.entity ?? (source.unitsDimension ? undefined : basename(path, extname(path)));
  const unitsDim = source.unitsDimension ? String(source.unitsDimension) : undefined;
  const motpartDim = source.motpartDimension ? String(source.motpartDimension) : undefined;
  // A source with rar -1 is last year's trial balance, read from this year's file.
  const index = source.rar === -1 ? "-1" : "0";
  const previousYear = index === "-1";
  const problem = (code: string, message: string, where: SourceRef, hint: string): void =>
    sink.report({ code, severity: "error", message, ...where, hint } satisfies Diagnostic);
  const counterpartyOf = (objects: readonly (readonly [string, string])[]) => {
    const obj = motpartDim ? objects.find(([d]) => d === motpartDim)?.[1] : undefined;
    return obj === undefined ? "" : (entityIds.get(obj.toLowerCase()) ?? obj);
  };
  const dimensionsOf = (objects: readonly (readonly [string, string])[]) => {
    if (objects.length === 0) return NO_DIMENSIONS;
    const free = objects.filter(([d]) => d !== unitsDim && d !== motpartDim);
    return free.length ? Object.fromEntries(free) : NO_DIMENSIONS;
  };
  const entityOf = (objects: readonly (readonly [string, string])[]) => {
    if (fileEntity) return fileEntity;
    const obj = objects.find(([d]) => d === unitsDim)?.[1];
    return obj === undefined ? undefined : (entityIds.get(obj.toLowerCase()) ?? obj);
  };

  const ib = new Map<string, Balances>(); // year index → balances per "entity|account|counterparty"
  const ub = new Map<string, Balances>();
  const res = new Map<string, Balances>();
  const balances = (map: Map<string, Balances>, index: string) => {
    let b = map.get(index);
    if (!b) map.set(index, (b = new Map()));
    return b;
  };
  const movement = new Movements(); // booked this year per entity, account and counterparty
  let vouchers = 0;
  let voucher:
    { record: SieRecord; series: string; number: string; date: string; text: string; key: string } | undefined;
  let inVoucher = false;
  let rar0: SieRecord | undefined;
  let checksum: Checksum | undefined;
  let unreadableLines = 0;
  const psaldo = new Map<string, Balances>(); // period balances, for result items per counterparty

  const amountOf = (r: SieRecord, field: number): Ore | undefined => {
    const raw = text(r.fields[field - 1]);
    const ore = parsePlainAmount(raw);
    if (ore === null) {
      problem(
        "E-AMOUNT-INVALID",
        `'${raw}' is not a SIE amount (decimal point, at most two decimals)`,
        at(path, r, field),
        "SIE amounts are written like -1234.50.",
      );
      return undefined;
    }
    return ore;
  };

  /** #IB/#UB/#RES idx account amount; #OIB/#OUB idx account {objects} amount. */
  const balanceRecord = (r: SieRecord, map: Map<string, Balances>, withObjects: boolean) => {
    const index = text(r.fields[0]);
    const account = text(r.fields[1]);
    const objects = withObjects ? objectsOf(r.fields[2]) : [];
    const amount = amountOf(r, withObjects ? 4 : 3);
    if (amount === undefined) return;
    const entity = entityOf(objects);
    if (!entity) return; // a total over all units of a combined file: the per-unit #OIB/#OUB carry it
    const cp = counterpartyOf(objects);
    if (!withObjects || unitsDim || cp)
      addTo(balances(map, index), `${entity}|${account}|${cp}`, amount, at(path, r, withObjects ? 4 : 3));
  };

  for await (const batch of readSie(path, path, sink.onBytes))
    for (const item of batch) {
      if ("encoding" in item) {
        checksum = new Checksum(item.encoding);
        continue;
      }
      if ("error" in item) {
        sink.report(item.error);
        unreadableLines++;
        continue;
      }
      const r = item.record;
      const ks = checksum!.add(r);
      if (ks === "close" && !previousYear) {
        const declared = text(r.fields[0]);
        // A line that could not be read cannot be counted: its error is the one to fix first.
        if (unreadableLines === 0 && declared !== String(checksum!.value)) {
          problem(
            "E-SIE-KSUMMA",
            `#KSUMMA ${declared} does not match the file's contents (checksum ${checksum!.value})`,
            at(path, r, 1),
            "The file was changed after it was exported, or cut short; export it again.",
          );
        }
        continue;
      }
      switch (r.label) {
        case "#RAR":
          if (text(r.fields[0]) === "0") rar0 = r;
          break;
        case "#VER": {
          if (previousYear) break;
          const series = text(r.fields[0]);
          const number = text(r.fields[1]);
          voucher = {
            record: r,
            series,
            number,
            date: isoDate(text(r.fields[2])),
            text: text(r.fields[3]),
            // One key per voucher, whatever the units of its rows; rejected lines use entity "".
            key: `\u0000${series}\u0000${number}\u0000${path}`,
          };
          vouchers++;
          break;
        }
        case "{":
          inVoucher = true;
          break;
        case "}":
          inVoucher = false;
          voucher = undefined;
          break;
        case "#TRANS": {
          if (previousYear) break;
          if (!voucher || !inVoucher) {
            problem(
              "E-SIE-SYNTAX",
              "#TRANS outside a voucher",
              at(path, r, 0),
              "Transaction rows stand between the { and } that follow a #VER.",
            );
            break;
          }
          const v = voucher;
          const objects = objectsOf(r.fields[1]);
          const entity = entityOf(objects);
          const where = (field: string): SourceRef => {
            const index = { account: 1, counterparty: 2, entity: 2, amount: 3, date: 4, text: 5 }[field];
            if (index !== undefined) return at(path, r, index);
            return at(path, v.record, field === "voucher" ? 2 : field === "series" ? 1 : 0);
          };
          const amount = parsePlainAmount(text(r.fields[2]));
          if (!entity) {
            problem(
              "E-SIE-UNIT-MISSING",
              `the row names no object of dimension ${unitsDim}, the units of this file`,
              at(path, r, 2),
              `Every #TRANS of a combined file carries its unit: {${unitsDim} "unit" …}.`,
            );
            sink.reject("", v.series, v.number);
            break;
          }
          if (amount === null) {
            problem(
              "E-AMOUNT-INVALID",
              `'${text(r.fields[2])}' is not a SIE amount (decimal point, at most two decimals)`,
              at(path, r, 3),
              "SIE amounts are written like -1234.50.",
            );
            sink.reject("", v.series, v.number);
            break;
          }
          const counterparty = counterpartyOf(objects);
          const ownDate = text(r.fields[3]);
          const date = ownDate ? isoDate(ownDate) : v.date;
          movement.add(entity, text(r.fields[0]), counterparty, amount);
          sink.accept({
            at: where,
            voucherKey: v.key,
            posting: {
              entity,
              series: v.series,
              voucher: v.number,
              date,
              account: text(r.fields[0]),
              amount,
              counterparty,
              dimensions: dimensionsOf(objects),
              text: text(r.fields[4]) || v.text,
              source: { file: path, line: r.line },
            },
          });
          break;
        }
        case "#IB":
          balanceRecord(r, ib, false);
          break;
        case "#UB":
          balanceRecord(r, ub, false);
          break;
        case "#RES":
          balanceRecord(r, res, false);
          break;
        case "#OIB":
          balanceRecord(r, ib, true);
          break;
        case "#OUB":
          balanceRecord(r, ub, true);
          break;
        case "#PSALDO": {
          // #PSALDO idx period account {objects} amount: kept per counterparty or unit only.
          const objects = objectsOf(r.fields[3]);
          const entity = entityOf(objects);
          const cp = counterpartyOf(objects);
          const amount = text(r.fields[0]) === index && (cp || unitsDim) ? amountOf(r, 5) : undefined;
          if (entity && amount !== undefined)
            addTo(balances(psaldo, index), `${entity}|${text(r.fields[2])}|${cp}`, amount, at(path, r, 5));
          break;
        }
        default:
          // #FLAGGA #FORMAT #SIETYP #PROGRAM #GEN #FNAMN #ORGNR #KPTYP #KONTO #KTYP #DIM #UNDERDIM
          // #OBJEKT #PBUDGET #RTRANS #BTRANS and unknown labels: nothing to book here.
          break;
      }
    }

  if (rar0 && !previousYear) {
    const start = text(rar0.fields[1]);
    if (!start.startsWith(String(year))) {
      problem(
        "E-SIE-YEAR",
        `the file's fiscal year (#RAR 0) starts ${isoDate(start)}, but it is listed for ${year}`,
        at(path, rar0, 2),
        "List each SIE export under the year it covers in consolidate.json.",
      );
    }
  }

  // Opening balances: per unit and counterparty where the file has them (#OIB), the rest of #IB.
  const split = (map: Map<string, Balances>, index: string) => splitByObjects(balances(map, index));
  const opening = split(ib, index);
  for (const [key, b] of opening) {
    const [entity, account, cp] = key.split("|") as [string, string, string];
    sink.opening(entity, account, cp, b.amount, () => b.at);
  }
  const closing = split(ub, index);
  // #RES takes no objects: a balance-only file's result items per unit or counterparty come from
  // #PSALDO, summed over the year's periods; #RES, where present, is the total.
  const resultsWithParts = new Map(balances(res, index));
  for (const [key, b] of balances(psaldo, index)) {
    if (!key.endsWith("|") || !resultsWithParts.has(key)) addTo(resultsWithParts, key, b.amount, b.at);
  }
  const results = splitByObjects(resultsWithParts);
  if (vouchers === 0) {
    // A balance-only file (SIE 1–3, or a unit's trial balance): the year moved from IB to UB.
    for (const key of new Set([...closing.keys(), ...opening.keys()])) {
      const [entity, account, cp] = key.split("|") as [string, string, string];
      const m = (closing.get(key)?.amount ?? 0n) - (opening.get(key)?.amount ?? 0n);
      if (m !== 0n) sink.movement(entity, account, cp, m, () => closing.get(key)?.at ?? opening.get(key)!.at);
    }
    for (const [key, b] of results) {
      const [entity, account, cp] = key.split("|") as [string, string, string];
      if (!closing.has(key)) sink.movement(entity, account, cp, b.amount, () => b.at);
    }
  } else {
    // Checked per entity and account: vouchers need not name the counterparty the balances do.
    const perAccount = (entries: Iterable<[string, Ore, SourceRef?]>) => {
      const out = new Map<string, { amount: Ore; at?: SourceRef }>();
      for (const [key, amount, where] of entries) {
        const k = key.split("|").slice(0, 2).join("|");
        const v = out.get(k) ?? { amount: 0n, at: where };
        v.amount += amount;
        out.set(k, v);
      }
      return out;
    };
    const moved = perAccount(movement.entries());
    const ibA = perAccount([...opening].map(([k, v]) => [k, v.amount, v.at]));
    for (const [key, { amount: want, at: where }] of perAccount([...closing].map(([k, v]) => [k, v.amount, v.at]))) {
      const before = ibA.get(key)?.amount ?? 0n;
      const booked = moved.get(key)?.amount ?? 0n;
      if (before + booked !== want) {
        const [entity, account] = key.split("|");
        problem(
          "E-SIE-UB",
          `${entity}, account ${account}: #IB ${formatKronor(before)} plus the vouchers ${formatKronor(booked)} is ${formatKronor(before + booked)}, but #UB says ${formatKronor(want)}`,
          where ?? { file: path },
          "The export is incomplete or its balances were edited; export vouchers and balances together.",
        );
      }
    }
    // And per object where the file has #OIB/#OUB for it: the part of the balance on that object.
    for (const [key, b] of balances(ub, "0")) {
      const [entity, account, cp] = key.split("|") as [string, string, string];
      if (!cp) continue;
      const before = balances(ib, "0").get(key)?.amount ?? 0n;
      const booked = movement.get(key) ?? 0n;
      if (before + booked !== b.amount) {
        problem(
          "E-SIE-UB",
          `${entity}, account ${account}, object ${cp}: #OIB ${formatKronor(before)} plus the vouchers ${formatKronor(booked)} is ${formatKronor(before + booked)}, but #OUB says ${formatKronor(b.amount)}`,
          b.at,
          "The export is incomplete or its balances were edited; export vouchers and balances together.",
        );
      }
    }
    for (const [key, { amount: want, at: where }] of balances(res, "0")) {
      const k = key.split("|").slice(0, 2).join("|");
      const got = moved.get(k)?.amount ?? 0n;
      if (got !== want) {
        const [entity, account] = key.split("|");
        problem(
          "E-SIE-RES",
          `${entity}, account ${account}: the vouchers move ${formatKronor(got)}, but #RES says ${formatKronor(want)}`,
          where,
          "The export is incomplete or its balances were edited; export vouchers and balances together.",
        );
      }
    }
  }
  if (previousYear) return;
  // Within one file: last year's closing (#UB -1) is this year's opening (#IB 0), but for the
  // equity accounts that the year-end closing moves the result between.
  const { resultAccount, retainedEarningsAccount } = ws.definition.closing;
  const previous = split(ub, "-1");
  for (const [key, b] of previous) {
    const account = key.split("|")[1];
    if (account === resultAccount || account === retainedEarningsAccount) continue;
    const now = opening.get(key)?.amount ?? 0n;
    if (now !== b.amount) {
      const [entity, account] = key.split("|");
      problem(
        "E-SIE-CONTINUITY",
        `${entity}, account ${account}: #UB -1 is ${formatKronor(b.amount)}, but #IB 0 is ${formatKronor(now)}`,
        opening.get(key)?.at ?? b.at,
        "This year opens where last year closed; check the year-end transfer in the accounting system.",
      );
    }
  }
}

/**
 * A #IB/#UB total and its #OIB/#OUB parts per counterparty: the parts stand on their own key, and
 * the total's key keeps what the parts do not cover.
 */
function splitByObjects(b: Balances): Balances {
  const out: Balances = new Map();
  for (const [key, v] of b) out.set(key, { ...v });
  for (const [key, v] of b) {
    const [entity, account, cp] = key.split("|");
    if (!cp) continue;
    const total = out.get(`${entity}|${account}|`);
    if (total) total.amount -= v.amount;
  }
  return out;
}
