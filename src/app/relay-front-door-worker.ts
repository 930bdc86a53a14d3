/**
 * The worker thread of relay-front-door-thread.ts: opens the front door with a PortSink to the
 * main thread's store, says whether it listens, and closes it when told (then the thread ends).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Topology } from '../core/model/topology.js';
import { PortSink } from '../relay/port-sink.js';
import { openFrontDoor, type FrontDoorParams, type OpenFrontDoor } from './relay-front-door.js';
import type { FrontDoorStarted, TopologyUsed } from './relay-front-door-thread.js';

const { params, port } = workerData as { params: FrontDoorParams; port: MessagePort };
const control = parentPort!;
const sink = new PortSink(port);
let door: OpenFrontDoor | undefined;
try {
  door = await openFrontDoor(params, sink);
} catch (error) {
  const e = error as { message: string; hint?: string };
  control.postMessage({ t: 'failed', message: e.message, ...(e.hint ? { hint: e.hint } : {}) } satisfies FrontDoorStarted);
  await sink.close();
  process.exit(0);
}
control.postMessage({ t: 'ready', listeners: door.listeners, tls: door.tls } satisfies FrontDoorStarted);
// The main thread says 'close', or hands over a new topology (SIGHUP) and waits for the answer.
control.on('message', async (m: 'close' | { t: 'topology'; topology: Topology }) => {
  if (m === 'close') {
    await door!.close();
    await sink.close();
    process.exit(0);
  }
  // Answered even when it fails: an error thrown here would end the thread, and the relay with it.
  let answer: TopologyUsed;
  try {
    answer = { t: 'topology-used', ...(await door!.useTopology(m.topology)) };
  } catch (error) {
    answer = { t: 'topology-used', error: (error as Error).message };
  }
  control.postMessage(answer);
});
