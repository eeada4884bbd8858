import { describe, expect, it } from 'vitest';
import { parseStat, processCpuSeconds } from './cpu-time.js';

describe('cpu time', () => {
  it('reads the fields after the command name, whatever it holds', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
    const line = '4242 (postgres: a (b) c) S 17 4242 4242 0 -1 4194560 10 0 0 0 250 50 7 3 20 0 1 0';
    expect(parseStat(line)).toEqual({ ppid: 17, own: 300, reaped: 10 });
  });

  it("counts this process's CPU time as it works", () => {
    const before = processCpuSeconds(process.pid);
    const until = performance.now() + 300;
    let spin = 0;
    while (performance.now() < until) spin++;
    expect(spin).toBeGreaterThan(0);
    expect(processCpuSeconds(process.pid) - before).toBeGreaterThanOrEqual(0.2);
  });

  it('gives NaN for a process that does not exist', () => {
    expect(processCpuSeconds(2 ** 30)).toBeNaN();
  });
});
