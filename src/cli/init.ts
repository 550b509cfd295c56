import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { basename, extname, join, relative } from "node:path";
import { InvalidArgumentError } from "commander";
import type { GroupDefinition, SourceSpec } from "../domain/config.js";
import type { Diagnostic } from "../domain/types.js";
import { workspaceFromSie, type ZeroConfigOptions } from "../model/zero-config.js";
import { writeAtomically } from "./output.js";

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * Writes a workspace for SIE exports, ready to edit: consolidate.json (entities, members, each
 * file under the year its #RAR 0 names), chart.csv from #KONTO/#KTYP, and the built-in layout of
 * the chart's family as layout.json.
 */
export async function initFromSie(
  dir: string,
  files: readonly string[],
  options: Omit<ZeroConfigOptions, "year">,
): Promise<{ written?: string[]; diagnostics: Diagnostic[] }> {
  const existing = join(dir, "consolidate.json");
  if (existsSync(existing))
    throw new InvalidArgumentError(`${existing} exists already: init never overwrites a workspace`);
  const made = await workspaceFromSie(files, { ...options, year: 0 });
  if (!made.value) return { diagnostics: made.diagnostics };
  const { workspace, headers, layout } = made.value;
  const years: Record<string, { ledgers: SourceSpec[] }> = {};
  headers.forEach((h, i) => {
    const year = (h.years.get("0")?.[0] ?? "").slice(0, 4);
    const spec = workspace.definition.years["0"]!.ledgers[i]!;
    (years[year] ??= { ledgers: [] }).ledgers.push({
      ...spec,
      path: relative(dir, files[i]!),
      ...(spec.entity ? { entity: basename(files[i]!, extname(files[i]!)) } : {}),
    });
  });
  const definition: GroupDefinition = {
    ...workspace.definition,
    chart: "chart.csv",
    layouts: { [Object.keys(years).sort()[0] ?? "2000"]: "layout.json" },
    years,
  };
  const chart = [
    "number,name,type",
    ...[...workspace.chart.values()]
      .sort((a, b) => (a.number < b.number ? -1 : 1))
      .map((a) => `${a.number},${csvField(a.name)},${a.type}`),
  ];
  await mkdir(dir, { recursive: true });
  const written = [join(dir, "consolidate.json"), join(dir, "chart.csv"), join(dir, "layout.json")];
  await writeAtomically(written[1]!, `${chart.join("\n")}\n`);
  await writeAtomically(written[2]!, `${JSON.stringify(layout.spec, null, 2)}\n`);
  await writeAtomically(written[0]!, `${JSON.stringify(definition, null, 2)}\n`);
  return { written, diagnostics: made.diagnostics };
}
