import type { ComponentChildren } from 'preact';
import { describeFailure } from '../api';

export function Section({ title, children, id }: { title: ComponentChildren; children: ComponentChildren; id?: string }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A failure, in Japanese: what went wrong and the cause the API gave, each field by its Japanese name. */
export function Failure({ error, fields }: { error: unknown; fields?: Record<string, string> }) {
  const { text, details } = describeFailure(error, fields);
  return (
    <div role="alert" class="error">
      <p>{text}</p>
      {details.length > 0 && (
        <ul>
          {details.map((detail) => (
            <li key={detail}>{detail}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A lookup's progress: loading, or its failure; nothing once it has answered. */
export function Status({ error, loading, fields }: { error: unknown; loading: boolean; fields?: Record<string, string> }) {
  if (loading) return <p aria-live="polite">読み込み中…</p>;
  if (error) return <Failure error={error} {...(fields ? { fields } : {})} />;
  return null;
}

/** Label–value pairs (a contract's facts, an invoice's header). */
export function Facts({ items, class: className }: { items: Array<[string, ComponentChildren] | null | false>; class?: string }) {
  return (
    <dl class={className ? `facts ${className}` : 'facts'}>
      {items
        .filter((item): item is [string, ComponentChildren] => Boolean(item))
        .map(([term, value]) => [<dt key={`t-${term}`}>{term}</dt>, <dd key={`d-${term}`}>{value}</dd>])}
    </dl>
  );
}
