import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Big from 'big.js';
import { OverdueConfigError, overdueConfigFromJson, overdueConfigToJson, overdueConfigToXml, OverdueJsonError, parseOverdueXml } from '@kb/overdue/engine';

const FIXTURES = join(__dirname, '../../../test/fixtures/overdue');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('overdue XML', () => {
  it.each(readdirSync(FIXTURES).filter((name) => name.endsWith('.xml')))('%s parses, and what is written parses to the same configuration', (name) => {
    const config = parseOverdueXml(read(name));
    expect(parseOverdueXml(overdueConfigToXml(config))).toEqual(config);
  });

  it('reads every field with Kill Bill’s defaults', () => {
    const xml = `<overdueConfig><accountOverdueStates>
      <initialReevaluationInterval><unit>WEEKS</unit></initialReevaluationInterval>
      <state name="S1">
        <condition>
          <numberOfUnpaidInvoicesEqualsOrExceeds>2</numberOfUnpaidInvoicesEqualsOrExceeds>
          <totalUnpaidInvoiceBalanceEqualsOrExceeds>10.50</totalUnpaidInvoiceBalanceEqualsOrExceeds>
          <timeSinceEarliestUnpaidInvoiceEqualsOrExceeds><unit>MONTHS</unit><number>1</number></timeSinceEarliestUnpaidInvoiceEqualsOrExceeds>
          <responseForLastFailedPaymentIn><response>DECLINE</response><response>OTHER</response></responseForLastFailedPaymentIn>
          <controlTagInclusion>TEST</controlTagInclusion>
          <controlTagExclusion>PARTNER</controlTagExclusion>
        </condition>
        <subscriptionCancellationPolicy>END_OF_TERM</subscriptionCancellationPolicy>
        <enterStateEmailNotification><subject>s</subject><templateName>t</templateName><isHTML>1</isHTML></enterStateEmailNotification>
      </state>
      <state name="S2"/>
    </accountOverdueStates></overdueConfig>`;
    expect(parseOverdueXml(xml)).toEqual({
      initialReevaluationInterval: { unit: 'WEEKS', number: -1 },
      states: [
        {
          name: 'S1',
          condition: {
            numberOfUnpaidInvoicesEqualsOrExceeds: 2,
            totalUnpaidInvoiceBalanceEqualsOrExceeds: new Big('10.50'),
            timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'MONTHS', number: 1 },
            responseForLastFailedPaymentIn: ['DECLINE', 'OTHER'],
            controlTagInclusion: 'TEST',
            controlTagExclusion: 'PARTNER',
          },
          externalMessage: '',
          blockChanges: false,
          disableEntitlementAndChangesBlocked: false,
          subscriptionCancellationPolicy: 'END_OF_TERM',
          isClearState: false,
          enterStateEmailNotification: { subject: 's', templateName: 't', isHTML: true },
        },
        { name: 'S2', externalMessage: '', blockChanges: false, disableEntitlementAndChangesBlocked: false, subscriptionCancellationPolicy: 'NONE', isClearState: false },
      ],
    });
  });

  const state = (inner: string, name = 'S') => `<overdueConfig><accountOverdueStates><state name="${name}">${inner}</state></accountOverdueStates></overdueConfig>`;
  it.each([
    ['no state at all', '<overdueConfig><accountOverdueStates/></overdueConfig>', /'state' is missing/],
    ['a repeated element', state('<blockChanges>true</blockChanges><blockChanges>true</blockChanges>'), /starting with element 'blockChanges'/],
    ['order', state('<isClearState>true</isClearState><blockChanges>true</blockChanges>'), /starting with element 'blockChanges'/],
    ['a bad boolean', state('<blockChanges>yes</blockChanges>'), /not a valid boolean/],
    ['a bad int', state('<condition><numberOfUnpaidInvoicesEqualsOrExceeds>1.5</numberOfUnpaidInvoicesEqualsOrExceeds></condition>'), /not a valid int/],
    ['a bad decimal', state('<condition><totalUnpaidInvoiceBalanceEqualsOrExceeds>ten</totalUnpaidInvoiceBalanceEqualsOrExceeds></condition>'), /not a valid decimal/],
    ['a bad response', state('<condition><responseForLastFailedPaymentIn><response>NOPE</response></responseForLastFailedPaymentIn></condition>'), /'NOPE'/],
    ['a bad tag', state('<condition><controlTagInclusion>GOLD</controlTagInclusion></condition>'), /'GOLD'/],
    ['a duration without unit', state('<autoReevaluationInterval><number>3</number></autoReevaluationInterval>'), /'unit' is missing/],
    ['a state without name', '<overdueConfig><accountOverdueStates><state/></accountOverdueStates></overdueConfig>', /Attribute 'name'/],
    ['a 51-character name', state('', 'A'.repeat(51)), /exceeds the maximum length of 50/],
  ])('refuses %s', (_what, xml, message) => {
    expect(() => parseOverdueXml(xml)).toThrow(OverdueConfigError);
    expect(() => parseOverdueXml(xml)).toThrow(message);
  });

  it('a 50-character name is fine', () => {
    expect(parseOverdueXml(state('', 'A'.repeat(50))).states[0].name).toHaveLength(50);
  });
});

describe('overdue JSON (Kill Bill OverdueJson)', () => {
  const days = (number: number) => ({ timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'DAYS' as const, number } });
  const state = (name: string, threshold: number, extra: Record<string, unknown> = {}) => ({
    name,
    isClearState: false,
    isBlockChanges: true,
    isDisableEntitlement: false,
    condition: days(threshold),
    ...extra,
  });

  it('derives intervals from threshold gaps, the initial one from the mildest state', () => {
    const config = overdueConfigFromJson({ overdueStates: [state('A', 50), state('B', 45, { autoReevaluationIntervalDays: 2 }), state('C', 30)] });
    expect(config.initialReevaluationInterval).toEqual({ unit: 'DAYS', number: 30 });
    expect(config.states.map((s) => s.autoReevaluationInterval)).toEqual([undefined, { unit: 'DAYS', number: 2 }, { unit: 'DAYS', number: 15 }]);
    expect(overdueConfigToJson(config).initialReevaluationInterval).toBe(30);
  });

  it.each([
    ['missing', { overdueStates: [state('A', 5, { name: null })] }],
    ['missing', { overdueStates: [state('A', 5, { condition: {} })] }],
    ['missing', { overdueStates: [state('A', 5, { isDisableEntitlement: undefined })] }],
    ['illegal', { overdueStates: [state('A', 5, { condition: { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'WEEKS', number: 1 } } })] }],
    ['illegal', { overdueStates: [state('A', 0)] }],
    ['illegal', { overdueStates: [state('A', 10), state('B', 10)] }],
  ])('refuses (%s)', (kind, json) => {
    expect(() => overdueConfigFromJson(json as never)).toThrow(expect.objectContaining({ constructor: OverdueJsonError, kind }));
  });
});
