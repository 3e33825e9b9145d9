import { firstDayOf, type YearMonth } from '../../functions/domain/calendar';
import { canonicalJson } from '../../functions/domain/canonical-json';
import { factKey } from '../../functions/store/dynamodb/fact-items';
import { customerNameKeys, customerNamePk, nameSortPrefix } from '../../functions/store/dynamodb/contract-items';
import { namePartitionOf, normaliseCustomerName } from '../../functions/domain/customer-name';
import type { Contract } from '../../functions/domain/contract';
import { renewalDueMonth } from '../../functions/domain/contract-lifecycle';
import { InvalidCursorError } from '../../functions/domain/errors';
import type { OutboundEvent } from '../../functions/domain/outbound-events';
import type { LookupStore } from '../../functions/store/lookup-store';
import type { OrderStore } from '../../functions/store/order-store';
import type { OutboxStore } from '../../functions/store/outbox-store';
import type {
  ContractFact,
  ContractPage,
  CustomerPage,
  DuePage,
  LineRecord,
  NewOrder,
  OrderKey,
  OrderRecord,
  OutboxKey,
  WriteResult,
} from '../../functions/store/records';
import type { RenewalStore } from '../../functions/store/renewal-store';

/**
 * The four store ports in memory, for the use-case tests (test/use-cases/): the same
 * conditions and results as the DynamoDB implementation (functions/store/dynamodb/), its
 * reference, in microseconds. DynamoDB Local stays for the store's own tests and end to end.
 *
 * - Every write checks its conditions and applies its items with no await in between:
 *   atomic, as a transaction is. Conditions fail in the DynamoDB order of meaning:
 *   `order-exists` before `stale` before an impossible one (thrown).
 * - The indexes are computed from the contracts on every query, with the keys
 *   ContractItems.item gives them (customer, line, renewal due sharded by FNV-1a,
 *   renewal month, customer name); unlike DynamoDB's, they never lag.
 * - What goes in and what comes out is a deep copy: a use case cannot change stored
 *   state except through a write.
 * - `beforeNextWrite` runs a test's function just before a write checks its conditions:
 *   a concurrent change (the write then finds its read stale) or an injected failure.
 */
export type WriteKind = 'createContract' | 'updateContract' | 'recordOrder' | 'requeueOutcome' | 'saveRenewal' | 'putFact' | 'markPublished';

/** A FACT item as the DynamoDB store keeps it (fact-items.ts). */
export interface FactItem extends OutboxKey {
  contractId: string;
  outcome: OutboundEvent;
  published: boolean;
  at: string;
}

/** An item of the one outbox still to publish: an order's outcome or a fact. */
export interface UnpublishedItem {
  key: OutboxKey;
  outcome: OutboundEvent;
}

/** One write the store was asked for, and what it answered (`threw` when its hook or condition threw). */
export interface WriteLogEntry {
  kind: WriteKind;
  result: string;
}

type Hook = (store: InMemoryStore) => void | Promise<void>;

const ORDER_PREFIX = 'ORDER#';
const orderPk = (orderId: string) => `${ORDER_PREFIX}${orderId}`;
const keyOf = (key: OutboxKey) => `${key.PK}\u0000${key.SK}`;
const copy = <T>(value: T): T => structuredClone(value);
const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
const byStart = (contract: Contract) => `${contract.startDate}#${contract.contractId}`;

/** A page token: the index it pages, the partition, and the last sort key handed out. */
interface Cursor {
  index: 'GSI3' | 'GSI4' | 'GSI6';
  partition: string;
  after: string;
}

export class InMemoryStore implements OrderStore, LookupStore, RenewalStore, OutboxStore {
  readonly renewalShards: number;
  private readonly contractItems = new Map<string, Contract>();
  private readonly lineItems = new Map<string, LineRecord>();
  private readonly orderItems = new Map<string, OrderRecord>();
  private readonly factItems = new Map<string, FactItem>();
  private readonly hooks: Array<{ hook: Hook; only: WriteKind | null }> = [];
  private readonly log: WriteLogEntry[] = [];

  constructor(renewalShards = 4) {
    if (!Number.isInteger(renewalShards) || renewalShards < 1) throw new Error(`renewalShards must be a whole number of 1 or more, not ${renewalShards}`);
    this.renewalShards = renewalShards;
  }

  // ---- test helpers ---------------------------------------------------------------

  /**
   * Runs `hook` once, just before the next write (of kind `only`, if given) checks its
   * conditions: a concurrent change through the store's own methods (the hook is taken off
   * before it runs, so its own writes do not run it again), or a throw that fails the
   * write as DynamoDB would, writing nothing.
   */
  beforeNextWrite(hook: Hook, only: WriteKind | null = null): this {
    this.hooks.push({ hook, only });
    return this;
  }

  /** The next write (of kind `only`, if given) fails with `error` and writes nothing. */
  failNextWrite(error: Error = new Error('Service unavailable (injected)'), only: WriteKind | null = null): this {
    return this.beforeNextWrite(() => {
      throw error;
    }, only);
  }

  /** Hooks not yet run: a test that set one expects it to have fired. */
  pendingHooks(): number {
    return this.hooks.length;
  }

  /** Every write asked for so far, in order, with its result. */
  writes(): WriteLogEntry[] {
    return copy(this.log);
  }

  /** Puts a contract as it is, no order or line item with it (as bench/seed.ts seeds the table). */
  seedContract(contract: Contract): void {
    this.contractItems.set(contract.contractId, copy(contract));
  }

  /** Every contract, by id. */
  contracts(): Contract[] {
    return [...this.contractItems.values()].sort(byKey((c) => c.contractId)).map(copy);
  }

  /** Every order item (each slot), by orderId and slot. */
  orders(): OrderRecord[] {
    return [...this.orderItems.values()].sort(byKey((o) => `${o.orderId}\u0000${o.slot}`)).map(copy);
  }

  /** Every FACT item (ContractRenewed `TERM#<n>`, notices `NOTICE#<n>`), by key. */
  facts(): FactItem[] {
    return [...this.factItems.values()].sort(byKey(keyOf)).map(copy);
  }

  /** The outbox items not yet marked published: orders first, then facts, each by key. */
  unpublished(): UnpublishedItem[] {
    return [
      ...this.orders()
        .filter((o) => !o.published)
        .map((o) => ({ key: { PK: orderPk(o.orderId), SK: o.slot }, outcome: o.outcome })),
      ...this.facts()
        .filter((f) => !f.published)
        .map((f) => ({ key: { PK: f.PK, SK: f.SK }, outcome: f.outcome })),
    ];
  }

  /** The renewal shard of a contract: FNV-1a of its id, as ContractItems.shardOf. */
  shardOf(contractId: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < contractId.length; i++) {
      hash ^= contractId.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0) % this.renewalShards;
  }

  // ---- reads ----------------------------------------------------------------------

  async getContract(contractId: string): Promise<Contract | null> {
    const contract = this.contractItems.get(contractId);
    return contract ? copy(contract) : null;
  }

  async getContracts(contractIds: string[]): Promise<Contract[]> {
    return contractIds.flatMap((id) => {
      const contract = this.contractItems.get(id);
      return contract ? [copy(contract)] : [];
    });
  }

  async getLine(lineId: string): Promise<LineRecord | null> {
    const line = this.lineItems.get(lineId);
    return line ? copy(line) : null;
  }

  async getOrder(key: OrderKey, _options?: { withinMs?: number }): Promise<OrderRecord | null> {
    const order = this.orderItems.get(this.orderKey(key));
    return order ? copy(order) : null;
  }

  async contractsOfCustomer(customerId: string): Promise<Contract[]> {
    return this.sortedBy((c) => c.customer.customerId === customerId, byStart);
  }

  async contractsOnLine(lineId: string): Promise<Contract[]> {
    return this.sortedBy((c) => c.lineId === lineId, byStart);
  }

  /** GSI4: a contract with a term, unless a cancellation takes effect before the first day of its renewal month; by contractId. */
  async contractsInRenewalMonth(month: YearMonth, cursor: string | null, limit: number): Promise<ContractPage> {
    const listed = this.sortedBy(
      (c) => c.term !== null && c.term.renewalMonth === month && (c.cancellation === null || c.cancellation.effectiveDate >= firstDayOf(c.term.renewalMonth)),
      (c) => c.contractId,
    );
    const page = this.page(
      listed.map((contract) => ({ sortKey: contract.contractId, value: contract })),
      'GSI4',
      month,
      cursor,
      limit,
    );
    return { contracts: page.values, cursor: page.cursor };
  }

  /**
   * GSI6: the contracts keyed under the prefix's partition whose sort key begins with it, in
   * DynamoDB's order (UTF-8 bytes); grouped by customer, `limit` customers a page, a page
   * ending only where a customer's rows do.
   */
  async customersByNamePrefix(prefix: string, cursor: string | null, limit: number): Promise<CustomerPage> {
    const partition = namePartitionOf(prefix);
    if (partition === null || !Number.isInteger(limit) || limit < 1) throw new Error(`a name search needs a normalised prefix and a limit of 1 or more`);
    const pk = customerNamePk(partition);
    const sortPrefix = nameSortPrefix(prefix);
    const after = cursor === null ? null : decodeCursor(cursor, 'GSI6', pk);
    if (after !== null && !after.startsWith(sortPrefix)) throw new InvalidCursorError('nextToken');
    const rows = [...this.contractItems.values()]
      .flatMap((contract) => {
        const keys = customerNameKeys(contract);
        return keys && keys.GSI6PK === pk && keys.GSI6SK.startsWith(sortPrefix) ? [{ sortKey: keys.GSI6SK, contract }] : [];
      })
      .filter((row) => normaliseCustomerName(row.contract.customer.name).startsWith(prefix))
      .sort((a, b) => Buffer.compare(Buffer.from(a.sortKey), Buffer.from(b.sortKey)))
      .filter((row) => after === null || Buffer.compare(Buffer.from(row.sortKey), Buffer.from(after)) > 0);
    const customers = new Map<string, Contract[]>();
    let last: string | null = null;
    for (const { sortKey, contract } of rows) {
      const { customerId } = contract.customer;
      if (!customers.has(customerId) && customers.size === limit && last !== null) {
        return { customers: grouped(customers), cursor: encodeCursor({ index: 'GSI6', partition: pk, after: last }) };
      }
      customers.set(customerId, [...(customers.get(customerId) ?? []), copy(contract)]);
      last = sortKey;
    }
    return { customers: grouped(customers), cursor: null };
  }

  /** GSI3: the shard's contracts that will renew, by `<dueMonth>#<contractId>`, those before `month`. */
  async dueForRenewal(shard: number, month: YearMonth, cursor: string | null, limit: number): Promise<DuePage> {
    const due = [...this.contractItems.values()].flatMap((contract) => {
      const dueMonth = renewalDueMonth(contract);
      if (dueMonth === null || this.shardOf(contract.contractId) !== shard) return [];
      const sortKey = `${dueMonth}#${contract.contractId}`;
      // '<month>#<id>' < '<M>' exactly when month < M, as the DynamoDB key condition reads it.
      return sortKey < month ? [{ sortKey, value: contract.contractId }] : [];
    });
    const page = this.page(due.sort(byKey((d) => d.sortKey)), 'GSI3', String(shard), cursor, limit);
    return { contractIds: page.values, cursor: page.cursor };
  }

  // ---- writes ---------------------------------------------------------------------

  async createContract(order: NewOrder, contract: Contract, line: LineRecord | null): Promise<WriteResult> {
    return this.write('createContract', (): WriteResult => {
      const stored = this.lineItems.get(contract.lineId);
      const lineChanged = line === null ? stored !== undefined : stored?.version !== line.version;
      if (this.orderItems.has(this.orderKey(order))) return { status: 'order-exists' };
      if (lineChanged) return { status: 'stale' };
      // A fresh random contract id: a collision would be a bug, never a race.
      if (this.contractItems.has(contract.contractId)) throw new Error(`write refused by a condition that cannot fail: contract ${contract.contractId} exists`);
      this.putOrder(order);
      this.contractItems.set(contract.contractId, copy(contract));
      this.lineItems.set(contract.lineId, {
        lineId: contract.lineId,
        contractIds: [...(line?.contractIds ?? []), contract.contractId],
        version: (line?.version ?? 0) + 1,
      });
      return { status: 'written' };
    });
  }

  async updateContract(order: NewOrder, contract: Contract, expectedVersion: number): Promise<WriteResult> {
    return this.write('updateContract', (): WriteResult => {
      if (this.orderItems.has(this.orderKey(order))) return { status: 'order-exists' };
      if (this.contractItems.get(contract.contractId)?.version !== expectedVersion) return { status: 'stale' };
      this.putOrder(order);
      this.contractItems.set(contract.contractId, copy(contract));
      return { status: 'written' };
    });
  }

  async recordOrder(order: NewOrder): Promise<WriteResult> {
    return this.write('recordOrder', (): WriteResult => {
      if (this.orderItems.has(this.orderKey(order))) return { status: 'order-exists' };
      this.putOrder(order);
      return { status: 'written' };
    });
  }

  async requeueOutcome(key: OrderKey, seenLeaseUntil: number, leaseUntil: number): Promise<boolean> {
    return this.write('requeueOutcome', () => {
      const stored = this.orderItems.get(this.orderKey(key));
      if (!stored || stored.published !== false || stored.leaseUntil !== seenLeaseUntil) return false;
      stored.leaseUntil = leaseUntil;
      return true;
    });
  }

  /**
   * The renewed contract at `expectedVersion` with its facts. As the DynamoDB store, a failed
   * version check that finds exactly this contract stored counts as written (a resend, L4).
   */
  async saveRenewal(contract: Contract, expectedVersion: number, facts: ContractFact[]): Promise<'written' | 'stale'> {
    return this.write('saveRenewal', () => {
      const stored = this.contractItems.get(contract.contractId);
      if (stored?.version !== expectedVersion) return stored !== undefined && canonicalJson(stored) === canonicalJson(contract) ? 'written' : 'stale';
      // A fact of a term not yet renewed cannot exist while the contract is at the version read.
      const existing = facts.map(factKey).filter((key) => this.factItems.has(keyOf(key)));
      if (existing.length > 0) throw new Error(`write refused by a condition that cannot fail: ${existing.map((k) => `${k.PK} ${k.SK}`).join(', ')} exists`);
      this.contractItems.set(contract.contractId, copy(contract));
      for (const fact of facts) this.putFactItem(fact);
      return 'written';
    });
  }

  async putFact(fact: ContractFact): Promise<'written' | 'exists'> {
    return this.write('putFact', () => {
      if (this.factItems.has(keyOf(factKey(fact)))) return 'exists';
      this.putFactItem(fact);
      return 'written';
    });
  }

  async markPublished(key: OutboxKey): Promise<void> {
    return this.write('markPublished', () => {
      const item = key.PK.startsWith(ORDER_PREFIX)
        ? this.orderItems.get(this.orderKey({ orderId: key.PK.slice(ORDER_PREFIX.length), slot: key.SK }))
        : this.factItems.get(keyOf(key));
      // attribute_exists(PK) on a missing item: DynamoDB's ConditionalCheckFailedException.
      if (!item) throw Object.assign(new Error(`The conditional request failed: no item ${key.PK} ${key.SK}`), { name: 'ConditionalCheckFailedException' });
      item.published = true;
      if ('leaseUntil' in item) item.leaseUntil = 0;
    });
  }

  // ---- internals ------------------------------------------------------------------

  /** Runs the first hook meant for this write, then the write itself with no await between its check and its effect. */
  private async write<R>(kind: WriteKind, apply: () => R): Promise<R> {
    const index = this.hooks.findIndex((h) => h.only === null || h.only === kind);
    try {
      if (index >= 0) {
        const [{ hook }] = this.hooks.splice(index, 1);
        await hook(this);
      }
      const result = apply();
      this.log.push({ kind, result: describeResult(result) });
      return result;
    } catch (error) {
      this.log.push({ kind, result: 'threw' });
      throw error;
    }
  }

  private orderKey(key: OrderKey): string {
    return keyOf({ PK: orderPk(key.orderId), SK: key.slot });
  }

  private putOrder(order: NewOrder): void {
    const { orderId, slot, fingerprint, outcome, leaseUntil, at } = copy(order);
    this.orderItems.set(this.orderKey(order), { orderId, slot, fingerprint, outcome, published: false, leaseUntil, at });
  }

  private putFactItem(fact: ContractFact): void {
    const key = factKey(fact);
    this.factItems.set(keyOf(key), { ...key, contractId: fact.contractId, outcome: copy(fact.outcome), published: false, at: fact.at });
  }

  private sortedBy(filter: (contract: Contract) => boolean, sortKey: (contract: Contract) => string): Contract[] {
    return [...this.contractItems.values()].filter(filter).sort(byKey(sortKey)).map(copy);
  }

  /** One page after the cursor's key; a cursor only when more remain. */
  private page<T>(items: Array<{ sortKey: string; value: T }>, index: Cursor['index'], partition: string, cursor: string | null, limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a whole number of 1 or more, not ${limit}`);
    const after = cursor === null ? null : decodeCursor(cursor, index, partition);
    const rest = after === null ? items : items.filter((item) => item.sortKey > after);
    const taken = rest.slice(0, limit);
    const last = taken.at(-1);
    return {
      values: taken.map((item) => item.value),
      cursor: rest.length > limit && last ? encodeCursor({ index, partition, after: last.sortKey }) : null,
    };
  }
}

/** A write's answer in the log: its status, true/false, or `written` for one that answers nothing. */
function describeResult(result: unknown): string {
  if (result === undefined) return 'written';
  if (typeof result === 'string' || typeof result === 'boolean') return String(result);
  return (result as WriteResult).status;
}

const grouped = (customers: Map<string, Contract[]>): CustomerPage['customers'] => [...customers].map(([customerId, contracts]) => ({ customerId, contracts }));

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The last key of a cursor this store gave for the same query; anything else is refused as the API's bad token. */
function decodeCursor(token: string, index: Cursor['index'], partition: string): string {
  try {
    const cursor: unknown = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (typeof cursor === 'object' && cursor !== null) {
      const { index: i, partition: p, after } = cursor as Partial<Cursor>;
      if (i === index && p === partition && typeof after === 'string' && after.length > 0) return after;
    }
  } catch {
    // falls through to the refusal
  }
  throw new InvalidCursorError('nextToken');
}
