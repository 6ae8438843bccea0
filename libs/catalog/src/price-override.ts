/**
 * Price overrides (Kill Bill's DefaultPriceOverrideSvc + DefaultPlan/DefaultPlanPhase/DefaultUsage/
 * DefaultTier override constructors): a subscription may replace the fixed and/or recurring price of
 * phases of its plan and the prices of their usages' tiered blocks, in the account currency. The result is a plan of its own, `<parent>-<n>` (n = the record id of its
 * stored definition), whose phases are `<parent>-<n>-<type>`; it is found in every catalog version
 * that has the parent plan, with that version's other prices. Pure.
 */
import Big from 'big.js';
import { KillBillError } from '@kb/kernel';
import type { StandaloneCatalog } from './catalog';
import { type Currency, type InternationalPrice, type PhaseType, type Plan, type PlanPhase, type Tier, type TieredBlock, type Usage, allPhases, phaseName } from './model';
import { VersionedCatalog } from './versioned-catalog';

/** One entry of a request's `priceOverrides`: the phase by name, else by type. */
export interface PhasePriceOverride {
  readonly phaseName?: string | null;
  readonly phaseType?: PhaseType | null;
  readonly fixedPrice?: Big | null;
  readonly recurringPrice?: Big | null;
  readonly usagePrices?: readonly UsagePriceOverride[] | null;
}

/** A request's override of a usage's tiered block prices (Kill Bill's UsagePriceJson): the usage by name. */
export interface UsagePriceOverride {
  readonly usageName?: string | null;
  readonly tierPrices?: readonly TierPriceOverride[] | null;
}

/** The blocks of one tier; the tier is the first whose blocks one of these matches. */
export interface TierPriceOverride {
  readonly blockPrices?: readonly BlockPriceOverride[] | null;
}

/** A tiered block is named by its unit, size and max (Kill Bill compares them, the price is the new one). */
export interface BlockPriceOverride {
  readonly unitName?: string | null;
  readonly size?: Big | null;
  readonly max?: Big | null;
  readonly price?: Big | null;
}

/** The new price of one tiered block of the parent phase, by position, as stored. */
export interface TieredBlockOverride {
  readonly usageNumber: number;
  readonly usageName: string;
  readonly tierNumber: number;
  readonly blockNumber: number;
  readonly unitName: string;
  readonly size: Big;
  readonly max: Big;
  readonly price: Big;
}

/** The override of one phase of the parent plan, as stored (catalog_override_phase_definition). */
export interface PhaseOverride {
  /** Index of the phase in the parent plan (initial phases, then the final one). */
  readonly phaseNumber: number;
  readonly parentPhaseName: string;
  readonly currency: Currency;
  readonly fixedPrice: Big | null;
  readonly recurringPrice: Big | null;
  readonly blockPrices: readonly TieredBlockOverride[];
}

/** A stored overridden plan: its name and the overrides of the phases that have one. */
export interface OverriddenPlanDefinition {
  readonly name: string;
  readonly parentPlanName: string;
  readonly phases: readonly PhaseOverride[];
}

/** Kill Bill's PriceOverridePattern: `<parent>-<record id>`. */
const OVERRIDDEN_PLAN_NAME = /^(.*)-(\d+)$/;

export function overriddenPlanName(parentPlanName: string, recordId: number): string {
  return `${parentPlanName}-${recordId}`;
}

/** The parent plan and definition record id of a name of the override form, else undefined. */
export function parseOverriddenPlanName(name: string): { parentPlanName: string; recordId: number } | undefined {
  const match = OVERRIDDEN_PLAN_NAME.exec(name);
  return match ? { parentPlanName: match[1], recordId: Number(match[2]) } : undefined;
}

/**
 * The phase overrides a request asks for on `plan`: each phase takes the first entry naming it (by
 * phase name, else by phase type). Overriding a price the phase does not have is
 * CAT_INVALID_INVALID_PRICE_OVERRIDE (2081), as Kill Bill checks it.
 */
export function resolvePhaseOverrides(plan: Plan, overrides: readonly PhasePriceOverride[], currency: Currency): PhaseOverride[] {
  const resolved: PhaseOverride[] = [];
  allPhases(plan).forEach((phase, phaseNumber) => {
    const name = phaseName(plan.name, phase.type);
    const override = overrides.find((candidate) => (candidate.phaseName != null ? candidate.phaseName === name : candidate.phaseType === phase.type));
    if (!override) return;
    if (!phase.fixed && override.fixedPrice != null) {
      throw new KillBillError('CAT_INVALID_INVALID_PRICE_OVERRIDE', [plan.name, `There is no existing fixed price for the phase ${name}`]);
    }
    if (!phase.recurring && override.recurringPrice != null) {
      throw new KillBillError('CAT_INVALID_INVALID_PRICE_OVERRIDE', [plan.name, `There is no existing recurring price for the phase ${name}`]);
    }
    const blockPrices = resolveUsageOverrides(plan.name, name, phase.usages, override.usagePrices ?? []);
    resolved.push({ phaseNumber, parentPhaseName: name, currency, fixedPrice: override.fixedPrice ?? null, recurringPrice: override.recurringPrice ?? null, blockPrices });
  });
  return resolved;
}

function invalidOverride(planName: string, reason: string): KillBillError {
  return new KillBillError('CAT_INVALID_INVALID_PRICE_OVERRIDE', [planName, reason]);
}

const sameBlock = (override: BlockPriceOverride, block: TieredBlock) =>
  override.unitName === block.unit && override.size != null && override.size.eq(block.size) && override.max != null && override.max.eq(block.max);

const blockText = (block: BlockPriceOverride) => `${block.unitName ?? 'null'} (size ${block.size?.toString() ?? 'null'}, max ${block.max?.toString() ?? 'null'})`;

/**
 * Kill Bill's getResolvedUsageOverrides / TierOverrides / TieredBlockPriceOverrides: each usage takes
 * the first override naming it, each of its tiers the first tier override with a block matching one
 * of the tier's blocks, each block the first block override with its unit, size and max. Where Kill
 * Bill silently drops an override that matches nothing, we refuse it with 2081 like a fixed or
 * recurring price the phase lacks, so that a typo never leaves a customer on the catalog price.
 */
function resolveUsageOverrides(planName: string, phase: string, usages: readonly Usage[], overrides: readonly UsagePriceOverride[]): TieredBlockOverride[] {
  for (const override of overrides) {
    if (!usages.some((usage) => usage.name === override.usageName)) {
      throw invalidOverride(planName, `There is no existing usage ${override.usageName ?? 'null'} for the phase ${phase}`);
    }
  }
  const resolved: TieredBlockOverride[] = [];
  usages.forEach((usage, usageNumber) => {
    const override = overrides.find((candidate) => candidate.usageName === usage.name);
    if (!override) return;
    const tierOverrides = override.tierPrices ?? [];
    const chosen = usage.tiers.map((tier: Tier) => tierOverrides.find((candidate) => (candidate.blockPrices ?? []).some((b) => tier.blocks.some((block) => sameBlock(b, block)))));
    for (const tierOverride of tierOverrides) {
      const tierNumber = chosen.indexOf(tierOverride);
      const tier = tierNumber >= 0 ? usage.tiers[tierNumber] : undefined;
      for (const blockOverride of tierOverride.blockPrices ?? []) {
        if (!tier || !tier.blocks.some((block) => sameBlock(blockOverride, block))) {
          throw invalidOverride(planName, `There is no existing tiered block ${blockText(blockOverride)} for the usage ${usage.name} of the phase ${phase}`);
        }
        if (blockOverride.price == null) throw invalidOverride(planName, `There is no price for the tiered block ${blockText(blockOverride)} of the usage ${usage.name}`);
      }
    }
    usage.tiers.forEach((tier, tierNumber) => {
      const tierOverride = chosen[tierNumber];
      if (!tierOverride) return;
      tier.blocks.forEach((block, blockNumber) => {
        const blockOverride = (tierOverride.blockPrices ?? []).find((candidate) => sameBlock(candidate, block));
        if (!blockOverride?.price) return;
        resolved.push({ usageNumber, usageName: usage.name, tierNumber, blockNumber, unitName: block.unit, size: block.size, max: block.max, price: blockOverride.price });
      });
    });
  });
  return resolved;
}

/** Two sets of phase overrides are the same plan when they override the same phases with equal prices. */
export function samePhaseOverrides(a: readonly PhaseOverride[], b: readonly PhaseOverride[]): boolean {
  const key = (phases: readonly PhaseOverride[]) =>
    [...phases]
      .sort((x, y) => x.phaseNumber - y.phaseNumber)
      .map((p) => `${p.phaseNumber}|${p.parentPhaseName}|${p.currency}|${p.fixedPrice?.toString() ?? ''}|${p.recurringPrice?.toString() ?? ''}|${blocksKey(p.blockPrices)}`)
      .join(';');
  return key(a) === key(b);
}

function blocksKey(blocks: readonly TieredBlockOverride[]): string {
  return [...blocks]
    .sort((x, y) => x.usageNumber - y.usageNumber || x.tierNumber - y.tierNumber || x.blockNumber - y.blockNumber)
    .map((b) => `${b.usageNumber}.${b.tierNumber}.${b.blockNumber}=${b.price.toString()}`)
    .join(',');
}

/** The overridden price in the currency replaces that currency's (an empty list, zero everywhere, becomes that one price). */
function overriddenPrice(price: InternationalPrice | undefined, currency: Currency, value: Big): InternationalPrice {
  const prices = price?.prices ?? [];
  if (prices.length === 0) return { prices: [{ currency, value }] };
  return { prices: prices.map((p) => (p.currency === currency ? { currency, value } : p)) };
}

function overriddenPhase(phase: PlanPhase, override: PhaseOverride | undefined): PlanPhase {
  if (!override) return phase;
  return {
    ...phase,
    fixed:
      phase.fixed && override.fixedPrice
        ? { ...phase.fixed, fixedPrice: overriddenPrice(phase.fixed.fixedPrice, override.currency, override.fixedPrice) }
        : phase.fixed,
    recurring:
      phase.recurring && override.recurringPrice
        ? { ...phase.recurring, recurringPrice: overriddenPrice(phase.recurring.recurringPrice, override.currency, override.recurringPrice) }
        : phase.recurring,
    usages: override.blockPrices.length === 0 ? phase.usages : phase.usages.map((usage, usageNumber) => overriddenUsage(usage, usageNumber, override)),
  };
}

function overriddenUsage(usage: Usage, usageNumber: number, override: PhaseOverride): Usage {
  const blocks = override.blockPrices.filter((b) => b.usageNumber === usageNumber);
  if (blocks.length === 0) return usage;
  return {
    ...usage,
    tiers: usage.tiers.map((tier, tierNumber) => ({
      ...tier,
      blocks: tier.blocks.map((block, blockNumber) => {
        const price = blocks.find((b) => b.tierNumber === tierNumber && b.blockNumber === blockNumber)?.price;
        return price ? { ...block, prices: overriddenPrice(block.prices, override.currency, price) } : block;
      }),
    })),
  };
}

/** The plan `name` built on `parent` with the phase overrides (Kill Bill's `new DefaultPlan(planName, parent, overrides)`). */
export function overriddenPlan(name: string, parent: Plan, phases: readonly PhaseOverride[]): Plan {
  const byNumber = new Map(phases.map((p) => [p.phaseNumber, p]));
  return {
    ...parent,
    name,
    prettyName: undefined,
    initialPhases: parent.initialPhases.map((phase, index) => overriddenPhase(phase, byNumber.get(index))),
    finalPhase: overriddenPhase(parent.finalPhase, byNumber.get(parent.initialPhases.length)),
  };
}

/**
 * The catalog with overridden plans: each version that has a definition's parent plan also has the
 * overridden plan (built on that version's parent), findable by name and belonging to the parent's
 * price list, but listed nowhere (not in price lists, products or the catalog JSON).
 */
export function withOverriddenPlans(catalog: VersionedCatalog, definitions: readonly OverriddenPlanDefinition[]): VersionedCatalog {
  if (definitions.length === 0) return catalog;
  const versions = catalog.versions.map((version: StandaloneCatalog) => {
    const plans = definitions.flatMap((definition) => {
      const parent = version.getPlan(definition.parentPlanName);
      return parent ? [{ plan: overriddenPlan(definition.name, parent, definition.phases), parentPlanName: parent.name }] : [];
    });
    return plans.length ? version.withOverriddenPlans(plans) : version;
  });
  return new VersionedCatalog(versions);
}
