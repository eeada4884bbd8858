// The benchmark's command line.
import { parseCount, parseSize, parseSizes } from './sizes.js';

export interface BenchOptions {
  sizes: number[];
  formats: ('csv' | 'yml')[];
  smallHarvests: number;
  bareRuns: number;
  naiveSample: number;
  enrichProducts: number;
  enrichment: boolean;
  outDir: string | undefined;
  /**
   * Node flags for the worker process, e.g. "--cpu-prof --cpu-prof-dir=prof". Default: the heap settings
   * the Docker image makes, so the worker's memory is measured as it is deployed.
   */
  workerNodeOptions: string[];
  /** Print the workers' standard output (what `--trace-gc` and similar node flags write); discarded otherwise. */
  workerStdout: boolean;
}

/** The node flags docker/Dockerfile gives the worker: its NODE_OPTIONS and the one in its entrypoint. */
export const IMAGE_NODE_OPTIONS = ['--max-old-space-size=256', '--min-semi-space-size=16'];

/** The other memory setting docker/Dockerfile makes, unless the environment sets it already. */
export const imageEnv = (): Record<string, string> => ({ MALLOC_ARENA_MAX: process.env['MALLOC_ARENA_MAX'] ?? '2' });

export const USAGE = `pnpm bench [--sizes 10k,100k,1M] [--formats csv,yml] [--small-harvests 1000] [--bare-runs 200]
           [--naive-sample 20k] [--enrich-products 10k] [--no-enrichment] [--out dir] [--worker-node-options "--max-old-space-size=256 --min-semi-space-size=16"] [--worker-stdout]`;

export function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    sizes: [10_000, 100_000],
    formats: ['csv', 'yml'],
    // Enough for a stable per-run mean and keeps the default run (10k, 100k) short.
    smallHarvests: 20,
    bareRuns: 20,
    naiveSample: 20_000,
    enrichProducts: 10_000,
    enrichment: true,
    outDir: undefined,
    workerNodeOptions: [...IMAGE_NODE_OPTIONS],
    workerStdout: false,
  };
  const args = argv.filter((arg) => arg !== '--');
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${flag} needs a value\nUsage: ${USAGE}`);
      return next;
    };
    switch (flag) {
      case '--sizes':
        options.sizes = parseSizes(value());
        break;
      case '--formats': {
        const formats = value().split(',');
        const bad = formats.filter((format) => format !== 'csv' && format !== 'yml');
        if (bad.length > 0) throw new Error(`--formats takes csv and/or yml, got ${bad.join(', ')}`);
        options.formats = formats as ('csv' | 'yml')[];
        break;
      }
      case '--small-harvests':
        options.smallHarvests = parseCount(value());
        break;
      case '--bare-runs':
        options.bareRuns = parseCount(value());
        break;
      case '--naive-sample':
        options.naiveSample = parseSize(value());
        break;
      case '--enrich-products':
        options.enrichProducts = parseSize(value());
        break;
      case '--no-enrichment':
        options.enrichment = false;
        break;
      case '--out':
        options.outDir = value();
        break;
      case '--worker-node-options':
        options.workerNodeOptions = value().split(' ').filter(Boolean);
        break;
      case '--worker-stdout':
        options.workerStdout = true;
        break;
      case '--help':
      case '-h':
        throw new Error(`Usage: ${USAGE}`);
      default:
        throw new Error(`Unknown option ${flag}\nUsage: ${USAGE}`);
    }
  }
  return options;
}
