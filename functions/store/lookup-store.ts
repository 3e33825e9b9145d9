import type { YearMonth } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { ContractItems } from './dynamodb/contract-items';
import { OrderItems } from './dynamodb/order-items';
import type { DynamoDbTable } from './dynamodb/table';
import type { ContractPage, CustomerPage, OrderKey, OrderRecord } from './records';

/** What the customer-service lookups read (functions/use-cases/lookups.ts): one or two reads each. */
export interface LookupStore {
  /** One strongly consistent read: the contract with its history. */
  getContract(contractId: string): Promise<Contract | null>;
  /**
   * The customer's contracts by start date, from one index query: eventually consistent,
   * so a contract written a moment ago may be missing, or show its previous state.
   */
  contractsOfCustomer(customerId: string): Promise<Contract[]>;
  /** Every contract the line has had, by start date: one index query, eventually consistent like contractsOfCustomer. */
  contractsOnLine(lineId: string): Promise<Contract[]>;
  getOrder(key: OrderKey): Promise<OrderRecord | null>;
  /** The Prime Plus contracts whose current term's renewal month is `month`, still live in it; one index Query per page, eventually consistent. */
  contractsInRenewalMonth(month: YearMonth, cursor: string | null, limit: number): Promise<ContractPage>;
  /**
   * Up to `limit` customers whose normalised name (functions/domain/customer-name.ts) starts
   * with `prefix`, already normalised and at least NAME_PREFIX.min characters; one index
   * Query per page, eventually consistent. A customer is never cut across two pages.
   */
  customersByNamePrefix(prefix: string, cursor: string | null, limit: number): Promise<CustomerPage>;
}

export function dynamoDbLookupStore(table: DynamoDbTable): LookupStore {
  const contracts = new ContractItems(table);
  const orderItems = new OrderItems(table);
  return {
    contractsOfCustomer: (customerId) => contracts.ofCustomer(customerId),
    contractsOnLine: (lineId) => contracts.onLine(lineId),
    contractsInRenewalMonth: (month, cursor, limit) => contracts.inRenewalMonth(month, cursor, limit),
    customersByNamePrefix: (prefix, cursor, limit) => contracts.byCustomerName(prefix, cursor, limit),
    getContract: (contractId) => contracts.get(contractId),
    getOrder: (key) => orderItems.get(key),
  };
}
