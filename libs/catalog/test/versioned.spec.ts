import { VersionedCatalog, templateCatalogXml } from '@kb/catalog';
import { loadCatalog, readCatalogXml } from './helpers';

const FILES = ['versioned/WeaponsHireSmall-1.xml', 'versioned/WeaponsHireSmall-2.xml', 'versioned/WeaponsHireSmall-2a.xml', 'versioned/WeaponsHireSmall-3.xml'];
const t = (s: string) => new Date(s);

describe('VersionedCatalog: version for a date', () => {
  // stored in a shuffled order: versions are sorted by effective date
  const v = new VersionedCatalog([loadCatalog(FILES[2]), loadCatalog(FILES[0]), loadCatalog(FILES[3]), loadCatalog(FILES[1])]);

  it('sorts versions and exposes the current one', () => {
    expect(v.versions.map((c) => c.effectiveDate.toISOString().slice(0, 10))).toEqual(['2011-01-01', '2011-02-02', '2011-02-03', '2011-03-03']);
    expect(v.currentVersion!.effectiveDate.toISOString()).toBe('2011-03-03T00:00:00.000Z');
    expect(v.catalogName).toBe('WeaponsHireSmall');
  });

  const cases: [string, string][] = [
    ['2010-06-01T00:00:00Z', '2011-01-01'], // before every version: the earliest
    ['2011-01-01T00:00:00Z', '2011-01-01'], // exactly on the effective date
    ['2011-02-01T23:59:59Z', '2011-01-01'],
    ['2011-02-02T00:00:00Z', '2011-02-02'],
    ['2011-02-02T12:00:00Z', '2011-02-02'],
    ['2011-02-03T00:00:01Z', '2011-02-03'],
    ['2011-03-02T00:00:00Z', '2011-02-03'],
    ['2030-01-01T00:00:00Z', '2011-03-03'],
  ];
  it.each(cases)('%s -> version %s', (date, expected) => {
    expect(v.versionFor(t(date)).effectiveDate.toISOString().slice(0, 10)).toBe(expected);
  });

  it('fails without versions', () => {
    expect(() => new VersionedCatalog([]).versionFor(t('2011-01-01T00:00:00Z'))).toThrow();
  });

  it('drops template versions when asked', () => {
    const template = templateCatalogXml(t('2010-12-31T00:00:00Z'));
    expect(VersionedCatalog.fromXml([template, readCatalogXml(FILES[0])]).versions).toHaveLength(2);
    const filtered = VersionedCatalog.fromXml([template, readCatalogXml(FILES[0])], { filterTemplates: true });
    expect(filtered.versions.map((c) => c.catalogName)).toEqual(['WeaponsHireSmall']);
    expect(VersionedCatalog.fromXml([template], { filterTemplates: true }).isEmpty).toBe(true);
  });
});

describe('VersionedCatalog: grandfathering and price updates (effectiveDateForExistingSubscriptions)', () => {
  const v = new VersionedCatalog(FILES.map(loadCatalog));
  const usd = (planName: string, requested: string, changed: string) => {
    const r = v.findPlanForSubscription(planName, t(requested), t(changed));
    const price = r.plan.finalPhase.recurring!.recurringPrice!.prices.find((p) => p.currency === 'USD')!.value!;
    return `${r.catalog.effectiveDate.toISOString().slice(0, 10)} ${price.toFixed(2)}`;
  };

  const cases: [string, string, string, string][] = [
    // pistol-monthly: v1 29.95; v2/v2a 39.95 for existing subs from 2011-02-14; v3 49.95 from 2011-03-14
    ['new subscription in v1', '2011-01-20T00:00:00Z', '2011-01-15T00:00:00Z', '2011-01-01 29.95'],
    ['existing sub before EDFES keeps v1 price', '2011-02-10T00:00:00Z', '2011-01-15T00:00:00Z', '2011-01-01 29.95'],
    ['existing sub at EDFES moves to latest applicable version', '2011-02-14T00:00:00Z', '2011-01-15T00:00:00Z', '2011-02-03 39.95'],
    ['existing sub between v3 and its EDFES', '2011-03-10T00:00:00Z', '2011-01-15T00:00:00Z', '2011-02-03 39.95'],
    ['existing sub after v3 EDFES', '2011-03-20T00:00:00Z', '2011-01-15T00:00:00Z', '2011-03-03 49.95'],
    ['new purchase after v2: new price at once', '2011-02-05T00:00:00Z', '2011-02-05T00:00:00Z', '2011-02-03 39.95'],
  ];
  it.each(cases)('pistol-monthly: %s', (_l, requested, changed, expected) => {
    expect(usd('pistol-monthly', requested, changed)).toBe(expected);
  });

  it('grandfathers a plan without EDFES (shotgun-quarterly bought in v2 keeps its v2 price)', () => {
    expect(usd('shotgun-quarterly', '2011-02-10T00:00:00Z', '2011-02-02T12:00:00Z')).toBe('2011-02-02 249.95');
    expect(usd('shotgun-quarterly', '2011-02-10T00:00:00Z', '2011-02-05T00:00:00Z')).toBe('2011-02-03 259.95');
  });

  it('keeps billing a retired plan for existing subscriptions, refuses new purchases', () => {
    expect(usd('shotgun-quarterly', '2011-04-01T00:00:00Z', '2011-02-05T00:00:00Z')).toBe('2011-02-03 259.95');
    expect(() => v.versionFor(t('2011-04-01T00:00:00Z')).findPlan('shotgun-quarterly')).toThrow(expect.objectContaining({ code: 2021 }));
  });

  it('resolves a triple the same way and reports unknown plans', () => {
    const r = v.findPlanForSubscription({ productName: 'Pistol', billingPeriod: 'MONTHLY' }, t('2011-03-20T00:00:00Z'), t('2011-01-15T00:00:00Z'));
    expect(r.plan.name).toBe('pistol-monthly');
    expect(() => v.findPlanForSubscription('nope', t('2011-03-20T00:00:00Z'), t('2011-01-15T00:00:00Z'))).toThrow(expect.objectContaining({ code: 2020 }));
  });

  it('finds the next version of a plan', () => {
    const v1 = v.versions[0];
    const next = v.nextPlanVersion(v1.findPlan('pistol-monthly'), v1)!;
    expect(next.catalog.effectiveDate.toISOString().slice(0, 10)).toBe('2011-02-02');
    expect(v.nextPlanVersion(v.versions[2].findPlan('shotgun-quarterly'), v.versions[2])).toBeUndefined();
  });
});
