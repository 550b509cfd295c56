import { parentPort, workerData } from "node:worker_threads";
import { loadLedgerFile, type LedgerFileJob } from "./ledger-file.js";
import type { WorkerMessage } from "./ledger.js";
import { packRows } from "./row-transfer.js";
import type { Workspace } from "./workspace.js";

/** A thread that reads the ledger files loadYear hands it. */
const { ws, progress } = workerData as { ws: Workspace; progress: boolean };
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);

// Files are read one after another, in the order given: two workbooks read at once in one thread
// lose their temporary files (exceljs).
let reading = Promise.resolve();
port.on("message", ({ i, job }: { i: number; job: LedgerFileJob }) => {
  reading = reading.then(() =>
    loadLedgerFile(ws, job, progress ? (bytes) => send({ bytes }) : undefined).then(
      (result) => {
        const rows = packRows(result.rows);
        const moved = "amounts" in rows ? [rows.amounts.buffer as ArrayBuffer] : [];
        port.postMessage({ i, result: { ...result, rows } } satisfies WorkerMessage, moved);
      },
      (err: unknown) => send({ i, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    ),
  );
});
