import { parentPort, workerData } from "node:worker_threads";
import { loadLedgerFile, type LedgerFileJob } from "./ledger-file.js";
import type { WorkerMessage } from "./ledger.js";
import type { Workspace } from "./workspace.js";

/** A thread that reads the ledger files loadYear hands it, one at a time. */
const { ws, progress } = workerData as { ws: Workspace; progress: boolean };
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);

port.on("message", ({ i, job }: { i: number; job: LedgerFileJob }) => {
  loadLedgerFile(ws, job, progress ? (bytes) => send({ bytes }) : undefined).then(
    (result) => send({ i, result }),
    (err: unknown) => send({ i, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
