import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TEMPORAL_CLI_VERSION,
  cachedTemporalCliPath,
  checkTemporalCliPath,
  findOnPath,
  findTemporalCli,
  temporalCliCacheDir,
} from './temporal-cli.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'temporal-cli-test-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fakeBinary(path: string, mode = 0o755): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '#!/bin/sh\nexit 0\n');
  await chmod(path, mode);
  return path;
}

describe('temporalCliCacheDir', () => {
  it('uses XDG_CACHE_HOME when it is absolute', () => {
    expect(temporalCliCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }, '/home/me')).toBe(
      `/var/cache/me/contextworker/temporal-cli-v${TEMPORAL_CLI_VERSION}`,
    );
  });

  it('falls back to ~/.cache when XDG_CACHE_HOME is unset, empty or relative', () => {
    const expected = `/home/me/.cache/contextworker/temporal-cli-v${TEMPORAL_CLI_VERSION}`;
    expect(temporalCliCacheDir({}, '/home/me')).toBe(expected);
    expect(temporalCliCacheDir({ XDG_CACHE_HOME: '' }, '/home/me')).toBe(expected);
    expect(temporalCliCacheDir({ XDG_CACHE_HOME: 'relative/cache' }, '/home/me')).toBe(expected);
  });

  it('puts the binary inside the versioned directory', () => {
    expect(cachedTemporalCliPath({ XDG_CACHE_HOME: '/c' }, '/h')).toBe(`/c/contextworker/temporal-cli-v${TEMPORAL_CLI_VERSION}/temporal`);
  });
});

describe('checkTemporalCliPath', () => {
  it('names TEMPORAL_CLI_PATH when the file does not exist', () => {
    expect(() => checkTemporalCliPath(join(dir, 'missing'))).toThrow(/TEMPORAL_CLI_PATH is set to ".*missing", but nothing exists there/);
  });

  it('refuses a directory', () => {
    expect(() => checkTemporalCliPath(dir)).toThrow(/TEMPORAL_CLI_PATH .* is not a file/);
  });

  it('refuses a file that is not executable', async () => {
    const path = await fakeBinary(join(dir, 'temporal'), 0o644);
    expect(() => checkTemporalCliPath(path)).toThrow(/TEMPORAL_CLI_PATH .* is not executable.*chmod \+x/);
  });

  it('accepts an executable file', async () => {
    const path = await fakeBinary(join(dir, 'temporal'));
    expect(checkTemporalCliPath(path)).toBe(path);
  });
});

describe('findOnPath', () => {
  it('returns the first executable match and skips non-executable ones', async () => {
    await fakeBinary(join(dir, 'a', 'tool'), 0o644);
    const expected = await fakeBinary(join(dir, 'b', 'tool'));
    await fakeBinary(join(dir, 'c', 'tool'));
    const PATH = ['', join(dir, 'a'), join(dir, 'b'), join(dir, 'c')].join(':');
    expect(findOnPath('tool', { PATH })).toBe(expected);
    expect(findOnPath('other', { PATH })).toBeUndefined();
    expect(findOnPath('tool', {})).toBeUndefined();
  });
});

describe('findTemporalCli', () => {
  const emptyPath = (): string => join(dir, 'empty-bin');

  it('prefers TEMPORAL_CLI_PATH over PATH and the cache', async () => {
    const explicit = await fakeBinary(join(dir, 'explicit', 'temporal'));
    await fakeBinary(join(dir, 'bin', 'temporal'));
    const env = { TEMPORAL_CLI_PATH: explicit, PATH: join(dir, 'bin'), XDG_CACHE_HOME: dir };
    await expect(findTemporalCli({ env, build: false })).resolves.toBe(explicit);
  });

  it('throws on a wrong TEMPORAL_CLI_PATH instead of looking elsewhere', async () => {
    await fakeBinary(join(dir, 'bin', 'temporal'));
    const env = { TEMPORAL_CLI_PATH: join(dir, 'nope'), PATH: join(dir, 'bin') };
    await expect(findTemporalCli({ env, build: false })).rejects.toThrow(/TEMPORAL_CLI_PATH/);
  });

  it('uses temporal on PATH before the cache', async () => {
    const onPath = await fakeBinary(join(dir, 'bin', 'temporal'));
    await fakeBinary(cachedTemporalCliPath({ XDG_CACHE_HOME: dir }));
    await expect(findTemporalCli({ env: { PATH: join(dir, 'bin'), XDG_CACHE_HOME: dir }, build: false })).resolves.toBe(onPath);
  });

  it('uses the cached build under XDG_CACHE_HOME', async () => {
    const cached = await fakeBinary(cachedTemporalCliPath({ XDG_CACHE_HOME: dir }));
    const lines: string[] = [];
    const found = await findTemporalCli({ env: { PATH: emptyPath(), XDG_CACHE_HOME: dir }, log: (line) => lines.push(line) });
    expect(found).toBe(cached);
    expect(lines.join('\n')).toContain('cached');
  });

  it('returns undefined when nothing is found and building is off', async () => {
    await expect(findTemporalCli({ env: { PATH: emptyPath(), XDG_CACHE_HOME: dir }, build: false })).resolves.toBeUndefined();
  });

  it('returns undefined when nothing is found and Go is not on PATH', async () => {
    await expect(findTemporalCli({ env: { PATH: emptyPath(), XDG_CACHE_HOME: dir } })).resolves.toBeUndefined();
  });

  it('builds with go install into a scratch dir and moves the binary into the cache', async () => {
    // A fake `go` that records its arguments and GOBIN, then "builds" a binary into GOBIN.
    const goLog = join(dir, 'go-invocation');
    await mkdir(join(dir, 'go-bin'));
    await writeFile(
      join(dir, 'go-bin', 'go'),
      `#!/bin/sh\necho "$@ GOBIN=$GOBIN CGO_ENABLED=$CGO_ENABLED" > "${goLog}"\necho "go: downloading something" >&2\nprintf '#!/bin/sh\\n' > "$GOBIN/temporal"\n/bin/chmod +x "$GOBIN/temporal"\n`,
    );
    await chmod(join(dir, 'go-bin', 'go'), 0o755);
    const env = { PATH: join(dir, 'go-bin'), XDG_CACHE_HOME: join(dir, 'cache') };
    const lines: string[] = [];

    const found = await findTemporalCli({ env, log: (line) => lines.push(line) });

    expect(found).toBe(cachedTemporalCliPath(env));
    const invocation = await readFile(goLog, 'utf8');
    expect(invocation).toContain(`install github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`);
    expect(invocation).toContain('CGO_ENABLED=0');
    // GOBIN was a scratch directory, not the cache entry, and the scratch directory is gone.
    expect(invocation).not.toContain(`GOBIN=${temporalCliCacheDir(env)} `);
    expect(await readdir(join(dir, 'cache', 'contextworker'))).toEqual([`temporal-cli-v${TEMPORAL_CLI_VERSION}`]);
    expect(lines).toContain('go: downloading something');
  });

  it('reports a failed build with go output and caches nothing', async () => {
    await mkdir(join(dir, 'go-bin'));
    await writeFile(join(dir, 'go-bin', 'go'), '#!/bin/sh\necho "go: module lookup disabled" >&2\nexit 1\n');
    await chmod(join(dir, 'go-bin', 'go'), 0o755);
    const env = { PATH: join(dir, 'go-bin'), XDG_CACHE_HOME: join(dir, 'cache') };
    await expect(findTemporalCli({ env })).rejects.toThrow(/go install .* failed \(exit code 1\)[\s\S]*module lookup disabled/);
    expect(await readdir(join(dir, 'cache', 'contextworker'))).toEqual([]);
  });
});
