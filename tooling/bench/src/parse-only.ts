// pnpm bench:parse: the parse step alone, parseFeed over a staged file, with the
// options the worker passes for the bench suppliers (format only: the CSV delimiter
// is detected and its columns matched by the built-in aliases). Each format and size
// runs in a child process of its own, so its peak RSS is its own.
import { fork } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFeed } from '@contextworker/harvester';
import { writeFeed, type FeedFormat } from './feeds.js';
import { parseSizes, sizeLabel } from './sizes.js';

const USAGE = 'pnpm bench:parse [--sizes 100k,1M] [--formats csv,yml]';

interface Measured {
  format: FeedFormat;
  products: number;
  ok: number;
  failed: number;
  seconds: number;
  /** User plus system CPU time of the parsing process: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  peakRssMB: number;
  load: number;
}

function parseArgs(argv: string[]): { sizes: number[]; formats: FeedFormat[] } {
  const options = { sizes: [100_000, 1_000_000], formats: ['csv', 'yml'] as FeedFormat[] };
  const args = argv.filter((arg) => arg !== '--');
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const value = args[++i];
    if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    if (value === undefined) throw new Error(`${flag} needs a value\nUsage: ${USAGE}`);
    if (flag === '--sizes') options.sizes = parseSizes(value);
    else if (flag === '--formats') {
      const formats = value.split(',');
      const bad = formats.filter((format) => format !== 'csv' && format !== 'yml');
      if (bad.length > 0) throw new Error(`--formats takes csv and/or yml, got ${bad.join(', ')}`);
      options.formats = formats as FeedFormat[];
    } else throw new Error(`Unknown flag ${flag}\nUsage: ${USAGE}`);
  }
  return options;
}

/** The child's side: parse one staged file and report the counts. */
async function measureOne(path: string, format: FeedFormat, products: number): Promise<Measured> {
  const load = loadavg()[0]!;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  for await (const item of parseFeed(createReadStream(path), { format })) {
    if (item.ok) ok++;
    else failed++;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // maxRSS is in kilobytes.
  return { format, products, ok, failed, seconds, cpuSeconds, peakRssMB: process.resourceUsage().maxRSS / 1024, load };
}

function runChild(path: string, format: FeedFormat, products: number): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', path, format, String(products)], { stdio: 'inherit' });
    let result: Measured | undefined;
    child.on('message', (message) => (result = message as Measured));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`parse child exited with ${code}`))));
  });
}

if (process.argv[2] === '--child') {
  const [, , , path, format, products] = process.argv;
  process.send!(await measureOne(path!, format as FeedFormat, Number(products)));
} else {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    const help = process.argv.includes('--help') || process.argv.includes('-h');
    (help ? process.stdout : process.stderr).write(`${(error as Error).message}\n`);
    process.exit(help ? 0 : 2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'contextworker-parse-'));
  try {
    console.log('| format | products | ok | failed | seconds | CPU seconds | records/s | peak RSS | load (1 min) |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const format of options.formats) {
      for (const products of options.sizes) {
        const path = join(dir, `${format}-${products}.${format === 'csv' ? 'csv' : 'xml'}`);
        await writeFeed(path, { format, products });
        const m = await runChild(path, format, products);
        rmSync(path);
        const exact = m.ok === products && m.failed === 0 ? '' : ' (expected every record ok)';
        console.log(
          `| ${format.toUpperCase()} | ${sizeLabel(products)} | ${m.ok}${exact} | ${m.failed} | ${m.seconds.toFixed(2)} s | ${m.cpuSeconds.toFixed(2)} s | ` +
            `${Math.round(m.ok / m.seconds).toLocaleString('en-US')} | ${m.peakRssMB.toFixed(0)} MB | ${m.load.toFixed(2)} |`,
        );
        if (exact) process.exitCode = 1;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
