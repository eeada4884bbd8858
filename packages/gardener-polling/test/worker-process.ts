// A worker process for the gardener tests: the enrichment and gardener-polling modules composed on
// one task queue, configured by environment variables. Prints "ready" once polling; stops on SIGTERM.
// Started with tsconfig.worker-process.json, which maps @contextworker/enrichment to its sources.
import { WorkerConfig, connectWorker, createJsonLogger } from '@contextworker/core-temporal';
import { composeWorker } from '@contextworker/registry';
import { createEnrichmentModule } from '@contextworker/enrichment';
import { createGardenerPollingModule } from '../src/module.js';

const config = WorkerConfig.fromEnv(process.env);
const logger = createJsonLogger({ level: 'WARN' });
const connection = await connectWorker(config.temporal);
const composed = await composeWorker({
  config,
  modules: [createEnrichmentModule({ env: { ROUTER_URL: process.env.ROUTER_URL } }), createGardenerPollingModule()],
  connection,
  logger,
});
const running = Promise.all(composed.workers.map((worker) => worker.run()));
process.on('SIGTERM', () => {
  for (const worker of composed.workers) if (worker.getState() === 'RUNNING') worker.shutdown();
});
process.stdout.write('ready\n');
await running;
await composed.dispose();
await connection.close();
