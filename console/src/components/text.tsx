import type { ComponentChildren } from 'preact';
import { dateJa, instantJa, yen } from '../format';

/** An amount in yen, never broken over lines, in tabular figures (right-aligned by its cell). */
export function Yen({ amount }: { amount: number }) {
  return <span class="yen">{yen(amount)}</span>;
}

/** A JST date or month as 2024年5月10日 / 2024年5月, never broken over lines. */
export function DateJa({ date }: { date: string | null | undefined }) {
  return <span class="nowrap">{dateJa(date)}</span>;
}

export function InstantJa({ instant }: { instant: string | null | undefined }) {
  return <span class="nowrap">{instantJa(instant)}</span>;
}

/** An identifier as the API gave it: not a word to translate (translate={false}), kept whole where it fits. */
export function Id({ children }: { children: ComponentChildren }) {
  return (
    <span class="id" translate={false}>
      {children}
    </span>
  );
}

/** A small mark beside an item: 仮, 日割, 不課税, 調整, 更新月. */
export function Tag({ children, kind }: { children: ComponentChildren; kind?: string }) {
  return <span class={kind ? `tag tag-${kind}` : 'tag'}>{children}</span>;
}
