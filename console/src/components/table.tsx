import type { ComponentChildren } from 'preact';

export interface Column {
  label: string;
  /** Amounts and counts: right-aligned, tabular figures, never broken. */
  num?: boolean;
  /** On a phone, the whole width of the card (a long text). */
  wide?: boolean;
}

export interface Row {
  key: string | number;
  cells: ComponentChildren[];
  class?: string;
}

/**
 * A table that reads at 1280 px as a table and at 390 px as one card per row, each value
 * under its column's name (data-label), so that nothing scrolls sideways.
 */
export function DataTable({ columns, rows, caption, testId }: { columns: Column[]; rows: Row[]; caption?: string; testId?: string }) {
  return (
    <table class="data" data-testid={testId}>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column.label} class={column.num ? 'num' : undefined}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} class={row.class}>
            {row.cells.map((cell, i) => (
              <td key={i} data-label={columns[i]?.label} class={[columns[i]?.num ? 'num' : '', columns[i]?.wide ? 'wide' : ''].join(' ').trim() || undefined}>
                <span class="cell">{cell}</span>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
