/**
 * Price overrides (Kill Bill's DefaultPriceOverrideSvc + DefaultPlan/DefaultPlanPhase override
 * constructors): a subscription may replace the fixed and/or recurring price of phases of its plan, in
 * the account currency. The result is a plan of its own, `<parent>-<n>` (n = the record id of its
 * stored definition), whose phases are `<parent>-<n>-<type>`; it is found in every catalog version
 * that has the parent plan, with that version's other prices. Pure.
 */
import Big from 'big.js';
import { KillBillError } from '@kb/kernel';
import type { StandaloneCatalog } from './catalog';
import { type Currency, type InternationalPrice, type PhaseType, type Plan, type PlanPhase, allPhases, phaseName } from './model';
import { VersionedCatalog } from './versioned-catalog';

/** One entry of a request's `priceOverrides`: the phase by name, else by type. */
export interface PhasePriceOverride {
  readonly phaseName?: string | null;
  readonly phaseType?: PhaseType | null;
  readonly fixedPrice?: Big | null;
  readonly recurringPrice?: Big | null;
}

/** The override of one phase of the parent plan, as stored (catalog_override_phase_definition). */
export interface PhaseOverride {
  /** Index of the phase in the parent plan (initial phases, then the final one). */
  readonly phaseNumber: number;
  readonly parentPhaseName: string;
  readonly currency: Currency;
  readonly fixedPrice: Big | null;
  readonly recurringPrice: Big | null;
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
    resolved.push({ phaseNumber, parentPhaseName: name, currency, fixedPrice: override.fixedPrice ?? null, recurringPrice: override.recurringPrice ?? null });
  });
  return resolved;
}

/** Two sets of phase overrides are the same plan when they override the same phases with equal prices. */
export function samePhaseOverrides(a: readonly PhaseOverride[], b: readonly PhaseOverride[]): boolean {
  const key = (phases: readonly PhaseOverride[]) =>
    [...phases]
      .sort((x, y) => x.phaseNumber - y.phaseNumber)
      .map((p) => `${p.phaseNumber}|${p.parentPhaseName}|${p.currency}|${p.fixedPrice?.toString() ?? ''}|${p.recurringPrice?.toString() ?? ''}`)
      .join(';');
  return key(a) === key(b);
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
