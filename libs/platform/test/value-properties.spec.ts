import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { BooleanProperty, IntegerProperty, TextProperty } from '../src/http/values';

/** `@nestjs/swagger` keeps each property's documentation under this key. */
const SWAGGER_PROPERTY = 'swagger/apiModelProperties';

class Sample {
  @TextProperty({ maxLength: 3 })
  code?: string | null;

  @TextProperty({ required: true })
  secret!: string | null;

  @BooleanProperty()
  flag?: boolean | null;

  @IntegerProperty('int64')
  count?: number | null;
}

const documented = (property: keyof Sample): Record<string, unknown> => Reflect.getMetadata(SWAGGER_PROPERTY, Sample.prototype, property);
const failures = (body: object): string[] =>
  validateSync(plainToInstance(Sample, body)).flatMap((error) => Object.keys(error.constraints ?? {}).map((name) => `${error.property}:${name}`));

describe('plain value properties', () => {
  it('document their type even where the design type is Object (`string | null`)', () => {
    expect(Reflect.getMetadata('design:type', Sample.prototype, 'code')).toBe(Object);
    expect(documented('code')).toMatchObject({ type: String, maxLength: 3, required: false });
    expect(documented('secret')).toMatchObject({ type: String });
    expect(documented('secret').required).not.toBe(false); // ApiProperty: required unless said otherwise
    expect(documented('flag')).toMatchObject({ type: Boolean, required: false });
    expect(documented('count')).toMatchObject({ type: 'integer', format: 'int64', required: false });
  });

  it('validate what they document; optional ones accept absent and null', () => {
    expect(failures({ secret: 's' })).toEqual([]);
    expect(failures({ secret: 's', code: null, flag: null, count: null })).toEqual([]);
    expect(failures({ secret: 's', code: 'abc', flag: false, count: 7 })).toEqual([]);
    expect(failures({ secret: 's', code: 'abcd' })).toEqual(['code:maxLength']);
    // In the order the stacked decorators they replace reported them.
    expect(failures({ secret: 's', code: 12 })).toEqual(['code:maxLength', 'code:isString']);
    expect(failures({ secret: 's', flag: 'true' })).toEqual(['flag:isBoolean']);
    expect(failures({ secret: 's', count: 1.5 })).toEqual(['count:isInt']);
    expect(failures({})).toEqual(['secret:isString']);
  });
});
