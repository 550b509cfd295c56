import type { FeeSpec } from "../domain/config.js";
import type { BalanceRow } from "../domain/balance.js";
import { formatSek, parsePlainAmount, type Ore } from "../domain/money.js";
import type { Diagnostic, Member } from "../domain/types.js";
import { compileSelection } from "./engine.js";

/** One member's fee for one activity: how it is computed, and what was booked. */
export interface MemberFee {
  readonly member: string;
  readonly name: string;
  readonly population?: number;
  /** Kronor per inhabitant, when the fee has a part per inhabitant. */
  readonly rate?: Ore;
  readonly fixed: Ore;
  readonly computed: Ore;
  readonly booked: Ore;
  readonly difference: Ore;
}

export interface ActivityFees {
  readonly id: string;
  readonly label: string;
  readonly entity: string;
  readonly members: readonly MemberFee[];
}

export interface FeeReport {
  readonly schema: "consolidate/fees@1";
  readonly group: { readonly name: string };
  readonly year: number;
  readonly activities: readonly ActivityFees[];
}

export interface FeeInput {
  readonly name: string;
  readonly year: number;
  readonly fees: readonly FeeSpec[];
  readonly members: readonly Member[];
  /** Inhabitants per member code. */
  readonly populations: ReadonlyMap<string, number>;
  /** The year's closed balance rows of every entity, internal items kept. */
  readonly entityRows: readonly BalanceRow[];
  /** Where the fee models are declared, for diagnostics. */
  readonly file: string;
  /** Line and column of a JSON pointer into that file (fees/I/years/YEAR). */
  readonly locate?: (pointer: string) => { line: number; column: number };
}

const amount = (text: string | undefined): Ore => (text === undefined ? 0n : (parsePlainAmount(text) ?? 0n));

/** A member's own entry of a per-member table: never a property every object has (`constructor`). */
const own = (table: Readonly<Record<string, string>> | undefined, member: string): string | undefined =>
  table !== undefined && Object.hasOwn(table, member) ? table[member] : undefined;

/**
 * Each member's fee per activity from the workspace's fee model (a fixed part and a part per
 * inhabitant, each possibly set per member), beside the fees booked with the member as
 * counterparty on the activity's accounts. Every difference is a diagnostic.
 */
export function computeFees(input: FeeInput): { report: FeeReport; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const name = (code: string) => input.members.find((m) => m.code === code)?.name ?? code;
  const activities = input.fees.flatMap((fee, fi): ActivityFees[] => {
    const model = fee.years[String(input.year)];
    if (!model) return [];
    const where = { file: input.file, ...input.locate?.(`/fees/${fi}/years/${input.year}`) };
    const selections = fee.accounts.map((a) => compileSelection({ accounts: [a], entities: [fee.entity] }, -1));
    const booked = new Map<string, Ore>();
    for (const r of input.entityRows) {
      if (r.counterparty === "") continue;
      for (const sel of selections) {
        const v = sel(r);
        if (v !== undefined) booked.set(r.counterparty, (booked.get(r.counterparty) ?? 0n) + v);
      }
    }
    const perInhabitant = model.perInhabitant !== undefined || model.perInhabitantFor !== undefined;
    const participants =
      model.members ??
      (model.perInhabitant !== undefined || model.fixed !== undefined
        ? input.members.map((m) => m.code)
        : [...new Set([...Object.keys(model.fixedFor ?? {}), ...Object.keys(model.perInhabitantFor ?? {})])]);
    // Members charged without taking part are listed too; internal items (an entity as counterparty) are not fees.
    const charged = [...booked.keys()].filter((m) => booked.get(m) !== 0n && input.members.some((x) => x.code === m));
    const members = [...new Set([...participants, ...charged])]
      .map((member): MemberFee => {
        const takesPart = participants.includes(member);
        const rateText = own(model.perInhabitantFor, member) ?? model.perInhabitant;
        const rate = takesPart && perInhabitant && rateText !== undefined ? amount(rateText) : undefined;
        const fixed = takesPart ? amount(own(model.fixedFor, member) ?? model.fixed) : 0n;
        const population = input.populations.get(member);
        if (rate !== undefined && population === undefined)
          diagnostics.push({
            code: "E-FEES-POPULATION",
            severity: "error",
            message: `${input.year}: ${fee.label}: ${name(member)} (${member}) pays per inhabitant, but the workspace has no population for it`,
            ...where,
            hint: `Add "populations": { "${member}": … } to years.${input.year} in consolidate.json.`,
          });
        // Rates are kronor with at most two decimals: rate (öre) × inhabitants is exact.
        const computed = fixed + (rate ?? 0n) * BigInt(population ?? 0);
        const b = booked.get(member) ?? 0n;
        return {
          member,
          name: name(member),
          ...(population !== undefined && rate !== undefined ? { population } : {}),
          ...(rate !== undefined ? { rate } : {}),
          fixed,
          computed,
          booked: b,
          difference: b - computed,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name, "sv"));
    for (const m of members.filter((x) => x.difference !== 0n))
      diagnostics.push({
        code: "E-FEE-DIFFERENCE",
        severity: "error",
        message: `${input.year}: ${fee.label}: ${m.name} (${m.member}) was charged ${formatSek(m.booked)} kr, but the fee model gives ${formatSek(m.computed)} kr (difference ${formatSek(m.difference)} kr)`,
        ...where,
        hint: `Compare the bookings on ${fee.accounts.join(", ")} in ${fee.entity} with counterparty ${m.member} against the rate, the fixed fee and the population in consolidate.json.`,
      });
    return [{ id: fee.id, label: fee.label, entity: fee.entity, members }];
  });
  return {
    report: { schema: "consolidate/fees@1", group: { name: input.name }, year: input.year, activities },
    diagnostics,
  };
}
