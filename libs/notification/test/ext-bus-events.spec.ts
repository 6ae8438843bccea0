import { type EventFacts, toExtBusEvent } from '../src/engine/ext-bus-events';

const ACCOUNT = '11111111-1111-1111-1111-111111111111';
const OBJECT = '22222222-2222-2222-2222-222222222222';
const facts: EventFacts = { accountId: ACCOUNT, bundleExternalKey: 'bundle-key' };
const payment = { accountId: ACCOUNT, paymentId: OBJECT, paymentTransactionId: 'tx', transactionType: 'PURCHASE', status: 'SUCCESS', amount: '500.00', currency: 'USD', effectiveDate: '2013-08-31T06:00:00.000Z' };
const paymentMeta = '{"paymentTransactionId":"tx","amount":500.00,"currency":"USD","status":"SUCCESS","transactionType":"PURCHASE","effectiveDate":"2013-08-31T06:00:00.000Z"}';
const blocking = (service: string, stateName: string, type = 'SUBSCRIPTION_BUNDLE') => ({ blockableId: OBJECT, type, stateName, service, effectiveDate: '2013-08-01T06:00:00.000Z' });
const subscriptionMeta = (actionType: string, undo = false, key = 'bundle-key') => `{"actionType":"${actionType}","bundleExternalKey":"${key}","subscriptionChangeUndo":${undo}}`;

/** BeatrixListener's switch, case by case: [internal type, payload, eventType, objectType, objectId, accountId, metaData]. */
const CASES: [string, object, string, string, string | null, string | null, string | null][] = [
  ['ACCOUNT_CREATION', { accountId: OBJECT }, 'ACCOUNT_CREATION', 'ACCOUNT', OBJECT, OBJECT, null],
  ['ACCOUNT_CHANGE', { accountId: ACCOUNT }, 'ACCOUNT_CHANGE', 'ACCOUNT', ACCOUNT, ACCOUNT, null],
  ['SUBSCRIPTION_TRANSITION', { subscriptionId: OBJECT, transitionType: 'CREATE', bundleExternalKey: 'k1' }, 'SUBSCRIPTION_CREATION', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('EFFECTIVE', false, 'k1')],
  ['SUBSCRIPTION_TRANSITION', { subscriptionId: OBJECT, transitionType: 'TRANSFER', bundleExternalKey: 'k1' }, 'SUBSCRIPTION_CREATION', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('EFFECTIVE', false, 'k1')],
  ['SUBSCRIPTION_TRANSITION', { subscriptionId: OBJECT, transitionType: 'PHASE', bundleExternalKey: 'k1' }, 'SUBSCRIPTION_PHASE', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('EFFECTIVE', false, 'k1')],
  ['SUBSCRIPTION_TRANSITION', { subscriptionId: OBJECT, transitionType: 'CHANGE', bundleExternalKey: 'k1' }, 'SUBSCRIPTION_CHANGE', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('EFFECTIVE', false, 'k1')],
  ['SUBSCRIPTION_TRANSITION', { subscriptionId: OBJECT, transitionType: 'UNDO_CHANGE', bundleExternalKey: 'k1' }, 'SUBSCRIPTION_CHANGE', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('EFFECTIVE', true, 'k1')],
  ['SUBSCRIPTION_TRANSITION', { subscriptionId: OBJECT, transitionType: 'CANCEL', bundleExternalKey: 'k1' }, 'SUBSCRIPTION_CANCEL', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('EFFECTIVE', false, 'k1')],
  ['SUBSCRIPTION_TRANSITION', { subscriptionId: OBJECT, transitionType: 'UNCANCEL', bundleExternalKey: 'k1' }, 'SUBSCRIPTION_UNCANCEL', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('EFFECTIVE', false, 'k1')],
  ['SUBSCRIPTION_TRANSITION', { subscriptionId: OBJECT, transitionType: 'BCD_CHANGE', bundleExternalKey: 'k1' }, 'SUBSCRIPTION_BCD_CHANGE', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('EFFECTIVE', false, 'k1')],
  ['SUBSCRIPTION_TRANSITION', { subscriptionId: OBJECT, transitionType: 'QUANTITY_CHANGE', bundleExternalKey: 'k1' }, 'SUBSCRIPTION_QUANTITY', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('EFFECTIVE', false, 'k1')],
  ['SUBSCRIPTION_TRANSITION', { subscriptionId: OBJECT, transitionType: 'EXPIRED', bundleExternalKey: 'k1' }, 'SUBSCRIPTION_EXPIRED', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('EFFECTIVE', false, 'k1')],
  ['SUBSCRIPTION_CREATION', { subscriptionId: OBJECT, bundleId: 'b' }, 'SUBSCRIPTION_CREATION', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('REQUESTED')],
  ['SUBSCRIPTION_CHANGE', { subscriptionId: OBJECT, transitionType: 'CHANGE' }, 'SUBSCRIPTION_CHANGE', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('REQUESTED')],
  ['SUBSCRIPTION_CHANGE', { subscriptionId: OBJECT, transitionType: 'UNDO_CHANGE' }, 'SUBSCRIPTION_CHANGE', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('REQUESTED', true)],
  ['SUBSCRIPTION_CANCEL', { subscriptionId: OBJECT, transitionType: 'CANCEL' }, 'SUBSCRIPTION_CANCEL', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('REQUESTED')],
  ['SUBSCRIPTION_UNCANCEL', { subscriptionId: OBJECT, transitionType: 'UNCANCEL' }, 'SUBSCRIPTION_UNCANCEL', 'SUBSCRIPTION', OBJECT, ACCOUNT, subscriptionMeta('REQUESTED')],
  ['BLOCKING_STATE', blocking('entitlement-service', 'ENT_STARTED', 'SUBSCRIPTION'), 'ENTITLEMENT_CREATION', 'SUBSCRIPTION', OBJECT, ACCOUNT, null],
  ['BLOCKING_STATE', blocking('entitlement-service', 'ENT_CANCELLED', 'SUBSCRIPTION'), 'ENTITLEMENT_CANCEL', 'SUBSCRIPTION', OBJECT, ACCOUNT, null],
  ['BLOCKING_STATE', blocking('entitlement-service', 'ENT_BLOCKED'), 'BUNDLE_PAUSE', 'BUNDLE', OBJECT, ACCOUNT, null],
  ['BLOCKING_STATE', blocking('entitlement-service', 'ENT_CLEAR'), 'BUNDLE_RESUME', 'BUNDLE', OBJECT, ACCOUNT, null],
  [
    'BLOCKING_STATE',
    blocking('overdue-service', 'OD1', 'ACCOUNT'),
    'BLOCKING_STATE',
    'ACCOUNT',
    OBJECT,
    ACCOUNT,
    `{"blockableId":"${OBJECT}","service":"overdue-service","stateName":"OD1","blockingType":"ACCOUNT","effectiveDate":"2013-08-01T06:00:00.000Z","isTransitionedToBlockedBilling":false,"isTransitionedToUnblockedBilling":false,"isTransitionedToBlockedEntitlement":false,"isTransitionedToUnblockedEntitlement":false}`,
  ],
  ['INVOICE_CREATION', { invoiceId: OBJECT, accountId: ACCOUNT, amountOwed: '10', currency: 'USD' }, 'INVOICE_CREATION', 'INVOICE', OBJECT, ACCOUNT, null],
  ['INVOICE_ADJUSTMENT', { invoiceId: OBJECT, accountId: ACCOUNT }, 'INVOICE_ADJUSTMENT', 'INVOICE', OBJECT, ACCOUNT, null],
  ['PAYMENT_SUCCESS', payment, 'PAYMENT_SUCCESS', 'PAYMENT', OBJECT, ACCOUNT, paymentMeta],
  ['PAYMENT_FAILED', payment, 'PAYMENT_FAILED', 'PAYMENT', OBJECT, ACCOUNT, paymentMeta],
  ['PAYMENT_PLUGIN_ERROR', payment, 'PAYMENT_FAILED', 'PAYMENT', OBJECT, ACCOUNT, paymentMeta],
  ['OVERDUE_CHANGE', { accountId: OBJECT, previousOverdueStateName: '__KILLBILL__CLEAR__OVERDUE_STATE__', nextOverdueStateName: 'OD1' }, 'OVERDUE_CHANGE', 'ACCOUNT', OBJECT, ACCOUNT, null],
  ['TAG_CREATION', { objectType: 'TAG', objectId: OBJECT, tagDefinitionName: 'AUTO_PAY_OFF' }, 'TAG_CREATION', 'TAG', OBJECT, ACCOUNT, '{"tagDefinitionName":"AUTO_PAY_OFF"}'],
  ['TAG_DELETION', { objectType: 'TAG', objectId: OBJECT, tagDefinitionName: 'vip' }, 'TAG_DELETION', 'TAG', OBJECT, ACCOUNT, '{"tagDefinitionName":"vip"}'],
  ['CUSTOM_FIELD_CREATION', { objectType: 'CUSTOM_FIELD', objectId: OBJECT }, 'CUSTOM_FIELD_CREATION', 'CUSTOM_FIELD', OBJECT, ACCOUNT, null],
  ['CUSTOM_FIELD_DELETION', { objectType: 'CUSTOM_FIELD', objectId: OBJECT }, 'CUSTOM_FIELD_DELETION', 'CUSTOM_FIELD', OBJECT, ACCOUNT, null],
  ['TENANT_CONFIG_CHANGE', { objectType: 'TENANT_KVS', objectId: OBJECT, metaData: '{"key":"PUSH_NOTIFICATION_CB"}' }, 'TENANT_CONFIG_CHANGE', 'TENANT_KVS', OBJECT, null, '{"key":"PUSH_NOTIFICATION_CB"}'],
  ['TENANT_CONFIG_DELETION', { objectType: 'TENANT_KVS', objectId: OBJECT, metaData: '{"key":"CATALOG"}' }, 'TENANT_CONFIG_DELETION', 'TENANT_KVS', null, null, '{"key":"CATALOG"}'],
];

describe('toExtBusEvent: BeatrixListener’s conversion of internal events', () => {
  it.each(CASES)('%s %j → %s', (type, payload, eventType, objectType, objectId, accountId, metaData) => {
    expect(toExtBusEvent(type, payload, facts)).toEqual({ eventType, objectType, objectId, accountId, metaData });
  });

  it.each([
    ['TENANT_CREATION', { tenantId: OBJECT }],
    ['TAG_DEFINITION_CREATION', { objectType: 'TAG_DEFINITION', objectId: OBJECT }],
    ['TAG_DEFINITION_DELETION', { objectType: 'TAG_DEFINITION', objectId: OBJECT }],
    ['BLOCKING_STATE', blocking('entitlement-service', 'SOME_OTHER_STATE')],
    ['SUBSCRIPTION_TRANSITION', { subscriptionId: OBJECT, transitionType: 'START_BILLING_DISABLED' }],
  ])('does not forward %s %j', (type, payload) => {
    expect(toExtBusEvent(type, payload, facts)).toBeNull();
  });

  it('writes the invoice payment row’s fields in InvoicePaymentMetadata, the amount as a JSON number', () => {
    const event = toExtBusEvent(
      'INVOICE_PAYMENT_SUCCESS',
      { accountId: ACCOUNT, invoiceId: OBJECT, paymentId: 'p1', amount: '249.95', currency: 'USD', status: 'SUCCESS' },
      { accountId: ACCOUNT, invoicePayment: { paymentAttemptId: 'a1', invoicePaymentType: 'ATTEMPT', paymentDate: '2013-08-31T06:00:00.000Z', linkedInvoicePaymentId: null, paymentCookieId: 'c1', processedCurrency: 'USD' } },
    );
    expect(event).toEqual({
      eventType: 'INVOICE_PAYMENT_SUCCESS',
      objectType: 'INVOICE',
      objectId: OBJECT,
      accountId: ACCOUNT,
      metaData:
        '{"paymentId":"p1","paymentAttemptId":"a1","invoicePaymentType":"ATTEMPT","paymentDate":"2013-08-31T06:00:00.000Z","amount":249.95,"currency":"USD","linkedInvoicePaymentId":null,"paymentCookieId":"c1","processedCurrency":"USD"}',
    });
    expect(JSON.parse(event?.metaData ?? '{}')).toMatchObject({ amount: 249.95 });
  });

  it('carries the blocking transition flags it is given', () => {
    const event = toExtBusEvent('BLOCKING_STATE', blocking('overdue-service', 'OD3', 'ACCOUNT'), {
      accountId: ACCOUNT,
      blockingTransition: { isTransitionedToBlockedBilling: true, isTransitionedToUnblockedBilling: false, isTransitionedToBlockedEntitlement: true, isTransitionedToUnblockedEntitlement: false },
    });
    expect(JSON.parse(event?.metaData ?? '{}')).toMatchObject({ isTransitionedToBlockedBilling: true, isTransitionedToBlockedEntitlement: true, isTransitionedToUnblockedBilling: false });
  });
});
