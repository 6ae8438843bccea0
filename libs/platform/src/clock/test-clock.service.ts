import { Injectable } from '@nestjs/common';
import { Instant, LocalDate, ZonedDateTime, ZoneId, ZoneOffset } from '@js-joda/core';
import '@js-joda/timezone';
import { requireDateTime } from '../http/values';
import { InvalidRequestException } from '../errors/killbill.exception';
import { Queues } from '../queue/queues';
import { Clock } from './clock';

export interface ClockView {
  currentUtcTime: string;
  timeZone: string;
  localDate: string;
}

export type ClockMove = { days?: number; weeks?: number; months?: number; years?: number };

const POLL_MILLIS = 100;

/**
 * Kill Bill's test clock (server in test mode): set, move, reset, and wait until the tenant's due
 * notifications and bus events have all been processed.
 */
@Injectable()
export class TestClockService {
  constructor(
    private readonly clock: Clock,
    private readonly queues: Queues,
  ) {}

  view(timeZone: string | undefined): ClockView {
    const zone = parseZone(timeZone);
    const now = Instant.ofEpochMilli(this.clock.now().getTime());
    return {
      currentUtcTime: this.clock.now().toISOString(),
      timeZone: zone.id(),
      localDate: LocalDate.ofInstant(now, zone).toString(),
    };
  }

  /** Sets the clock to `requestedDate` (a date-time or a date, UTC), or back to real time without one. */
  set(requestedDate: string | undefined): void {
    if (requestedDate === undefined || requestedDate === '') {
      this.clock.reset();
      return;
    }
    this.clock.setTime(requireDateTime(requestedDate, 'requestedDate'));
  }

  /** Moves forward by the first unit given, in the order days, weeks, months, years (Kill Bill's). */
  move(by: ClockMove): void {
    const now = ZonedDateTime.ofInstant(Instant.ofEpochMilli(this.clock.now().getTime()), ZoneOffset.UTC);
    let next: ZonedDateTime;
    if (by.days !== undefined) next = now.plusDays(by.days);
    else if (by.weeks !== undefined) next = now.plusWeeks(by.weeks);
    else if (by.months !== undefined) next = now.plusMonths(by.months);
    else if (by.years !== undefined) next = now.plusYears(by.years);
    else throw new InvalidRequestException('Specify one of days, weeks, months or years');
    this.clock.setTime(new Date(next.toInstant().toEpochMilli()));
  }

  /** Waits until the tenant's queues are idle twice in a row, at most `timeoutSec`; true if they were. */
  async waitForQueues(tenantRecordId: number, timeoutSec: number): Promise<boolean> {
    const deadline = Date.now() + timeoutSec * 1000;
    let idleChecks = 0;
    for (;;) {
      idleChecks = (await this.queues.isIdle(tenantRecordId)) ? idleChecks + 1 : 0;
      if (idleChecks >= 2) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MILLIS));
    }
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
