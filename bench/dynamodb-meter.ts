import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * What a DynamoDB client costs, measured by an SDK middleware: requests by operation,
 * and the capacity units DynamoDB reports for them (`ReturnConsumedCapacity: INDEXES`
 * is added to every request that takes it, so the table's and each index's units come
 * back). The code under measurement is not changed: only its client is.
 */
const WITH_CAPACITY = new Set([
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'TransactGetItems',
]);
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

export interface MeterReading {
  requests: Record<string, number>;
  reads: number;
  writes: number;
  /** Requests that ended in an error (a failed condition included). */
  failed: number;
  readUnits: number;
  writeUnits: number;
}

export const requestTotal = (reading: MeterReading): number => reading.reads + reading.writes;

/** `TransactWriteItems 1 + UpdateItem 1`: a reading's requests, for a table cell. */
export const describeRequests = (requests: Record<string, number>, per = 1): string =>
  Object.entries(requests)
    .map(([operation, count]) => `${operation} ${round(count / per)}`)
    .join(' + ') || 'none';

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

export class DynamoDbMeter {
  private reading = emptyReading();

  constructor(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName).replace(/Command$/, '');
        this.reading.requests[operation] = (this.reading.requests[operation] ?? 0) + 1;
        if (READS.has(operation)) this.reading.reads += 1;
        else this.reading.writes += 1;
        const input = WITH_CAPACITY.has(operation) ? { ...args.input, ReturnConsumedCapacity: 'INDEXES' } : args.input;
        try {
          const result = await next({ ...args, input });
          this.addUnits(operation, (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity);
          return result;
        } catch (error) {
          this.reading.failed += 1;
          throw error;
        }
      },
      { step: 'initialize', name: 'benchDynamoDbMeter' },
    );
  }

  /** The reading since the last reset; operations sorted by name. */
  read(): MeterReading {
    const requests = Object.fromEntries(Object.entries(this.reading.requests).sort(([a], [b]) => a.localeCompare(b)));
    return { ...this.reading, requests };
  }

  count(operation: string): number {
    return this.reading.requests[operation] ?? 0;
  }

  reset(): void {
    this.reading = emptyReading();
  }

  private addUnits(operation: string, consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): void {
    const units = [consumed ?? []].flat().reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
    if (READS.has(operation)) this.reading.readUnits += units;
    else this.reading.writeUnits += units;
  }
}

function emptyReading(): MeterReading {
  return { requests: {}, reads: 0, writes: 0, failed: 0, readUnits: 0, writeUnits: 0 };
}
