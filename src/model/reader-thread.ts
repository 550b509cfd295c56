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

/**
 * The sizes readingThreads is to judge, looked up only until they make a large year: the files
 * after that count as empty (a thousand files of 60 kB: a quarter of them looked up).
 */
export function sizesUntilLarge(paths: readonly string[], sizeOf: (path: string) => number): number[] {
  let total = 0;
  return paths.map((path) => {
    if (total >= PARALLEL_FROM_BYTES) return 0;
    const size = sizeOf(path);
    total += size;
    return size;
  });
}

type WorkerThreads = typeof import("node:worker_threads");
type V8 = typeof import("node:v8");

/**
 * A new thread reading ledger files (ledger-worker.ts, at `script`). node:worker_threads is loaded
 * with the first (3-4 ms of a start that needs none). A reader's young generation starts at the
 * 4 MB it may grow to, by V8's flags as src/start/bundle.ts set them.
 */
export function startReader(script: URL): Worker {
  const { Worker } = createRequire(import.meta.url)("node:worker_threads") as WorkerThreads;
  return new Worker(script);
}

/** A young generation of two 4 MB halves, as a reader's (startReader). */
const READER_NEW_SPACE = 8 * 1024 * 1024;
let holding = false;
let held = false;

/**
 * Stops this thread's young generation growing once it is a reader's size (4 MB), when `reader`
 * reads beside it. This thread's heap was made before the 4 MB limit, and V8 grows a young
 * generation by what has survived its collections since it last grew, over the whole run: reading
 * its share of a large year, this thread's grew to 16 MB at a million postings and 32 MB at ten
 * million, and peak memory with it (measured). Held at 4 MB, a thousand files' rows are collected
 * more often than at 8 MB, yet that run is no slower (1.49 s against 1.50, A/B): a young
 * generation's pages cost as they are first touched (src/start/bundle.ts). Its size is asked for
 * between files and chunks (holdWhenGrown). V8's flags are the process's, and an
 * isolate puts the growth factor back to 2 as it starts: held again once the reader is online.
 */
export function holdYoungGeneration(reader: Worker): void {
  holding = true;
  reader.once("online", () => held && hold());
  holdWhenGrown();
}

/** Holds this thread's young generation once it has grown to a reader's size (holdYoungGeneration). */
export function holdWhenGrown(): void {
  if (!holding || held) return;
  if (
    v8()
      .getHeapSpaceStatistics()
      .find((s) => s.space_name === "new_space")!.space_size < READER_NEW_SPACE
  )
    return;
  held = true;
  hold();
}

const hold = () => v8().setFlagsFromString("--semi-space-growth-factor=1");

let v8Module: V8 | undefined;
const v8 = () => (v8Module ??= createRequire(import.meta.url)("node:v8") as V8);
