import { dateJa, instantJa, jaText, parseDate, parseMonth, previousMonth, revisionJa, yen } from '../../../console/src/format';

/** The console's reading of what staff type, and its writing of what the API sends (docs/interface.md §7.5). */
describe('console dates, months and text', () => {
  it('reads a date as staff type it: ISO, slashes, 年月日, 全角, an era; refuses a day that does not exist', () => {
    for (const typed of [
      '2024-05-10',
      '2024/05/10',
      '2024/5/10',
      '2024.5.10',
      '20240510',
      '2024年5月10日',
      '２０２４年５月１０日',
      '２０２４／０５／１０',
      '令和6年5月10日',
      ' 2024 / 5 / 10 ',
    ]) {
      expect({ typed, parsed: parseDate(typed) }).toEqual({ typed, parsed: { value: '2024-05-10' } });
    }
    expect(parseDate('')).toEqual({ value: '' });
    expect(parseDate('2024-02-30')).toEqual({ error: expect.stringContaining('2024年2月30日という日付はありません') });
    expect(parseDate('2024年5月')).toEqual({ error: expect.stringContaining('日付として読めません') });
  });

  it('reads a month: ISO, slashes, 年月, a date in it; refuses a 13th month', () => {
    for (const typed of ['2024-05', '2024/05', '2024/5', '202405', '2024年5月', '２０２４年５月', '令和6年5月', '2024年5月10日', '2024/05/10']) {
      expect({ typed, parsed: parseMonth(typed) }).toEqual({ typed, parsed: { value: '2024-05' } });
    }
    expect(parseMonth('2024/13')).toEqual({ error: expect.stringContaining('13月という月はありません') });
    expect(parseMonth('来月')).toEqual({ error: expect.stringContaining('年月として読めません') });
  });

  it('writes what the API sends in Japanese: dates, instants in JST, revisions, clauses, yen', () => {
    expect(dateJa('2024-05-10')).toBe('2024年5月10日');
    expect(dateJa('2024-05')).toBe('2024年5月');
    expect(instantJa('2024-05-01T01:00:00Z')).toBe('2024年5月1日 10:00');
    expect(instantJa('2024-05-01T10:00:00+09:00')).toBe('2024年5月1日 10:00');
    expect(revisionJa('2024-04-01')).toBe('2024年4月1日改定');
    expect(revisionJa('baseline')).not.toMatch(/[A-Za-z]/);
    expect(jaText('新規契約: 利用開始日 2024-05-10; 単発サービス: 2024-06')).toBe('新規契約: 利用開始日 2024年5月10日; 単発サービス: 2024年6月');
    // An id that holds a date-like part is left as it is.
    expect(jaText('注文 ORD-2024-000123 は 2024-05-01T10:00:00+09:00 に受付')).toBe('注文 ORD-2024-000123 は 2024年5月1日 10:00 に受付');
    expect(jaText('法人 (corporation) でお申し込みください')).toBe('法人 でお申し込みください');
    expect(jaText('interface.md §1.2')).toBe('インタフェース仕様 §1.2');
    expect(jaText('別紙12 3(3)ii')).toBe('別紙12 3(3)ⅱ');
    expect(yen(19000)).toBe('19,000円');
    expect(yen(-3000)).toBe('-3,000円');
    expect(previousMonth('2024-01')).toBe('2023-12');
  });
});
