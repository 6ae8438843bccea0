import { moneyToJson } from '@kb/catalog';
import { requireDateTime } from '@kb/platform';
import type { RolledUpUsage as RolledUpUsageView, UsageRecording } from '@kb/usage';
import type { RolledUpUsage, SubscriptionUsageRecord } from './dto/usage.dto';

export function toUsageRecording(body: SubscriptionUsageRecord): UsageRecording {
  return {
    subscriptionId: body.subscriptionId,
    trackingId: body.trackingId,
    units: body.unitUsageRecords.map((unit) => ({
      unitType: unit.unitType,
      records: unit.usageRecords.map((record) => ({ recordDate: requireDateTime(record.recordDate, 'recordDate'), amount: record.amount })),
    })),
  };
}

export function toRolledUpUsageJson(usage: RolledUpUsageView): RolledUpUsage {
  return {
    subscriptionId: usage.subscriptionId,
    startDate: usage.startDate.toISOString(),
    endDate: usage.endDate.toISOString(),
    rolledUpUnits: usage.rolledUpUnits.map((unit) => ({ unitType: unit.unitType, amount: moneyToJson(unit.amount) })),
  };
}
