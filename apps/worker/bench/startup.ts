// Worker start-up time: bundling workflows at start versus a prebuilt bundle.
// Spawns the built CLI against a throwaway dev server and times spawn -> /readyz 200.
//   pnpm build && pnpm --filter @contextworker/worker bench:startup [--runs 5]
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort, findTemporalCli, startTemporalDevServer } from '@contextworker/dev-servers';
import { makeDeployment } from '@contextworker/test-utils/module-fixtures';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;

async function timeToReady(args: string[], env: Record<string, string>): Promise<number> {
  const port = await findFreePort();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'run', ...args, '--http-port', String(port)], { env: { ...process.env, ...env }, stdio: 'ignore' });
  try {
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
      if (ready) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}`);
      if (performance.now() - started > 120_000) throw new Error('worker not ready after 120 s');
      await sleep(10);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  return `median ${median.toFixed(0)} ms, min ${sorted[0]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms`;
}

const cliPath = await findTemporalCli({ log: (line) => process.stderr.write(`${line}\n`) });
if (!cliPath) throw new Error('No Temporal CLI found or buildable; see tooling/dev-servers');
const server = await startTemporalDevServer({ cliPath });
try {
  const { root, projectDir } = makeDeployment([{ name: 'alpha' }]);
  const env = { TEMPORAL_HOST: server.address, PROJECT_DIR: projectDir, WORKER_TASK_QUEUE: 'bench-startup', LOG_LEVEL: 'WARN' };
  const bundlePath = join(root, 'prebuilt', 'workflows.js');
  const made = spawnSync(process.execPath, [CLI, 'bundle', '--out', bundlePath], { env: { ...process.env, ...env } });
  if (made.status !== 0) throw new Error(`bundle failed: ${made.stderr}`);

  const bundled: number[] = [];
  const prebuilt: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    bundled.push(await timeToReady([], env));
    prebuilt.push(await timeToReady(['--bundle', bundlePath], env));
  }
  console.log(`Worker start-up, spawn to /readyz 200 (${RUNS} runs each, one module with one workflow):`);
  console.log(`  bundling at start: ${summary(bundled)}`);
  console.log(`  prebuilt bundle:   ${summary(prebuilt)}`);
} finally {
  await server.stop();
}
