import { jaText } from '../format';
import { fieldLabel, REASON_NAMES } from '../labels';
import type { Reason } from '../types';

/** Why an order was refused: every reason, by what it means, with its message and the clause it cites. */
export function Reasons({ reasons }: { reasons: Reason[] }) {
  return (
    <ol class="reasons" data-testid="reasons">
      {reasons.map((reason, i) => (
        <li key={i}>
          <strong>{REASON_NAMES[reason.code] ?? 'お断りの理由'}</strong>
          <p>{jaText(reason.message)}</p>
          {reason.fields && reason.fields.length > 0 && (
            <ul>
              {reason.fields.map((field) => (
                <li key={field.path}>
                  {fieldLabel(field.path)}: {jaText(field.message)}
                </li>
              ))}
              {reason.moreFields ? <li>ほか{reason.moreFields}件</li> : null}
            </ul>
          )}
          <p class="clause">根拠: {jaText(reason.clause)}</p>
        </li>
      ))}
    </ol>
  );
}
