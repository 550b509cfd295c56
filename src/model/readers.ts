import { createRequire } from "node:module";
import type { Worker } from "node:worker_threads";
import type { Workspace } from "./workspace.js";

/**
 * The threads that read ledger files beside this one (ledger-worker.ts). A thread takes about 0.2 s
 * to start, mostly Node.js compiling its own modules, so the threads that read the prior year's
 * comparatives wait here for the year itself (LoadOptions.keepReaders), keeping no process alive.
 * Any other year's threads end with it: a waiting thread holds the memory of what it read (measured:
 * 10-15 MB more at the peak of a thousand entities). Not started before a year is known to be
 * large: on two cores, a thread starting beside a small run slows it by a tenth (measured).
 */
const waiting: Worker[] = [];

/** `count` readers for the files of a workspace; progress: whether they report the bytes they read. */
export function takeReaders(count: number, ws: Workspace, progress: boolean): Worker[] {
  return Array.from({ length: count }, () => {
    const worker = waiting.pop() ?? newReader();
    worker.ref();
    worker.postMessage({ ws, progress } satisfies ReaderSetup);
    return worker;
  });
}

type WorkerThreads = typeof import("node:worker_threads");
type V8 = typeof import("node:v8");
/**
 * A new thread; node:worker_threads and node:v8 are loaded with the first (3-4 ms of a start that
 * needs none).
 *
 * No young generation grows while readers run. A reader's may grow to 8 MB (src/start/bundle.ts),
 * but this thread's heap was made before that flag, and V8 grows a young generation by what has
 * survived its collections since it last grew, over the whole run: reading its share of a large
 * year, this thread's grew to 16 MB at a million postings and 32 MB at ten million, and peak memory
 * with it (measured). So a reader starts at 8 MB, and once one is online the growth factor is 1:
 * this thread keeps the size it reached while starting (4 MB), and peak memory is the same at ten
 * million postings as at one, with no run slower (measured). V8's flags are the process's, and an
 * isolate puts the growth factor back to 2 as it starts, hence once the reader is online.
 */
function newReader(): Worker {
  const require = createRequire(import.meta.url);
  const { Worker } = require("node:worker_threads") as WorkerThreads;
  const { setFlagsFromString } = require("node:v8") as V8;
  setFlagsFromString("--min-semi-space-size=8");
  const worker = new Worker(new URL("./ledger-worker.js", import.meta.url));
  worker.once("online", () => setFlagsFromString("--semi-space-growth-factor=1"));
  return worker;
}

/** Readers done with a year: kept for the next one, or stopped (as those of a year that failed). */
export async function releaseReaders(readers: readonly Worker[], keep: boolean): Promise<void> {
  if (!keep) {
    await Promise.all(readers.map((r) => r.terminate()));
    return;
  }
  for (const r of readers) {
    r.unref();
    waiting.push(r);
  }
}

/** Stops the readers kept for a year that turned out too small for them. */
export async function stopReaders(): Promise<void> {
  await releaseReaders(waiting.splice(0), false);
}

/** What a reader is told before the files of a workspace. */
export interface ReaderSetup {
  readonly ws: Workspace;
  readonly progress: boolean;
}
