import { DEFAULT_PAGE_LIMIT, InvalidRequestException, pageRequestOf } from '@kb/platform';

describe('pageRequestOf', () => {
  it.each([
    [{}, { offset: 0, limit: DEFAULT_PAGE_LIMIT }],
    [
      { offset: '', limit: '' },
      { offset: 0, limit: DEFAULT_PAGE_LIMIT },
    ],
    [
      { offset: '20', limit: '0' },
      { offset: 20, limit: 0 },
    ],
    [
      { offset: '9007199254740991', limit: '9007199254740991' },
      { offset: Number.MAX_SAFE_INTEGER, limit: Number.MAX_SAFE_INTEGER },
    ],
  ])('reads %j as %j', (query, expected) => {
    expect(pageRequestOf(query)).toEqual(expected);
  });

  it.each([
    [{ offset: '-1' }, 'Invalid offset: -1'],
    [{ limit: '-5' }, 'Invalid limit: -5'],
    [{ offset: 'abc' }, 'Invalid offset: abc'],
    [{ limit: '1.5' }, 'Invalid limit: 1.5'],
    [{ limit: '1e3' }, 'Invalid limit: 1e3'],
    [{ offset: '9007199254740992' }, 'Invalid offset: 9007199254740992 (at most 9007199254740991)'],
    [{ limit: '99999999999999999999' }, 'Invalid limit: 99999999999999999999'],
    [{ offset: ['1', '2'] }, 'Invalid offset: 1,2'],
  ])('refuses %j with a 400 naming the parameter', (query, message) => {
    expect(() => pageRequestOf(query)).toThrow(InvalidRequestException);
    expect(() => pageRequestOf(query)).toThrow(message);
  });

  it('keeps offset=-1&limit=1 only where the exact-match search allows it', () => {
    expect(pageRequestOf({ offset: '-1', limit: '1' }, { allowExactMatch: true })).toEqual({ offset: -1, limit: 1 });
    expect(() => pageRequestOf({ offset: '-1', limit: '1' })).toThrow(InvalidRequestException);
    expect(() => pageRequestOf({ offset: '-1', limit: '2' }, { allowExactMatch: true })).toThrow(InvalidRequestException);
  });
});
