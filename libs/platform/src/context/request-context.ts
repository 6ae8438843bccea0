import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** The tenant a request or a queued job acts for. `recordId` is what every tenant row carries. */
export interface TenantRef {
  readonly recordId: number;
  /** Known for API requests; queued jobs carry only the record id. */
  readonly id?: string;
  readonly apiKey?: string;
}

/** The authenticated user of a request. */
export interface Principal {
  readonly username: string;
  readonly permissions: readonly string[];
}

/**
 * What Kill Bill calls the call context: who acts, for which tenant, why; plus the transaction in
 * progress. One per request (set by middleware) or per queued job (set by the dispatcher).
 */
export interface RequestContext {
  readonly requestId: string;
  userToken: string;
  tenant?: TenantRef;
  principal?: Principal;
  /** The account the route acts on (its `accountId` path parameter), for the logs. */
  accountId?: string;
  createdBy?: string;
  reasonCode?: string;
  comments?: string;
  /** The EntityManager of the transaction in progress, if any. */
  manager?: EntityManager;
  /** What runs once the outermost transaction in progress has ended, committed or not (Transactions.afterTransaction). */
  afterTransaction?: (() => void)[];
  /** Locks this call holds across its transactions (Locks.withLockAcross), so that it never waits for itself. */
  heldLocks?: ReadonlySet<string>;
  /** On a create (`@Created`): sets the response's Location from the handler's result. */
  locate?: (result: unknown) => void;
  /** An HTTP request's context: its lines carry its request id. */
  readonly logsRequestId?: true;
  /** Made up for code that runs outside any request or job: it may read, not write. */
  readonly outsideRequestOrJob?: true;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function newRequestContext(init: Partial<RequestContext> = {}): RequestContext {
  const requestId = init.requestId ?? randomUUID();
  return { userToken: randomUUID(), ...init, requestId };
}

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the request or job in progress, if any (logs: no made-up context). */
export function contextInProgress(): RequestContext | undefined {
  return storage.getStore();
}

/** The current context; code running outside a request or job gets a fresh, empty one. */
export function currentContext(): RequestContext {
  return storage.getStore() ?? newRequestContext({ outsideRequestOrJob: true });
}

/**
 * The context of the request or job in progress; throws when there is none. Writes need one: a row
 * written by nobody for no tenant is a bug to surface, not to audit as SYSTEM in tenant 0.
 */
export function requireContext(what: string): RequestContext {
  const context = storage.getStore();
  if (!context || context.outsideRequestOrJob) throw new Error(`${what} outside any request or job context`);
  return context;
}

/** The tenant of the current request; throws when none was resolved (a programming error). */
export function currentTenant(): TenantRef {
  const tenant = storage.getStore()?.tenant;
  if (!tenant) throw new Error('No tenant in the current request context');
  return tenant;
}
