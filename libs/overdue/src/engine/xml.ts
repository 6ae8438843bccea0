/**
 * `<overdueConfig>` XML <-> model. Parsing checks what Kill Bill's schema (generated from its JAXB
 * classes) checks: element order, required elements, enumerations, xs:int / xs:decimal / xs:boolean
 * lexical forms, state names as unique xs:ID, then its own validation (state name length).
 */
import Big from 'big.js';
import { Parser } from 'xml2js';
import { isNCName } from '@kb/catalog/engine';
import {
  CANCELLATION_POLICIES,
  CONTROL_TAG_TYPES,
  type EmailNotification,
  MAX_STATE_NAME_LENGTH,
  type OverdueCondition,
  type OverdueConfig,
  type OverdueDuration,
  type OverdueStateConfig,
  PAYMENT_RESPONSES,
  TIME_UNITS,
} from './model';

interface XmlNode {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlNode[];
  readonly text: string;
}

interface RawNode {
  '#name': string;
  $?: Record<string, string>;
  $$?: RawNode[];
  _?: string;
}

/** The configuration is not a valid `<overdueConfig>`: the message says where. */
export class OverdueConfigError extends Error {
  override readonly name = 'OverdueConfigError';
}

function parseTree(xml: string): XmlNode {
  const parser = new Parser({ explicitChildren: true, preserveChildrenOrder: true, explicitCharkey: true, trim: false, normalize: false, async: false, strict: true });
  let result: Record<string, RawNode> | undefined;
  let failure: unknown;
  parser.parseString(xml, (err: unknown, res: Record<string, RawNode>) => {
    failure = err;
    result = res;
  });
  if (failure) throw new OverdueConfigError(failure instanceof Error ? failure.message.split('\n')[0] : String(failure));
  if (!result) throw new OverdueConfigError('Premature end of file.');
  const convert = (n: RawNode): XmlNode => ({ name: n['#name'], attrs: n.$ ?? {}, children: (n.$$ ?? []).map(convert), text: n._ ?? '' });
  return convert(Object.values(result)[0]);
}

/** One `xs:sequence` of optional/required elements, each at most once unless `many`. */
interface Slot {
  readonly name: string;
  readonly required?: boolean;
  readonly many?: boolean;
}

/** Children of `node` grouped by slot, refusing unknown, repeated or out-of-order elements. */
function sequence(node: XmlNode, slots: readonly Slot[]): Map<string, XmlNode[]> {
  const found = new Map<string, XmlNode[]>();
  let position = 0;
  for (const child of node.children) {
    const index = slots.findIndex((slot, i) => i >= position && slot.name === child.name);
    if (index < 0) {
      const expected = slots.slice(position).map((slot) => slot.name);
      throw new OverdueConfigError(`Invalid content was found starting with element '${child.name}' in '${node.name}'; expected one of {${expected.join(', ')}}`);
    }
    for (const skipped of slots.slice(position, index)) {
      if (skipped.required && !found.has(skipped.name)) throw new OverdueConfigError(`Element '${skipped.name}' is missing in '${node.name}'`);
    }
    const slot = slots[index];
    found.set(slot.name, [...(found.get(slot.name) ?? []), child]);
    // a repeatable slot may take more of the same; any other is past once filled
    position = slot.many ? index : index + 1;
  }
  for (const slot of slots) if (slot.required && !found.has(slot.name)) throw new OverdueConfigError(`Element '${slot.name}' is missing in '${node.name}'`);
  return found;
}

const one = (found: Map<string, XmlNode[]>, name: string): XmlNode | undefined => found.get(name)?.[0];

function textOf(node: XmlNode): string {
  if (node.children.length > 0) throw new OverdueConfigError(`Element '${node.name}' must hold text only`);
  return node.text;
}

function enumOf<T extends string>(node: XmlNode, values: readonly T[]): T {
  const text = textOf(node).trim();
  if (!(values as readonly string[]).includes(text)) throw new OverdueConfigError(`Value '${text}' of '${node.name}' is not one of {${values.join(', ')}}`);
  return text as T;
}

const INT_RE = /^[+-]?\d+$/;
const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function intOf(node: XmlNode): number {
  const text = textOf(node).trim();
  const value = Number(text);
  if (!INT_RE.test(text) || value > 2147483647 || value < -2147483648) throw new OverdueConfigError(`Value '${text}' of '${node.name}' is not a valid int`);
  return value;
}

function decimalOf(node: XmlNode): Big {
  const text = textOf(node).trim();
  if (!DECIMAL_RE.test(text)) throw new OverdueConfigError(`Value '${text}' of '${node.name}' is not a valid decimal`);
  return new Big(text);
}

function booleanOf(node: XmlNode): boolean {
  const text = textOf(node).trim();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new OverdueConfigError(`Value '${text}' of '${node.name}' is not a valid boolean`);
}

function durationOf(node: XmlNode): OverdueDuration {
  const found = sequence(node, [{ name: 'unit', required: true }, { name: 'number' }]);
  const number = one(found, 'number');
  return { unit: enumOf(one(found, 'unit') as XmlNode, TIME_UNITS), number: number ? intOf(number) : -1 };
}

function conditionOf(node: XmlNode): OverdueCondition {
  const found = sequence(node, [
    { name: 'numberOfUnpaidInvoicesEqualsOrExceeds' },
    { name: 'totalUnpaidInvoiceBalanceEqualsOrExceeds' },
    { name: 'timeSinceEarliestUnpaidInvoiceEqualsOrExceeds' },
    { name: 'responseForLastFailedPaymentIn' },
    { name: 'controlTagInclusion' },
    { name: 'controlTagExclusion' },
  ]);
  const count = one(found, 'numberOfUnpaidInvoicesEqualsOrExceeds');
  const balance = one(found, 'totalUnpaidInvoiceBalanceEqualsOrExceeds');
  const age = one(found, 'timeSinceEarliestUnpaidInvoiceEqualsOrExceeds');
  const responses = one(found, 'responseForLastFailedPaymentIn');
  const included = one(found, 'controlTagInclusion');
  const excluded = one(found, 'controlTagExclusion');
  return {
    ...(count ? { numberOfUnpaidInvoicesEqualsOrExceeds: intOf(count) } : {}),
    ...(balance ? { totalUnpaidInvoiceBalanceEqualsOrExceeds: decimalOf(balance) } : {}),
    ...(age ? { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: durationOf(age) } : {}),
    ...(responses
      ? { responseForLastFailedPaymentIn: (sequence(responses, [{ name: 'response', many: true }]).get('response') ?? []).map((r) => enumOf(r, PAYMENT_RESPONSES)) }
      : {}),
    ...(included ? { controlTagInclusion: enumOf(included, CONTROL_TAG_TYPES) } : {}),
    ...(excluded ? { controlTagExclusion: enumOf(excluded, CONTROL_TAG_TYPES) } : {}),
  };
}

function emailOf(node: XmlNode): EmailNotification {
  const found = sequence(node, [{ name: 'subject' }, { name: 'templateName' }, { name: 'isHTML' }]);
  const subject = one(found, 'subject');
  const templateName = one(found, 'templateName');
  const isHTML = one(found, 'isHTML');
  return {
    ...(subject ? { subject: textOf(subject) } : {}),
    ...(templateName ? { templateName: textOf(templateName) } : {}),
    ...(isHTML ? { isHTML: booleanOf(isHTML) } : {}),
  };
}

function stateOf(node: XmlNode): OverdueStateConfig {
  const name = node.attrs.name;
  if (name === undefined) throw new OverdueConfigError(`Attribute 'name' must appear on element 'state'`);
  if (!isNCName(name)) throw new OverdueConfigError(`'${name}' is not a valid value for 'NCName' (state name)`);
  const found = sequence(node, [
    { name: 'condition' },
    { name: 'externalMessage' },
    { name: 'blockChanges' },
    { name: 'disableEntitlementAndChangesBlocked' },
    { name: 'subscriptionCancellationPolicy' },
    { name: 'isClearState' },
    { name: 'autoReevaluationInterval' },
    { name: 'enterStateEmailNotification' },
  ]);
  const condition = one(found, 'condition');
  const message = one(found, 'externalMessage');
  const blockChanges = one(found, 'blockChanges');
  const disable = one(found, 'disableEntitlementAndChangesBlocked');
  const policy = one(found, 'subscriptionCancellationPolicy');
  const clear = one(found, 'isClearState');
  const interval = one(found, 'autoReevaluationInterval');
  const email = one(found, 'enterStateEmailNotification');
  return {
    name,
    ...(condition ? { condition: conditionOf(condition) } : {}),
    externalMessage: message ? textOf(message) : '',
    blockChanges: blockChanges ? booleanOf(blockChanges) : false,
    disableEntitlementAndChangesBlocked: disable ? booleanOf(disable) : false,
    subscriptionCancellationPolicy: policy ? enumOf(policy, CANCELLATION_POLICIES) : 'NONE',
    isClearState: clear ? booleanOf(clear) : false,
    ...(interval ? { autoReevaluationInterval: durationOf(interval) } : {}),
    ...(email ? { enterStateEmailNotification: emailOf(email) } : {}),
  };
}

/** Parses and validates an `<overdueConfig>` document; throws OverdueConfigError naming the problem. */
export function parseOverdueXml(xml: string): OverdueConfig {
  const root = parseTree(xml);
  if (root.name !== 'overdueConfig') throw new OverdueConfigError(`Cannot find the declaration of element '${root.name}'`);
  const accountStates = one(sequence(root, [{ name: 'accountOverdueStates', required: true }]), 'accountOverdueStates') as XmlNode;
  const found = sequence(accountStates, [{ name: 'initialReevaluationInterval' }, { name: 'state', required: true, many: true }]);
  const initial = one(found, 'initialReevaluationInterval');
  const config: OverdueConfig = {
    ...(initial ? { initialReevaluationInterval: durationOf(initial) } : {}),
    states: (found.get('state') ?? []).map(stateOf),
  };
  validateOverdueConfig(config);
  return config;
}

/** Kill Bill's checks beyond the schema (DefaultOverdueState#validate), and xs:ID uniqueness. */
export function validateOverdueConfig(config: OverdueConfig): void {
  const names = new Set<string>();
  for (const state of config.states) {
    if (state.name.length > MAX_STATE_NAME_LENGTH) {
      throw new OverdueConfigError(`Name of state '${state.name}' exceeds the maximum length of ${MAX_STATE_NAME_LENGTH}`);
    }
    if (names.has(state.name)) throw new OverdueConfigError(`There are multiple occurrences of ID value '${state.name}'`);
    names.add(state.name);
  }
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string) => escapeText(text).replace(/"/g, '&quot;');

function durationXml(name: string, duration: OverdueDuration, indent: string): string[] {
  return [`${indent}<${name}>`, `${indent}    <unit>${duration.unit}</unit>`, `${indent}    <number>${duration.number}</number>`, `${indent}</${name}>`];
}

function conditionXml(condition: OverdueCondition, indent: string): string[] {
  const inner = `${indent}    `;
  const lines = [`${indent}<condition>`];
  if (condition.numberOfUnpaidInvoicesEqualsOrExceeds !== undefined)
    lines.push(`${inner}<numberOfUnpaidInvoicesEqualsOrExceeds>${condition.numberOfUnpaidInvoicesEqualsOrExceeds}</numberOfUnpaidInvoicesEqualsOrExceeds>`);
  if (condition.totalUnpaidInvoiceBalanceEqualsOrExceeds !== undefined)
    lines.push(`${inner}<totalUnpaidInvoiceBalanceEqualsOrExceeds>${condition.totalUnpaidInvoiceBalanceEqualsOrExceeds.toFixed()}</totalUnpaidInvoiceBalanceEqualsOrExceeds>`);
  if (condition.timeSinceEarliestUnpaidInvoiceEqualsOrExceeds !== undefined)
    lines.push(...durationXml('timeSinceEarliestUnpaidInvoiceEqualsOrExceeds', condition.timeSinceEarliestUnpaidInvoiceEqualsOrExceeds, inner));
  if (condition.responseForLastFailedPaymentIn !== undefined) {
    lines.push(`${inner}<responseForLastFailedPaymentIn>`);
    for (const response of condition.responseForLastFailedPaymentIn) lines.push(`${inner}    <response>${response}</response>`);
    lines.push(`${inner}</responseForLastFailedPaymentIn>`);
  }
  if (condition.controlTagInclusion !== undefined) lines.push(`${inner}<controlTagInclusion>${condition.controlTagInclusion}</controlTagInclusion>`);
  if (condition.controlTagExclusion !== undefined) lines.push(`${inner}<controlTagExclusion>${condition.controlTagExclusion}</controlTagExclusion>`);
  lines.push(`${indent}</condition>`);
  return lines;
}

function stateXml(state: OverdueStateConfig, indent: string): string[] {
  const inner = `${indent}    `;
  const lines = [`${indent}<state name="${escapeAttribute(state.name)}">`];
  if (state.condition) lines.push(...conditionXml(state.condition, inner));
  if (state.externalMessage !== null) lines.push(`${inner}<externalMessage>${escapeText(state.externalMessage)}</externalMessage>`);
  lines.push(`${inner}<blockChanges>${state.blockChanges}</blockChanges>`);
  lines.push(`${inner}<disableEntitlementAndChangesBlocked>${state.disableEntitlementAndChangesBlocked}</disableEntitlementAndChangesBlocked>`);
  if (state.subscriptionCancellationPolicy !== null) lines.push(`${inner}<subscriptionCancellationPolicy>${state.subscriptionCancellationPolicy}</subscriptionCancellationPolicy>`);
  lines.push(`${inner}<isClearState>${state.isClearState}</isClearState>`);
  if (state.autoReevaluationInterval) lines.push(...durationXml('autoReevaluationInterval', state.autoReevaluationInterval, inner));
  const email = state.enterStateEmailNotification;
  if (email) {
    lines.push(`${inner}<enterStateEmailNotification>`);
    if (email.subject !== undefined) lines.push(`${inner}    <subject>${escapeText(email.subject)}</subject>`);
    if (email.templateName !== undefined) lines.push(`${inner}    <templateName>${escapeText(email.templateName)}</templateName>`);
    if (email.isHTML !== undefined) lines.push(`${inner}    <isHTML>${email.isHTML}</isHTML>`);
    lines.push(`${inner}</enterStateEmailNotification>`);
  }
  lines.push(`${indent}</state>`);
  return lines;
}

/** The document Kill Bill's XMLWriter marshals from a configuration (every field it holds, in schema order). */
export function overdueConfigToXml(config: OverdueConfig): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', '<overdueConfig>', '    <accountOverdueStates>'];
  if (config.initialReevaluationInterval) lines.push(...durationXml('initialReevaluationInterval', config.initialReevaluationInterval, '        '));
  for (const state of config.states) lines.push(...stateXml(state, '        '));
  lines.push('    </accountOverdueStates>', '</overdueConfig>', '');
  return lines.join('\n');
}
