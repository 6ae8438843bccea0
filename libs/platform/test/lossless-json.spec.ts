import Big from 'big.js';
import { quoteInexactJsonNumbers, stringifyWithExactNumbers } from '@kb/platform';

describe('quoteInexactJsonNumbers', () => {
  it.each([
    ['{"amount":12345678901234567.89}', '{"amount":"12345678901234567.89"}'],
    ['[1, 0.1, 9007199254740993, -1e400]', '[1, 0.1, "9007199254740993", "-1e400"]'],
    ['{"a":"12345678901234567.89","b":12345678901234567.89}', '{"a":"12345678901234567.89","b":"12345678901234567.89"}'],
    // Digits on both sides of the point: the quick pre-check must still see them.
    ['{"a":1234567.891234567891}', '{"a":"1234567.891234567891"}'],
    ['{"a":"say \\"9007199254740993\\"","b":1e-400}', '{"a":"say \\"9007199254740993\\"","b":"1e-400"}'],
  ])('%s becomes %s', (json, expected) => {
    const rewritten = quoteInexactJsonNumbers(json);
    expect(rewritten).toBe(expected);
    expect(() => JSON.parse(rewritten!)).not.toThrow();
  });

  it.each(['{"a":1,"b":-2.5,"c":1.10,"d":1e21,"e":"99999999999999999999"}', '[]', '"text"', 'true'])('leaves %s alone (every number exact)', (json) => {
    expect(quoteInexactJsonNumbers(json)).toBeUndefined();
  });
});

describe('stringifyWithExactNumbers', () => {
  it('writes a Big as a JSON number with its digits, everything else as JSON.stringify does', () => {
    const text = stringifyWithExactNumbers({ amount: new Big('12345678901234567.89'), list: [new Big('-0.5'), 2], label: '1.5', nested: { n: null } });
    expect(text).toBe('{"amount":12345678901234567.89,"list":[-0.5,2],"label":"1.5","nested":{"n":null}}');
  });
});
