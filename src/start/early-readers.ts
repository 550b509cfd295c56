import { lstatSync, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { inWorkspace } from "../read/paths.js";
import type { Worker } from "node:worker_threads";
import { readingThreads, sizesUntilLarge, startReader } from "../model/reader-thread.js";

/**
 * The reading threads of a large year, started as the process starts. A thread takes about 0.2 s
 * to start, and this one about as long to load its code and the workspace: started only once the
 * year is read, a thread began its first file about 0.3 s after this one (1M postings), started
 * here both begin within a few milliseconds. Only a forecast, from the arguments and
 * consolidate.json, read before the command line is parsed: the run itself decides how many threads
 * it takes (model/ledger.ts) and stops any it does not. Anything unexpected forecasts none.
 */
export function startEarlyReaders(argv: readonly string[], cwd = process.cwd()): EarlyStart {
  const plainFiles = new Map<string, number>();
  const unlooked: string[] = [];
  const count = readersAhead(argv, cwd, availableParallelism(), plainFiles, unlooked);
  const script = new URL("../app/ledger-worker.js", import.meta.url);
  const readers = Array.from({ length: count }, () => {
    const reader = startReader(script);
    reader.unref();
    return reader;
  });
  // The year's other ledgers looked up as the readers start, in one plain loop, rather than one
  // by one in the workspace's path check (model/workspace.ts), where a thousand ledgers' lookups
  // took 12 of its 17 ms: a thousand ledgers' run 10-15 ms shorter (paired runs, medians of 21).
  if (count > 0) lookUpPlainFiles(unlooked, plainFiles);
  return { readers, plainFiles };
}

/** Puts each path that is a plain file (no symbolic link) in `plainFiles` with its size; anything else the run looks up itself. */
export function lookUpPlainFiles(paths: readonly string[], plainFiles: Map<string, number>): void {
  for (const path of paths)
    try {
      const found = lstatSync(path, { throwIfNoEntry: false });
      if (found?.isFile()) plainFiles.set(path, found.size);
    } catch {
      // the run says what is wrong
    }
}

/** What the start found out before the command line's code was loaded. */
export interface EarlyStart {
  readonly readers: Worker[];
  /**
   * The ledgers it found to be plain files (no symbolic link), by their full path: their sizes. The
   * workspace's check that its files lie inside it then does not look them up again (model/workspace.ts).
   */
  readonly plainFiles: ReadonlyMap<string, number>;
}

/** The commands that read a year's ledgers, with a --jobs option. */
const READING = new Set(["report", "check", "balances", "interim"]);

/**
 * How many threads besides this one the run will read the first year it reads with; each ledger
 * looked up that is a plain file is put in `plainFiles` with its size, the full path of each one
 * not looked up in `unlooked`.
 */
export function readersAhead(
  argv: readonly string[],
  cwd: string,
  cores: number,
  plainFiles = new Map<string, number>(),
  unlooked: string[] = [],
): number {
  const run = readingRun(argv);
  if (!run) return 0;
  try {
    const years = (JSON.parse(readFileSync(resolve(cwd, run.dir, "consolidate.json"), "utf8")) as Definition).years;
    // The prior year is read first, for the comparatives, and its threads kept for the year.
    const first = years[String(run.year - 1)] ?? years[String(run.year)];
    // Joined only as far as they are looked at, and without node:path where they are plain (read/paths.ts).
    const folder = resolve(cwd, run.dir);
    const paths = (first?.ledgers ?? []).map((l) => l.path);
    let looked = 0;
    const sizes = sizesUntilLarge(paths, (path) => {
      looked++;
      const full = inWorkspace(folder, path);
      lookUpPlainFiles([full], plainFiles);
      // A link or anything else by what it leads to; not there: thrown, and no forecast.
      return plainFiles.get(full) ?? statSync(full).size;
    });
    for (let k = looked; k < paths.length; k++) unlooked.push(inWorkspace(folder, paths[k]!));
    return Math.max(0, readingThreads(sizes, run.jobs, cores) - 1);
  } catch {
    return 0; // the run says what is wrong
  }
}

interface Definition {
  readonly years: Readonly<Record<string, { readonly ledgers?: readonly { readonly path: string }[] }>>;
}

/**
 * The year, folder and --jobs of a command that reads a workspace's ledgers; undefined for any
 * other command line (SIE files named after the year are read without consolidate.json).
 */
function readingRun(argv: readonly string[]): { year: number; dir: string; jobs?: number } | undefined {
  const args = /^\d{4}$/.test(argv[0] ?? "") ? ["report", ...argv] : argv;
  if (!READING.has(args[0] ?? "") || !/^\d{4}$/.test(args[1] ?? "")) return undefined;
  if (args[2] !== undefined && !args[2].startsWith("-")) return undefined;
  const value = (long: string, short: string): string | undefined => {
    for (let i = 2; i < args.length; i++) {
      const a = args[i]!;
      if (a === long || a === short) return args[i + 1];
      if (a.startsWith(`${long}=`)) return a.slice(long.length + 1);
    }
    return undefined;
  };
  const jobs = value("--jobs", "-j");
  if (jobs !== undefined && !/^[1-9]\d?$/.test(jobs)) return undefined;
  return {
    year: Number(args[1]),
    dir: value("--dir", "-d") ?? ".",
    ...(jobs === undefined ? {} : { jobs: Number(jobs) }),
  };
}
