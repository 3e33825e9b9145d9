import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every file path the README, bench/README.md and docs/ cite exists: a path in backticks,
 * in a link or in plain text that starts with one of the repository's folders, or names
 * one of its top-level files. A trailing `:line`, `#anchor` or function name is not part
 * of the path. A link resolves from the folder of the document that holds it.
 */
const ROOT = path.resolve(__dirname, '../..');
const FOLDERS = ['functions', 'lib', 'bin', 'local', 'bench', 'test', 'docs', 'scripts', 'console', '.ci'];
const TOP_LEVEL_FILES = [
  'package.json',
  'package-lock.json',
  'cdk.json',
  'tsconfig.json',
  'jest.config.js',
  'eslint.config.mjs',
  '.prettierrc.json',
  '.prettierignore',
  '.gitignore',
  'README.md',
];

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Not after a word character, a dot, a slash or a dash, so that `aws-cdk-lib/…` or `test-output/console/` is no citation.
const FOLDER_PATH = new RegExp(`(?<![\\w./-])(?:${FOLDERS.map(escaped).join('|')})/[^\\s\`'"()\\[\\]|,;]*`, 'g');
const TOP_LEVEL_FILE = new RegExp(`(?<![\\w./-])(?:${TOP_LEVEL_FILES.map(escaped).join('|')})(?![\\w-])`, 'g');
const LINK = /\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
// Placeholders and patterns (`test/**/*.test.ts`, `FACT#<contractId>`) name no one file.
const NOT_A_PATH = /[*<>{}$…]/;
const WITH_EXTENSION = /^(.*?\.(?:tsx?|mjs|cjs|js|json|md|png|css|html|sh|ya?ml))(?![\w-])/;

/** The path a citation names, relative to the repository root: no `#anchor`, `:line`, function name or closing punctuation. */
function pathOf(cited: string): string {
  let p = cited.split('#')[0].replace(/:\d+(?:[-:]\d+)*$/, '');
  p = WITH_EXTENSION.exec(p)?.[1] ?? p;
  return p.replace(/[.:]+$/, '');
}

/** The repository paths `text` (the document at `document`, relative to the root) cites. */
export function citedPaths(text: string, document: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(FOLDER_PATH)) if (!NOT_A_PATH.test(match[0])) found.add(pathOf(match[0]));
  for (const match of text.matchAll(TOP_LEVEL_FILE)) found.add(match[0]);
  for (const match of text.matchAll(LINK)) {
    const target = match[1];
    if (/^[a-z][a-z\d+.-]*:/i.test(target) || target.startsWith('#') || NOT_A_PATH.test(target)) continue;
    const resolved = path.relative(ROOT, path.resolve(ROOT, path.dirname(document), pathOf(target)));
    found.add(resolved.split(path.sep).join('/'));
  }
  return [...found].filter((p) => p !== '').sort();
}

function documents(): string[] {
  const docs = readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', 'bench/README.md', ...docs];
}

describe('citedPaths', () => {
  it('finds backticked, linked and plain paths, without :line, #anchor or function name', () => {
    const text = [
      'See `functions/domain/calendar.ts:12`, [the design](design.md#1-table) and docs/terms.md.',
      '`lib/constructs/alarms.ts#alarmOnAny`, `functions/domain/tax.ts.terminationFeeTax`, `.ci/run` and `cdk.json`.',
      'Not: `aws-cdk-lib/recommended-feature-flags.json`, `test-output/console/`, `test/**/*.test.ts`, [AWS](https://aws.amazon.com/).',
    ].join('\n');
    expect(citedPaths(text, 'docs/example.md')).toEqual([
      '.ci/run',
      'cdk.json',
      'docs/design.md',
      'docs/terms.md',
      'functions/domain/calendar.ts',
      'functions/domain/tax.ts',
      'lib/constructs/alarms.ts',
    ]);
  });

  it('resolves a link from the folder of its document', () => {
    expect(citedPaths('[console](console-contract.png), [up](../lib/app.ts)', 'docs/local-stack.md')).toEqual(['docs/console-contract.png', 'lib/app.ts']);
  });
});

describe('the paths the README and docs/ cite', () => {
  const cited = documents().flatMap((document) => citedPaths(readFileSync(path.join(ROOT, document), 'utf8'), document).map((p) => ({ document, path: p })));

  it('are found (the extraction reads the documents at all)', () => {
    expect(cited.length).toBeGreaterThan(50);
  });

  it('exist', () => {
    const missing = cited.filter((c) => !existsSync(path.join(ROOT, c.path))).map((c) => `${c.document}: ${c.path}`);
    if (missing.length > 0) throw new Error(`Cited paths that do not exist:\n  ${missing.join('\n  ')}`);
  });
});
