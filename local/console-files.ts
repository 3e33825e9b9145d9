import type { APIGatewayProxyResult } from 'aws-lambda';
import { buildConsole, type ConsoleAssets } from '../console/build';
import type { ConsoleConfig } from '../console/src/config';

/**
 * The customer-service console at /console/ (docs/interface.md §6), built with esbuild on
 * its first request and kept: locally the console calls the lookup API on the same
 * origin, with no sign-in (loopback only).
 */
export const CONSOLE_PATH = '/console/';

const LOOPBACK_CONFIG: ConsoleConfig = { apiUrl: '', signIn: null };

type ConsoleFiles = ConsoleAssets & { 'config.json': string };

const TYPES: Record<keyof ConsoleFiles, string> = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'config.json': 'application/json; charset=utf-8',
};

let files: ConsoleFiles | null = null;

/** The console file a path names, or null when it names none. */
export function consoleFile(path: string): APIGatewayProxyResult | null {
  if (path === '/console') return { statusCode: 301, headers: { location: CONSOLE_PATH }, body: '' };
  if (!path.startsWith(CONSOLE_PATH)) return null;
  const name = path.slice(CONSOLE_PATH.length) || 'index.html';
  // Own names only: `in` would take /console/constructor for a file.
  if (!Object.hasOwn(TYPES, name)) return null;
  files ??= { ...buildConsole(), 'config.json': JSON.stringify(LOOPBACK_CONFIG) };
  return {
    statusCode: 200,
    headers: { 'content-type': TYPES[name as keyof ConsoleFiles], 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
    body: files[name as keyof ConsoleFiles],
  };
}
