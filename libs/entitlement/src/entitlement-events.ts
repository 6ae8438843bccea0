import { defineBusEvent } from '@kb/platform';

export interface BlockingStatePayload {
  readonly blockableId: string;
  readonly type: string;
  readonly stateName: string;
  readonly service: string;
  readonly effectiveDate: string;
}

/** A blocking state was set (Kill Bill's BLOCKING_STATE event). */
export const BlockingStateChange = defineBusEvent<BlockingStatePayload>('BLOCKING_STATE');
