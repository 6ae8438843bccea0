import { Injectable } from '@nestjs/common';
import { KillBillConfig } from '@kb/platform';
import type { InvoiceGeneratorConfig } from './engine/model';

/** Kill Bill's InvoiceConfig: the `org.killbill.invoice.*` settings, read once. */
@Injectable()
export class InvoiceConfig {
  readonly generator: InvoiceGeneratorConfig;
  readonly enabled: boolean;
  readonly maxNumberOfMonthsInFuture: number;
  readonly parkAccountsOnAllExceptions: boolean;
  /** `HH:mm:ss.SSS` UTC at which a parent's DRAFT summary invoice is committed. */
  readonly parentCommitUtcTime: string;

  constructor(config: KillBillConfig) {
    this.generator = {
      sanitySafetyBoundEnabled: config.getBoolean('org.killbill.invoice.sanitySafetyBoundEnabled'),
      maxDailyNumberOfItemsSafetyBound: config.getInteger('org.killbill.invoice.maxDailyNumberOfItemsSafetyBound'),
      prorationFixedDays: config.getInteger('org.killbill.invoice.proration.fixed.days'),
      inArrearGreedy: config.getString('org.killbill.invoice.inArrear.mode').trim().toUpperCase() === 'GREEDY',
      usageDetailMode: config.getString('org.killbill.invoice.item.result.behavior.mode').trim().toUpperCase() === 'DETAIL' ? 'DETAIL' : 'AGGREGATE',
      disableUsageZeroAmount: config.getBoolean('org.killbill.invoice.disable.usage.zero.amount'),
      readMaxRawUsagePreviousPeriod: config.getInteger('org.killbill.invoice.readMaxRawUsagePreviousPeriod'),
      usageMissingLenient: config.getBoolean('org.killbill.invoice.usage.missing.lenient'),
    };
    this.enabled = config.getBoolean('org.killbill.invoice.enabled');
    this.maxNumberOfMonthsInFuture = config.getInteger('org.killbill.invoice.maxNumberOfMonthsInFuture');
    this.parkAccountsOnAllExceptions = config.getBoolean('org.killbill.invoice.parkAccountsOnAllExceptions');
    this.parentCommitUtcTime = config.getString('org.killbill.invoice.parent.commit.local.utc.time');
  }
}
