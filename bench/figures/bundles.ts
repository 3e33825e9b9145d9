import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Runtime } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type BuildOptions } from 'esbuild';
import type { HandlerName } from '../../functions/topology/routing';
import { FUNCTION_BUNDLING, FUNCTION_ENVIRONMENT, FUNCTION_RUNTIME } from '../../lib/constructs/contracts-function';
import type { BenchOptions } from '../options';
import { atMost, compare, type Comparison, type FigureResult } from '../results';
import { median } from '../timing';

/**
 * Figure 4: every Lambda bundle, built with esbuild from the house construct's own
 * bundling options (lib/constructs/contracts-function.ts), its size, and its module
 * load time in a fresh `node` process with the functions' NODE_OPTIONS, against bare
 * `node -e 0` and against a minimal handler importing only the DynamoDB client, built
 * the same way. Each bundle is also loaded without `--enable-source-maps`, so that what
 * readable stack traces cost at a cold start shows beside it.
 */
const PROJECT_ROOT = resolve(__dirname, '..', '..');

/** Every function the CDK stack deploys (the type makes a new handler fail here until it is listed). */
const HANDLERS = {
  'contract-application': null,
  'services-change': null,
  cancellation: null,
  'monthly-renewal': null,
  'lookup-api': null,
  'outcome-publisher': null,
} satisfies Record<HandlerName, null>;

const MINIMAL = 'minimal handler (DynamoDB client only)';
const BARE = 'node -e 0';

/**
 * The esbuild options aws-cdk-lib's NodejsFunction derives from `bundling` (its
 * Bundling.buildEsbuildArgs, for the options the house construct sets, and the
 * `esbuildArgs` it appends). An option or argument not translated here stops the figure
 * rather than being ignored; so does `charset`, which this aws-cdk-lib passes to no
 * esbuild argument (the construct sets `--charset` through `esbuildArgs`).
 */
const TRANSLATED = new Set(['forceDockerBundling', 'format', 'minify', 'sourceMap', 'sourceMapMode', 'sourcesContent', 'bundleAwsSDK', 'externalModules', 'mainFields', 'esbuildArgs']);

export function esbuildOptionsFor(bundling: BundlingOptions, runtime: Runtime, entry: string, outfile: string): BuildOptions {
  const untranslated = Object.keys(bundling).filter((option) => !TRANSLATED.has(option));
  if (untranslated.length > 0) throw new Error(`bench/figures/bundles.ts does not translate the bundling options ${untranslated.join(', ')} yet`);
  const node = /nodejs(\d+)/.exec(runtime.name)?.[1];
  if (!node) throw new Error(`no Node.js version in the runtime ${runtime.name}`);
  const { '--charset': charsetArg, ...otherArgs } = bundling.esbuildArgs ?? {};
  if (Object.keys(otherArgs).length > 0) throw new Error(`bench/figures/bundles.ts does not translate the esbuild arguments ${Object.keys(otherArgs).join(', ')} yet`);
  const charset = charsetOf(charsetArg);
  const sourceMap = bundling.sourceMapMode ?? bundling.sourceMap;
  const mode = bundling.sourceMapMode ?? SourceMapMode.DEFAULT;
  return {
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: `node${node}`,
    ...(bundling.format ? { format: bundling.format === OutputFormat.ESM ? 'esm' : 'cjs' } : {}),
    minify: bundling.minify ?? false,
    sourcemap: sourceMap ? (mode === SourceMapMode.DEFAULT ? true : mode) : false,
    sourcesContent: bundling.sourcesContent ?? true,
    external: bundling.externalModules ?? (bundling.bundleAwsSDK ? [] : ['@aws-sdk/*']),
    ...(bundling.mainFields ? { mainFields: bundling.mainFields } : {}),
    ...(charset ? { charset } : {}),
    logLevel: 'silent',
  };
}

function charsetOf(arg: unknown): BuildOptions['charset'] {
  if (arg === undefined || arg === 'ascii' || arg === 'utf8') return arg;
  throw new Error(`esbuild has no --charset=${String(arg)}`);
}

interface Bundle {
  name: string;
  file: string;
  bytes: number;
  mapBytes: number;
}

/** Wall time of a fresh process (spawn to exit) and, for a bundle, the time its require() took inside it. */
interface Load {
  wallMs: number[];
  requireMs: number[];
}

/** The functions' environment (NODE_OPTIONS included) and nothing else from ours; and the same without source maps. */
const FUNCTION_ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', ...FUNCTION_ENVIRONMENT };
const NO_SOURCE_MAPS_ENV: NodeJS.ProcessEnv = {
  ...FUNCTION_ENV,
  NODE_OPTIONS: (FUNCTION_ENVIRONMENT.NODE_OPTIONS ?? '')
    .split(/\s+/)
    .filter((option) => option !== '--enable-source-maps')
    .join(' '),
};
const NO_SOURCE_MAPS = ' (no source maps)';

const PROBE = 'const t=process.hrtime.bigint();require(process.argv[1]);process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';

export async function bundlesFigure(_ctx: unknown, options: BenchOptions): Promise<FigureResult> {
  const started = performance.now();
  const outdir = mkdtempSync(join(tmpdir(), 'omakase-bench-bundles-'));
  try {
    const entries = [
      ...Object.keys(HANDLERS).map((name) => ({ name, entry: join(PROJECT_ROOT, 'functions', 'handlers', `${name}.ts`) })),
      { name: MINIMAL, entry: join(PROJECT_ROOT, 'bench', 'minimal-handler.ts') },
    ];
    const bundles: Bundle[] = await Promise.all(
      entries.map(async ({ name, entry }, i) => {
        const file = join(outdir, String(i), 'index.js');
        await build(esbuildOptionsFor(FUNCTION_BUNDLING, FUNCTION_RUNTIME, entry, file));
        return { name, file, bytes: statSync(file).size, mapBytes: statSync(`${file}.map`).size };
      }),
    );
    const targets = [
      { name: BARE, file: null, env: FUNCTION_ENV },
      ...bundles.flatMap(({ name, file }) => [
        { name, file, env: FUNCTION_ENV },
        { name: name + NO_SOURCE_MAPS, file, env: NO_SOURCE_MAPS_ENV },
      ]),
    ];
    const loads = new Map<string, Load>(targets.map((target) => [target.name, { wallMs: [], requireMs: [] }]));
    // Interleaved, so that a slow moment of the machine falls on every target alike.
    for (let run = 0; run < options.loadRuns; run++) {
      for (const target of targets) {
        const load = loads.get(target.name) as Load;
        const { wallMs, requireMs } = loadOnce(target.file, target.env);
        load.wallMs.push(wallMs);
        if (requireMs !== null) load.requireMs.push(requireMs);
      }
    }
    const wall = (name: string) => median((loads.get(name) as Load).wallMs);
    const rows: Comparison[] = [
      compare(MINIMAL, loadQuantity(bundles.at(-1) as Bundle, loads), { name: BARE, value: wall(BARE), unit: 'ms' }),
      ...bundles.slice(0, -1).map((bundle) =>
        compare(bundle.name, loadQuantity(bundle, loads, wall(BARE)), { name: 'minimal handler', value: wall(MINIMAL), unit: 'ms' }, atMost(1)),
      ),
    ];
    return {
      figure: 'bundles',
      title: 'Lambda bundles: size and module load in a fresh node process',
      seconds: (performance.now() - started) / 1000,
      rows,
      counts: {
        functions: Object.keys(HANDLERS).length,
        bundlesBuilt: bundles.length,
        loadRuns: options.loadRuns,
        processes: [...loads.values()].reduce((total, load) => total + load.wallMs.length, 0),
        targets: targets.length,
        bundleBytes: bundles.reduce((total, bundle) => total + bundle.bytes, 0),
      },
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** One fresh node process with the given environment. */
function loadOnce(file: string | null, env: NodeJS.ProcessEnv): { wallMs: number; requireMs: number | null } {
  const args = file ? ['-e', PROBE, file] : ['-e', '0'];
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} failed (${child.status ?? child.signal}): ${child.stderr}`);
  return { wallMs, requireMs: file ? Number(child.stdout) : null };
}

function loadQuantity(bundle: Bundle, loads: Map<string, Load>, bareMs?: number) {
  const load = loads.get(bundle.name) as Load;
  const wallMs = median(load.wallMs);
  const vsBare = bareMs ? `; ×${(wallMs / bareMs).toFixed(2)} ${BARE}` : '';
  const withoutMaps = median((loads.get(bundle.name + NO_SOURCE_MAPS) as Load).wallMs);
  return {
    value: wallMs,
    unit: 'ms',
    detail: `${kib(bundle.bytes)} KiB (map ${kib(bundle.mapBytes)} KiB); require ${median(load.requireMs).toFixed(1)} ms${vsBare}; without --enable-source-maps ${withoutMaps.toFixed(1)} ms`,
  };
}

const kib = (bytes: number): string => (bytes / 1024).toFixed(0);
