import type { Worker } from "node:worker_threads";
import { holdYoungGeneration, startReader } from "./reader-thread.js";
import { forReading, type ReadingWorkspace, type Workspace } from "./workspace.js";

/**
 * The threads that read ledger files beside this one (ledger-worker.ts). A thread takes about 0.2 s
 * to start, mostly Node.js compiling its own modules, so the threads that read the prior year's
 * comparatives wait here for the year itself (LoadOptions.keepReaders), keeping no process alive.
 * Any other year's threads end with it: a waiting thread holds the memory of what it read (measured:
 * 10-15 MB more at the peak of a thousand entities). Not started before a year is known to be
 * large: on two cores, a thread starting beside a small run slows it by a tenth (measured); known
 * from the command line as the process starts (src/start/early-readers.ts), or here.
 */
const waiting: Worker[] = [];

const newReader = () => startReader(new URL("./ledger-worker.js", import.meta.url));

/** `count` readers for the files of a workspace; progress: whether they report the bytes they read. */
export function takeReaders(count: number, ws: Workspace, progress: boolean): Worker[] {
  const setup: ReaderSetup = { ws: forReading(ws), progress };
  return Array.from({ length: count }, () => {
    const worker = waiting.pop() ?? newReader();
    worker.ref();
    holdYoungGeneration(worker);
    worker.postMessage(setup);
    return worker;
  });
}

/** Readers started before this year was known (src/start/early-readers.ts), waiting to be taken as any. */
export function adoptReaders(readers: readonly Worker[]): void {
  for (const r of readers) {
    r.unref();
    waiting.push(r);
  }
}

/**
 * Readers done with a year: kept for the next one, or stopped (as those of a year that failed).
 * A thread is stopped without waiting for it: it takes about 10 ms to end, which the run spends
 * closing and consolidating the year on this one, and it keeps no process alive meanwhile.
 */
export function releaseReaders(readers: readonly Worker[], keep: boolean): void {
  for (const r of readers) {
    r.unref();
    if (keep) waiting.push(r);
    else void r.terminate();
  }
}

/** Stops the readers kept for a year that turned out too small for them. */
export function stopReaders(): void {
  releaseReaders(waiting.splice(0), false);
}

/** What a reader is told before the files of a workspace. */
export interface ReaderSetup {
  readonly ws: ReadingWorkspace;
  readonly progress: boolean;
}
