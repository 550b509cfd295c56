import type { FeeReport } from "../report/fees.js";
import type { Section } from "./common.js";
import { formatExact } from "./number.js";

/** An amount as formatExact writes it, without öre when there are none: "129 000", "73,50". */
const kronor = (ore: bigint) => formatExact(ore).replace(/,00$/, "");

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
