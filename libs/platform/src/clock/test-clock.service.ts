import { Injectable } from '@nestjs/common';
import { Instant, LocalDate, ZonedDateTime, ZoneId, ZoneOffset } from '@js-joda/core';
import '@js-joda/timezone';
import { currentTenant } from '../context/request-context';
import { InvalidRequestException } from '../errors/killbill.exception';
import { requireDateTime } from '../http/values';
import { Queues } from '../queue/queues';
import { Clock } from './clock';
import { ClockStore } from './clock-store';

export interface ClockView {
  currentUtcTime: string;
  timeZone: string;
  localDate: string;
}

export type ClockMove = { days?: number; weeks?: number; months?: number; years?: number };

const POLL_MILLIS = 100;
/** The instants a moved clock may show: what Kill Bill's ISO formats (and PostgreSQL) can hold. */
const EARLIEST = Date.UTC(1, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Kill Bill's test clock (server in test mode): set, move, reset, and wait until the tenant's due
 * notifications and bus events have all been processed, by whichever node. The clock moved is the
 * server's, or the calling tenant's own with `org.killbill.server.test.clock.perTenant`.
 */
@Injectable()
export class TestClockService {
  constructor(
    private readonly clock: Clock,
    private readonly store: ClockStore,
    private readonly queues: Queues,
  ) {}

  view(timeZone: string | undefined): ClockView {
    const zone = parseZone(timeZone);
    const now = this.clock.now();
    return {
      currentUtcTime: now.toISOString(),
      timeZone: zone.id(),
      localDate: LocalDate.ofInstant(Instant.ofEpochMilli(now.getTime()), zone).toString(),
    };
  }

  /** Sets the clock to `requestedDate` (a date-time or a date, UTC), or back to real time without one. */
  async set(requestedDate: string | undefined): Promise<void> {
    if (requestedDate === undefined || requestedDate === '') return this.store.setOffset(this.scope(), 0);
    await this.moveTo(requireDateTime(requestedDate, 'requestedDate').getTime());
  }

  /** Moves forward by the first unit given, in the order days, weeks, months, years (Kill Bill's). */
  async move(by: ClockMove): Promise<void> {
    const now = ZonedDateTime.ofInstant(Instant.ofEpochMilli(this.clock.now().getTime()), ZoneOffset.UTC);
    let next: ZonedDateTime;
    try {
      if (by.days !== undefined) next = now.plusDays(by.days);
      else if (by.weeks !== undefined) next = now.plusWeeks(by.weeks);
      else if (by.months !== undefined) next = now.plusMonths(by.months);
      else if (by.years !== undefined) next = now.plusYears(by.years);
      else throw new InvalidRequestException('Specify one of days, weeks, months or years');
    } catch (error) {
      if (error instanceof InvalidRequestException) throw error;
      throw new InvalidRequestException(`The clock cannot be moved that far: ${JSON.stringify(by)}`);
    }
    await this.moveTo(next.toInstant().toEpochMilli());
  }

  /** Waits until the tenant's queues are idle twice in a row, at most `timeoutSec`; true if they were. */
  async waitForQueues(tenantRecordId: number, timeoutSec: number): Promise<boolean> {
    const deadline = performance.now() + timeoutSec * 1000;
    let idleChecks = 0;
    for (;;) {
      idleChecks = (await this.queues.isIdle(tenantRecordId)) ? idleChecks + 1 : 0;
      if (idleChecks >= 2) return true;
      if (performance.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MILLIS));
    }
  }

  private async moveTo(epochMillis: number): Promise<void> {
    if (!(epochMillis >= EARLIEST && epochMillis <= LATEST)) {
      throw new InvalidRequestException('The clock must stay between 0001-01-01 and 9999-12-31');
    }
    await this.store.setOffset(this.scope(), epochMillis - this.clock.realNow().getTime());
  }

  private scope(): number {
    const scope = this.clock.scopeFor(currentTenant().recordId);
    if (scope === undefined) throw new Error('The clock can only be moved when the server runs in test mode');
    return scope;
  }
}

function parseZone(timeZone: string | undefined): ZoneId {
  if (!timeZone) return ZoneId.of('UTC');
  try {
    return ZoneId.of(timeZone);
  } catch {
    throw new InvalidRequestException(`Invalid timeZone: ${timeZone}`);
  }
}
