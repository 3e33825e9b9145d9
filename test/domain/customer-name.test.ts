import { FieldRefusal } from '../../functions/domain/errors';
import { characters, LEGAL_FORMS, NAME_PREFIX, namePartitionOf, namePrefixOf, normaliseCustomerName } from '../../functions/domain/customer-name';

describe('normaliseCustomerName', () => {
  it.each([
    ['株式会社サンプル', 'サンプル'],
    ['サンプル株式会社', 'サンプル'],
    ['㈱サンプル', 'サンプル'],
    ['（株）サンプル', 'サンプル'],
    ['(株)サンプル', 'サンプル'],
    ['サンプル（有）', 'サンプル'],
    ['㈲サンプル', 'サンプル'],
    ['㍿サンプル', 'サンプル'],
    ['有限会社サンプル', 'サンプル'],
    ['合同会社サンプル', 'サンプル'],
    ['合名会社サンプル', 'サンプル'],
    ['合資会社サンプル', 'サンプル'],
    ['一般社団法人サンプル協会', 'サンプル協会'],
    ['一般財団法人サンプル財団', 'サンプル財団'],
    ['サンプル工業株式会社大阪支店', 'サンプル工業大阪支店'],
    ['ＳＡＭＰＬＥ株式会社', 'sample'],
    ['Sample Trading', 'sampletrading'],
    ['ｻﾝﾌﾟﾙ', 'サンプル'],
    ['サンプル　商事', 'サンプル商事'],
    [' \tサン\u00a0プル\u200b \n', 'サンプル'],
    ['株式 会社 サンプル', 'サンプル'],
    ['（ 株 ）サンプル', 'サンプル'],
    ['株式株式会社会社サンプル', 'サンプル'],
    ['ＡＢＣ１２３', 'abc123'],
  ])('%s reads %s', (name, normalised) => {
    expect(normaliseCustomerName(name)).toBe(normalised);
  });

  it('leaves nothing of a name that is only a legal form, or only spaces', () => {
    for (const name of [...LEGAL_FORMS, '（株）', '　株式会社　', '株式会社(株)', '', '   ']) expect(normaliseCustomerName(name)).toBe('');
  });

  it('keeps what is no legal form: a # or % as typed, a part of a form, emoji whole', () => {
    expect(normaliseCustomerName('A#B%C')).toBe('a#b%c');
    expect(normaliseCustomerName('株式サンプル')).toBe('株式サンプル');
    expect(normaliseCustomerName('会社サンプル')).toBe('会社サンプル');
    expect(normaliseCustomerName('𠮷野家株式会社')).toBe('𠮷野家');
  });

  it('gives the same text for a name and for the name normalised (idempotent)', () => {
    for (const name of ['株式会社サンプル', 'ＳＡＭＰＬＥ　ＨＤ', 'İstanbul Ltd', '㈱𠮷野家', 'ﾃｽﾄ(有)']) {
      const once = normaliseCustomerName(name);
      expect(normaliseCustomerName(once)).toBe(once);
    }
  });
});

describe('namePartitionOf and characters', () => {
  it('counts code points: a surrogate pair is one character, never cut', () => {
    expect(characters('𠮷野')).toEqual(['𠮷', '野']);
    expect(namePartitionOf('𠮷野家')).toBe('𠮷野');
    expect(namePartitionOf('サンプル')).toBe('サン');
  });

  it('has no partition for a name of fewer than 2 characters', () => {
    expect(namePartitionOf('')).toBeNull();
    expect(namePartitionOf('a')).toBeNull();
    expect(namePartitionOf('𠮷')).toBeNull();
  });
});

describe('namePrefixOf', () => {
  it('normalises the prefix as the names are', () => {
    expect(namePrefixOf('（株）サン')).toBe('サン');
    expect(namePrefixOf('ＳＡ')).toBe('sa');
    expect(namePrefixOf('𠮷野')).toBe('𠮷野');
  });

  it.each([['サ'], ['株式会社サ'], ['㈱ ｻ'], ['  '], [''], ['株式会社'], ['𠮷']])('refuses %j: fewer than 2 characters once normalised', (raw) => {
    const refused = (() => {
      try {
        return namePrefixOf(raw);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(FieldRefusal);
    expect(refused).toMatchObject({ fields: [{ path: 'namePrefix', message: expect.stringContaining('2文字以上100文字以内') }] });
  });

  it('takes up to NAME_PREFIX.max characters once normalised, surrogate pairs counted once, and refuses one more', () => {
    expect(namePrefixOf('𠮷'.repeat(NAME_PREFIX.max))).toBe('𠮷'.repeat(NAME_PREFIX.max));
    expect(() => namePrefixOf('a'.repeat(NAME_PREFIX.max + 1))).toThrow(FieldRefusal);
    // NFKC lengthens ﷺ to 12 characters: a short text may still be too long once normalised.
    expect(() => namePrefixOf('ﷺ'.repeat(9))).toThrow(FieldRefusal);
  });
});
