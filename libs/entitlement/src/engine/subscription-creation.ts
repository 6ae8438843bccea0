/**
 * What creating a subscription writes (Kill Bill's SubscriptionBaseApiService#create and
 * PlanAligner#getCurrentAndNextTimedPhaseOnCreate): the CREATE event in the phase the alignment puts
 * at the billing date, the optional BCD_CHANGE and QUANTITY_CHANGE, and the event ending that
 * phase (PHASE, or EXPIRED for a finite last phase). Pure.
 */
import { KillBillError } from '@kb/kernel';
import {
  type PhaseType,
  type Plan,
  type PlanAlignmentCreate,
  type PlanSpecifier,
  type Product,
  type StandaloneCatalog,
  type VersionedCatalog,
  resolveCreateAlignment,
} from '@kb/catalog/engine';
import { alignedPhases, alignmentStart, nextPhaseTransition, phaseInForce, type PlannedEvent } from './phase-alignment';
import type { ProductCategory } from './subscription-events';

export interface CreationRequest {
  readonly catalog: VersionedCatalog;
  readonly spec: PlanSpecifier;
  readonly phaseType?: PhaseType | null;
  /** The billing start (already raised to the base's start for an add-on). */
  readonly billingDate: Date;
  /** The bundle's start: the base's start, or this subscription's own when it is the base / standalone. */
  readonly bundleStartDate?: Date;
  readonly billCycleDayLocal?: number | null;
  readonly quantity?: number | null;
}

export interface ResolvedPlan {
  readonly plan: Plan;
  readonly version: StandaloneCatalog;
  readonly product: Product;
  readonly category: ProductCategory;
  /** The price list the plan was asked from (the specifier's), else the first one holding it. */
  readonly priceListName: string;
}

export interface CreationPlan extends ResolvedPlan {
  readonly alignment: PlanAlignmentCreate;
  readonly alignStart: Date;
  readonly bundleStartDate: Date;
  readonly events: readonly PlannedEvent[];
}

/** The plan of a create spec in the catalog version for the billing date (errors: the catalog's). */
export function resolvePlan(catalog: VersionedCatalog, spec: PlanSpecifier, billingDate: Date): ResolvedPlan {
  let found;
  try {
    found = catalog.findPlanForSubscription(spec, billingDate, billingDate);
  } catch (error) {
    // Nowhere to be found: the version in force names what is wrong (unknown plan, product, price list).
    if (error instanceof KillBillError && error.codeName === 'CAT_PLAN_NOT_FOUND') catalog.versionFor(billingDate).createOrFindPlan(spec);
    throw error;
  }
  const { catalog: version, plan } = found;
  const product = version.productOf(plan);
  if (!product) throw new KillBillError('CAT_NO_SUCH_PRODUCT', [plan.product]);
  const priceListName = spec.priceListName ?? version.priceListNameOf(plan) ?? 'DEFAULT';
  return { plan, version, product, category: product.category, priceListName };
}

export function planCreation(request: CreationRequest): CreationPlan {
  const resolved = resolvePlan(request.catalog, request.spec, request.billingDate);
  const bundleStartDate = request.bundleStartDate ?? request.billingDate;
  const alignment = resolveCreateAlignment(resolved.version, { planName: resolved.plan.name, priceListName: resolved.priceListName });
  const alignStart = alignmentStart(alignment, request.billingDate, bundleStartDate);
  const phases = alignedPhases(resolved.plan, alignStart, request.phaseType ?? undefined);
  const current = phaseInForce(phases, request.billingDate);
  const catalogEffectiveDate = resolved.version.effectiveDate;
  const events: PlannedEvent[] = [
    {
      type: 'CREATE',
      effectiveDate: request.billingDate,
      planName: resolved.plan.name,
      phaseName: current.name,
      priceListName: resolved.priceListName,
      catalogEffectiveDate,
      quantity: request.quantity ?? null,
    },
  ];
  if (request.billCycleDayLocal != null) events.push({ type: 'BCD_CHANGE', effectiveDate: request.billingDate, billCycleDayLocal: request.billCycleDayLocal });
  if (request.quantity != null) events.push({ type: 'QUANTITY_CHANGE', effectiveDate: request.billingDate, quantity: request.quantity });
  const next = nextPhaseTransition(phases, request.billingDate, resolved.plan.name, resolved.priceListName);
  if (next) events.push({ ...next, catalogEffectiveDate: next.type === 'PHASE' ? catalogEffectiveDate : null });
  return { ...resolved, alignment, alignStart, bundleStartDate, events };
}
