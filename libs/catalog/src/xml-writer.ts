/**
 * Model -> catalog XML in schema order, so a generated version (simple plan, template) can be
 * stored and re-read like an uploaded one. Uploaded documents are stored as uploaded, not rewritten.
 */
import Big from 'big.js';
import { Block, CatalogDefinition, InternationalPrice, Limit, PlanPhase, PriceList, TieredBlock, Usage } from './model';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Plain notation (Big#toString may switch to exponent notation, which xs:decimal rejects). */
const dec = (b: Big) => b.toFixed();

class Writer {
  private readonly out: string[] = [];
  private depth = 0;

  open(name: string, attrs: Record<string, string | undefined> = {}): void {
    this.out.push(`${this.indent()}<${name}${this.attrs(attrs)}>`);
    this.depth++;
  }
  close(name: string): void {
    this.depth--;
    this.out.push(`${this.indent()}</${name}>`);
  }
  empty(name: string, attrs: Record<string, string | undefined> = {}): void {
    this.out.push(`${this.indent()}<${name}${this.attrs(attrs)}/>`);
  }
  leaf(name: string, value: string | undefined): void {
    if (value === undefined) return;
    this.out.push(`${this.indent()}<${name}>${esc(value)}</${name}>`);
  }
  /** Wrapper element with repeated children; written even when empty (`<x/>`) if `always`. */
  list<T>(wrapper: string, items: readonly T[], each: (item: T) => void, always = false): void {
    if (items.length === 0) {
      if (always) this.empty(wrapper);
      return;
    }
    this.open(wrapper);
    items.forEach(each);
    this.close(wrapper);
  }
  toString(): string {
    return this.out.join('\n') + '\n';
  }
  private indent(): string {
    return '    '.repeat(this.depth);
  }
  private attrs(attrs: Record<string, string | undefined>): string {
    return Object.entries(attrs)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k}="${esc(v as string)}"`)
      .join('');
  }
}

export function catalogToXml(def: CatalogDefinition): string {
  const w = new Writer();
  const price = (name: string, p: InternationalPrice | undefined) => {
    if (!p) return;
    if (p.prices.length === 0) return w.empty(name);
    w.open(name);
    for (const x of p.prices) {
      w.open('price');
      w.leaf('currency', x.currency);
      if (x.value === null) w.empty('value', { 'xsi:nil': 'true' });
      else w.leaf('value', dec(x.value));
      w.close('price');
    }
    w.close(name);
  };
  const limit = (l: Limit) => {
    w.open('limit');
    w.leaf('unit', l.unit);
    w.leaf('max', l.max && dec(l.max));
    w.leaf('min', l.min && dec(l.min));
    w.close('limit');
  };
  const blockBody = (b: Block) => {
    w.leaf('unit', b.unit);
    w.leaf('size', dec(b.size));
    price('prices', b.prices);
    w.leaf('minTopUpCredit', b.minTopUpCredit && dec(b.minTopUpCredit));
  };
  const usage = (u: Usage) => {
    w.open('usage', { name: u.name, prettyName: u.prettyName, billingMode: u.billingMode, usageType: u.usageType, tierBlockPolicy: u.tierBlockPolicy });
    w.leaf('billingPeriod', u.billingPeriod);
    w.list('limits', u.limits, limit);
    w.list('blocks', u.blocks, (b) => {
      w.open('block', { type: b.type });
      blockBody(b);
      w.close('block');
    });
    w.list('tiers', u.tiers, (t) => {
      w.open('tier');
      w.list('limits', t.limits, limit);
      w.list('blocks', t.blocks, (b: TieredBlock) => {
        w.open('tieredBlock');
        blockBody(b);
        w.leaf('max', dec(b.max));
        w.close('tieredBlock');
      });
      price('fixedPrice', t.fixedPrice);
      price('recurringPrice', t.recurringPrice);
      w.close('tier');
    });
    price('fixedPrice', u.fixedPrice);
    price('recurringPrice', u.recurringPrice);
    w.close('usage');
  };
  const phase = (elementName: string, p: PlanPhase) => {
    w.open(elementName, { type: p.type, prettyName: p.prettyName });
    w.open('duration');
    w.leaf('unit', p.duration.unit);
    if (p.duration.number >= 0) w.leaf('number', String(p.duration.number));
    w.close('duration');
    if (p.fixed) {
      if (p.fixed.fixedPrice) {
        w.open('fixed', { type: p.fixed.type === 'ONE_TIME' ? undefined : p.fixed.type });
        price('fixedPrice', p.fixed.fixedPrice);
        w.close('fixed');
      } else w.empty('fixed');
    }
    if (p.recurring) {
      w.open('recurring');
      w.leaf('billingPeriod', p.recurring.billingPeriod);
      price('recurringPrice', p.recurring.recurringPrice);
      w.close('recurring');
    }
    w.list('usages', p.usages, usage);
    w.close(elementName);
  };
  const priceList = (elementName: string, pl: PriceList) => {
    w.open(elementName, { name: pl.name, prettyName: pl.prettyName });
    w.list('plans', pl.plans, (p) => w.leaf('plan', p), true);
    w.close(elementName);
  };
  const leaves = (c: object, keys: readonly string[]) => {
    const rec = c as Record<string, string | undefined>;
    for (const k of keys) w.leaf(k, rec[k]);
  };
  const CHANGE = [
    'phaseType',
    'fromProduct',
    'fromProductCategory',
    'fromBillingPeriod',
    'fromPriceList',
    'toProduct',
    'toProductCategory',
    'toBillingPeriod',
    'toPriceList',
  ] as const;
  const STANDARD = ['product', 'productCategory', 'billingPeriod', 'priceList'] as const;

  const out: string[] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'];
  w.open('catalog', { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:noNamespaceSchemaLocation': 'CatalogSchema.xsd' });
  w.leaf('effectiveDate', def.effectiveDate.toISOString());
  w.leaf('catalogName', def.catalogName);
  w.leaf('recurringBillingMode', def.recurringBillingMode);
  w.list('currencies', def.currencies, (c) => w.leaf('currency', c), true);
  w.list('units', def.units, (u) => w.empty('unit', { name: u.name, prettyName: u.prettyName }));
  w.list(
    'products',
    def.products,
    (p) => {
      w.open('product', { name: p.name, prettyName: p.prettyName });
      w.leaf('category', p.category);
      w.list('included', p.included, (a) => w.leaf('addonProduct', a));
      w.list('available', p.available, (a) => w.leaf('addonProduct', a));
      w.list('limits', p.limits, limit);
      w.close('product');
    },
    true,
  );
  const r = def.rules;
  w.open('rules');
  w.list('changePolicy', r.changePolicy, (c) => {
    w.open('changePolicyCase');
    leaves(c, CHANGE);
    w.leaf('policy', c.policy);
    w.close('changePolicyCase');
  });
  w.list('changeAlignment', r.changeAlignment, (c) => {
    w.open('changeAlignmentCase');
    leaves(c, CHANGE);
    w.leaf('alignment', c.alignment);
    w.close('changeAlignmentCase');
  });
  w.list('cancelPolicy', r.cancelPolicy, (c) => {
    w.open('cancelPolicyCase');
    leaves(c, [...STANDARD, 'phaseType']);
    w.leaf('policy', c.policy);
    w.close('cancelPolicyCase');
  });
  w.list('createAlignment', r.createAlignment, (c) => {
    w.open('createAlignmentCase');
    leaves(c, STANDARD);
    w.leaf('alignment', c.alignment);
    w.close('createAlignmentCase');
  });
  w.list('billingAlignment', r.billingAlignment, (c) => {
    w.open('billingAlignmentCase');
    leaves(c, [...STANDARD, 'phaseType']);
    w.leaf('alignment', c.alignment);
    w.close('billingAlignmentCase');
  });
  w.list('priceList', r.priceList, (c) => {
    w.open('priceListCase');
    leaves(c, ['fromProduct', 'fromProductCategory', 'fromBillingPeriod', 'fromPriceList', 'toPriceList']);
    w.close('priceListCase');
  });
  w.close('rules');
  w.list(
    'plans',
    def.plans,
    (p) => {
      w.open('plan', { name: p.name, prettyName: p.prettyName });
      w.leaf('effectiveDateForExistingSubscriptions', p.effectiveDateForExistingSubscriptions?.toISOString());
      w.leaf('product', p.product);
      w.leaf('recurringBillingMode', p.recurringBillingMode);
      w.list('initialPhases', p.initialPhases, (ph) => phase('phase', ph));
      phase('finalPhase', p.finalPhase);
      if (p.plansAllowedInBundle !== -1) w.leaf('plansAllowedInBundle', String(p.plansAllowedInBundle));
      w.close('plan');
    },
    true,
  );
  w.open('priceLists');
  priceList('defaultPriceList', def.priceLists.defaultPriceList);
  for (const pl of def.priceLists.childPriceLists) priceList('childPriceList', pl);
  w.close('priceLists');
  w.close('catalog');
  return out.join('\n') + '\n' + w.toString();
}
