// Relay capacity (issue 9 item 11): 1,000 concurrent SMTP sessions held open on Default Frontend
// with the per-source limit raised, the relay's RSS under 250 MB, and a new client still answered
// (banner and EHLO) within 100 ms meanwhile. The relay runs in its own process (its RSS alone is
// measured); this process is the 1,000 clients. Prints the figures; exits 1 when a target is missed.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SESSIONS = 1000;
const RSS_LIMIT_MB = 250;
const ANSWER_LIMIT_MS = 100;
const root = fileURLToPath(new URL('../../', import.meta.url));

if (process.argv[2] === 'relay') {
  const { startRelay } = await import(`${root}dist/app/relay-start.js`);
  const relay = await startRelay({ config: `${root}test/relay/fixtures/relay.mxt.yaml`, server: 'MBX-PAR', address: '127.0.0.1', ephemeralPorts: true, dataDir: process.argv[3], perSourceLimit: SESSIONS * 2 });
  const port = relay.listeners.find((l) => l.connectors.includes('Default Frontend MBX-PAR')).port;
  process.on('message', async (m) => {
    if (m === 'rss') process.send({ rss: process.memoryUsage().rss });
    if (m === 'stop') {
      await relay.close();
      process.exit(0);
    }
  });
  process.send({ port });
} else {
  const dir = mkdtempSync(path.join(tmpdir(), 'mxt-bench-relay-'));
  const child = fork(fileURLToPath(import.meta.url), ['relay', dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (m) => new Promise((resolve) => { child.once('message', resolve); if (m) child.send(m); });
  const { port } = await ask();
  const rssIdle = (await ask('rss')).rss;

  /** Connect, wait for the banner, send EHLO, resolve when the EHLO reply is complete. */
  const session = () =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const s = net.connect(port, '127.0.0.1');
      let got = '';
      s.on('error', reject);
      s.on('data', (d) => {
        const first = got === '';
        got += d.toString();
        if (first) s.write('EHLO bench.example\r\n');
        if (/\r\n250 [^\r]*\r\n$/.test(got)) resolve({ socket: s, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      });
    });

  const held = [];
  const t0 = Date.now();
  for (let i = 0; i < SESSIONS; i += 100) held.push(...(await Promise.all(Array.from({ length: 100 }, session))));
  const openMs = Date.now() - t0;
  const rssHeld = (await ask('rss')).rss;
  const probes = [];
  for (let i = 0; i < 20; i += 1) {
    const p = await session();
    probes.push(p.ms);
    p.socket.end('QUIT\r\n');
  }
  probes.sort((a, b) => a - b);
  const worst = probes[probes.length - 1];
  const median = probes[Math.floor(probes.length / 2)];
  for (const h of held) h.socket.destroy();
  child.send('stop');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });

  const mb = (b) => (b / 1024 / 1024).toFixed(1);
  console.log(`sessions held open:            ${held.length} (opened in ${openMs} ms)`);
  console.log(`relay RSS idle / with sessions: ${mb(rssIdle)} MB / ${mb(rssHeld)} MB (limit ${RSS_LIMIT_MB} MB, ${((rssHeld - rssIdle) / held.length / 1024).toFixed(1)} KB per session)`);
  console.log(`new client banner+EHLO:        median ${median.toFixed(1)} ms, worst of ${probes.length} ${worst.toFixed(1)} ms (limit ${ANSWER_LIMIT_MS} ms; includes the ${25} ms early-talker pause)`);
  const ok = held.length === SESSIONS && rssHeld / 1024 / 1024 < RSS_LIMIT_MB && worst < ANSWER_LIMIT_MS;
  console.log(ok ? 'relay capacity: targets met' : 'relay capacity: TARGET MISSED');
  process.exitCode = ok ? 0 : 1;
}
