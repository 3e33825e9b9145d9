import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ContractFact, OutboxKey } from '../records';
import { NOT_EXISTS, type DynamoDbTable, type TransactItem } from './table';

/**
 * FACT items (docs/design.md §1): `FACT#<contractId>` / `TERM#<n>#<start>` (ContractRenewed) or
 * `NOTICE#<n>#<start>` (ContractRenewalMonthStarted) of the term numbered n that starts on `start`, the event as `outcome`, `published` false
 * until the outcome publisher has published it: with the order items, the one outbox.
 */
export const factKey = (fact: ContractFact): OutboxKey => ({
  PK: `FACT#${fact.contractId}`,
  SK: `${fact.kind === 'renewed' ? 'TERM' : 'NOTICE'}#${fact.term.number}#${fact.term.start}`,
});

export class FactItems {
  constructor(private readonly table: DynamoDbTable) {}

  /** The fact's put in a transaction with the change it reports. */
  put(fact: ContractFact): TransactItem {
    return { Put: { TableName: this.table.name, Item: this.item(fact), ConditionExpression: NOT_EXISTS } };
  }

  /** A fact of its own (a notice): `exists` when an earlier run wrote it. */
  async putAlone(fact: ContractFact): Promise<'written' | 'exists'> {
    const written = await this.table.conditional(new PutCommand({ TableName: this.table.name, Item: this.item(fact), ConditionExpression: NOT_EXISTS }));
    return written ? 'written' : 'exists';
  }

  private item(fact: ContractFact): Record<string, unknown> {
    return { ...factKey(fact), contractId: fact.contractId, outcome: fact.outcome, published: false, at: fact.at };
  }
}
