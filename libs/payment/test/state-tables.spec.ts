import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseStringPromise } from 'xml2js';
import { PAYMENT_STATE_MACHINES, PAYMENT_STATE_MACHINE_LINKS, PAYMENT_STATE_NAMES, RETRY_STATE_MACHINE } from '@kb/payment/engine';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/payment');

interface XmlMachine {
  $: { name: string };
  states: [{ state: { $: { name: string } }[] }];
  transitions: [{ transition: { initialState: [string]; operation: [string]; operationResult: [string]; finalState: [string] }[] }];
  operations: [{ operation: { $: { name: string } }[] }];
}
interface XmlLink {
  initialStateMachine: [string];
  initialState: [string];
  finalStateMachine: [string];
  finalState: [string];
}

async function load(file: string) {
  const xml = await parseStringPromise(readFileSync(path.join(FIXTURES, file), 'utf8'));
  const machines = (xml.stateMachineConfig.stateMachines[0].stateMachine as XmlMachine[]).map((machine) => ({
    name: machine.$.name,
    states: machine.states[0].state.map((state) => state.$.name),
    transitions: machine.transitions[0].transition.map((t) => [t.initialState[0], t.operation[0], t.operationResult[0], t.finalState[0]]),
    operations: machine.operations[0].operation.map((operation) => operation.$.name),
  }));
  const links = (xml.stateMachineConfig.linkStateMachines[0].linkStateMachine as XmlLink[]).map((link) => ({
    fromMachine: link.initialStateMachine[0],
    fromState: link.initialState[0],
    toMachine: link.finalStateMachine[0],
    toState: link.finalState[0],
  }));
  return { machines, links };
}

describe('the payment state tables are PaymentStates.xml', () => {
  it('have exactly its machines, states, transitions and operations, in its order', async () => {
    const { machines } = await load('PaymentStates.xml');
    const ours = PAYMENT_STATE_MACHINES.map((machine) => ({
      name: machine.name,
      states: [...machine.states],
      transitions: machine.transitions.map(([from, result, to]) => [from, machine.operation, result, to]),
      operations: [machine.operation],
    }));
    expect(ours).toEqual(machines);
    expect([...PAYMENT_STATE_NAMES].sort()).toEqual(machines.flatMap((machine) => machine.states).sort());
  });

  it('have exactly its links between machines', async () => {
    const { links } = await load('PaymentStates.xml');
    expect(PAYMENT_STATE_MACHINE_LINKS).toEqual(links);
  });
});

describe('the retry state table is RetryStates.xml', () => {
  it('has exactly its states, transitions, operation and link', async () => {
    const { machines, links } = await load('RetryStates.xml');
    expect(machines).toEqual([
      {
        name: RETRY_STATE_MACHINE.name,
        states: [...RETRY_STATE_MACHINE.states],
        transitions: RETRY_STATE_MACHINE.transitions.map(([from, result, to]) => [from, RETRY_STATE_MACHINE.operation, result, to]),
        operations: [RETRY_STATE_MACHINE.operation],
      },
    ]);
    expect(links).toEqual(RETRY_STATE_MACHINE.links.map(([from, to]) => ({ fromMachine: 'PAYMENT_RETRY', fromState: from, toMachine: 'PAYMENT_RETRY', toState: to })));
  });
});
