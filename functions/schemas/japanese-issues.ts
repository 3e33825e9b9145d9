import type * as z from 'zod/mini';
import { valueLabel } from '../domain/field-labels';
import { numberJa } from '../domain/japanese';

/**
 * Zod's messages in Japanese, for the failures the schemas leave to zod (a missing field,
 * a wrong type, a count out of range, an unknown value): set once for every schema by
 * functions/schemas/field-issues.ts. Each is a sentence an agent can read out and the
 * sender can act on; the field is named by the message that quotes it (reasons.ts,
 * functions/domain/field-labels.ts), so none names its own.
 */

const TYPE_NAMES: Record<string, string> = {
  string: '文字列',
  number: '数値',
  int: '整数',
  bigint: '整数',
  boolean: '真偽値',
  object: 'オブジェクト形式',
  array: '配列形式',
  date: '日時',
};

const SIZE_UNITS: Record<string, string> = { string: '文字', array: '件', set: '件', map: '件', file: 'バイト' };

type Issue = Parameters<z.core.$ZodErrorMap>[0];

const bound = (value: number | bigint): string => (typeof value === 'number' ? numberJa(value) : value.toString());

function tooSmall(issue: Extract<Issue, { code: 'too_small' }>): string {
  const unit = SIZE_UNITS[issue.origin] ?? '';
  const min = bound(issue.minimum);
  if (issue.origin === 'string' && issue.minimum === 1) return '空にはできません。1文字以上で指定してください';
  if (issue.exact) return `${min}${unit}ちょうどで指定してください`;
  if (unit === '件') return `${min}件以上指定してください`;
  return issue.inclusive ? `${min}${unit}以上で指定してください` : `${min}${unit}より大きい値を指定してください`;
}

function tooBig(issue: Extract<Issue, { code: 'too_big' }>): string {
  const unit = SIZE_UNITS[issue.origin] ?? '';
  const max = bound(issue.maximum);
  if (issue.exact) return `${max}${unit}ちょうどで指定してください`;
  if (unit !== '') return `${max}${unit}以内で指定してください`;
  return issue.inclusive ? `${max}以下で指定してください` : `${max}未満の値を指定してください`;
}

function invalidType(issue: Extract<Issue, { code: 'invalid_type' }>): string {
  if (issue.input === undefined) return '指定が必須です';
  const expected = TYPE_NAMES[issue.expected];
  if (issue.expected === 'int' && typeof issue.input === 'number') return '整数で指定してください';
  return expected ? `${expected}で指定してください` : '値の形式が正しくありません';
}

export const japaneseIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return invalidType(issue);
    case 'invalid_value':
      return issue.values.length === 1
        ? `${valueLabel(issue.values[0])} を指定してください`
        : `${issue.values.map(valueLabel).join('、')} のいずれかを指定してください`;
    case 'too_small':
      return tooSmall(issue);
    case 'too_big':
      return tooBig(issue);
    case 'not_multiple_of':
      return `${bound(issue.divisor)}の倍数で指定してください`;
    case 'unrecognized_keys':
      return '指定できない項目です';
    case 'invalid_format':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    default:
      return '値の形式が正しくありません';
  }
};
