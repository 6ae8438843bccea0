import { metadataController } from '../object-metadata/object-metadata.controller';

/** Tags, custom fields and auditLogsWithHistory of a subscription (Kill Bill's SubscriptionResource sub-resources). */
export class SubscriptionMetadataController extends metadataController({
  objectType: 'SUBSCRIPTION',
  path: 'subscriptions',
  idParam: 'subscriptionId',
  operationName: 'Subscription',
  label: 'subscription',
}) {}

/** GET /subscriptions/events/{eventId}/auditLogsWithHistory: the history of one subscription event. */
export class SubscriptionEventMetadataController extends metadataController({
  objectType: 'SUBSCRIPTION_EVENT',
  path: 'subscriptions/events',
  idParam: 'eventId',
  operationName: 'SubscriptionEvent',
  apiTag: 'Subscription',
  label: 'subscription event',
  routes: ['auditLogsWithHistory'],
}) {}
