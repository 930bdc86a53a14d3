// npm run bench:relay: the same load through mxt's relay and through a Postfix relay, both relaying
// to the same smtp-sink on loopback, both with durable queues. Load: Postfix's smtp-source, 20
// sessions, 5,000 messages of 4 KiB, a connection per message. Prints accepted messages per second,
// time to drain (load start → last message at the sink) and their ratios, median of 3 runs, plus
// p50/p99 accept-to-delivery latency measured by probe messages sent alongside the load (each
// stamped with the time its 250 came back; the sink's file time is its arrival).
// Postfix gets its own config_directory and queue_directory in a temp folder (`postfix -c DIR`).
// CPU: the relay's own processes (mxt: the one node process, all its threads; Postfix: the master
// and every process under it), user + system time from /proc, per message, from load start to
// drain end and for the accept phase alone: on a shared machine a steadier figure than the rates.
// Options: --runs N (3), --messages N (5000), --sessions N (20), --warmup N (0): N messages through
// each relay before the measured load, not counted (a fresh node process spends its first
// seconds compiling its hot code; Postfix's C does not).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { relayStartArgs, sendOne, writeLab } from './relay-lab.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const RUNS = opt('runs', 3);
const MESSAGES = opt('messages', 5000);
const SESSIONS = opt('sessions', 20);
const WARMUP = opt('warmup', 0);
const PROBE_EVERY_MS = 50;
const SINK = { host: '127.0.10.30' };
const MXT_HOST = '127.0.10.20';
const POSTFIX_HOST = '127.0.10.31';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd} || ls /usr/sbin/${cmd} 2>/dev/null`], { encoding: 'utf8' }).stdout.trim();
}

function ensurePostfix() {
  if (which('postfix') && which('smtp-source') && which('smtp-sink')) return;
  // The script installs Postfix itself (Debian), as a peer only: never as the machine's MTA.
  console.log('installing postfix (smtp-source, smtp-sink, postfix) …');
  execFileSync('sh', ['-c', 'echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections && DEBIAN_FRONTEND=noninteractive apt-get install -y postfix'], { stdio: 'inherit' });
}

async function freePort(host) {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitPort(host, port, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise((resolve) => {
      const c = createConnection(port, host, () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on ${host}:${port}`);
}

function files(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

async function startSink(root) {
  const dir = join(root, 'sink');
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  const port = await freePort(SINK.host);
  const proc = spawn(which('smtp-sink'), ['-u', 'nobody', '-d', `${dir}/%M.`, '-m', '512', `${SINK.host}:${port}`, '1024'], { stdio: 'ignore' });
  await waitPort(SINK.host, port);
  return { host: SINK.host, port, dir, proc };
}

function clearDir(dir) {
  for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
}

/** Files written completely (smtp-sink closes a dump when the transaction ends). */
function countDelivered(dir) {
  return files(dir).length;
}

/** User + system CPU (ms) of a process and everything under it, from /proc (reaped children count via cutime). */
function treeCpuMs(rootPid) {
  const stats = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      /* gone */
    }
  }
  let ticks = 0;
  const todo = [rootPid];
  while (todo.length) {
    const pid = todo.pop();
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) todo.push(child);
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** User + system CPU (ms) of one thread (its main thread when tid is the process id). */
function threadCpuMs(pid, tid) {
  try {
    const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}

async function startMxt(root, relayPort, sink) {
  const lab = writeLab(root, relayPort, sink);
  const dataDir = join(root, 'mxt-data');
  rmSync(dataDir, { recursive: true, force: true });
  const proc = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []), ...relayStartArgs(lab, MXT_HOST, dataDir)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  proc.stdout.resume();
  let exited = false;
  proc.once('exit', () => (exited = true));
  await waitPort(MXT_HOST, relayPort);
  return {
    /** The relay died (its stderr says why): the run stops instead of waiting for mail that cannot come. */
    dead: () => exited,
    cpuMs: () => treeCpuMs(proc.pid),
    mainCpuMs: () => threadCpuMs(proc.pid, proc.pid),
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}

function postfixConfig(root, relayPort, sink) {
  const conf = join(root, 'postfix-conf');
  const queue = join(root, 'postfix-queue');
  const data = join(root, 'postfix-data');
  rmSync(conf, { recursive: true, force: true });
  rmSync(queue, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
  mkdirSync(conf);
  mkdirSync(queue);
  mkdirSync(data);
  execFileSync('chown', ['postfix:postfix', data]);
  for (const f of ['dynamicmaps.cf', 'postfix-files']) cpSync(`/etc/postfix/${f}`, join(conf, f));
  for (const d of ['dynamicmaps.cf.d', 'postfix-files.d']) {
    try {
      cpSync(`/etc/postfix/${d}`, join(conf, d), { recursive: true });
    } catch {
      /* optional */
    }
  }
  writeFileSync(
    join(conf, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${queue}`,
      `data_directory = ${data}`,
      'command_directory = /usr/sbin',
      'daemon_directory = /usr/lib/postfix/sbin',
      'mail_owner = postfix',
      'setgid_group = postdrop',
      // The listener's own address is in master.cf (Postfix checks inet_interfaces against the interfaces' addresses).
      'inet_interfaces = loopback-only',
      'inet_protocols = ipv4',
      'myhostname = postfix.bench.test',
      'mydestination =',
      'mynetworks = 127.0.0.0/8',
      `relayhost = [${sink.host}]:${sink.port}`,
      'smtpd_relay_restrictions = permit_mynetworks, reject',
      'smtpd_recipient_restrictions = permit_mynetworks, reject',
      `maillog_file = ${join(data, 'maillog')}`,
      `maillog_file_prefixes = ${root}`,
      'default_process_limit = 100',
      `smtpd_client_connection_count_limit = 0`,
      'smtpd_client_connection_rate_limit = 0',
      'default_destination_concurrency_limit = 20',
      'smtp_destination_concurrency_limit = 20',
      'in_flow_delay = 0',
      'smtp_tls_security_level = none',
      'smtpd_tls_security_level = none',
      'biff = no',
      'alias_maps =',
      'alias_database =',
      'local_recipient_maps =',
      'smtp_host_lookup = native',
      'disable_dns_lookups = yes',
      'lmtp_host_lookup = native',
    ].join('\n') + '\n',
  );
  const master = readFileSync('/etc/postfix/master.cf', 'utf8')
    .split('\n')
    .map((l) => (/^smtp\s+inet\s/.test(l) ? `${POSTFIX_HOST}:${relayPort} inet n - y - - smtpd` : l))
    .join('\n');
  writeFileSync(join(conf, 'master.cf'), `${master}\npostlog   unix-dgram n  -       n       -       1       postlogd\n`);
  return conf;
}

async function startPostfix(root, relayPort, sink) {
  const conf = postfixConfig(root, relayPort, sink);
  if (process.env.BENCH_KEEP) console.log('postfix config', conf);
  const started = spawnSync('script', ['-qec', `postfix -c ${conf} start`, '/dev/null'], { encoding: 'utf8' });
  // postfix reports on a terminal only (no syslog here): script(1) gives it one.
  if (started.status !== 0) throw new Error(`postfix start failed: ${started.stdout}`);
  await waitPort(POSTFIX_HOST, relayPort);
  const master = Number(readFileSync(join(root, 'postfix-queue', 'pid', 'master.pid'), 'utf8').trim());
  return {
    cpuMs: () => treeCpuMs(master),
    stop: async () => {
      spawnSync('postfix', ['-c', conf, 'stop'], { stdio: 'ignore' });
      await sleep(500);
    },
  };
}

/** One probe: its own connection; resolves with the time its 250 came back, or undefined. */
function probe(host, port, id) {
  const body = `From: <probe@lab.test>\r\nTo: <probe@example.net>\r\nSubject: PROBE-${id}\r\n\r\n${'p'.repeat(4000)}\r\n`;
  return sendOne(host, port, 'probe@lab.test', 'probe@example.net', body);
}

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
}

/** `count` messages from smtp-source, waited for at the sink; then the sink's folder is emptied. */
async function warmUp(host, port, sink, count) {
  clearDir(sink.dir);
  const source = spawn(which('smtp-source'), ['-s', String(SESSIONS), '-m', String(count), '-l', '4096', '-f', 'bench@lab.test', '-t', 'rcpt@example.net', `${host}:${port}`], { stdio: 'ignore' });
  await new Promise((r) => source.once('exit', r));
  const deadline = Date.now() + 120_000;
  while (countDelivered(sink.dir) < count && Date.now() < deadline) await sleep(100);
  clearDir(sink.dir);
}

async function runOnce(name, host, port, sink, relay) {
  if (WARMUP > 0) await warmUp(host, port, sink, WARMUP);
  clearDir(sink.dir);
  const cpuStart = relay.cpuMs();
  const mainStart = relay.mainCpuMs?.();
  const start = Date.now();
  const source = spawn(which('smtp-source'), ['-s', String(SESSIONS), '-m', String(MESSAGES), '-l', '4096', '-f', 'bench@lab.test', '-t', 'rcpt@example.net', `${host}:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  source.stderr.on('data', (d) => (stderr += d));
  const sourceDone = new Promise((r) => source.once('exit', (code) => r(code)));
  const probes = [];
  let sourceFinished = false;
  void sourceDone.then(() => (sourceFinished = true));
  for (let i = 0; !sourceFinished; i++) {
    probes.push(probe(host, port, i).then((t) => ({ id: i, t })));
    await sleep(PROBE_EVERY_MS);
  }
  const code = await sourceDone;
  const acceptSeconds = (Date.now() - start) / 1000;
  const cpuAccepted = relay.cpuMs();
  if (code !== 0) throw new Error(`${name}: smtp-source exited ${code}: ${stderr}`);
  const probeResults = await Promise.all(probes);
  const acceptedProbes = probeResults.filter((p) => p.t !== undefined);
  const expected = MESSAGES + acceptedProbes.length;
  const deadline = Date.now() + 300_000;
  while (countDelivered(sink.dir) < expected && Date.now() < deadline && !relay.dead?.()) await sleep(100);
  const drainSeconds = (Date.now() - start) / 1000;
  const cpuDrained = relay.cpuMs();
  const mainDrained = relay.mainCpuMs?.();
  const delivered = countDelivered(sink.dir);
  if (delivered < expected) throw new Error(`${name}: only ${delivered} of ${expected} messages reached the sink`);
  // Probe latency: sink file mtime (its arrival) minus the time its 250 came back.
  const arrivals = new Map();
  for (const f of files(sink.dir)) {
    const text = readFileSync(f, 'utf8');
    const m = /Subject: PROBE-(\d+)/.exec(text);
    if (m) arrivals.set(Number(m[1]), statSync(f).mtimeMs);
  }
  const latencies = acceptedProbes.filter((p) => arrivals.has(p.id)).map((p) => Math.max(0, arrivals.get(p.id) - p.t));
  return { rate: MESSAGES / acceptSeconds, acceptSeconds, drainSeconds, cpu: (cpuDrained - cpuStart) / expected, cpuAccept: (cpuAccepted - cpuStart) / expected, cpuMain: mainStart === undefined ? undefined : (mainDrained - mainStart) / expected, p50: percentile(latencies, 50), p99: percentile(latencies, 99), probes: latencies.length };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

ensurePostfix();
const root = mkdtempSync(join(tmpdir(), 'mxt-relay-bench-'));
chmodSync(root, 0o755);
const sink = await startSink(root);
const results = { mxt: [], postfix: [] };
try {
  for (let run = 1; run <= RUNS; run++) {
    for (const name of (process.env.BENCH_ONLY ?? 'mxt,postfix').split(',')) {
      const host = name === 'mxt' ? MXT_HOST : POSTFIX_HOST;
      const port = await freePort(host);
      const relay = name === 'mxt' ? await startMxt(root, port, sink) : await startPostfix(root, port, sink);
      try {
        const r = await runOnce(name, host, port, sink, relay);
        results[name].push(r);
        console.log(`run ${run} ${name.padEnd(7)}: ${r.rate.toFixed(0)} msgs/s accepted (${r.acceptSeconds.toFixed(1)} s), drained in ${r.drainSeconds.toFixed(1)} s, latency p50 ${r.p50.toFixed(0)} ms p99 ${r.p99.toFixed(0)} ms (${r.probes} probes), CPU ${r.cpu.toFixed(2)} ms/msg (${r.cpuAccept.toFixed(2)} while accepting${r.cpuMain === undefined ? '' : `, main thread ${r.cpuMain.toFixed(2)}`}), load ${loadavg()[0].toFixed(2)}`);
      } finally {
        await relay.stop();
      }
    }
  }
} finally {
  sink.proc.kill('SIGTERM');
  if (!process.env.BENCH_KEEP) rmSync(root, { recursive: true, force: true });
}
const summary = Object.fromEntries(
  Object.entries(results).filter(([, rs]) => rs.length).map(([k, rs]) => [k, { rate: median(rs.map((r) => r.rate)), drain: median(rs.map((r) => r.drainSeconds)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), cpu: median(rs.map((r) => r.cpu)), cpuMain: rs[0].cpuMain === undefined ? undefined : median(rs.map((r) => r.cpuMain)) }]),
);
console.log(`\nmedian of ${RUNS} runs, ${MESSAGES} messages of 4 KiB, ${SESSIONS} sessions, a connection per message${WARMUP ? `, after ${WARMUP} warm-up messages` : ''}`);
for (const [k, s] of Object.entries(summary)) console.log(`${k.padEnd(7)}: ${s.rate.toFixed(0)} msgs/s accepted, drain ${s.drain.toFixed(1)} s, accept-to-delivery p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, CPU ${s.cpu.toFixed(2)} ms/msg${s.cpuMain === undefined ? '' : ` (main thread ${s.cpuMain.toFixed(2)})`}`);
if (summary.mxt && summary.postfix) console.log(`ratio mxt/postfix: accepted rate ${(summary.mxt.rate / summary.postfix.rate).toFixed(2)}x, drain time ${(summary.mxt.drain / summary.postfix.drain).toFixed(2)}x (below 1 is faster), CPU per message ${(summary.mxt.cpu / summary.postfix.cpu).toFixed(2)}x`);
