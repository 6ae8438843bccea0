import { currentContext } from '../context/request-context';

/**
 * How the server tells time. `real`: the system clock, whatever is stored (production). `global`:
 * Kill Bill's test clock, one movable time for the whole server. `perTenant`: each tenant moves its
 * own time (`org.killbill.server.test.clock.perTenant`), so parallel test suites do not collide.
 */
export type ClockMode = 'real' | 'global' | 'perTenant';

/** The scope of the one clock of `global` mode (tenant record ids start at 1). */
export const GLOBAL_CLOCK_SCOPE = 0;

/** A moved clock as stored: an offset from real time, so time keeps flowing after a move (ClockMock). */
export interface ClockOffset {
  readonly scope: number;
  readonly offsetMillis: number;
  /** Grows with every change of the scope: a stale read never replaces a newer one. */
  readonly version: number;
}

/**
 * The server clock every piece of code reads. `now()` is the time of the tenant the current request
 * or job works for (in `perTenant` mode) or the server's time; the offsets themselves live in the
 * database (ClockStore) so that every node shares them, and are mirrored here.
 */
export class Clock {
  private readonly offsets = new Map<number, ClockOffset>();

  constructor(readonly mode: ClockMode) {}

  get movable(): boolean {
    return this.mode !== 'real';
  }

  /** The time of the current request's or job's tenant. */
  now(): Date {
    return this.nowFor(currentContext().tenant?.recordId);
  }

  /** The time of a given tenant (the server's time without one). */
  nowFor(tenantRecordId: number | undefined): Date {
    return new Date(this.realNow().getTime() + this.offsetFor(tenantRecordId));
  }

  /** Real time: only for what is no business time (the queue's SQL adds each tenant's offset itself). */
  realNow(): Date {
    return new Date();
  }

  /** The stored scope whose offset applies to a tenant; undefined outside test mode. */
  scopeFor(tenantRecordId: number | undefined): number | undefined {
    if (this.mode === 'real') return undefined;
    if (this.mode === 'global' || tenantRecordId === undefined) return GLOBAL_CLOCK_SCOPE;
    return tenantRecordId;
  }

  offsetFor(tenantRecordId: number | undefined): number {
    const scope = this.scopeFor(tenantRecordId);
    return scope === undefined ? 0 : (this.offsets.get(scope)?.offsetMillis ?? 0);
  }

  /** Mirrors what is stored (every scope ever moved; a reset scope is stored with an offset of 0). */
  apply(all: readonly ClockOffset[]): void {
    for (const offset of all) this.observe(offset);
  }

  /** One scope's stored state as just written or read; a reset is an offset of 0. */
  observe(offset: ClockOffset): void {
    const known = this.offsets.get(offset.scope);
    if (known && known.version > offset.version) return;
    this.offsets.set(offset.scope, offset);
  }
}
