import { Injectable } from '@nestjs/common';
import { Clock, defineQueue, OnNotification, type QueueMessage } from '@kb/platform';

/** A test queue whose handler notes, per notification, the time it saw on its tenant's clock. */
export const ClockProbe = defineQueue<{ label: string }>('clock-probe');

export interface ProbeCall {
  readonly label: string;
  readonly tenantRecordId: number;
  /** `Clock.now()` inside the handler: the time of the notification's tenant. */
  readonly seenAt: string;
}

export const probeCalls: ProbeCall[] = [];

@Injectable()
export class ClockProbeHandler {
  constructor(private readonly clock: Clock) {}

  @OnNotification(ClockProbe)
  async handle(message: QueueMessage<{ label: string }>): Promise<void> {
    probeCalls.push({ label: message.payload.label, tenantRecordId: message.tenantRecordId, seenAt: this.clock.now().toISOString() });
  }
}
