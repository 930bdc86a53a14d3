/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
 * crosses 1,000 WAL pages: it copies pages into the database file and fsyncs it, on the thread that
 * committed, which would stall every SMTP session of the relay. The store turns it off
 * (`wal_autocheckpoint=0`) and this worker thread, with its own connection, runs a PASSIVE
 * checkpoint every interval: it never blocks the writer, and copies what readers allow.
 *
 * Security: opens the queue database file; no network.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: next time */ }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} db.close(); parentPort.close(); });
`;

export class Checkpointer {
  private readonly worker: Worker;

  constructor(file: string, sqliteModule: string, intervalMs = 250) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, sqlite: sqliteModule, intervalMs } });
    this.worker.unref();
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      // Held while it stops, or a process with nothing else to do would exit before close() returns.
      this.worker.ref();
      this.worker.once('exit', () => resolve());
      this.worker.postMessage('stop');
    });
  }
}
