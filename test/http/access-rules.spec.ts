import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ACCESS_METADATA, CALL_CONTEXT_METADATA } from '@kb/platform';
import { startTestApp, type TestApp } from '../support/test-app';

/** Deny by default: every route declares how it is accessed, and every write builds a call context. */
describe('Route access rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  function routes() {
    const found: { name: string; method: number; access: unknown; callContext: unknown }[] = [];
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const type = wrapper.metatype as (new (...args: unknown[]) => object) | undefined;
        if (!type) continue;
        for (const key of Object.getOwnPropertyNames(type.prototype)) {
          if (key === 'constructor') continue;
          const handler = (type.prototype as Record<string, unknown>)[key];
          if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
          found.push({
            name: `${type.name}.${key}`,
            method: Reflect.getMetadata(METHOD_METADATA, handler) as number,
            access: Reflect.getMetadata(ACCESS_METADATA, handler) ?? Reflect.getMetadata(ACCESS_METADATA, type),
            callContext: Reflect.getMetadata(CALL_CONTEXT_METADATA, handler),
          });
        }
      }
    }
    return found;
  }

  it('finds the routes', () => {
    expect(routes().length).toBeGreaterThan(30);
  });

  it('every route declares an access rule', () => {
    expect(
      routes()
        .filter((route) => !route.access)
        .map((route) => route.name),
    ).toEqual([]);
  });

  it('every tenant-scoped or user write (POST/PUT/DELETE) requires X-Killbill-CreatedBy, except the rotation, cache and test-clock operations', () => {
    const GET = 0;
    const exempt = /^(AdminController|TestController)\./;
    const missing = routes().filter(
      (route) => route.method !== GET && !route.callContext && !exempt.test(route.name) && (route.access as { mode: string }).mode !== 'public',
    );
    expect(missing.map((route) => route.name)).toEqual([]);
  });
});
