import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/** The console's files, built in memory with esbuild: the page, its script and its style (no CDN, no web font). */
export interface ConsoleAssets {
  'index.html': string;
  'console.js': string;
  'console.css': string;
}

const here = __dirname;

/** Synchronous so that the CDK stack (whose constructors cannot wait) and the local server build the same files. */
export function buildConsole(): ConsoleAssets {
  const result = buildSync({
    entryPoints: [join(here, 'src/main.tsx')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    write: false,
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]?.text ?? '';
  return {
    'index.html': readFileSync(join(here, 'src/index.html'), 'utf8'),
    'console.js': js,
    'console.css': readFileSync(join(here, 'src/console.css'), 'utf8'),
  };
}
