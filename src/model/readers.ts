import { Worker } from "node:worker_threads";
import type { Workspace } from "./workspace.js";

/**
 * The threads that read ledger files beside this one (ledger-worker.ts). A thread takes about 0.2 s
 * to start, mostly Node.js compiling its own modules: a run that reads several years (the prior
 * year's comparatives, then the year) starts them once, and between years they wait here, keeping
 * no process alive. Not started before a year is known to be large: on two cores, a thread
 * starting beside a small run slows it by a tenth (measured).
 */
const waiting: Worker[] = [];

/** `count` readers for the files of a workspace; progress: whether they report the bytes they read. */
export function takeReaders(count: number, ws: Workspace, progress: boolean): Worker[] {
  return Array.from({ length: count }, () => {
    const worker = waiting.pop() ?? new Worker(new URL("./ledger-worker.js", import.meta.url));
    worker.ref();
    worker.postMessage({ ws, progress } satisfies ReaderSetup);
    return worker;
  });
}

/** Readers done with a year, kept for the next; those of a year that failed are stopped. */
export async function releaseReaders(readers: readonly Worker[], failed: boolean): Promise<void> {
  if (failed) {
    await Promise.all(readers.map((r) => r.terminate()));
    return;
  }
  for (const r of readers) {
    r.unref();
    waiting.push(r);
  }
}

/** What a reader is told before the files of a workspace. */
export interface ReaderSetup {
  readonly ws: Workspace;
  readonly progress: boolean;
}
