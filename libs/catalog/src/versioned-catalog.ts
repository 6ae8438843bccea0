/**
 * The versions of one tenant's catalog, sorted by effective date (Kill Bill's
 * DefaultVersionedCatalog + the subscription-side plan lookup with grandfathering).
 */
import { PlanSpecifier, StandaloneCatalog } from './catalog';
import { KillBillError } from '@kb/kernel';
import { CatalogValidationError, Plan, allPhases, phaseName } from './model';
import { parseCatalogXml } from './parser';
import { javaDateString, validateCatalog } from './validation';

export interface PlanInVersion {
  catalog: StandaloneCatalog;
  plan: Plan;
}

export class VersionedCatalog {
  /** Sorted by effective date (stable for equal dates, which validation rejects anyway). */
  readonly versions: readonly StandaloneCatalog[];
  /** Name of the first version added (Kill Bill compares every version against it). */
  private readonly firstName?: string;

  constructor(versions: readonly StandaloneCatalog[]) {
    this.firstName = versions[0]?.catalogName;
    this.versions = [...versions].sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime());
  }

  /** Parses stored documents (already validated when uploaded). Template versions can be dropped. */
  static fromXml(xmls: readonly string[], options: { filterTemplates?: boolean } = {}): VersionedCatalog {
    const versions = xmls.map((x) => StandaloneCatalog.fromXml(x)).filter((c) => !(options.filterTemplates && c.isTemplate));
    return new VersionedCatalog(versions);
  }

  get isEmpty(): boolean {
    return this.versions.length === 0;
  }

  /** Catalog name of the earliest version (what an upload's name must equal). */
  get catalogName(): string | undefined {
    return this.versions[0]?.catalogName;
  }

  get currentVersion(): StandaloneCatalog | undefined {
    return this.versions[this.versions.length - 1];
  }

  /** A new VersionedCatalog with one more version. */
  withVersion(catalog: StandaloneCatalog): VersionedCatalog {
    return new VersionedCatalog([...this.ordered(), catalog]);
  }

  private ordered(): StandaloneCatalog[] {
    // keep the first-added version first so that the name-consistency check keeps its reference
    const first = this.versions.find((v) => v.catalogName === this.firstName);
    return first ? [first, ...this.versions.filter((v) => v !== first)] : [...this.versions];
  }

  /**
   * Version in force at `date`: the latest whose effective date is not after it, or the earliest
   * version if all are later. No version at all is an IllegalStateException in Kill Bill (500).
   */
  versionFor(date: Date): StandaloneCatalog {
    const t = date.getTime();
    for (let i = this.versions.length - 1; i >= 0; i--) {
      if (this.versions[i].effectiveDate.getTime() <= t) return this.versions[i];
    }
    if (this.versions.length > 0) return this.versions[0];
    throw new Error(`No existing versions in the VersionedCatalog catalog for input date ${date.toISOString()}`);
  }

  /**
   * Plan (and the version defining it) that applies to a subscription at `requestedDate` whose
   * plan was set (create/change) at `subscriptionChangePlanDate`:
   * - a new purchase (version not later than the change date) uses the version in force;
   * - an existing subscription moves to a later definition only when that definition carries
   *   effectiveDateForExistingSubscriptions and `requestedDate` has reached it (price update);
   *   otherwise it keeps its original definition (grandfathering), even if the plan was retired.
   */
  findPlanForSubscription(spec: PlanSpecifier | string, requestedDate: Date, subscriptionChangePlanDate: Date): PlanInVersion {
    const planSpec: PlanSpecifier = typeof spec === 'string' ? { planName: spec } : spec;
    if (this.versions.length === 0) throw new KillBillError('CAT_NO_CATALOG_FOR_GIVEN_DATE', [javaDateString(requestedDate)]);
    const latest = this.versionFor(requestedDate);
    const candidates = this.versions.filter((v) => v.effectiveDate.getTime() <= latest.effectiveDate.getTime());
    let candidateInSubsequentCatalog: PlanInVersion | undefined;
    for (let i = candidates.length - 1; i >= 0; i--) {
      const c = candidates[i];
      let plan: Plan;
      try {
        plan = c.createOrFindPlan(planSpec);
      } catch (e) {
        if (e instanceof KillBillError && (e.codeName === 'CAT_NO_SUCH_PLAN' || e.codeName === 'CAT_PLAN_NOT_FOUND')) continue; // retired here
        throw e;
      }
      const oldest = i === 0;
      if (oldest || subscriptionChangePlanDate.getTime() >= c.effectiveDate.getTime()) return { catalog: c, plan };
      const edfes = plan.effectiveDateForExistingSubscriptions;
      if (edfes) {
        if (requestedDate.getTime() >= edfes.getTime()) return { catalog: c, plan };
      } else if (!candidateInSubsequentCatalog) {
        candidateInSubsequentCatalog = { catalog: c, plan };
      }
    }
    if (candidateInSubsequentCatalog) return candidateInSubsequentCatalog;
    throw new KillBillError('CAT_PLAN_NOT_FOUND', [
      planSpec.planName ?? 'undefined',
      planSpec.productName ?? 'undefined',
      planSpec.billingPeriod ?? 'undefined',
      planSpec.priceListName ?? 'undefined',
    ]);
  }

  /** The same plan in the next version, if that version still has it (catalog change events). */
  nextPlanVersion(plan: Plan, version: StandaloneCatalog): PlanInVersion | undefined {
    const idx = this.versions.findIndex((v) => v.effectiveDate.getTime() === version.effectiveDate.getTime());
    const next = idx >= 0 ? this.versions[idx + 1] : undefined;
    const nextPlan = next?.getPlan(plan.name);
    return next && nextPlan ? { catalog: next, plan: nextPlan } : undefined;
  }

  /** Cross-version validation (Kill Bill's DefaultVersionedCatalog#validate), each version included. */
  validate(): CatalogValidationError[] {
    const errors: CatalogValidationError[] = [];
    const dates = new Set<number>();
    for (const c of this.versions) {
      if (dates.has(c.effectiveDate.getTime())) {
        errors.push({
          message: `Catalog effective date '${javaDateString(c.effectiveDate)}' already exists for a previous version`,
          objectType: 'DefaultVersionedCatalog',
          objectName: '',
        });
      } else {
        dates.add(c.effectiveDate.getTime());
      }
      if (c.catalogName !== this.firstName) {
        errors.push({ message: `Catalog name '${c.catalogName}' is not consistent across versions `, objectType: 'DefaultVersionedCatalog', objectName: '' });
      }
      errors.push(...validateCatalog(c));
    }
    // a plan re-declared in a later version must keep the same phases
    for (let i = 0; i < this.versions.length; i++) {
      const c = this.versions[i];
      for (const plan of c.sortedPlans) {
        for (let j = i + 1; j < this.versions.length; j++) {
          const next = this.versions[j];
          const target = next.getPlan(plan.name);
          if (!target) continue;
          const a = allPhases(plan);
          const b = allPhases(target);
          const d1 = javaDateString(c.effectiveDate);
          const d2 = javaDateString(next.effectiveDate);
          if (a.length !== b.length) {
            errors.push({
              message: `Number of phases for plan '${plan.name}' differs between version '${d1}' and '${d2}'`,
              objectType: 'DefaultVersionedCatalog',
              objectName: '',
            });
            continue;
          }
          a.forEach((p, k) => {
            if (p.type !== b[k].type) {
              errors.push({
                message: `Phase '${phaseName(plan.name, p.type)}'for plan '${plan.name}' in version '${d1}' does not exist in version '${d2}'`,
                objectType: 'DefaultVersionedCatalog',
                objectName: '',
              });
            }
          });
        }
      }
    }
    return errors;
  }
}

/** The outcome of checking an upload: its errors, and the parsed version when it parsed. */
export interface CatalogUploadCheck {
  errors: CatalogValidationError[];
  catalog?: StandaloneCatalog;
}

/**
 * Validation of an upload against the tenant's existing versions (Kill Bill's
 * validateCatalogInternal): schema errors, then the version's own errors, then the catalog name
 * check (returned alone), then the cross-version checks. Parses the document once and returns it,
 * so a caller that stores it need not parse it again.
 */
export function checkCatalogUpload(existing: VersionedCatalog | undefined, xml: string): CatalogUploadCheck {
  const parsed = parseCatalogXml(xml);
  if (!parsed.ok) return { errors: parsed.errors };
  const candidate = new StandaloneCatalog(parsed.catalog);
  const own = validateCatalog(candidate);
  if (own.length > 0) return { errors: own, catalog: candidate };
  const current = existing ?? new VersionedCatalog([]);
  const existingName = current.catalogName;
  if (existingName && candidate.catalogName !== existingName) {
    return {
      errors: [
        {
          message: `Catalog name '${candidate.catalogName}' is different from existing catalog name '${existingName}'`,
          objectType: 'StaticCatalog',
          objectName: '',
        },
      ],
      catalog: candidate,
    };
  }
  return { errors: current.withVersion(candidate).validate(), catalog: candidate };
}

/** The errors of an upload (empty = the upload is acceptable); see {@link checkCatalogUpload}. */
export function validateCatalogUpload(existing: VersionedCatalog | undefined, xml: string): CatalogValidationError[] {
  return checkCatalogUpload(existing, xml).errors;
}

/** Upload guard: returns the parsed version, or throws CAT_INVALID_FOR_TENANT (2080). */
/** The error an invalid upload (`POST /catalog/xml`) raises: 400 CAT_INVALID_FOR_TENANT (2080). */
export function invalidCatalogForTenant(tenantRecordId: number | string | bigint): KillBillError {
  return new KillBillError('CAT_INVALID_FOR_TENANT', [String(tenantRecordId)]);
}

export function acceptCatalogUpload(existing: VersionedCatalog | undefined, xml: string, tenantRecordId: number | string | bigint): StandaloneCatalog {
  const errors = validateCatalogUpload(existing, xml);
  if (errors.length > 0) throw Object.assign(invalidCatalogForTenant(tenantRecordId), { validationErrors: errors });
  return StandaloneCatalog.fromXml(xml);
}
