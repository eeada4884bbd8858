import { WorkerConfig, createJsonLogger } from '@contextworker/core-temporal';
import { describe, expect, it } from 'vitest';
import { createModuleContext } from './module-context.js';

const config = WorkerConfig.fromEnv({ WORKER_TASK_QUEUE: 'context-test' });
const logger = createJsonLogger({ level: 'ERROR' });

describe('createModuleContext resources', () => {
  it('opens a resource once, shares it, and closes it on dispose', async () => {
    const handle = createModuleContext(config, logger);
    let opened = 0;
    const closed: string[] = [];
    const open = () => ({ id: `pool-${++opened}` });
    const first = await handle.context.resource('pool', open, (pool) => void closed.push(pool.id));
    const second = await handle.context.resource('pool', open, (pool) => void closed.push(pool.id));
    expect(second).toBe(first);
    expect(opened).toBe(1);
    await handle.dispose();
    expect(closed).toEqual(['pool-1']);
  });

  it('hands out a preset resource instead of creating one, and leaves closing it to its owner', async () => {
    const owned = { id: 'owned-by-caller' };
    const handle = createModuleContext(config, logger, { pool: owned });
    let created = 0;
    let closed = 0;
    const got = await handle.context.resource(
      'pool',
      () => ({ id: `created-${++created}` }),
      () => void closed++,
    );
    expect(got).toBe(owned);
    await handle.dispose();
    expect(created).toBe(0);
    expect(closed).toBe(0);
  });
});
