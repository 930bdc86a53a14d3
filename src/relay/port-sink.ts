/**
 * A MessageSink across a thread boundary: the SMTP front door in a worker thread, the store in the
 * main thread. `PortSink` is the front door's sink, each call a message on a MessagePort;
 * `serveSink` answers those messages with the real sink on the other end. The contract of sink.ts
 * holds across it: `accept()` resolves only once the real sink's accept resolved (the message is
 * durable), and a refusal that carries an SMTP reply arrives as that reply.
 *
 * `admission()` must answer at once (the session asks before MAIL FROM and the final data command),
 * so the serving side pushes the real sink's answer whenever it changes and the PortSink keeps it.
 *
 * Security: none here; both ends are this process.
 */
import type { MessagePort } from 'node:worker_threads';
import { isSinkReply, type AcceptedMessage, type AcceptResult, type MessageSink, type SinkReply } from './sink.js';

/** How often the serving side looks for a change of the real sink's admission() answer. */
export const ADMISSION_PUSH_MS = 250;

type Call = { t: 'accept'; message: AcceptedMessage } | { t: 'startDelivery'; domain: string };
type Request = Call & { id: number };

type Answer =
  | { t: 'accepted'; id: number; queueId: string }
  | { t: 'refused'; id: number; reply?: SinkReply; error?: string }
  | { t: 'delivery'; id: number; started: boolean }
  | { t: 'admission'; reply: SinkReply | undefined };

interface Waiting {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class PortSink implements MessageSink {
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();
  private pressure: SinkReply | undefined;

  constructor(private readonly port: MessagePort) {
    port.on('message', (answer: Answer) => this.answered(answer));
  }

  accept(message: AcceptedMessage): Promise<AcceptResult> {
    // The body travels in an ArrayBuffer of its own, moved rather than cloned: a Buffer is often a
    // view of Node's shared pool, which a clone would copy whole (and a move would take from others).
    const body = new Uint8Array(message.content.length);
    body.set(message.content);
    return this.call({ t: 'accept', message: { ...message, content: body as Buffer } }, [body.buffer]) as Promise<AcceptResult>;
  }

  admission(): SinkReply | undefined {
    return this.pressure;
  }

  startDelivery(domain: string): Promise<boolean> {
    return this.call({ t: 'startDelivery', domain }) as Promise<boolean>;
  }

  async close(): Promise<void> {
    for (const w of this.waiting.values()) w.reject(new Error('the store is closed'));
    this.waiting.clear();
    this.port.close();
  }

  private call(request: Call, transfer: ArrayBuffer[] = []): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.port.postMessage({ ...request, id } satisfies Request, transfer);
    });
  }

  private answered(answer: Answer): void {
    if (answer.t === 'admission') {
      this.pressure = answer.reply;
      return;
    }
    const w = this.waiting.get(answer.id);
    if (!w) return;
    this.waiting.delete(answer.id);
    if (answer.t === 'accepted') w.resolve({ queueId: answer.queueId });
    else if (answer.t === 'delivery') w.resolve(answer.started);
    else w.reject(answer.reply ?? new Error(answer.error ?? 'the store failed'));
  }
}

/** Answers a PortSink's calls with `sink` until the returned function is called. */
export function serveSink(port: MessagePort, sink: MessageSink): () => void {
  let pressure: SinkReply | undefined;
  const pushAdmission = (): void => {
    const reply = sink.admission?.();
    if (reply?.code === pressure?.code && reply?.enhancedCode === pressure?.enhancedCode && reply?.text === pressure?.text) return;
    pressure = reply && { code: reply.code, enhancedCode: reply.enhancedCode, text: reply.text };
    port.postMessage({ t: 'admission', reply: pressure } satisfies Answer);
  };
  const answer = (a: Answer): void => port.postMessage(a);
  port.on('message', (request: Request) => {
    if (request.t === 'startDelivery') {
      const started = sink.startDelivery ? sink.startDelivery(request.domain) : Promise.resolve(false);
      started.then(
        (s) => answer({ t: 'delivery', id: request.id, started: s }),
        (e: unknown) => answer({ t: 'refused', id: request.id, error: String(e) }),
      );
      return;
    }
    const body = request.message.content as Uint8Array;
    const message: AcceptedMessage = { ...request.message, content: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
    sink.accept(message).then(
      (result) => answer({ t: 'accepted', id: request.id, queueId: result.queueId }),
      (e: unknown) => answer({ t: 'refused', id: request.id, ...(isSinkReply(e) ? { reply: { code: e.code, enhancedCode: e.enhancedCode, text: e.text } } : { error: String(e) }) }),
    );
  });
  pushAdmission();
  const timer = setInterval(pushAdmission, ADMISSION_PUSH_MS).unref();
  return () => {
    clearInterval(timer);
    port.close();
  };
}
