import chalk from "chalk";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { createRequire } from "node:module";
import type { Unit } from "../domain/money.js";
import type { Diagnostic } from "../domain/types.js";
import type { Report } from "../report/build.js";
import type { Explanation } from "../report/explain.js";
import {
  renderDiagnosticsGithub,
  renderDiagnosticsJson,
  renderDiagnosticsJunit,
  renderDiagnosticsText,
} from "../render/diagnostics.js";
import { CSV_DIALECTS, renderCsv, renderTablesCsv, type CsvDialect } from "../render/csv.js";
import { chooseFormat, REPORT_FORMATS, type ReportFormat } from "../render/formats.js";
import { feeSections } from "../render/fees.js";
import { renderHtml, renderTablesHtml } from "../render/html.js";
import { renderJson } from "../render/json.js";
import { renderMarkdown, renderTablesMarkdown } from "../render/markdown.js";
import { renderTablesText, renderText } from "../render/text.js";
import { visible } from "../render/visible.js";
import { lineReader, OutputError, whyNotWritten, writeAtomically, writeStdout, type Output } from "./output.js";
import type { CheckSummary } from "./pipeline.js";
import { initFromSie } from "./init.js";
import { AFTER_HELP, completionScript, USAGE } from "./help.js";
import { byCause } from "../validate/causes.js";
import { progress } from "./progress.js";
import { runCheck, runCheckZeroConfig, runFees, runReport, runZeroConfig, UsageError } from "./pipeline.js";
import { runBalances } from "./balances.js";
import { runExplain } from "./explain.js";
import { runInterim } from "./interim.js";
import { renderExplanationMarkdown, renderExplanationText } from "../render/explain.js";
import { balanceSections } from "../render/balances.js";
import type { Section } from "../render/common.js";
import type { EarlyStart } from "../start/early-readers.js";
import { adoptReaders } from "../model/readers.js";
import { optimizeForReading } from "../start/tiering.js";
import { adoptPlainFiles } from "../model/workspace.js";

const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };

/** For the build (src/start/write-code-cache.ts): the schema validators the runs loaded, to cache their code. */
export { loadedValidators } from "../validate/schema.js";

/** 3: a fault of the tool itself, which CI must tell from the data's errors (1) and a wrong command (2). */
export const EXIT = { ok: 0, dataErrors: 1, usage: 2, internal: 3 } as const;

/** The report in the chosen format: a text (JSON and text made as they are written), or a workbook's bytes. */
async function rendered(report: Report, opts: ReportOptions, explanations?: readonly Explanation[]): Promise<Output> {
  switch (opts.format) {
    case "json":
      return renderJson(report);
    case "md":
      return renderMarkdown(report, opts.unit);
    case "csv":
      return renderCsv(report, opts.unit, { bom: opts.bom === true, dialect: opts.csv });
    case "xlsx": {
      // Loaded only for a workbook: exceljs takes a fifth of a second to load.
      const { renderXlsx } = await import("../render/xlsx.js");
      return renderXlsx(report, opts.unit);
    }
    case "html":
      return renderHtml(report, opts.unit, explanations);
    default:
      return renderText(report, opts.unit);
  }
}

interface ReportOptions {
  allowOutside?: string[];
  dir?: string;
  format: ReportFormat;
  csv?: CsvDialect;
  bom?: boolean;
  budget?: boolean;
  out?: string;
  unit: Unit;
  force?: boolean;
  color: boolean;
  unitsDim?: number;
  motpartDim?: number;
  name?: string;
  jobs?: number;
  period?: string;
}

interface InitOptions {
  fromSie: string[];
  unitsDim?: number;
  motpartDim?: number;
  name?: string;
}

function parseDimension(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError("a dimension is a positive number, e.g. 1 or 20");
  return Number(value);
}

function parseYear(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError("a year is four digits, e.g. 2013");
  return Number(value);
}

interface CheckOptions {
  allowOutside?: string[];
  dir?: string;
  unitsDim?: number;
  motpartDim?: number;
  name?: string;
  format: "text" | "json" | "github" | "junit";
  strict?: boolean;
  color: boolean;
  jobs?: number;
  period?: string;
}

/** Diagnostics for people, with the lines they point at. */
const diagnosticsText = (diagnostics: readonly Diagnostic[]) => renderDiagnosticsText(diagnostics, lineReader());

const printDiagnostics = (diagnostics: readonly Diagnostic[]) => process.stderr.write(diagnosticsText(diagnostics));

/** What a clean `check` read, so that "no problems" is seen to cover the whole workspace. */
function cleanCheck(what: string, summary?: CheckSummary): string {
  what = visible(what);
  if (!summary) return `${what}: no problems found\n`;
  const n = (count: number, one: string, many: string) =>
    `${count.toLocaleString("sv-SE")} ${count === 1 ? one : many}`;
  const years =
    summary.years.length > 1
      ? `${summary.years[0]}–${summary.years[summary.years.length - 1]}`
      : String(summary.years[0] ?? "");
  return (
    `${what}: no problems found\n` +
    `Read ${n(summary.entities, "entity", "entities")}, ${n(summary.years.length, "year", "years")} (${years}), ` +
    `${n(summary.files, "file", "files")}, ${n(summary.vouchers, "voucher", "vouchers")} with ` +
    `${n(summary.postings, "posting", "postings")}; every rule passed.\n`
  );
}

async function check(year: number | undefined, files: readonly string[], opts: CheckOptions): Promise<number> {
  if (files.length && opts.dir !== undefined)
    throw new InvalidArgumentError("give either SIE files or --dir, not both");
  if (files.length && year === undefined) throw new InvalidArgumentError("give the year the SIE files cover");
  const bar = progress();
  const run = {
    onBytes: bar.onBytes,
    jobs: opts.jobs,
    allowOutside: opts.allowOutside,
    ...(opts.period ? { period: opts.period } : {}),
  };
  const result =
    files.length && year !== undefined
      ? await runCheckZeroConfig(
          files,
          { year, unitsDimension: opts.unitsDim, motpartDimension: opts.motpartDim, name: opts.name },
          run,
        )
      : await runCheck(opts.dir ?? ".", year, run);
  bar.done();
  if (opts.format === "text") for (const note of result.notes ?? []) process.stderr.write(`note: ${visible(note)}\n`);
  const { diagnostics } = result;
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const failed = errors > 0 || (opts.strict === true && diagnostics.length > 0);
  const output =
    opts.format === "json"
      ? renderDiagnosticsJson(diagnostics)
      : opts.format === "github"
        ? renderDiagnosticsGithub(diagnostics)
        : opts.format === "junit"
          ? renderDiagnosticsJunit(diagnostics, opts.strict === true)
          : diagnosticsText(diagnostics) ||
            cleanCheck(files.length ? files.join(", ") : (opts.dir ?? "."), result.summary);
  process.stdout.write(output);
  return result.fatal ? EXIT.usage : failed ? EXIT.dataErrors : EXIT.ok;
}

async function report(
  year: number,
  files: readonly string[],
  opts: ReportOptions,
  fromWorkspace: typeof runReport = runReport,
): Promise<number> {
  if (files.length && opts.dir !== undefined)
    throw new InvalidArgumentError("give either SIE files or --dir, not both");
  if (opts.format === "xlsx" && !opts.out && process.stdout.isTTY)
    throw new InvalidArgumentError("a workbook is binary: write it with --out FILE.xlsx (or redirect the output)");
  const bar = progress();
  const run = {
    onBytes: bar.onBytes,
    jobs: opts.jobs,
    budget: opts.budget === true,
    allowOutside: opts.allowOutside,
    ...(opts.period ? { period: opts.period } : {}),
    // The HTML page links each figure to where it comes from.
    explain: opts.format === "html",
  };
  const result = files.length
    ? await runZeroConfig(
        files,
        { year, unitsDimension: opts.unitsDim, motpartDimension: opts.motpartDim, name: opts.name },
        run,
      )
    : await fromWorkspace(opts.dir ?? ".", year, run);
  bar.done();
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  for (const note of result.notes ?? []) process.stderr.write(`note: ${visible(note)}\n`);
  printDiagnostics(byCause(result.diagnostics));
  if (result.fatal || !result.report) return EXIT.usage;
  if (errors.length && !opts.force) {
    const checkCommand = files.length
      ? [
          "consolidate check",
          year,
          ...files,
          ...(opts.unitsDim ? [`--units-dim ${opts.unitsDim}`] : []),
          ...(opts.motpartDim ? [`--motpart-dim ${opts.motpartDim}`] : []),
        ].join(" ")
      : `consolidate check${opts.period ? ` ${year} --period ${visible(opts.period)}` : ""} --dir ${visible(opts.dir ?? ".")}`;
    process.stderr.write(
      `The statements are not printed from data with errors. Run \`${visible(checkCommand)}\` for every problem, or pass --force to print them anyway.\n`,
    );
    return EXIT.dataErrors;
  }
  // Statements from data with errors (--force) are marked a draft in every format.
  const { schema, ...rest } = result.report;
  const output = await rendered(
    errors.length ? { schema, draft: true, ...rest } : result.report,
    opts,
    result.explanations,
  );
  if (opts.out) await writeAtomically(opts.out, output);
  else writeStdout(output);
  return errors.length ? EXIT.dataErrors : EXIT.ok;
}

const PERIOD_HELP =
  "a part of the year: 2013-01-01..2013-08-31, 2013-01..2013-08, jan-aug, T1–T3, Q1–Q4, H1–H2 (income statement for it, balance sheet at its end, the same part of the year before beside it)";

const ALLOW_OUTSIDE_HELP =
  "a folder outside the workspace that consolidate.json may name; repeat it for more (by default every path must lie inside the workspace)";

const collectFolders = (folder: string, folders: string[] = []) => [...folders, folder];

const JOBS_HELP = "ledger files read in parallel threads (default: one per core when the ledgers are large)";

function parseJobs(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError("give a whole number from 1 to 64");
  return n;
}

interface FeesOptions {
  allowOutside?: string[];
  dir: string;
  format: ReportFormat;
  out?: string;
  unit: Unit;
  csv?: CsvDialect;
  bom?: boolean;
  color: boolean;
}

async function fees(year: number, opts: FeesOptions): Promise<number> {
  if (opts.format === "xlsx" && !opts.out && process.stdout.isTTY)
    throw new InvalidArgumentError("a workbook is binary: write it with --out FILE.xlsx (or redirect the output)");
  const result = await runFees(opts.dir, year, { allowOutside: opts.allowOutside });
  printDiagnostics(byCause(result.diagnostics));
  if (result.fatal || !result.fees) return EXIT.usage;
  const heading = `${result.fees.group.name}: medlemsavgifter ${year}`;
  await writeTables(result.fees, heading, feeSections(result.fees), opts, year, {
    sheet: "Medlemsavgifter",
    subtitle: `Beräknade och bokförda avgifter, belopp i ${opts.unit}`,
  });
  return result.diagnostics.some((d) => d.severity === "error") ? EXIT.dataErrors : EXIT.ok;
}

interface BalancesCliOptions extends FeesOptions {
  entity?: string;
  period?: string;
  jobs?: number;
  force?: boolean;
}

async function balances(year: number, opts: BalancesCliOptions): Promise<number> {
  if (opts.format === "xlsx" && !opts.out && process.stdout.isTTY)
    throw new InvalidArgumentError("a workbook is binary: write it with --out FILE.xlsx (or redirect the output)");
  const bar = progress();
  const result = await runBalances(opts.dir, year, {
    allowOutside: opts.allowOutside,
    onBytes: bar.onBytes,
    jobs: opts.jobs,
    ...(opts.entity ? { entity: opts.entity } : {}),
    ...(opts.period ? { period: opts.period } : {}),
  });
  bar.done();
  printDiagnostics(byCause(result.diagnostics));
  if (result.fatal || !result.balances) return EXIT.usage;
  const errors = result.diagnostics.some((d) => d.severity === "error");
  if (errors && !opts.force) {
    process.stderr.write(
      `The saldobalans is not printed from data with errors. Run \`consolidate check ${year}${opts.period ? ` --period ${visible(opts.period)}` : ""} --dir ${visible(opts.dir)}\` for every problem, or pass --force to print it anyway.\n`,
    );
    return EXIT.dataErrors;
  }
  const tables = balanceSections(result.balances);
  const heading = `${result.balances.group.name}: saldobalans ${result.balances.period?.label ?? year}`;
  await writeTables(result.balances, heading, tables, opts, year, {
    sheet: "Saldobalans",
    subtitle: `Saldobalans, belopp i ${opts.unit} (debet positivt)`,
  });
  return result.diagnostics.some((d) => d.severity === "error") ? EXIT.dataErrors : EXIT.ok;
}

/** Tables (fees, a saldobalans) in the chosen format; JSON is the data they come from. */
async function writeTables(
  data: object,
  heading: string,
  tables: readonly Section[],
  opts: FeesOptions,
  year: number,
  page: { readonly sheet: string; readonly subtitle: string },
): Promise<void> {
  let output: Output;
  switch (opts.format) {
    case "json":
      output = renderJson(data);
      break;
    case "md":
      output = renderTablesMarkdown(heading, tables, opts.unit);
      break;
    case "csv":
      output = renderTablesCsv(tables, opts.unit, { bom: opts.bom === true, dialect: opts.csv });
      break;
    case "html":
      output = renderTablesHtml(heading, heading, page.subtitle, tables, opts.unit);
      break;
    case "xlsx": {
      const { renderTablesXlsx } = await import("../render/xlsx.js");
      output = await renderTablesXlsx(year, [{ name: page.sheet, heading, tables }], opts.unit);
      break;
    }
    default:
      output = renderTablesText(heading, tables, opts.unit);
  }
  if (opts.out) await writeAtomically(opts.out, output);
  else writeStdout(output);
}

interface ExplainCliOptions {
  allowOutside?: string[];
  dir: string;
  entity?: string;
  vouchers?: boolean;
  period?: string;
  format: "text" | "md" | "json";
  out?: string;
  color: boolean;
}

async function explainFigure(year: number, figure: string, opts: ExplainCliOptions): Promise<number> {
  const result = await runExplain(opts.dir, year, figure, {
    allowOutside: opts.allowOutside,
    ...(opts.entity ? { entity: opts.entity } : {}),
    ...(opts.vouchers ? { vouchers: true } : {}),
    ...(opts.period ? { period: opts.period } : {}),
  });
  printDiagnostics(byCause(result.diagnostics));
  const e = result.explanation;
  if (result.fatal || !e) return EXIT.usage;
  const when = opts.period ? `${year}, ${opts.period}` : String(year);
  const output =
    opts.format === "json"
      ? renderJson(e)
      : opts.format === "md"
        ? renderExplanationMarkdown(e, result.group ?? "", when)
        : renderExplanationText(e, result.group ?? "", when);
  if (opts.out) await writeAtomically(opts.out, output);
  else writeStdout(output);
  return result.diagnostics.some((d) => d.severity === "error") || !e.addsUp ? EXIT.dataErrors : EXIT.ok;
}

const CSV_HELP =
  "csv: rfc4180 (default: comma, decimal point, for scripts) or excel-sv (semicolons, decimal comma, BOM: Excel with Swedish settings opens it in columns)";

/**
 * The format to write: --format if given, else the --out file's extension (.xlsx, .html, .csv, .md,
 * .json, .txt), else CSV for --csv, else text. A --format that contradicts the extension, or --csv
 * for another format, is a usage error.
 */
function resolveFormat(cmd: Command, opts: { format: ReportFormat; out?: string; csv?: CsvDialect }): void {
  const source = cmd.getOptionValueSource("format");
  const explicit = source === undefined || source === "default" ? undefined : opts.format;
  const format = chooseFormat(explicit, opts.out, opts.csv ? "csv" : "text");
  if (typeof format !== "string") throw new InvalidArgumentError(format.refused);
  if (opts.csv && format !== "csv")
    throw new InvalidArgumentError(`--csv ${opts.csv} is for CSV output, but the format is ${format}`);
  opts.format = format;
}

function program(setExit: (code: number) => void): Command {
  const cmd = new Command("consolidate")
    .description("Consolidated annual accounts for Swedish public-sector groups, from ledger files.")
    .version(version)
    .option("--debug", "on an internal error, print its stack trace too")
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  cmd
    .command("report <year> [sie-files...]", { isDefault: true })
    .description(
      "print the statements and notes of <year> with the prior year as comparatives, from the workspace or straight from SIE files",
    )
    .option("-d, --dir <path>", "workspace folder (default: the current directory)")
    .addOption(new Option("-f, --format <format>", "output format").choices(REPORT_FORMATS).default("text"))
    .option("-o, --out <file>", "write to a file (completely or not at all) instead of standard output")
    .addOption(
      new Option("-u, --unit <unit>", "unit of the figures (JSON stays exact kronor)")
        .choices(["kr", "tkr", "mnkr"])
        .default("tkr"),
    )
    .addOption(new Option("--csv <dialect>", CSV_HELP).choices(CSV_DIALECTS))
    .option("--bom", "csv: begin with a byte-order mark, for Excel on Windows")
    .option("--budget", "follow the income statements up against the year's budgets (budget, outcome, deviation)")
    .option("-p, --period <period>", PERIOD_HELP)
    .option("--force", "print statements even when the data has errors")
    .option("--no-color", "plain text without colours")
    .option("--units-dim <n>", "SIE: one file holds all units, as objects of this dimension", parseDimension)
    .option("--motpart-dim <n>", "SIE: the dimension that names each row's counterparty", parseDimension)
    .option("--name <name>", "SIE: the group's name on the statements")
    .option("--allow-outside <folder>", ALLOW_OUTSIDE_HELP, collectFolders)
    .option("-j, --jobs <n>", JOBS_HELP, parseJobs)
    .addHelpText("after", AFTER_HELP.report!)
    .exitOverride()
    .action(async (yearText: string, files: string[], opts: ReportOptions, command: Command) => {
      resolveFormat(command, opts);
      if (!opts.color || opts.format !== "text" || opts.out) chalk.level = 0;
      setExit(await report(parseYear(yearText), files, opts));
    });
  cmd
    .command("check [year] [sie-files...]")
    .description("check the workspace (or one year of it), or SIE files straight, and report every problem at once")
    .option("-d, --dir <path>", "workspace folder (default: the current directory)")
    .addOption(
      new Option("-f, --format <format>", "output format").choices(["text", "json", "github", "junit"]).default("text"),
    )
    .option("--strict", "fail on warnings too")
    .option("-p, --period <period>", "check a part of the year as its report reads it (give the year too)")
    .option("--no-color", "plain text without colours")
    .option("--units-dim <n>", "SIE: one file holds all units, as objects of this dimension", parseDimension)
    .option("--motpart-dim <n>", "SIE: the dimension that names each row's counterparty", parseDimension)
    .option("--name <name>", "SIE: the group's name")
    .option("--allow-outside <folder>", ALLOW_OUTSIDE_HELP, collectFolders)
    .option("-j, --jobs <n>", JOBS_HELP, parseJobs)
    .addHelpText("after", AFTER_HELP.check!)
    .exitOverride()
    .action(async (yearText: string | undefined, files: string[], opts: CheckOptions) => {
      if (!opts.color || opts.format !== "text") chalk.level = 0;
      setExit(await check(yearText === undefined ? undefined : parseYear(yearText), files, opts));
    });
  cmd
    .command("fees <year>")
    .description(
      "each member's fee from the workspace's fee models (rates, fixed fees, populations) beside the fees booked",
    )
    .option("-d, --dir <path>", "workspace folder", ".")
    .addOption(new Option("-f, --format <format>", "output format").choices(REPORT_FORMATS).default("text"))
    .option("-o, --out <file>", "write to a file (completely or not at all) instead of standard output")
    .addOption(new Option("-u, --unit <unit>", "unit of the figures").choices(["kr", "tkr", "mnkr"]).default("kr"))
    .addOption(new Option("--csv <dialect>", CSV_HELP).choices(CSV_DIALECTS))
    .option("--bom", "csv: begin with a byte-order mark, for Excel on Windows")
    .option("--allow-outside <folder>", ALLOW_OUTSIDE_HELP, collectFolders)
    .option("--no-color", "plain text without colours")
    .addHelpText("after", AFTER_HELP.fees!)
    .exitOverride()
    .action(async (yearText: string, opts: FeesOptions, command: Command) => {
      resolveFormat(command, opts);
      if (!opts.color || opts.format !== "text" || opts.out) chalk.level = 0;
      setExit(await fees(parseYear(yearText), opts));
    });
  cmd
    .command("balances <year>")
    .description(
      "the saldobalans: every account of each entity and of the group after elimination, with opening balance, debits, credits, closing balance and the statement line it lands on",
    )
    .option("-d, --dir <path>", "workspace folder", ".")
    .option("-e, --entity <id>", "one entity's saldobalans only")
    .option("--force", "print the saldobalans even when the data has errors")
    .option("-p, --period <period>", PERIOD_HELP)
    .addOption(new Option("-f, --format <format>", "output format").choices(REPORT_FORMATS).default("text"))
    .option("-o, --out <file>", "write to a file (completely or not at all) instead of standard output")
    .addOption(new Option("-u, --unit <unit>", "unit of the figures").choices(["kr", "tkr", "mnkr"]).default("kr"))
    .addOption(new Option("--csv <dialect>", CSV_HELP).choices(CSV_DIALECTS))
    .option("--bom", "csv: begin with a byte-order mark, for Excel on Windows")
    .option("--allow-outside <folder>", ALLOW_OUTSIDE_HELP, collectFolders)
    .option("-j, --jobs <n>", JOBS_HELP, parseJobs)
    .option("--no-color", "plain text without colours")
    .addHelpText("after", AFTER_HELP.balances!)
    .exitOverride()
    .action(async (yearText: string, opts: BalancesCliOptions, command: Command) => {
      resolveFormat(command, opts);
      if (!opts.color || opts.format !== "text" || opts.out) chalk.level = 0;
      setExit(await balances(parseYear(yearText), opts));
    });
  cmd
    .command("interim <year>")
    .description(
      "the delårsrapport: the statements of a part of the year beside the same part of the year before, the full-year forecast beside the budget, and the balanskravsresultat the forecast implies",
    )
    .option("-d, --dir <path>", "workspace folder (default: the current directory)")
    .requiredOption("-p, --period <period>", PERIOD_HELP)
    .option(
      "--forecast <files...>",
      "forecast files (CSV, Excel, JSON, by account or layout row like budgets): a unit's by its file name, or with an entity column; otherwise the year's \"forecasts\" in consolidate.json",
    )
    .addOption(new Option("-f, --format <format>", "output format").choices(REPORT_FORMATS).default("text"))
    .option("-o, --out <file>", "write to a file (completely or not at all) instead of standard output")
    .addOption(new Option("-u, --unit <unit>", "unit of the figures").choices(["kr", "tkr", "mnkr"]).default("tkr"))
    .addOption(new Option("--csv <dialect>", CSV_HELP).choices(CSV_DIALECTS))
    .option("--bom", "csv: begin with a byte-order mark, for Excel on Windows")
    .option("--force", "print statements even when the data has errors")
    .option("--no-color", "plain text without colours")
    .option("--allow-outside <folder>", ALLOW_OUTSIDE_HELP, collectFolders)
    .option("-j, --jobs <n>", JOBS_HELP, parseJobs)
    .addHelpText("after", AFTER_HELP.interim!)
    .exitOverride()
    .action(async (yearText: string, opts: ReportOptions & { forecast?: string[] }, command: Command) => {
      resolveFormat(command, opts);
      if (!opts.color || opts.format !== "text" || opts.out) chalk.level = 0;
      setExit(
        await report(parseYear(yearText), [], opts, (dir, year, run) =>
          runInterim(dir, year, { ...run, forecasts: opts.forecast ?? [] }),
        ),
      );
    });
  cmd
    .command("explain <year> <figure>")
    .description(
      "where a figure comes from: STATEMENT/ROW (income/verksamhetens-intakter, note/3/ROW, or the start of a label) down to each entity's accounts, the internal items eliminated and, with --vouchers, every voucher line",
    )
    .option("-d, --dir <path>", "workspace folder", ".")
    .option("-e, --entity <id>", "the figure of one entity's own statement")
    .option("--vouchers", "every voucher line and opening balance behind the accounts, with file:line")
    .option("-p, --period <period>", PERIOD_HELP)
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "md", "json"]).default("text"))
    .option("-o, --out <file>", "write to a file (completely or not at all) instead of standard output")
    .option("--allow-outside <folder>", ALLOW_OUTSIDE_HELP, collectFolders)
    .option("--no-color", "plain text without colours")
    .addHelpText("after", AFTER_HELP.explain!)
    .exitOverride()
    .action(async (yearText: string, figure: string, opts: ExplainCliOptions) => {
      if (!opts.color || opts.format !== "text" || opts.out) chalk.level = 0;
      setExit(await explainFigure(parseYear(yearText), figure, opts));
    });
  cmd
    .command("init <dir>")
    .description("write a workspace for SIE exports: group definition, chart from #KONTO/#KTYP, the default layout")
    .requiredOption("--from-sie <files...>", "the SIE files the workspace reads (copied into it, under sie/YEAR/)")
    .option("--units-dim <n>", "one file holds all units, as objects of this dimension", parseDimension)
    .option("--motpart-dim <n>", "the dimension that names each row's counterparty", parseDimension)
    .option("--name <name>", "the group's name")
    .addHelpText("after", AFTER_HELP.init!)
    .exitOverride()
    .action(async (dir: string, opts: InitOptions) => {
      const result = await initFromSie(dir, opts.fromSie, {
        unitsDimension: opts.unitsDim,
        motpartDimension: opts.motpartDim,
        name: opts.name,
      });
      printDiagnostics(result.diagnostics);
      if (result.written)
        process.stdout.write(
          `${result.written.map((f) => `wrote ${visible(f)}`).join("\n")}\nNext: consolidate check --dir ${visible(dir)}\n`,
        );
      setExit(result.written ? EXIT.ok : EXIT.usage);
    });
  cmd
    .command("completion <shell>")
    .description("print a completion script for bash or zsh")
    .addHelpText("after", AFTER_HELP.completion!)
    .exitOverride()
    .action((shell: string) => {
      const script = completionScript(shell);
      if (!script) throw new InvalidArgumentError(`no completion for '${shell}': give bash or zsh`);
      process.stdout.write(script);
    });
  return cmd;
}

/**
 * A fault of the tool itself, in one line (CI logs show it, and exit code 3 tells it from the
 * data's errors); the stack trace only with --debug, for the report.
 */
function internalError(err: unknown, debug: boolean): string {
  const message = err instanceof Error ? err.message : String(err);
  const trace = debug && err instanceof Error && err.stack ? `${err.stack}\n` : "";
  return `internal error, please report: ${visible(message)}\n${trace}`;
}

/**
 * Runs the CLI; returns the exit code. The only place that knows about the process. `early`: the
 * reading threads started ahead for a large year, and the ledgers looked up to forecast it
 * (src/start/early-readers.ts).
 */
export async function main(argv: readonly string[], early?: EarlyStart): Promise<number> {
  adoptReaders(early?.readers ?? []);
  adoptPlainFiles(early?.plainFiles ?? new Map());
  let code: number = EXIT.ok;
  // Known before the options are parsed, for a fault while parsing them.
  const debug = argv.includes("--debug");
  if (!process.stdout.isTTY || process.env.NO_COLOR) chalk.level = 0;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    // A reader that stops early (`| head`) is not an error: stop quietly.
    if (err.code === "EPIPE") process.exit(process.exitCode ?? EXIT.ok);
    // Any other (a full disk: `> /dev/full`) is said in one line.
    process.stderr.write(`error: cannot write to standard output: ${whyNotWritten(err)}\n`);
    process.exit(EXIT.usage);
  });
  // Nothing is left to say where standard error cannot be written.
  process.stderr.on("error", () => undefined);
  // A fault outside the command's own course (a callback, a stream) ends the run as one inside it.
  const fault = (err: unknown) => {
    process.stderr.write(internalError(err, debug));
    process.exit(EXIT.internal);
  };
  process.on("uncaughtException", fault);
  process.on("unhandledRejection", fault);
  if (argv.length === 0) {
    process.stderr.write(USAGE);
    return EXIT.usage;
  }
  // `consolidate 2013 --help` is the report's help: the year names the default command.
  const args = /^\d{4}$/.test(argv[0]!) ? ["report", ...argv] : [...argv];
  try {
    await program((c) => (code = c)).parseAsync(args, { from: "user" });
  } catch (err) {
    if (err instanceof InvalidArgumentError || err instanceof OutputError || err instanceof UsageError) {
      process.stderr.write(`error: ${visible(err.message)}\n`);
      return EXIT.usage;
    }
    if (err instanceof CommanderError) {
      return err.exitCode === 0 || err.code === "commander.helpDisplayed" || err.code === "commander.version"
        ? EXIT.ok
        : EXIT.usage;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code && e.syscall) {
      process.stderr.write(`error: ${visible(e.message)}\n`);
      return EXIT.usage;
    }
    process.stderr.write(internalError(err, debug));
    return EXIT.internal;
  } finally {
    // As V8 was at the start: the build writes its code cache once a run is done (start/tiering.ts).
    optimizeForReading();
  }
  return code;
}
