import type { Diagnostic } from "../../domain/types.js";
import type { SieHeader } from "./header.js";

export interface DetectedDimensions {
  readonly units?: string;
  readonly motpart?: string;
  /** What was detected and why, for the output. */
  readonly notes: string[];
  readonly diagnostics: Diagnostic[];
}

const COUNTERPARTY_NAME = /motpart|counterpart|koncernintern|internpart/i;

interface Dimension {
  readonly id: string;
  readonly name: string;
  readonly objects: Set<string>;
}

function dimensionsOf(headers: readonly SieHeader[]): Dimension[] {
  const dims = new Map<string, Dimension>();
  for (const h of headers) {
    for (const id of new Set([...h.dimensions.keys(), ...h.objects.keys()])) {
      const d = dims.get(id) ?? { id, name: h.dimensions.get(id) ?? "", objects: new Set<string>() };
      for (const obj of h.objects.get(id)?.keys() ?? []) d.objects.add(obj.toLowerCase());
      dims.set(id, d);
    }
  }
  return [...dims.values()];
}

const named = (d: Dimension) => `dimension ${d.id}${d.name ? ` "${d.name}"` : ""}`;

/**
 * The units and counterparty dimensions of SIE files, from #DIM names and #OBJEKT ids, where the
 * user named neither. The counterparty dimension is one named so (Motpart) whose objects include
 * the group's units; in a single file, the units are the objects of another dimension that are
 * all counterparties too (each unit trades with the others). A counterparty dimension that names
 * units but is not used would leave internal items in the statements: that is warned of.
 */
export function detectDimensions(
  headers: readonly SieHeader[],
  fileEntities: readonly string[],
  given: { units?: string; motpart?: string },
): DetectedDimensions {
  const dims = dimensionsOf(headers);
  const notes: string[] = [];
  const diagnostics: Diagnostic[] = [];
  let { units, motpart } = given;
  const counterpartyDims = dims.filter((d) => COUNTERPARTY_NAME.test(d.name));
  if (units === undefined && motpart === undefined && headers.length === 1) {
    for (const m of counterpartyDims) {
      const u = dims.find((d) => d.id !== m.id && d.objects.size >= 2 && [...d.objects].every((o) => m.objects.has(o)));
      if (u) {
        units = u.id;
        motpart = m.id;
        notes.push(`units: the objects of ${named(u)}, since each is also a counterparty in ${named(m)}`);
        break;
      }
    }
  }
  const entityIds =
    units === undefined
      ? fileEntities.map((e) => e.toLowerCase())
      : [...(dims.find((d) => d.id === units)?.objects ?? [])];
  const namesUnits = (d: Dimension) => entityIds.some((e) => d.objects.has(e));
  if (motpart === undefined && entityIds.length >= 2) {
    const m = counterpartyDims.find(namesUnits);
    if (m) motpart = m.id;
  }
  const used = dims.find((d) => d.id === motpart);
  if (used && given.motpart === undefined)
    notes.push(`counterparties: the objects of ${named(used)}; internal items between units are eliminated`);
  if (entityIds.length >= 2)
    for (const d of counterpartyDims.filter((d) => d.id !== motpart && namesUnits(d)))
      diagnostics.push({
        code: "W-SIE-DIMENSION",
        severity: "warning",
        message: `${named(d)} names units of the group as counterparties, but it is not the counterparty dimension used${motpart ? ` (${motpart})` : ""}: internal items on it are not eliminated`,
        file: headers[0]!.path,
        hint: `Pass --motpart-dim ${d.id} if it holds the internal counterparties.`,
      });
  return { ...(units ? { units } : {}), ...(motpart ? { motpart } : {}), notes, diagnostics };
}
