import { tableStore, type TableStore } from '../../../bench/deps';
import { inboundHandlers } from './contracts';
import { freshTable, type TestTable } from './dynamodb';
import { harness, type Harness } from './fixtures';

export interface Suite {
  table: TestTable;
  store: TableStore;
  h: Harness;
  handlers: ReturnType<typeof inboundHandlers>;
}

export const storeOn = (table: TestTable): TableStore =>
  tableStore({ client: table.client, tableName: table.settings.tableName, renewalShards: table.settings.renewalShards });

/**
 * Registers a test file's hooks: one table for the file, and for each test a fresh
 * harness (bus, dead letters, outcome publisher) with the inbound handlers on it. Fields
 * are set by the hooks.
 */
export function useTable(prefix: string, now?: string): Suite {
  const suite = {} as Suite;
  beforeAll(async () => {
    suite.table = await freshTable(prefix);
    suite.store = storeOn(suite.table);
  });
  afterAll(() => suite.table.client.destroy());
  beforeEach(() => {
    suite.h = harness(suite.table, now);
    suite.handlers = inboundHandlers(suite.h);
  });
  afterEach(() => suite.h.close());
  return suite;
}
