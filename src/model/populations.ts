import type { SourceSpec } from "../domain/config.js";
import type { Diagnostic } from "../domain/types.js";
import { checkedCsvRows } from "./ledger-file.js";
import { fileProblem, inWorkspace, type Workspace } from "./workspace.js";

/**
 * Inhabitants per member code for a year: as written in consolidate.json, or read from a CSV or
 * Excel file (columns member and population) that the accountant keeps beside the ledgers.
 */
export async function loadPopulations(
  ws: Workspace,
  year: number,
): Promise<{ populations: Map<string, number>; diagnostics: Diagnostic[] }> {
  const spec = ws.definition.years[String(year)]?.populations;
  // A map, not an object: a member code may be `constructor` or `__proto__`.
  if (!spec || !("path" in spec))
    return {
      populations: new Map(Object.entries((spec as Record<string, number> | undefined) ?? {})),
      diagnostics: [],
    };
  const source = spec as SourceSpec;
  const path = inWorkspace(ws.dir, source.path);
  const problem = await fileProblem(path, path);
  if (problem) return { populations: new Map(), diagnostics: [problem] };
  const diagnostics: Diagnostic[] = [];
  const populations = new Map<string, number>();
  const members = new Set(ws.members.map((m) => m.code));
  const rows = checkedCsvRows(ws, path, source, diagnostics, {
    required: ["member", "population"],
    known: ["member", "population"],
    schema: "population-row",
    amount: false,
  });
  for await (const { fields, at } of rows) {
    const member = fields.member!.trim();
    if (!members.has(member)) {
      diagnostics.push({
        code: "E-COUNTERPARTY-UNKNOWN",
        severity: "error",
        message: `member '${member}' is not a member of the group`,
        ...at("member"),
        hint: `Members: ${[...members].join(", ")}.`,
      });
      continue;
    }
    if (populations.has(member)) {
      diagnostics.push({
        code: "E-FEES-POPULATION",
        severity: "error",
        message: `member '${member}' has a population twice in the file`,
        ...at("member"),
        hint: "One row per member and year.",
      });
      continue;
    }
    populations.set(member, Number(fields.population));
  }
  return { populations, diagnostics };
}
