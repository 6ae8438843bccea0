import {
  type CatalogValidationError as EngineValidationError,
  type Listing,
  type SimplePlanInput,
  type StandaloneCatalog,
  toCatalogJson,
  toCatalogValidationJson,
  toPlanDetailJson,
} from '@kb/catalog';
import type { Catalog, CatalogValidation, PlanDetail, SimplePlan } from './catalog.dto';

/** Versions are immutable (a change replaces them in the cache), so each is rendered once. */
const renderedVersions = new WeakMap<StandaloneCatalog, Catalog>();

export function toCatalogsJson(versions: readonly StandaloneCatalog[]): Catalog[] {
  return versions.map((version) => {
    let json = renderedVersions.get(version);
    if (!json) {
      json = toCatalogJson(version);
      renderedVersions.set(version, json);
    }
    return json;
  });
}

export function toPlanDetailsJson(listings: readonly Listing[]): PlanDetail[] {
  return listings.map(toPlanDetailJson);
}

export function toVersionsJson(dates: readonly Date[]): string[] {
  return dates.map((date) => date.toISOString());
}

export function toValidationJson(errors: readonly EngineValidationError[]): CatalogValidation {
  return toCatalogValidationJson(errors);
}

/** The JSON body as the engine's descriptor (the amount is already an exact Big). */
export function toSimplePlanInput(body: SimplePlan): SimplePlanInput {
  return { ...body, amount: body.amount ?? null };
}

/** The raw `text/xml` body (a body sent as anything else is no catalog: it fails validation). */
export function toXmlBody(body: unknown): string {
  return typeof body === 'string' ? body : '';
}
