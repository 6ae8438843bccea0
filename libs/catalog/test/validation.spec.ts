import { KillBillError } from '@kb/kernel';
import {
  StandaloneCatalog,
  VersionedCatalog,
  acceptCatalogUpload,
  invalidCatalogForTenant,
  parseCatalogXml,
  toCatalogValidationJson,
  validateCatalog,
  validateCatalogUpload,
} from '@kb/catalog';
import { loadCatalog, readCatalogXml } from './helpers';

const messagesOf = (xml: string): string[] => {
  const res = parseCatalogXml(xml);
  if (!res.ok) return res.errors.map((e) => e.message);
  return validateCatalog(res.catalog).map((e) => e.message);
};

describe('validation: CatalogWithValidationErrors.xml (Kill Bill TestStandaloneCatalog)', () => {
  it('reports the 17 expected errors in Kill Bill order', () => {
    const errors = messagesOf(readCatalogXml('CatalogWithValidationErrors.xml'));
    expect(errors).toEqual([
      'Product refers to itself in included section',
      'Product refers to itself in available section',
      "Invalid product for plan 'standard'",
      "Duration can only have 'UNLIMITED' unit if the number is omitted",
      'Finite Duration must have a well defined length',
      'Initial Phase standard-trial-evergreen of plan standard-trial cannot be of type EVERGREEN',
      'Final Phase standard-trial-trial of plan standard-trial cannot be of type TRIAL',
      "Duplicate rule for change plan DefaultCaseChangePlanPolicy {policy=IMMEDIATE, phaseType=null, fromProduct=DefaultProduct{name='Standard', category=BASE, included=CatalogEntityCollection{data=[Standard]}, available=CatalogEntityCollection{data=[Standard]}, limits=[], catalogName='CatalogWithValidationErrors'}, fromProductCategory=null, fromBillingPeriod=null, fromPriceList=null, toProduct=null, toProductCategory=null, toBillingPeriod=null, toPriceList=null}",
      'Missing default rule case for plan change',
      "Duplicate rule for plan cancellation DefaultCaseCancelPolicy{policy =IMMEDIATE, phaseType =null, product=DefaultProduct{name='Standard', category=BASE, included=CatalogEntityCollection{data=[Standard]}, available=CatalogEntityCollection{data=[Standard]}, limits=[], catalogName='CatalogWithValidationErrors'}, productCategory=null, billingPeriod=null, priceList=null}",
      'Missing default rule case for plan cancellation',
      'Duplicate rule for plan change alignment DefaultCaseChangePlanAlignment {alignment=START_OF_BUNDLE, phaseType=null, fromProduct=null, fromProductCategory=null, fromBillingPeriod=null, fromPriceList=null, toProduct=null, toProductCategory=null, toBillingPeriod=null, toPriceList=null}',
      'Duplicate rule for create plan alignment DefaultCaseCreateAlignment {alignment =START_OF_BUNDLE, product=null, productCategory=null, billingPeriod=null, priceList=null}',
      'Duplicate rule for billing alignment DefaultCaseBillingAlignment {alignment=ACCOUNT, phaseType=null, product=null, productCategory=null, billingPeriod=null, priceList=null}',
      "Duplicate rule for price list transition DefaultCasePriceList {fromProduct=null, fromProductCategory=null, fromBillingPeriod=null, fromPriceList=null, toPriceList=DefaultPriceList{name='DEFAULT}}",
      "EVERGREEN Phase 'standard-trial-evergreen' for plan 'standard-trial' in version 'Fri Feb 08 00:00:00 GMT 2013' must have duration as UNLIMITED'",
      "'TRIAL' Phase 'standard-trial-trial' for plan 'standard-trial' in version 'Fri Feb 08 00:00:00 GMT 2013' must not have duration as UNLIMITED'",
    ]);
  });

  it('maps to the CatalogValidation JSON', () => {
    const res = parseCatalogXml(readCatalogXml('CatalogWithValidationErrors.xml'));
    if (!res.ok) throw new Error('schema');
    const json = toCatalogValidationJson(validateCatalog(res.catalog));
    expect(json.catalogValidationErrors).toHaveLength(17);
    expect(json.catalogValidationErrors[0]).toEqual({ errorDescription: 'Product refers to itself in included section' });
  });
});

describe('validation: single rules (mutations of SpyCarBasic.xml)', () => {
  const base = readCatalogXml('SpyCarBasic.xml');
  const cases: [string, (xml: string) => string, string[]][] = [
    [
      'missing catch-all change policy',
      (x) =>
        x.replace(
          '<changePolicyCase>\n                <policy>IMMEDIATE</policy>',
          '<changePolicyCase>\n                <phaseType>TRIAL</phaseType>\n                <policy>IMMEDIATE</policy>',
        ),
      ['Missing default rule case for plan change'],
    ],
    [
      'missing catch-all cancel policy',
      (x) =>
        x.replace(
          '<cancelPolicyCase>\n                <policy>IMMEDIATE</policy>',
          '<cancelPolicyCase>\n                <productCategory>BASE</productCategory>\n                <policy>IMMEDIATE</policy>',
        ),
      ['Missing default rule case for plan cancellation'],
    ],
    [
      'recurring price in a currency the catalog does not list',
      (x) =>
        x.replace(
          '<currency>GBP</currency>\n                            <value>375.00</value>',
          '<currency>EUR</currency>\n                            <value>375.00</value>',
        ),
      ['Unsupported currency: EUR'],
    ],
    ['negative price', (x) => x.replace('<value>500.00</value>', '<value>-500.00</value>'), ['Negative value for price in currency: USD']],
    [
      'recurring price with NO_BILLING_PERIOD',
      (x) => x.replace('<billingPeriod>MONTHLY</billingPeriod>', '<billingPeriod>NO_BILLING_PERIOD</billingPeriod>'),
      ['Recurring section of Phase EVERGREEN of plan standard-monthly has a recurring price but no billing period'],
    ],
    [
      'child price list named DEFAULT',
      (x) =>
        x
          .replace('</defaultPriceList>', '</defaultPriceList><childPriceList name="DEFAULT2"><plans/></childPriceList>')
          .replace('name="DEFAULT2"', 'name="DEFAULT"'),
      ["cvc-id.2: There are multiple occurrences of ID value 'DEFAULT'."],
    ],
    [
      'default price list not named DEFAULT',
      (x) =>
        x
          .replace('<defaultPriceList name="DEFAULT">', '<defaultPriceList name="Main">')
          .replace('<toPriceList>DEFAULT</toPriceList>', '<toPriceList>Main</toPriceList>'),
      ["The name of the default pricelist must be 'DEFAULT'"],
    ],
    ['plan in no price list', (x) => x.replace('<plan>sports-monthly</plan>', ''), ['Cannot extract pricelist for plan sports-monthly']],
    [
      'effectiveDateForExistingSubscriptions before the catalog effective date',
      (x) =>
        x.replace(
          '<plan name="sports-monthly">',
          '<plan name="sports-monthly"><effectiveDateForExistingSubscriptions>2012-01-01T00:00:00Z</effectiveDateForExistingSubscriptions>',
        ),
      ["Price effective date Sun Jan 01 00:00:00 GMT 2012 is before catalog effective date 'Fri Feb 08 00:00:00 GMT 2013'"],
    ],
    [
      'phase with neither fixed, recurring nor usage',
      (x) => x.replace(/<fixed>\s*<fixedPrice>[^<]*<!--[^>]*-->\s*<\/fixedPrice>\s*<\/fixed>/, ''),
      ['Phase TRIAL of plan standard-monthly need to define at least either a fixed or recurrring or usage section.'],
    ],
    [
      'two phases of the same type',
      (x) => x.replace('<initialPhases>', '<initialPhases><phase type="TRIAL"><duration><unit>DAYS</unit><number>1</number></duration><fixed/></phase>'),
      ["Plan 'standard-monthly' defines more than one phase of type TRIAL"],
    ],
    [
      'plan without billing mode anywhere',
      (x) => x.replace('<recurringBillingMode>IN_ADVANCE</recurringBillingMode>', ''),
      [
        "Invalid recurring billingMode for plan 'sports-monthly'",
        "Invalid recurring billingMode for plan 'standard-monthly'",
        "Invalid recurring billingMode for plan 'super-monthly'",
      ],
    ],
    [
      'add-on reference to something that is not a product',
      (x) =>
        x.replace(
          '<product name="Sports">\n            <category>BASE</category>',
          '<product name="Sports">\n            <category>BASE</category><available><addonProduct>super-monthly</addonProduct></available>',
        ),
      ["Invalid add-on product 'super-monthly' for product 'Sports'"],
    ],
  ];
  it.each(cases)('%s', (_label, mutate, expected) => {
    const xml = mutate(base);
    expect(xml).not.toBe(base);
    expect(messagesOf(xml)).toEqual(expected);
  });

  it('usage rules (UsageExperimental.xml mutations)', () => {
    const usage = readCatalogXml('UsageExperimental.xml');
    expect(messagesOf(usage.replace('<minTopUpCredit>5</minTopUpCredit>', ''))).toEqual([
      'TOP_UP block needs to define minTopUpCredit for phase consumable-in-advance-topup-evergreen',
    ]);
    expect(messagesOf(usage.replace(/<limits>\s*<limit>\s*<unit>members<\/unit>\s*<max>100<\/max>\s*<\/limit>\s*<\/limits>/, ''))).toEqual([
      'Usage [IN_ADVANCE CAPACITY] section of phase capacity-in-advance-monthly-evergreen needs to define some limits',
    ]);
    expect(messagesOf(usage.replace('<max>100</max>', '<max>100</max><min>200</min>'))).toEqual(['max must be greater than min']);
  });
});

describe('validation: upload against existing versions', () => {
  const basic = readCatalogXml('SpyCarBasic.xml');
  const existing = new VersionedCatalog([loadCatalog('SpyCarBasic.xml')]);

  it('accepts a first version and a later version of the same catalog', () => {
    expect(validateCatalogUpload(undefined, basic)).toEqual([]);
    expect(validateCatalogUpload(existing, readCatalogXml('SpyCarBasic.v2.xml'))).toEqual([]);
  });

  it('refuses a catalog name change between versions (returned alone)', () => {
    expect(validateCatalogUpload(existing, readCatalogXml('SpyCarBasicInvalidName.xml'))).toEqual([
      { message: "Catalog name 'SpyCarBasicInvalidName' is different from existing catalog name 'SpyCarBasic'", objectType: 'StaticCatalog', objectName: '' },
    ]);
  });

  it('refuses a duplicate effective date', () => {
    expect(validateCatalogUpload(existing, basic).map((e) => e.message)).toEqual([
      "Catalog effective date 'Fri Feb 08 00:00:00 GMT 2013' already exists for a previous version",
    ]);
  });

  it('refuses a plan whose phases changed between versions', () => {
    const v2 = readCatalogXml('SpyCarBasic.v2.xml').replace(/(<plan name="sports-monthly">[\s\S]*?)<initialPhases>[\s\S]*?<\/initialPhases>/, '$1');
    expect(validateCatalogUpload(existing, v2).map((e) => e.message)).toEqual([
      "Number of phases for plan 'sports-monthly' differs between version 'Fri Feb 08 00:00:00 GMT 2013' and 'Sat Feb 08 00:00:00 GMT 2014'",
    ]);
    const renamed = readCatalogXml('SpyCarBasic.v2.xml').replace(/(<plan name="sports-monthly">[\s\S]*?)<phase type="TRIAL">/, '$1<phase type="DISCOUNT">');
    expect(validateCatalogUpload(existing, renamed).map((e) => e.message)).toEqual([
      "Phase 'sports-monthly-trial'for plan 'sports-monthly' in version 'Fri Feb 08 00:00:00 GMT 2013' does not exist in version 'Sat Feb 08 00:00:00 GMT 2014'",
    ]);
  });

  it('returns the schema error alone for a malformed upload', () => {
    expect(validateCatalogUpload(existing, basic.replace('<category>BASE</category>', '<category>CAR</category>'))).toHaveLength(1);
  });

  it('raises CAT_INVALID_FOR_TENANT (2080) on an invalid upload', () => {
    let thrown: unknown;
    try {
      acceptCatalogUpload(existing, readCatalogXml('SpyCarBasicInvalidName.xml'), 42);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(KillBillError);
    expect(thrown).toMatchObject({ code: 2080, codeName: 'CAT_INVALID_FOR_TENANT', message: 'Invalid catalog for tenant : 42' });
    expect(invalidCatalogForTenant(7).message).toBe('Invalid catalog for tenant : 7');
    expect(acceptCatalogUpload(existing, readCatalogXml('SpyCarBasic.v2.xml'), 42)).toBeInstanceOf(StandaloneCatalog);
  });

  it('accepts the versioned WeaponsHireSmall series', () => {
    let v = new VersionedCatalog([]);
    for (const f of [
      'versioned/WeaponsHireSmall-1.xml',
      'versioned/WeaponsHireSmall-2.xml',
      'versioned/WeaponsHireSmall-2a.xml',
      'versioned/WeaponsHireSmall-3.xml',
    ]) {
      expect(validateCatalogUpload(v, readCatalogXml(f))).toEqual([]);
      v = v.withVersion(loadCatalog(f));
    }
    expect(v.validate()).toEqual([]);
  });
});
