import type { InterceptedApi } from '../../../local/intercepted-api';

/**
 * Counts the requests a client sends, by operation, with an interceptor: the cost
 * figures of docs/design.md are checked against these counts.
 */
export class RequestCounter {
  private counts = new Map<string, number>();

  constructor(client: InterceptedApi) {
    client.use((operation, input, next) => {
      this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
      return next(input);
    });
  }

  reset(): void {
    this.counts = new Map();
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
