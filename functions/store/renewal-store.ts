import type { YearMonth } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { ContractItems } from './dynamodb/contract-items';
import { FactItems } from './dynamodb/fact-items';
import type { DynamoDbTable } from './dynamodb/table';
import type { ContractFact, ContractPage, DuePage } from './records';

/** What the monthly renewal reads and writes (functions/use-cases/monthly-renewal.ts). */
export interface RenewalStore {
  readonly renewalShards: number;
  /** Contracts of a shard whose renewal month is before `month` (index reads: eventually consistent). */
  dueForRenewal(shard: number, month: YearMonth, cursor: string | null, limit: number): Promise<DuePage>;
  getContract(contractId: string): Promise<Contract | null>;
  /** Strongly consistent; missing ids are left out, order follows `contractIds`. */
  getContracts(contractIds: string[]): Promise<Contract[]>;
  /** One transaction: the renewed contract, if it is still at `expectedVersion`, with its ContractRenewed facts (the outbox). */
  saveRenewal(contract: Contract, expectedVersion: number, facts: ContractFact[]): Promise<'written' | 'stale'>;
  /** The contracts whose current term's renewal month is `month` (N1); one index Query per page. */
  contractsInRenewalMonth(month: YearMonth, cursor: string | null, limit: number): Promise<ContractPage>;
  /** A renewal-month notice (N1), once per contract and term: `exists` when an earlier run wrote it. */
  putFact(fact: ContractFact): Promise<'written' | 'exists'>;
}

export function dynamoDbRenewalStore(table: DynamoDbTable): RenewalStore {
  const contracts = new ContractItems(table);
  const facts = new FactItems(table);
  return {
    renewalShards: table.renewalShards,
    dueForRenewal: (shard, month, cursor, limit) => contracts.dueForRenewal(shard, month, cursor, limit),
    getContract: (contractId) => contracts.get(contractId),
    getContracts: (contractIds) => contracts.getMany(contractIds),
    contractsInRenewalMonth: (month, cursor, limit) => contracts.inRenewalMonth(month, cursor, limit),
    putFact: (fact) => facts.putAlone(fact),
    /**
     * docs/terms.md L4: when the answer to a committed transaction is lost, the SDK sends it
     * again with the same ClientRequestToken, which DynamoDB answers as the same request;
     * should the condition still fail against our own result, the failed check returns the
     * item, and this write's own id on it makes it written (ContractItems.putAtVersion).
     */
    saveRenewal: async (contract, expectedVersion, renewed) => {
      const { put, ours } = contracts.putAtVersion(contract, expectedVersion);
      const result = await table.transact(
        [put, ...renewed.map((fact) => facts.put(fact))],
        // A fact of a term not yet renewed cannot exist while the contract is at the version read.
        ['stale', ...renewed.map(() => 'impossible' as const)],
        ours,
      );
      return result.status === 'written' ? 'written' : 'stale';
    },
  };
}
