import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Counts the requests a client sends, by operation, with an SDK middleware: the cost
 * figures of docs/design.md are checked against these counts.
 */
export class RequestCounter {
  private counts = new Map<string, number>();

  constructor(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName).replace(/Command$/, '');
        this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'requestCounter' },
    );
  }

  reset(): void {
    this.counts = new Map();
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
