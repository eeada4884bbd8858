// Harvest of a generated supplier feed through the real worker process, the
// Temporal dev server and a throwaway PostgreSQL: wall time, products/s and
// the worker's peak memory, for a full harvest and an identical re-harvest.
//   pnpm build && pnpm --filter @contextworker/worker bench:harvest [--products 1000000] [--format csv|yml]
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { findTemporalCli, startPostgres, startTemporalDevServer } from '@contextworker/dev-servers';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const flag = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};
const PRODUCTS = Number(flag('products', '100000'));
const FORMAT = flag('format', 'csv') as 'csv' | 'yml';

async function writeFeed(path: string): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (FORMAT === 'csv') {
    await write('sku;name;price;currency;brand;category\n');
    for (let i = 1; i <= PRODUCTS; i++) await write(`sku-${i};Tent model ${i};${(i % 997) + 10}.50;EUR;Brand ${i % 50};Camping > Tents\n`);
  } else {
    await write('<?xml version="1.0" encoding="UTF-8"?>\n<yml_catalog date="2026-11-26 10:00"><shop><name>Bench</name><currencies><currency id="EUR" rate="1"/></currencies>');
    await write('<categories><category id="1">Camping</category><category id="2" parentId="1">Tents</category></categories><offers>');
    for (let i = 1; i <= PRODUCTS; i++) {
      await write(`<offer id="sku-${i}" available="true"><name>Tent model ${i}</name><price>${(i % 997) + 10}.50</price><currencyId>EUR</currencyId><categoryId>2</categoryId><vendor>Brand ${i % 50}</vendor></offer>\n`);
    }
    await write('</offers></shop></yml_catalog>\n');
  }
  out.end();
  await once(out, 'finish');
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

// Asynchronous on purpose: a blocked event loop would stop draining the worker's log pipe.
async function cli(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`contextworker ${args.join(' ')} failed (${code}):\n${stderr}`);
  return stdout;
}

const dir = mkdtempSync(join(tmpdir(), 'cw-bench-harvest-'));
const feedPath = join(dir, `feed.${FORMAT === 'csv' ? 'csv' : 'xml'}`);
await writeFeed(feedPath);
const feedServer = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': FORMAT === 'csv' ? 'text/csv' : 'application/xml', 'content-length': String(statSync(feedPath).size) });
  createReadStream(feedPath).pipe(response);
});
await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
const feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed`;

const cliPath = await findTemporalCli({ log: (line) => process.stderr.write(`${line}\n`) });
if (!cliPath) throw new Error('No Temporal CLI found or buildable; see tooling/dev-servers');
const [temporal, postgres] = await Promise.all([startTemporalDevServer({ cliPath }), startPostgres()]);
const env = {
  TEMPORAL_HOST: temporal.address,
  DATABASE_URL: postgres.url,
  PROJECT_DIR: dir,
  WORKER_TASK_QUEUE: 'bench-harvest',
  HARVEST_ALLOW_NETWORKS: '127.0.0.1/32',
  LOG_LEVEL: 'WARN',
};
try {
  await cli(['migrate'], env);
  await cli(['bundle', '--modules', 'harvester'], env);
  await cli(['suppliers', 'add', 'bench', '--feed-url', feedUrl, '--format', FORMAT], env);
  const worker = spawn(process.execPath, [CLI, 'run', '--modules', 'harvester'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let workerLog = '';
  worker.stderr.on('data', (chunk) => (workerLog += chunk));
  await sleep(3_000);

  const rows: string[] = [];
  for (const [label, args] of [
    ['full harvest', ['harvest', 'bench', '--wait', '--json', '--no-enrich']],
    ['identical re-harvest', ['harvest', 'bench', '--wait', '--json', '--no-enrich']],
  ] as const) {
    const started = performance.now();
    const result = JSON.parse(await cli([...args], env)) as { status: string; created: number; unchanged: number };
    const seconds = (performance.now() - started) / 1000;
    rows.push(
      `| ${label} | ${result.status} | ${result.created.toLocaleString('en')} | ${seconds.toFixed(2)} s | ${Math.round(PRODUCTS / seconds).toLocaleString('en')} | ${peakRssMiB(worker.pid!).toFixed(0)} MiB |`,
    );
  }
  worker.kill('SIGTERM');
  await once(worker, 'exit');
  const payloadWarnings = workerLog.split('\n').filter((line) => /payload|size limit|exceeds/i.test(line));
  console.log(`Harvest of ${PRODUCTS.toLocaleString('en')} generated products, ${FORMAT.toUpperCase()} feed of ${(statSync(feedPath).size / 1024 / 1024).toFixed(1)} MiB`);
  console.log('| run | status | created | wall time | products/s | worker peak RSS |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`payload warnings in the worker log: ${payloadWarnings.length}`);
} finally {
  await Promise.all([temporal.stop(), postgres.stop()]);
  feedServer.close();
}
