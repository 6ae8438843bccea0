import { localeKey, MalformedPropertiesError, parseJavaLocale, parseJavaProperties } from '@kb/invoice';

describe('Java .properties parser', () => {
  const parse = (text: string) => Object.fromEntries(parseJavaProperties(text));

  it.each([
    ['key=value', { key: 'value' }],
    ['key = value  ', { key: 'value  ' }],
    ['key:value', { key: 'value' }],
    ['key value with blanks', { key: 'value with blanks' }],
    ['   indented=yes', { indented: 'yes' }],
    ['key', { key: '' }],
    ['key=', { key: '' }],
    ['a=b=c', { a: 'b=c' }],
    ['a\\=b=c', { 'a=b': 'c' }],
    ['a\\ b=c', { 'a b': 'c' }],
    ['tab=\\tx\\ny', { tab: '\tx\ny' }],
    ['other=\\q\\\\', { other: 'q\\' }],
    ['utf=caf\\u00e9 \\u20AC', { utf: 'café €' }],
    ['direct=déjà vu', { direct: 'déjà vu' }],
  ])('reads %j', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it('skips comments and blank lines, the last of two equal keys winning', () => {
    expect(parse('# comment\n! other comment\n\n  \nk=1\nk=2\r\nj=3\rl=4')).toEqual({ k: '2', j: '3', l: '4' });
  });

  it('continues a line ending in an odd number of backslashes, dropping the next line’s leading blanks', () => {
    expect(parse('long=one \\\n     two \\\n\tthree\nafter=x')).toEqual({ long: 'one two three', after: 'x' });
    expect(parse('even=ends in \\\\\nnext=y')).toEqual({ even: 'ends in \\', next: 'y' });
    // A continued line that starts with # is a value, not a comment; a comment line is never continued.
    expect(parse('v=a\\\n#b\n# c \\\nd=e')).toEqual({ v: 'a#b', d: 'e' });
    expect(parse('last=end\\')).toEqual({ last: 'end' });
  });

  it('refuses a malformed \\u escape as Java does', () => {
    expect(() => parseJavaProperties('bad=\\u12G4')).toThrow(MalformedPropertiesError);
    expect(() => parseJavaProperties('short=\\u12')).toThrow(MalformedPropertiesError);
  });
});

describe('Java locales', () => {
  it.each([
    ['fr_FR', 'INVOICE_TRANSLATION_fr_FR'],
    ['fr-FR', 'INVOICE_TRANSLATION_fr_FR'],
    ['fr', 'INVOICE_TRANSLATION_fr_'],
    ['en_US_POSIX', 'INVOICE_TRANSLATION_en_US'],
    ['_GB', 'INVOICE_TRANSLATION__GB'],
  ])('keys %s as %s', (text, key) => {
    expect(localeKey('INVOICE_TRANSLATION_', parseJavaLocale(text))).toBe(key);
  });

  it.each(['x', 'FR_fr', 'fr_FRA', 'fr_', 'fr__', 'a_b_c_d', 'en#US', 'english'])('refuses %s', (text) => {
    expect(() => parseJavaLocale(text)).toThrow('Invalid locale format');
  });
});
