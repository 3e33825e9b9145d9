import type { Contract } from '../domain/contract';
import { ContractItems } from './dynamodb/contract-items';
import { LineItems } from './dynamodb/line-items';
import { OrderItems } from './dynamodb/order-items';
import { NOT_EXISTS, type DynamoDbTable } from './dynamodb/table';
import type { LineRecord, NewOrder, OrderKey, OrderRecord, WriteResult } from './records';

/**
 * What the order use cases store and read (functions/use-cases/process-*.ts). Writes are
 * conditional; a write that loses a race says so in its result, and the use case decides again.
 */
export interface OrderStore {
  /** One strongly consistent read: the contract with its history. */
  getContract(contractId: string): Promise<Contract | null>;
  /** Strongly consistent; missing ids are left out, order follows `contractIds`. */
  getContracts(contractIds: string[]): Promise<Contract[]>;
  /** Strongly consistent: what R7 decides on. */
  getLine(lineId: string): Promise<LineRecord | null>;
  /** `withinMs`: the most the read may take, all attempts included (a failed invocation's remaining time). */
  getOrder(key: OrderKey, options?: { withinMs?: number }): Promise<OrderRecord | null>;
  /**
   * The order, the contract and the line in one transaction. `line` is the line as read
   * (null: assumed never used); the write fails as `stale` if it changed since.
   */
  createContract(order: NewOrder, contract: Contract, line: LineRecord | null): Promise<WriteResult>;
  /** The order and the contract's next state in one transaction, conditioned on `expectedVersion`. */
  updateContract(order: NewOrder, contract: Contract, expectedVersion: number): Promise<WriteResult>;
  /** An order refused without a state change: only its outcome is kept. */
  recordOrder(order: NewOrder): Promise<WriteResult>;
  /**
   * Renews the publishing lease of an unpublished outcome if it is still `seenLeaseUntil`:
   * the write puts the order on the table's stream again, for the outcome publisher.
   */
  requeueOutcome(key: OrderKey, seenLeaseUntil: number, leaseUntil: number): Promise<boolean>;
}

export function dynamoDbOrderStore(table: DynamoDbTable): OrderStore {
  const contracts = new ContractItems(table);
  const orders = new OrderItems(table);
  const lines = new LineItems(table);
  return {
    getContract: (contractId) => contracts.get(contractId),
    getContracts: (contractIds) => contracts.getMany(contractIds),
    getLine: (lineId) => lines.get(lineId),
    getOrder: (key, options) => orders.get(key, options),
    createContract: (order, contract, line) =>
      table.transact(
        [
          orders.put(order),
          { Put: { TableName: table.name, Item: contracts.item(contract), ConditionExpression: NOT_EXISTS } },
          lines.putWith(contract.lineId, line, contract.contractId),
        ],
        // A fresh random contract id: a collision would be a bug, never a race.
        ['order-exists', 'impossible', 'stale'],
      ),
    updateContract: (order, contract, expectedVersion) =>
      table.transact(
        [orders.put(order), { Put: { TableName: table.name, Item: contracts.item(contract), ...table.atVersion(expectedVersion) } }],
        ['order-exists', 'stale'],
      ),
    recordOrder: (order) => orders.record(order),
    requeueOutcome: (key, seenLeaseUntil, leaseUntil) => orders.requeue(key, seenLeaseUntil, leaseUntil),
  };
}
