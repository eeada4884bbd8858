// Secrets (the feed credential, a token in the feed URL, the Temporal API key and
// the database password) never show up in logs, errors or workflow histories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFeed } from '../src/feeds.js';
import { rootFailure } from '../src/failures.js';
import { readHistories } from '../src/histories.js';
import { startHarvestSetup, type HarvestSetup } from '../src/harvest-setup.js';
import { runCliCommand, type WorkerProcess } from '../src/worker-process.js';

const FEED_TOKEN = 'feed-secret-7f3a9c41';
const URL_TOKEN = 'url-secret-91b2d7e0';
const API_KEY = 'temporal-key-5e1d8b23';
const DB_PASSWORD = 'db-pass-2c6e4a95';
const SECRETS = [FEED_TOKEN, URL_TOKEN, API_KEY, DB_PASSWORD];

function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

function expectNoSecret(text: string, where: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${secret} found in ${where}`).toBe(false);
}

let h: HarvestSetup;
let worker: WorkerProcess;

beforeAll(async () => {
  h = await startHarvestSetup({ workers: 0 });
  worker = await h.startWorker({
    // Trust authentication ignores the password, but the worker still holds and could print it.
    DATABASE_URL: withPassword(h.databaseUrl, DB_PASSWORD),
    TEMPORAL_API_KEY: API_KEY,
    TEMPORAL_TLS: 'false', // the dev server speaks plain gRPC; the key is still sent with every call
    SUPPLIER_TOKEN: `Bearer ${FEED_TOKEN}`,
    LOG_LEVEL: 'DEBUG',
  });
  h.feeds.handle('/secure.csv', (req, res) => {
    if (req.headers.authorization !== `Bearer ${FEED_TOKEN}`) return res.writeHead(401).end('who are you?');
    res.writeHead(200, { 'content-type': 'text/csv' }).end(csvFeed(5));
  });
});
afterAll(async () => {
  await h?.stop();
});

describe('secrets', () => {
  it('are used where needed and appear in no log line, error, run record or workflow history', async () => {
    const authHeader = { name: 'Authorization', env: 'SUPPLIER_TOKEN' };
    await h.addSupplier({ id: 'secure', feedUrl: `${h.feeds.url('/secure.csv')}?api_key=${URL_TOKEN}`, format: 'csv', options: { authHeader } });
    expect(await h.harvest('secure')).toMatchObject({ status: 'completed', created: 5 }); // the credential was sent

    await h.addSupplier({ id: 'secure-gone', feedUrl: `${h.feeds.url('/gone.csv')}?token=${URL_TOKEN}`, format: 'csv', options: { authHeader } });
    const notFound = await rootFailure(h.harvest('secure-gone'));
    expect(notFound.type).toBe('FeedHttpClientError');
    expectNoSecret(notFound.chain, 'the 404 failure');
    expect(notFound.message).toContain('token=***');

    await h.addSupplier({ id: 'secure-denied', feedUrl: `${h.feeds.url('/secure.csv')}?token=${URL_TOKEN}`, format: 'csv', options: { authHeader: { name: 'Authorization', env: 'NOT_SET_ANYWHERE' } } });
    const denied = await rootFailure(h.harvest('secure-denied'));
    expect(denied.message).toContain('NOT_SET_ANYWHERE');
    expectNoSecret(denied.chain, 'the missing-variable failure');

    const histories = await readHistories(h.client, h.workflowIds);
    expect(histories.size).toBe(3);
    for (const [id, text] of histories) {
      expect(text).toContain('HarvestWorkflow'); // the text really is the history
      expectNoSecret(text, `the history of ${id}`);
    }
    const runs = await h.catalog.query<{ text: string }>('select row_to_json(r)::text as text from harvest_runs r');
    expect(runs.length).toBe(3);
    for (const run of runs) expectNoSecret(run.text, 'harvest_runs');

    expect(worker.logs().length).toBeGreaterThan(0);
    expectNoSecret(worker.output(), 'the worker log');
  });

  it('are not echoed by a configuration error or a database that cannot be reached', async () => {
    const base = { PROJECT_DIR: h.env.PROJECT_DIR!, TEMPORAL_API_KEY: API_KEY, TENANT_ID: 'shop' };
    const badConfig = await runCliCommand(['run'], { ...base, DATABASE_URL: withPassword(h.databaseUrl, DB_PASSWORD), WORKER_MAX_CONCURRENT: 'lots' });
    expect(badConfig.code).toBe(78);
    expect(badConfig.output).toContain('WORKER_MAX_CONCURRENT');
    expectNoSecret(badConfig.output, 'the configuration error');

    const unreachable = await runCliCommand(['migrate'], { ...base, DATABASE_URL: `postgres://contextworker:${DB_PASSWORD}@127.0.0.1:1/nothing` });
    expect(unreachable.code).not.toBe(0);
    expect(unreachable.output.length).toBeGreaterThan(0);
    expectNoSecret(unreachable.output, 'the unreachable-database error');
  });
});
