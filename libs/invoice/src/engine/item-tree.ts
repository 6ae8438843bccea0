/**
 * The repair logic of the generator (Kill Bill's InvoicePruner, AccountItemTree,
 * SubscriptionItemTree, ItemsNodeInterval, ItemsInterval, Item): per subscription, an interval tree
 * of what is billed (RECURRING items net of their REPAIR_ADJ and ITEM_ADJ) is flattened, then the
 * proposed items are merged into it. Proposed items already billed disappear, new ones stay, and
 * every billed day no longer proposed gives a REPAIR_ADJ linked to the item that billed it.
 */
import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import { KillBillError } from '@kb/kernel';
import type { InvoiceItemRecord } from './model';
import { daysBetween, prorationOfDays } from './billing-period';

/** What the tree hands back: proposed items to keep (whole or in pieces) and repairs of billed items. */
export type TreeResultItem =
  | { readonly kind: 'PROPOSED'; readonly source: InvoiceItemRecord; readonly start: LocalDate; readonly end: LocalDate | null; readonly amount: Big }
  | { readonly kind: 'REPAIR'; readonly repaired: InvoiceItemRecord; readonly start: LocalDate; readonly end: LocalDate; readonly amount: Big };

function illegalState(message: string): KillBillError {
  return new KillBillError('UNEXPECTED_ERROR', [`ILLEGAL INVOICING STATE ${message}`]);
}

// ---------------------------------------------------------------------------------------------
// Pruning (InvoicePruner): fully repaired items and their repairs take no part
// ---------------------------------------------------------------------------------------------

/** Ids of the RECURRING items repaired in full and of the repairs doing it. */
export function fullyRepairedItemIds(items: readonly InvoiceItemRecord[]): Set<string> {
  const groups = new Map<string, { target?: InvoiceItemRecord; repairs: InvoiceItemRecord[]; adjustments: InvoiceItemRecord[] }>();
  const group = (id: string) => {
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { repairs: [], adjustments: [] }));
    return g;
  };
  for (const item of items) {
    if (item.type === 'RECURRING') {
      const g = group(item.id);
      if (g.target) throw illegalState(`Unexpected second recurring item with ID ${item.id}`);
      g.target = item;
    } else if ((item.type === 'REPAIR_ADJ' || item.type === 'ITEM_ADJ') && item.linkedItemId !== null) {
      (item.type === 'REPAIR_ADJ' ? group(item.linkedItemId).repairs : group(item.linkedItemId).adjustments).push(item);
    }
  }
  const result = new Set<string>();
  for (const { target, repairs, adjustments } of groups.values()) {
    if (!target) {
      if (repairs.length > 0) throw illegalState(`Missing cancelledItem for cancelItem=${repairs[0].id}`);
      continue;
    }
    if (target.amount.eq(0)) continue;
    for (const r of repairs) {
      if (r.startDate.isBefore(target.startDate) || (r.endDate !== null && target.endDate !== null && r.endDate.isAfter(target.endDate))) {
        throw illegalState(`Invalid cancelledItem=${r.id} for cancelItem=${target.id}`);
      }
    }
    const repaired = sum(repairs).times(-1);
    const adjusted = sum(adjustments).times(-1);
    if (target.amount.minus(adjusted).lt(0)) continue; // adjusted too much (an invoice plugin can do it): ignored, as Kill Bill
    const remaining = target.amount.minus(repaired);
    if (remaining.eq(0)) {
      if (adjustments.length > 0) throw illegalState(`Too many repairs for invoiceItemId='${target.id}', fully repaired and adjusted='${adjusted.toFixed()}'`);
      result.add(target.id);
      for (const r of repairs) result.add(r.id);
    } else if (remaining.minus(adjusted).lt(0)) {
      throw illegalState(`Too many repairs for invoiceItemId='${target.id}'`);
    }
  }
  return result;
}

function sum(items: readonly InvoiceItemRecord[]): Big {
  return items.reduce((acc, i) => acc.plus(i.amount), new Big(0));
}

// ---------------------------------------------------------------------------------------------
// Tree items and nodes
// ---------------------------------------------------------------------------------------------

type Action = 'ADD' | 'CANCEL';

/** Kill Bill's tree Item: an ADD (billed or proposed RECURRING) or a CANCEL (a repair, or a billed piece reversed for the merge). */
class TreeItem {
  /** Repaired so far during this computation. */
  repairedAmount = new Big(0);
  adjustedAmount = new Big(0);

  constructor(
    /** The RECURRING item the piece comes from (ADD), or the repair (CANCEL of an existing REPAIR_ADJ). */
    readonly source: InvoiceItemRecord,
    readonly id: string,
    readonly action: Action,
    /** CANCEL: the id of the ADD item it cancels. */
    readonly linkedId: string | null,
    readonly start: LocalDate,
    readonly end: LocalDate,
    /** Positive, not rounded (pieces are prorated). */
    readonly amount: Big,
    readonly fixedDays: number,
  ) {}

  static of(record: InvoiceItemRecord, action: Action, fixedDays: number): TreeItem {
    if (record.endDate === null) throw illegalState(`Item without end date ${record.id}`);
    return new TreeItem(record, record.id, action, record.linkedItemId, record.startDate, record.endDate, record.amount.abs(), fixedDays);
  }

  withSpan(start: LocalDate, end: LocalDate, amount: Big): TreeItem {
    const copy = new TreeItem(this.source, this.id, this.action, this.linkedId, start, end, amount, this.fixedDays);
    copy.repairedAmount = this.repairedAmount;
    copy.adjustedAmount = this.adjustedAmount;
    return copy;
  }

  /** The same item the other way round: a billed piece becomes the CANCEL the proposed items must match. */
  reversed(): TreeItem {
    const copy = new TreeItem(this.source, this.id, 'CANCEL', this.id, this.start, this.end, this.amount, this.fixedDays);
    copy.repairedAmount = this.repairedAmount;
    copy.adjustedAmount = this.adjustedAmount;
    return copy;
  }

  split(date: LocalDate): [TreeItem, TreeItem] {
    if (!this.repairedAmount.eq(0) || !this.adjustedAmount.eq(0)) throw illegalState(`Unexpected split of adjusted item ${this.id}`);
    const first = prorationOfDays(this.start, date, daysBetween(this.start, this.end), this.fixedDays).times(this.amount);
    return [this.withSpan(this.start, date, first), this.withSpan(date, this.end, this.amount.minus(first))];
  }

  netAmount(): Big {
    return this.amount.minus(this.adjustedAmount).minus(this.repairedAmount);
  }

  isFullyAdjusted(): boolean {
    return this.amount.minus(this.adjustedAmount).eq(0);
  }

  /** The amount for a sub-span, prorated over the item's own span (a repair is further capped by what is left). */
  amountFor(start: LocalDate, end: LocalDate): Big {
    const prorated = start.isEqual(this.start) && end.isEqual(this.end);
    const totalDays = this.fixedDays === 0 ? daysBetween(this.start, this.end) : this.fixedDays;
    const positive = prorated ? this.amount : prorationOfDays(start, end, totalDays, this.fixedDays).times(this.amount);
    if (this.action === 'ADD') return positive;
    const net = this.netAmount();
    const capped = positive.lte(net) ? positive : net;
    return capped.gt(0) ? capped : new Big(0);
  }

  /** Billed the same way: another item with the same plan, phase and rate. */
  isSameKind(other: TreeItem): boolean {
    const rate = (i: TreeItem) => i.source.rate ?? new Big(0);
    return (
      this.id !== other.id &&
      (this.source.planName ?? '') === (other.source.planName ?? '') &&
      (this.source.phaseName ?? '') === (other.source.phaseName ?? '') &&
      rate(this).eq(rate(other))
    );
  }
}

class TreeNode {
  children: TreeNode[] = [];
  items: TreeItem[];

  constructor(
    public parent: TreeNode | null,
    public start: LocalDate | null,
    public end: LocalDate | null,
    item?: TreeItem,
  ) {
    this.items = item ? [item] : [];
  }

  static of(item: TreeItem): TreeNode {
    return new TreeNode(null, item.start, item.end, item);
  }

  isRoot(): boolean {
    return this.parent === null;
  }

  get from(): LocalDate {
    return this.start as LocalDate;
  }

  get to(): LocalDate {
    return this.end as LocalDate;
  }

  single(): TreeItem {
    if (this.items.length !== 1) throw illegalState(`Expected existing node to have only one item`);
    return this.items[0];
  }

  split(date: LocalDate): [TreeNode, TreeNode] {
    const [a, b] = this.single().split(date);
    return [TreeNode.of(a), TreeNode.of(b)];
  }

  addItems(): TreeItem[] {
    return this.items.filter((i) => i.action === 'ADD');
  }

  cancelItem(): TreeItem | undefined {
    return this.items.find((i) => i.action === 'CANCEL');
  }

  walk(visit: (node: TreeNode) => void): void {
    visit(this);
    for (const child of this.children) child.walk(visit);
  }

  find(match: (node: TreeNode) => boolean): TreeNode | undefined {
    if (match(this)) return this;
    for (const child of this.children) {
      const found = child.find(match);
      if (found) return found;
    }
    return undefined;
  }
}

interface InsertionPolicy {
  /** A node with exactly the new node's span exists. */
  onExistingNode(existing: TreeNode, added: TreeNode): void;
  /** Whether the new node goes below `parent`. */
  shouldInsert(parent: TreeNode, added: TreeNode): boolean;
}

/** NodeInterval#addNode: descend to the node containing the new one, splitting it where it straddles a child. */
function addNode(node: TreeNode, added: TreeNode, policy: InsertionPolicy): void {
  if (!node.isRoot() && added.from.isEqual(node.from) && added.to.isEqual(node.to)) {
    policy.onExistingNode(node, added);
    return;
  }
  if (node.isRoot()) {
    if (node.start === null || node.start.isAfter(added.from)) node.start = added.from;
    if (node.end === null || node.end.isBefore(added.to)) node.end = added.to;
  }
  for (let index = 0; index < node.children.length; index++) {
    const child = node.children[index];
    if (added.from.isBefore(child.from)) {
      if (!added.to.isAfter(child.from)) {
        insertAt(node, index, added, policy);
        return;
      }
      const [left, right] = added.split(child.from);
      addNode(node, left, policy);
      addNode(node, right, policy);
      return;
    }
    if (!added.to.isAfter(child.to)) {
      addNode(child, added, policy);
      return;
    }
    if (added.from.isBefore(child.to)) {
      const [left, right] = added.split(child.to);
      addNode(node, left, policy);
      addNode(node, right, policy);
      return;
    }
  }
  insertAt(node, node.children.length, added, policy);
}

function insertAt(parent: TreeNode, index: number, added: TreeNode, policy: InsertionPolicy): void {
  if (!policy.shouldInsert(parent, added)) return;
  added.parent = parent;
  parent.children.splice(index, 0, added);
}

const EXISTING_POLICY: InsertionPolicy = {
  onExistingNode: (existing, added) => existing.items.push(added.single()),
  shouldInsert: () => true,
};

// ---------------------------------------------------------------------------------------------
// Building: what a tree bills (existing mode) or what must be repaired (merge mode)
// ---------------------------------------------------------------------------------------------

/** ItemsInterval#getResulting_ADD_Item with its double-billing check. */
function resultingAddItem(node: TreeNode): TreeItem | undefined {
  if (node.items.length > 2) throw illegalState(`Double billing detected`);
  const adds = node.addItems();
  if (adds.length > 1) throw illegalState(`Double billing detected`);
  let item: TreeItem | undefined = adds[0];
  if (item) {
    const cancelled = new Set<string>();
    const cancel = node.cancelItem();
    if (cancel) {
      if (cancel.linkedId === null) throw illegalState(`Invalid CANCEL item ${cancel.id}`);
      if (cancel.linkedId === item.id) item = undefined;
      else cancelled.add(cancel.linkedId);
    }
    checkDoubleBilling(node, cancelled, new Set<string>());
  }
  return item;
}

/** Every ancestor's billed item must be cancelled (repaired or fully adjusted) where a descendant bills. */
function checkDoubleBilling(node: TreeNode, cancelled: Set<string>, toBeCancelled: Set<string>): void {
  const parent = node.parent;
  if (parent === null) {
    const same = cancelled.size === toBeCancelled.size && [...cancelled].every((id) => toBeCancelled.has(id));
    if (!same) throw illegalState(`Double billing detected: addItemsCancelled=${[...cancelled].join(',')}, addItemsToBeCancelled=${[...toBeCancelled].join(',')}`);
    return;
  }
  const parentAdd = resultingAddItem(parent);
  if (parentAdd) {
    toBeCancelled.add(parentAdd.id);
    if (parentAdd.isFullyAdjusted()) cancelled.add(parentAdd.id);
  }
  const parentCancel = parent.cancelItem();
  if (parentCancel?.linkedId) cancelled.add(parentCancel.linkedId);
  checkDoubleBilling(parent, cancelled, toBeCancelled);
}

/**
 * NodeInterval#build then ItemsNodeInterval's join: each span not covered by a child yields the
 * node's resulting item for that span (existing mode: what is billed there; merge mode: the repair
 * of what is no longer proposed); pieces of the same item are joined back.
 */
function buildTree(root: TreeNode, mergeMode: boolean): TreeItem[] {
  const output: TreeItem[] = [];
  const resulting = (node: TreeNode): TreeItem | undefined => {
    if (!mergeMode) return resultingAddItem(node);
    if (node.items.length > 1) throw illegalState(`Too many items in a merged node`);
    return node.cancelItem();
  };
  const onMissingInterval = (node: TreeNode, start: LocalDate, end: LocalDate) => {
    const item = resulting(node);
    if (!item) return;
    const amount = item.amountFor(start, end);
    item.repairedAmount = item.repairedAmount.plus(amount);
    output.push(
      item.action === 'ADD'
        ? new TreeItem(item.source, item.id, 'ADD', item.linkedId, start, end, amount, item.fixedDays)
        : // a repair piece is an item of its own (a new REPAIR_ADJ): never joined with another one
          new TreeItem(item.source, `${item.id}/${start.toString()}`, 'CANCEL', item.linkedId, start, end, amount, item.fixedDays),
    );
  };
  const visit = (node: TreeNode) => {
    if (node.children.length === 0) {
      const item = node.start === null ? undefined : resulting(node);
      if (item) output.push(item);
      return;
    }
    let current = node.from;
    for (const child of node.children) {
      if (child.from.isAfter(current)) onMissingInterval(node, current, child.from);
      visit(child);
      current = child.to;
    }
    if (current.isBefore(node.to)) onMissingInterval(node, current, node.to);
  };
  visit(root);

  const byId = new Map<string, TreeItem[]>();
  for (const item of output) {
    const list = byId.get(item.id);
    if (list) list.push(item);
    else byId.set(item.id, [item]);
  }
  const joined: TreeItem[] = [];
  for (const pieces of byId.values()) {
    pieces.sort((a, b) => a.start.compareTo(b.start));
    let previous = pieces[0];
    for (const piece of pieces.slice(1)) {
      if (previous.end.isEqual(piece.start)) {
        previous = previous.withSpan(previous.start, piece.end, previous.amount.plus(piece.amount));
      } else {
        joined.push(previous);
        previous = piece;
      }
    }
    joined.push(previous);
  }
  return joined;
}

/** ItemsNodeInterval#validateTree on the existing items. */
function validateExistingTree(root: TreeNode): void {
  root.walk((node) => {
    if (node.isRoot()) return;
    for (const cancel of node.items.filter((i) => i.action === 'CANCEL')) {
      for (const child of node.children) {
        child.walk((n) => {
          if (n.items.some((i) => i.action === 'ADD' && i.id === cancel.linkedId)) throw illegalState(`Invalid cancelledItem for cancelItem=${cancel.source.id}`);
        });
      }
      if (!root.find((n) => n.items.some((i) => i.action === 'ADD' && i.id === cancel.linkedId))) {
        throw illegalState(`Missing cancelledItem for cancelItem=${cancel.source.id}`);
      }
    }
    for (const add of node.addItems()) {
      if (node.children.length > 0) {
        // Kill Bill walks the left child's subtree only (walkTree from it never visits its siblings):
        // several partial repairs of one item, each carrying the item's full amount, are valid
        let repaired = new Big(0);
        node.children[0].walk((n) => {
          const cancel = n.items.find((i) => i.action === 'CANCEL' && i.linkedId === add.id);
          if (cancel) repaired = repaired.plus(cancel.amount);
        });
        if (add.netAmount().lt(repaired)) throw illegalState(`Item ${add.id} overly repaired`);
      }
      if (add.isFullyAdjusted()) {
        const first = node.children[0];
        if (first && first.items.length === 1 && first.items[0].action === 'ADD') node.items = node.items.filter((i) => i !== add);
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// One subscription (SubscriptionItemTree)
// ---------------------------------------------------------------------------------------------

/** Kill Bill's InvoiceItem#matches for FIXED and $0 RECURRING items, which the tree does not hold. */
function matches(a: InvoiceItemRecord, b: InvoiceItemRecord): boolean {
  const sameDate = (x: LocalDate | null, y: LocalDate | null) => (x === null ? y === null : y !== null && x.isEqual(y));
  const sameBig = (x: Big | null, y: Big | null) => (x === null ? y === null : y !== null && x.eq(y));
  return (
    a.type === b.type &&
    a.accountId === b.accountId &&
    a.childAccountId === b.childAccountId &&
    a.bundleId === b.bundleId &&
    a.subscriptionId === b.subscriptionId &&
    sameDate(a.startDate, b.startDate) &&
    (a.type === 'FIXED' || sameDate(a.endDate, b.endDate)) &&
    sameBig(a.amount, b.amount) &&
    sameBig(a.rate, b.rate) &&
    a.currency === b.currency &&
    a.phaseName === b.phaseName &&
    a.planName === b.planName
  );
}

export class SubscriptionItemTree {
  private root: TreeNode = new TreeNode(null, null, null);
  private items: TreeItem[] = [];
  private readonly existingIgnored: InvoiceItemRecord[] = [];
  private readonly remainingIgnored: InvoiceItemRecord[] = [];
  private readonly pendingAdjustments: InvoiceItemRecord[] = [];
  private built = false;

  constructor(private readonly fixedDays: number) {}

  addExistingItem(item: InvoiceItemRecord): void {
    switch (item.type) {
      case 'RECURRING':
        if (item.amount.eq(0)) this.existingIgnored.push(item);
        else addNode(this.root, TreeNode.of(TreeItem.of(item, 'ADD', this.fixedDays)), EXISTING_POLICY);
        break;
      case 'REPAIR_ADJ':
        addNode(this.root, TreeNode.of(TreeItem.of(item, 'CANCEL', this.fixedDays)), EXISTING_POLICY);
        break;
      case 'FIXED':
        this.existingIgnored.push(item);
        break;
      case 'ITEM_ADJ':
        this.pendingAdjustments.push(item);
        break;
      default:
        break;
    }
  }

  /**
   * What the existing items bill, piece by piece, net of repairs and item adjustments (Kill Bill's
   * build() then getView()): pieces of one item prorated over its own span.
   */
  billedView(): { readonly id: string; readonly start: LocalDate; readonly end: LocalDate; readonly amount: Big }[] {
    return this.billedItems().map((i) => ({ id: i.id, start: i.start, end: i.end, amount: i.amount }));
  }

  /** Builds the existing tree and reverses what it bills: the proposed items will cancel what they match. */
  flatten(): void {
    const billed = this.billedItems();
    this.root = new TreeNode(null, null, null);
    for (const item of billed) addNode(this.root, TreeNode.of(item.reversed()), EXISTING_POLICY);
  }

  private billed: TreeItem[] | null = null;

  private billedItems(): TreeItem[] {
    if (this.billed !== null) return this.billed;
    for (const adjustment of this.pendingAdjustments) {
      if (this.existingIgnored.some((i) => i.id === adjustment.linkedItemId)) continue;
      const node = this.root.find((n) => n.items.some((i) => i.id === adjustment.linkedItemId));
      const target = node?.items.find((i) => i.id === adjustment.linkedItemId);
      if (!target) throw illegalState(`Unable to find item interval for id='${adjustment.linkedItemId ?? ''}'`);
      const increment = adjustment.amount.times(-1);
      if (!increment.gt(0)) throw illegalState(`Invalid adjustment increment='${increment.toFixed()}'`);
      target.adjustedAmount = target.adjustedAmount.plus(increment);
    }
    validateExistingTree(this.root);
    this.billed = buildTree(this.root, false);
    return this.billed;
  }

  mergeProposedItem(item: InvoiceItemRecord): void {
    if (this.existingIgnored.some((i) => matches(i, item))) return;
    if (item.type === 'FIXED') {
      this.remainingIgnored.push(item);
      return;
    }
    if (item.type !== 'RECURRING') throw illegalState(`Unexpected proposed item ${item.id}`);
    const kept: TreeNode[] = [];
    addNode(this.root, TreeNode.of(TreeItem.of(item, 'ADD', this.fixedDays)), {
      onExistingNode: (existing, added) => {
        const proposed = added.single();
        if (existing.single().isSameKind(proposed)) {
          if (existing.single().action !== 'CANCEL') throw illegalState(`Overlapping proposed items ${proposed.id}`);
          existing.items = [];
        } else {
          kept.push(added);
        }
      },
      shouldInsert: (parent, added) => {
        // At the top level nothing is billed: the proposed piece is new
        if (parent.isRoot() || !parent.single().isSameKind(added.single())) {
          kept.push(added);
          return false;
        }
        return true;
      },
    });
    for (const node of kept) this.items.push(...node.items);
  }

  /** The proposed pieces kept and the repairs, ordered as Kill Bill checks them. */
  result(): { proposed: TreeItem[]; repairs: TreeItem[]; fixed: InvoiceItemRecord[] } {
    if (this.built) throw illegalState('Tree already built');
    this.built = true;
    const proposed = joinPieces(this.items);
    const repairs = buildTree(this.root, true).filter((i) => i.action === 'CANCEL');
    return { proposed, repairs, fixed: this.remainingIgnored };
  }
}

function joinPieces(items: readonly TreeItem[]): TreeItem[] {
  const byId = new Map<string, TreeItem[]>();
  for (const item of items) byId.set(item.id, [...(byId.get(item.id) ?? []), item]);
  const result: TreeItem[] = [];
  for (const pieces of byId.values()) {
    pieces.sort((a, b) => a.start.compareTo(b.start));
    let previous = pieces[0];
    for (const piece of pieces.slice(1)) {
      if (previous.end.isEqual(piece.start)) previous = previous.withSpan(previous.start, piece.end, previous.amount.plus(piece.amount));
      else {
        result.push(previous);
        previous = piece;
      }
    }
    result.push(previous);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// The account (AccountItemTree)
// ---------------------------------------------------------------------------------------------

/**
 * Merges the proposed FIXED and RECURRING items with the existing items of the account: the
 * proposed ones not billed yet (RECURRING possibly in pieces) and the repairs of billed periods
 * no longer proposed.
 */
export function mergeWithExistingItems(
  existing: readonly InvoiceItemRecord[],
  proposed: readonly InvoiceItemRecord[],
  fixedDays: number,
): TreeResultItem[] {
  const pruned = fullyRepairedItemIds(existing);
  const considered = existing.filter((i) => !pruned.has(i.id));
  const byId = new Map(considered.map((i) => [i.id, i]));
  const trees = new Map<string, SubscriptionItemTree>();
  const treeOf = (subscriptionId: string) => {
    let tree = trees.get(subscriptionId);
    if (!tree) trees.set(subscriptionId, (tree = new SubscriptionItemTree(fixedDays)));
    return tree;
  };

  for (const item of considered) {
    let subscriptionId: string | null;
    if (item.type === 'RECURRING' || item.type === 'FIXED') {
      subscriptionId = item.subscriptionId;
    } else if (item.type === 'REPAIR_ADJ' || item.type === 'ITEM_ADJ') {
      const linked = item.linkedItemId === null ? undefined : byId.get(item.linkedItemId);
      // an adjustment of an external charge, a tax… is no concern of the tree
      if (item.type === 'ITEM_ADJ' && linked && linked.type !== 'RECURRING' && linked.type !== 'FIXED') continue;
      if (!linked) {
        if (item.type === 'REPAIR_ADJ') throw illegalState(`Missing cancelledItem for cancelItem=${item.id}`);
        // AccountItemTree#build: an item adjustment of no known item cannot be placed in any tree
        throw illegalState(`Missing subscription id for ITEM_ADJ ${item.id}`);
      }
      subscriptionId = linked.subscriptionId;
    } else {
      continue;
    }
    if (subscriptionId === null) continue;
    treeOf(subscriptionId).addExistingItem(item);
  }

  for (const tree of trees.values()) tree.flatten();
  for (const item of proposed) {
    if (item.subscriptionId === null) throw illegalState(`Proposed item without subscription ${item.id}`);
    treeOf(item.subscriptionId).mergeProposedItem(item);
  }

  const result: TreeResultItem[] = [];
  for (const tree of trees.values()) {
    const { proposed: kept, repairs, fixed } = tree.result();
    const view: TreeResultItem[] = [
      ...fixed.map((f): TreeResultItem => ({ kind: 'PROPOSED', source: f, start: f.startDate, end: f.endDate, amount: f.amount })),
      ...kept.map((i): TreeResultItem => ({ kind: 'PROPOSED', source: i.source, start: i.start, end: i.end, amount: i.amount })),
      ...repairs.map((i): TreeResultItem => ({ kind: 'REPAIR', repaired: repairedItemOf(i, byId), start: i.start, end: i.end, amount: i.amount })),
    ];
    checkView(view);
    result.push(...view);
  }
  return result;
}

function repairedItemOf(repair: TreeItem, byId: ReadonlyMap<string, InvoiceItemRecord>): InvoiceItemRecord {
  const linked = repair.linkedId === null ? undefined : byId.get(repair.linkedId);
  if (!linked) throw illegalState(`Repair of an unknown item ${repair.linkedId ?? ''}`);
  return linked;
}

const TYPE_ORDER: Record<string, number> = { FIXED: 0, RECURRING: 1, REPAIR_ADJ: 2 };

/** SubscriptionItemTree#getView's ordering and checkItemsListState: recurring items and repairs never overlap. */
function checkView(view: TreeResultItem[]): void {
  const typeOf = (i: TreeResultItem) => (i.kind === 'REPAIR' ? 'REPAIR_ADJ' : i.source.type);
  view.sort((a, b) => {
    const byStart = a.start.compareTo(b.start);
    if (byStart !== 0) return byStart;
    const byType = TYPE_ORDER[typeOf(a)] - TYPE_ORDER[typeOf(b)];
    if (byType !== 0) return byType;
    throw illegalState(`Unexpected list of items: two ${typeOf(a)} starting on ${a.start.toString()}`);
  });
  let recurringEnd: LocalDate | null = null;
  let repairEnd: LocalDate | null = null;
  for (const item of view) {
    const type = typeOf(item);
    if (type === 'RECURRING') {
      if (recurringEnd !== null && recurringEnd.isAfter(item.start)) throw illegalState(`Overlapping RECURRING items`);
      recurringEnd = item.end;
    } else if (type === 'REPAIR_ADJ') {
      if (repairEnd !== null && repairEnd.isAfter(item.start)) throw illegalState(`Overlapping REPAIR_ADJ items`);
      repairEnd = item.end;
    }
  }
}
