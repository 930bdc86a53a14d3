/**
 * The front door in a worker thread of its own (relay-front-door-worker.ts), its sink here: SMTP
 * sessions, replies, parsing and logs on one core, the queue's store, categorizer and delivery on
 * the other. A connection per message spends about as much CPU in the front door as in the queue,
 * so one thread for both left the second core idle (and on a shared machine, one runnable thread
 * gets one share). Accepted messages cross by MessagePort (src/relay/port-sink.ts); a 250 still
 * waits for the store's fsync.
 *
 * Diagnostics: a front door that fails to start rejects with its UserError; one that dies later
 * takes the process down, as an uncaught error in a one-thread relay would.
 */
import { once } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { serveSink } from '../relay/port-sink.js';
import type { MessageSink } from '../relay/sink.js';
import type { FrontDoorParams, OpenFrontDoor, RunningListener } from './relay-front-door.js';

/** The worker's answer to a new topology (SIGHUP). */
export type TopologyUsed = { t: 'topology-used'; listenersChanged: boolean } | { t: 'topology-used'; error: string };

/** What the worker says once, after start: its listeners, or why it could not open them. */
export type FrontDoorStarted = { t: 'ready'; listeners: RunningListener[]; tls: boolean } | { t: 'failed'; message: string; hint?: string };

export async function openFrontDoorThread(params: FrontDoorParams, sink: MessageSink): Promise<OpenFrontDoor> {
  const channel = new MessageChannel();
  const stopServing = serveSink(channel.port1, sink);
  const worker = new Worker(new URL('./relay-front-door-worker.js', import.meta.url), { workerData: { params, port: channel.port2 }, transferList: [channel.port2] });
  let started: FrontDoorStarted;
  try {
    started = await new Promise<FrontDoorStarted>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the front door thread exited (${code}) before it listened`)));
    });
  } catch (error) {
    stopServing();
    throw error;
  }
  // Only the start-up listeners: removeAllListeners() would also drop the Worker's own 'newListener'
  // hook, after which a 'message' listener never hears the worker again (the reload's answer).
  for (const event of ['message', 'error', 'exit']) worker.removeAllListeners(event);
  if (started.t === 'failed') {
    await once(worker, 'exit');
    stopServing();
    throw new UserError(started.message, started.hint);
  }
  let closing = false;
  let handOver: Promise<unknown> = Promise.resolve();
  worker.on('error', (error) => {
    throw error;
  });
  worker.on('exit', (code) => {
    if (!closing) throw new Error(`the front door thread exited (${code})`);
  });
  return {
    listeners: started.listeners,
    tls: started.tls,
    useTopology: (topology) => {
      // One at a time: each answer is taken as the reply to the last topology sent.
      const used = handOver.then(async () => {
        const answered = once(worker, 'message') as Promise<[TopologyUsed]>;
        worker.postMessage({ t: 'topology', topology });
        const [answer] = await answered;
        if ('error' in answer) throw new UserError(`the front door refused the new config: ${answer.error}`);
        return { listenersChanged: answer.listenersChanged };
      });
      handOver = used.catch(() => undefined);
      return used;
    },
    close: async () => {
      closing = true;
      const exited = once(worker, 'exit');
      worker.postMessage('close');
      await exited;
      stopServing();
    },
  };
}
