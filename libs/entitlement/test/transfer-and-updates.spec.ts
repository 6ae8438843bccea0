import { LocalDate } from '@js-joda/core';
import { bcdChangeDate, effectiveFromOf, type SubscriptionEvent, transferCancelDate, transferredEvents } from '../src/engine';

const at = (iso: string) => new Date(iso.length === 10 ? `${iso}T06:00:00.000Z` : iso);
const day = (date: Date) => date.toISOString().slice(0, 10);
const toInstant = (date: LocalDate) => at(date.toString());

describe('effectiveFromOf (BCD and quantity effectiveFromDate)', () => {
  const today = LocalDate.parse('2013-08-15');
  it.each([
    [undefined, false, 'now'],
    ['2013-08-15', false, 'now'],
    ['2013-08-20', false, '2013-08-20'],
    ['2013-08-06', false, undefined],
    ['2013-08-06', true, '2013-08-06'],
  ])('from %s (force %s) → %s', (from, force, expected) => {
    const result = effectiveFromOf(from ? LocalDate.parse(from) : undefined, today, force);
    expect(result === undefined ? undefined : result.kind === 'now' ? 'now' : result.date.toString()).toBe(expected);
  });
});

describe('bcdChangeDate', () => {
  const now = at('2013-08-07T06:00:05.000Z');
  it.each([
    // [bcd, from, today, subscription start, expected]
    [7, undefined, '2013-08-07', '2013-08-01', '2013-08-07T06:00:05.000Z'],
    [10, undefined, '2013-08-07', '2013-08-01', '2013-08-10T06:00:00.000Z'],
    [3, undefined, '2013-08-07', '2013-08-01', '2013-09-03T06:00:00.000Z'],
    [31, undefined, '2013-09-07', '2013-08-01', '2013-09-30T06:00:00.000Z'],
    [31, '2013-01-31', '2013-01-31', '2012-01-01', '2013-01-31T06:00:00.000Z'],
    [30, '2013-01-31', '2013-01-31', '2012-01-01', '2013-02-28T06:00:00.000Z'],
    [15, '2013-08-20', '2013-08-07', '2013-08-01', '2013-09-15T06:00:00.000Z'],
    [7, '2013-08-07', '2013-08-01', '2013-08-01', '2013-08-07T06:00:00.000Z'],
    // Before the subscription's start: moved by months.
    [5, '2013-08-01', '2013-08-01', '2013-10-01', '2013-10-05T06:00:00.000Z'],
  ])('BCD %s from %s (today %s, start %s) → %s', (bcd, from, today, start, expected) => {
    const effective = bcdChangeDate({
      billCycleDayLocal: bcd,
      from: from ? { kind: 'date', date: LocalDate.parse(from) } : { kind: 'now' },
      accountToday: LocalDate.parse(today),
      now,
      subscriptionStart: at(start),
      toInstant,
    });
    expect(effective.toISOString()).toBe(expected);
  });
});

describe('transferCancelDate', () => {
  it.each([
    ['END_OF_TERM with a later CTD → the CTD', false, '2013-09-30', '2013-08-31', '2013-09-30'],
    ['END_OF_TERM without CTD → the transfer', false, null, '2013-08-31', '2013-09-01'],
    ['END_OF_TERM with a past CTD → the transfer', false, '2013-08-15', '2013-08-01', '2013-09-01'],
    ['IMMEDIATE → the transfer', true, '2013-09-30', '2013-08-31', '2013-09-01'],
    ['never before the last transition', true, null, '2013-09-10', '2013-09-10'],
  ])('%s', (_name, immediate, ctd, earliest, expected) => {
    expect(day(transferCancelDate({ transferDate: at('2013-09-01'), immediate, chargedThroughDate: ctd ? at(ctd) : null, earliestValidDate: at(earliest) }))).toBe(expected);
  });
});

describe('transferredEvents (Kill Bill toEvents)', () => {
  let recordId = 0;
  const event = (type: SubscriptionEvent['type'], date: string, extra: Partial<SubscriptionEvent> = {}): SubscriptionEvent => ({
    id: `e${++recordId}`,
    recordId,
    subscriptionId: 's',
    type,
    effectiveDate: at(date),
    createdDate: at('2013-08-01'),
    planName: type === 'BCD_CHANGE' || type === 'QUANTITY_CHANGE' || type === 'CANCEL' ? null : 'sports-monthly',
    phaseName: type === 'PHASE' ? 'sports-monthly-evergreen' : type === 'CREATE' ? 'sports-monthly-trial' : null,
    priceListName: 'DEFAULT',
    isActive: true,
    ...extra,
  });
  const brief = (events: ReturnType<typeof transferredEvents>) => events.map((e) => [e.type, day(e.effectiveDate), e.phaseName ?? e.billCycleDayLocal ?? e.quantity ?? null]);
  const history = () => [
    event('CREATE', '2013-08-01'),
    event('BCD_CHANGE', '2013-08-01', { billCycleDayLocal: 12 }),
    event('QUANTITY_CHANGE', '2013-08-02', { quantity: 4 }),
    event('PHASE', '2013-08-31'),
  ];

  it('in trial: TRANSFER at the transfer date in the trial phase, BCD and quantity carried, pending PHASE kept at its date', () => {
    expect(brief(transferredEvents(history(), at('2013-08-05'), 'USE_EXISTING'))).toEqual([
      ['TRANSFER', '2013-08-05', 'sports-monthly-trial'],
      ['BCD_CHANGE', '2013-08-05', 12],
      ['QUANTITY_CHANGE', '2013-08-05', 4],
      ['PHASE', '2013-08-31', 'sports-monthly-evergreen'],
    ]);
  });

  it('after the trial: the PHASE in force becomes the TRANSFER; NONE drops the BCD; ALIGN_WITH_EFF_DT takes the transfer’s day', () => {
    expect(brief(transferredEvents(history(), at('2013-09-01'), 'NONE'))).toEqual([
      ['TRANSFER', '2013-09-01', 'sports-monthly-evergreen'],
      ['QUANTITY_CHANGE', '2013-09-01', 4],
    ]);
    expect(brief(transferredEvents(history(), at('2013-09-03'), 'ALIGN_WITH_EFF_DT'))).toEqual([
      ['TRANSFER', '2013-09-03', 'sports-monthly-evergreen'],
      ['BCD_CHANGE', '2013-09-03', 3],
      ['QUANTITY_CHANGE', '2013-09-03', 4],
    ]);
  });

  it('a pending subscription: its first future event becomes the TRANSFER at its own date; cancels and inactive events are not copied', () => {
    const events = [event('CREATE', '2013-09-10'), event('PHASE', '2013-10-10'), event('CANCEL', '2013-11-01'), event('CHANGE', '2013-10-20', { isActive: false })];
    expect(brief(transferredEvents(events, at('2013-09-01'), 'USE_EXISTING'))).toEqual([
      ['TRANSFER', '2013-09-10', 'sports-monthly-trial'],
      ['PHASE', '2013-10-10', 'sports-monthly-evergreen'],
    ]);
  });
});
