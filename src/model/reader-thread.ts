import { createRequire } from "node:module";
import type { Worker } from "node:worker_threads";

/** Below this many bytes of a year's ledgers, starting threads costs more than it saves. */
const PARALLEL_FROM_BYTES = 16 * 1024 * 1024;

/**
 * How many threads read a year's ledger files (`sizes` in bytes), this one included: `jobs` when
 * given (--jobs), else one a core once the year is large; never more than there are files.
 */
export const readingThreads = (sizes: readonly number[], jobs: number | undefined, cores: number): number =>
  Math.min(sizes.length, jobs ?? (sizes.reduce((a, b) => a + b, 0) >= PARALLEL_FROM_BYTES ? cores : 1));

type WorkerThreads = typeof import("node:worker_threads");
type V8 = typeof import("node:v8");

/**
 * A new thread reading ledger files (ledger-worker.ts, at `script`). node:worker_threads and
 * node:v8 are loaded with the first (3-4 ms of a start that needs none). A reader's young
 * generation may grow to 8 MB (src/start/bundle.ts) to keep peak memory under 150 MB at ten
 * million postings (BENCHMARKS.md).
 */
export function startReader(script: URL): Worker {
  const require = createRequire(import.meta.url);
  const { Worker } = require("node:worker_threads") as WorkerThreads;
  const { setFlagsFromString } = require("node:v8") as V8;
  setFlagsFromString("--min-semi-space-size=8");
  const worker = new Worker(script);
  worker.once("online", () => online.add(worker));
  return worker;
}

const online = new WeakSet<Worker>();

/**
 * Stops this thread's young generation growing once `reader`, given files to read, is online.
 * This thread's heap was made before the 8 MB limit, and V8 grows a young generation by what has
 * survived its collections since it last grew, over the whole run: reading its share of a large
 * year, this thread's grew to 16 MB at a million postings and 32 MB at ten million, and peak memory
 * with it (measured). With a growth factor of 1 it keeps the size it reached while starting (4 MB),
 * and peak memory is the same at ten million postings as at one, with no run slower (measured).
 * V8's flags are the process's, and an isolate puts the growth factor back to 2 as it starts, hence
 * once the reader is online; and not before it is given files: a reader started with the process
 * (src/start/early-readers.ts) may come online before this thread has loaded its code and grown
 * to its 4 MB (measured: it had grown first, either way, on this machine; the order is a race).
 */
export function holdYoungGeneration(reader: Worker): void {
  const { setFlagsFromString } = createRequire(import.meta.url)("node:v8") as V8;
  const hold = () => setFlagsFromString("--semi-space-growth-factor=1");
  if (online.has(reader)) hold();
  else reader.once("online", hold);
}
