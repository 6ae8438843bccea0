/**
 * Generator of a large valid catalog, for benchmarks: `nPlans` plans over `nPlans / 4` BASE
 * products (monthly, annual, quarterly, biannual), each with a 30-day trial then an evergreen phase
 * priced in USD and EUR, all in the DEFAULT price list, with a few rules besides the catch-alls.
 */
import Big from 'big.js';
import { BillingPeriod, CatalogDefinition, Plan, Product } from '../model';
import { saneDefaultRules } from '../simple-plan';
import { catalogToXml } from '../xml-writer';

const PERIODS: BillingPeriod[] = ['MONTHLY', 'ANNUAL', 'QUARTERLY', 'BIANNUAL'];

export function generateLargeCatalogDefinition(nPlans: number, effectiveDate = new Date('2020-01-01T00:00:00Z')): CatalogDefinition {
  const products: Product[] = [];
  const plans: Plan[] = [];
  for (let i = 0; i < nPlans; i++) {
    const productIndex = Math.floor(i / PERIODS.length);
    const period = PERIODS[i % PERIODS.length];
    const productName = `Product${productIndex}`;
    if (i % PERIODS.length === 0) products.push({ name: productName, category: 'BASE', included: [], available: [], limits: [] });
    const amount = new Big(10 + (i % 97)).plus('0.95');
    plans.push({
      name: `plan-${productIndex}-${period.toLowerCase()}`,
      product: productName,
      initialPhases: [
        {
          type: 'TRIAL',
          duration: { unit: 'DAYS', number: 30 },
          fixed: { type: 'ONE_TIME', fixedPrice: { prices: [] } },
          usages: [],
        },
      ],
      finalPhase: {
        type: 'EVERGREEN',
        duration: { unit: 'UNLIMITED', number: -1 },
        recurring: {
          billingPeriod: period,
          recurringPrice: {
            prices: [
              { currency: 'USD', value: amount },
              { currency: 'EUR', value: amount.times('0.9').round(2) },
            ],
          },
        },
        usages: [],
      },
      plansAllowedInBundle: -1,
    });
  }
  const rules = saneDefaultRules();
  rules.changePolicy.unshift({ phaseType: 'TRIAL', policy: 'IMMEDIATE' }, { toBillingPeriod: 'ANNUAL', policy: 'IMMEDIATE' });
  rules.changePolicy[rules.changePolicy.length - 1] = { policy: 'END_OF_TERM' };
  rules.billingAlignment.unshift({ billingPeriod: 'ANNUAL', alignment: 'SUBSCRIPTION' });
  return {
    effectiveDate,
    catalogName: 'LargeCatalog',
    recurringBillingMode: 'IN_ADVANCE',
    currencies: ['USD', 'EUR'],
    units: [],
    products,
    rules,
    plans,
    priceLists: { defaultPriceList: { name: 'DEFAULT', plans: plans.map((p) => p.name) }, childPriceLists: [] },
  };
}

/** XML of `generateLargeCatalogDefinition(nPlans)`. */
export function generateLargeCatalogXml(nPlans: number, effectiveDate?: Date): string {
  return catalogToXml(generateLargeCatalogDefinition(nPlans, effectiveDate));
}
