import { groupThousands } from "../domain/money.js";
import type { FeeReport } from "../report/fees.js";
import type { Section } from "./common.js";

const kronor = (ore: bigint) => {
  const s = (ore < 0n ? -ore : ore).toString().padStart(3, "0");
  const kr = groupThousands(s.slice(0, -2), "\u00a0");
  return `${ore < 0n ? "\u2212" : ""}${kr}${s.endsWith("00") ? "" : `,${s.slice(-2)}`}`;
};

/** How a member's fee is made up, in words: "104 321 inv × 73 kr + 129 000 kr". */
function basis(m: FeeReport["activities"][number]["members"][number]): string {
  const parts = [
    ...(m.rate !== undefined ? [`${(m.population ?? 0).toLocaleString("sv-SE")} inv × ${kronor(m.rate)} kr`] : []),
    ...(m.fixed !== 0n ? [`${kronor(m.fixed)} kr`] : []),
  ];
  return parts.length ? ` (${parts.join(" + ")})` : " (deltar inte)";
}

/** Each activity's fees as a table: computed, booked and the difference per member, with totals. */
export function feeSections(fees: FeeReport): Section[] {
  const year = fees.year;
  const columns = ["Beräknad", "Bokförd", "Differens"].map((header) => ({ header, year }));
  return fees.activities.map((a) => {
    const rows = a.members.map((m) => ({
      id: m.member.toLowerCase(),
      label: `${m.name}${basis(m)}`,
      kind: "line" as const,
      values: [m.computed, m.booked, m.difference],
    }));
    const total = [0, 1, 2].map((i) => rows.reduce((t, r) => t + r.values[i]!, 0n));
    return {
      statement: "fees",
      scope: `activity:${a.id}`,
      heading: fees.group.name,
      title: `${a.label} ${year}`,
      columns,
      withNotes: false,
      rows: [
        ...rows,
        { id: "summa", label: "Summa", kind: "total" as const, values: total, sum: rows.map((r) => r.id) },
      ],
    };
  });
}
