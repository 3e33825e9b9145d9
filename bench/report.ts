import type { BenchResults, Comparison, Quantity } from './results';

/** The results as a Markdown table (printed by `npm run bench`, pasted into bench/README.md). */
export function formatReport(results: BenchResults): string {
  const { machine } = results;
  const header = [
    `Benchmark of ${results.startedAt.slice(0, 10)}, ${results.seconds.toFixed(0)} s: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node.js ${machine.node} (${machine.platform}), ${machine.dynamoDb}.`,
    'Every figure is a ratio against a reference measured in the same run.',
    '',
    '| figure | item | measured | reference | ratio | target |',
    '|---|---|---|---|---:|---|',
  ];
  const rows = results.figures.flatMap((figure, i) => figure.rows.map((row) => tableRow(`${i + 1}. ${figure.figure}`, row)));
  return [...header, ...rows].join('\n');
}

function tableRow(figure: string, row: Comparison): string {
  const target = row.target ? `${row.target.text} ${row.target.met ? 'met' : 'NOT met'}` : '';
  const ratio = row.ratio === null ? 'n/a' : row.ratio.toFixed(2);
  const cells = [figure, row.item, quantity(row.measured), `${row.reference.name}: ${quantity(row.reference)}`, ratio, target];
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
}

function quantity({ value, unit, detail }: Quantity): string {
  return `${number(value)} ${unit}${detail ? ` (${detail})` : ''}`;
}

export function number(value: number): string {
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en');
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}
