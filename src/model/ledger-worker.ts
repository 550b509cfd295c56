import { parentPort } from "node:worker_threads";
import { readLedgerFile, type LedgerFileJob } from "./ledger-file.js";
import type { ReaderFiles, WorkerMessage } from "./ledger.js";
import type { ReaderSetup } from "./readers.js";
import { movedBuffers, SentNames } from "./row-transfer.js";
import type { ReadingWorkspace } from "./workspace.js";

/**
 * A thread that reads ledger files of the years loadYear hands it, taking each file's turn from the
 * count it shares with the other threads. It may read for several workspaces and years
 * (readers.ts): each workspace's files come after the workspace itself.
 */
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);
let ws: ReadingWorkspace | undefined;
let progress = false;
/** The names of the rows sent for the workspace: its reader (loadLedgerFiles) has a list of them too. */
let sent = new SentNames();

let reading = Promise.resolve();
port.on("message", (m: ReaderSetup | ReaderFiles) => {
  reading = reading.then(() => ("ws" in m ? setUp(m) : readAll(m)));
});

function setUp(setup: ReaderSetup): void {
  ws = setup.ws;
  progress = setup.progress;
  sent = new SentNames();
}

/**
 * Reads files until the count runs past the last. The event loop does not turn between files: a
 * result is sent without it, and a thousand small files, each after a turn of the loop (which ran
 * V8's garbage collection tasks early and often), took 25-30 ms longer (paired runs, 1M postings).
 */
async function readAll({ files, cursor }: ReaderFiles): Promise<void> {
  for (;;) {
    const turn = Atomics.add(cursor, 0, 1);
    if (turn >= files.length) break;
    await read(files[turn]!.i, files[turn]!.job);
  }
  send({ done: true });
}

async function read(i: number, job: LedgerFileJob): Promise<void> {
  try {
    const { result, balance } = await readLedgerFile(ws!, job, progress ? (bytes) => send({ bytes }) : undefined);
    const rows = balance.pack(sent);
    port.postMessage({ i, result, rows } satisfies WorkerMessage, movedBuffers(rows));
  } catch (err) {
    send({ i, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}
