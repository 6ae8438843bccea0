import { type WritePart, writePartsSql } from '@kb/platform';

const part = (kind: string, values: unknown[]): WritePart => ({
  kind,
  ctes: (name) => [`${name}_a AS (SELECT $1::text, $2::text)`, `${name}_b AS (SELECT $2::text)`],
  values,
});

describe('writePartsSql', () => {
  it('renumbers each part after the statement parameters and the parts before it', () => {
    const { ctes, values } = writePartsSql([part('test-first', ['a', 'b']), part('test-second', ['c', 'd'])], 3);
    expect(ctes).toEqual([
      'part0_a AS (SELECT $4::text, $5::text)',
      'part0_b AS (SELECT $5::text)',
      'part1_a AS (SELECT $6::text, $7::text)',
      'part1_b AS (SELECT $7::text)',
    ]);
    expect(values).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps the parameters of a statement that has none of its own', () => {
    expect(writePartsSql([part('test-alone', ['a', 'b'])], 0).ctes).toEqual(['part0_a AS (SELECT $1::text, $2::text)', 'part0_b AS (SELECT $2::text)']);
  });

  it('builds the text of a kind and offset once: the same key and text, each call with its own values', () => {
    const first = writePartsSql([part('test-cached', ['a', 'b'])], 2);
    const second = writePartsSql([part('test-cached', ['x', 'y'])], 2);
    expect(second.ctes).toBe(first.ctes);
    expect(second.key).toBe(first.key);
    expect(second.values).toEqual(['x', 'y']);
    expect(writePartsSql([part('test-cached', ['a', 'b'])], 5).key).not.toBe(first.key);
    expect(writePartsSql([part('test-other', ['a', 'b'])], 2).key).not.toBe(first.key);
  });
});
