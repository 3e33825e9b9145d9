import { useState } from 'preact/hooks';
import { parseDate, parseMonth } from '../format';

/**
 * One date or month field and its button. Takes 2024-05-10, 2024/05/10, 2024年5月10日 (a
 * month: 2024-05, 2024/05, 2024年5月), 全角 digits too; says in Japanese what it cannot read;
 * empty means today (this month). `onQuery` gets YYYY-MM-DD (YYYY-MM) or ''.
 */
export function QueryForm({
  kind,
  label,
  name,
  hint,
  button,
  initial = '',
  onQuery,
}: {
  kind: 'date' | 'month';
  label: string;
  name: string;
  hint: string;
  button: string;
  initial?: string;
  onQuery: (value: string) => void;
}) {
  const [value, setValue] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const hintId = `${name}-hint`;
  const problemId = `${name}-problem`;
  return (
    <form
      class="row no-print"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = kind === 'date' ? parseDate(value) : parseMonth(value);
        if ('error' in parsed) {
          setProblem(parsed.error);
          return;
        }
        setProblem(null);
        onQuery(parsed.value);
      }}
    >
      <label>
        {label}
        <input
          name={name}
          value={value}
          autocomplete="off"
          aria-describedby={problem ? `${hintId} ${problemId}` : hintId}
          aria-invalid={problem ? 'true' : undefined}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit">{button}</button>
      <p class="hint" id={hintId}>
        {hint}
      </p>
      {problem && (
        <p role="alert" class="error" id={problemId}>
          {problem}
        </p>
      )}
    </form>
  );
}
