import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * A process dying, as the kill drills make it: once `after` transactions (TransactWriteItems)
 * have gone out on the clients it is attached to, every request of those clients hangs
 * forever, that transaction included. What was written stays written; nothing after it is sent.
 */
export class KillSwitch {
  private writes = 0;
  killed = false;

  constructor(private readonly after: number) {}

  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && ++this.writes > this.after) this.killed = true;
        if (this.killed) return new Promise<never>(() => {});
        return next(args);
      },
      { step: 'initialize', priority: 'high', name: 'killSwitch' },
    );
  }

  /** Resolves once the switch has tripped. */
  async tripped(): Promise<void> {
    while (!this.killed) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
