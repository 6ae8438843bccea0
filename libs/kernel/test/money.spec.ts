import Big from 'big.js';
import { CURRENCIES, formatDecimal, formatMoney, isCurrency, minorUnitOf, parseDecimal, roundToCurrency, type Currency } from '@kb/kernel';

describe('currencies', () => {
  it('knows Kill Bill currencies and nothing else', () => {
    expect(CURRENCIES).toHaveLength(new Set(CURRENCIES).size);
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('BTC')).toBe(true);
    expect(isCurrency('XXX')).toBe(false);
    expect(isCurrency('eur')).toBe(false);
  });

  it.each<[Currency, number]>([
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['CLP', 0],
    ['ISK', 0],
    ['XOF', 0],
    ['BHD', 3],
    ['KWD', 3],
    ['TND', 3],
    ['BTC', 8],
  ])('%s has %d decimals', (currency, digits) => {
    expect(minorUnitOf(currency)).toBe(digits);
  });
});

describe('roundToCurrency (KillBillMoney: half-up to the minor unit)', () => {
  it.each<[string, Currency, string]>([
    ['10.005', 'USD', '10.01'],
    ['10.004999', 'USD', '10'],
    ['-10.005', 'USD', '-10.01'],
    ['2.5', 'JPY', '3'],
    ['1.4999', 'JPY', '1'],
    ['1.0005', 'KWD', '1.001'],
    ['0.123456785', 'BTC', '0.12345679'],
    ['12345678901234567.885', 'EUR', '12345678901234567.89'],
  ])('%s %s rounds to %s', (amount, currency, expected) => {
    expect(roundToCurrency(new Big(amount), currency).toFixed()).toBe(expected);
  });
});

describe('parseDecimal (lossless)', () => {
  it.each([
    ['12345678901234567.89', '12345678901234567.89'],
    ['0.1', '0.1'],
    ['-3', '-3'],
    ['+7.50', '7.5'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['1.5E+2', '150'],
    ['1e-7', '0.0000001'],
    ['0.000000001', '0.000000001'],
  ])('%s reads as %s', (text, expected) => {
    expect(formatDecimal(parseDecimal(text)!)).toBe(expected);
  });

  it.each(['', ' ', 'NaN', 'Infinity', '-Infinity', 'abc', '1,5', '1.2.3', '0x10', '1 000', ' 1', '1e', '1e999', '--1', '.'])('refuses %j', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });
});

describe('formatting', () => {
  it('writes plain decimals, never exponents', () => {
    expect(formatDecimal(new Big('1e21'))).toBe('1000000000000000000000');
    expect(formatDecimal(new Big('1e-9'))).toBe('0.000000001');
  });

  it.each<[string, Currency, string]>([
    ['1.5', 'EUR', '1.50'],
    ['1.005', 'EUR', '1.01'],
    ['1500', 'JPY', '1500'],
    ['1.5', 'KWD', '1.500'],
  ])('%s %s is written %s', (amount, currency, expected) => {
    expect(formatMoney(new Big(amount), currency)).toBe(expected);
  });
});
