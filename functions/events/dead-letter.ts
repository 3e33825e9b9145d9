/**
 * Where an inbound event goes when it cannot be processed at all (no readable orderId):
 * kept with its reason, where an operator can see and redrive it (interface §1.2).
 * The method name matches the local bus, which implements this port directly.
 */
export interface DeadLetterSink {
  deadLetter(reason: string, payload: unknown): Promise<void> | void;
}

export interface DeadLetter {
  at: string;
  reason: string;
  payload: unknown;
}

/** For tests and tools that run the handlers without a queue. */
export class InMemoryDeadLetterSink implements DeadLetterSink {
  readonly letters: DeadLetter[] = [];

  deadLetter(reason: string, payload: unknown): void {
    this.letters.push({ at: new Date().toISOString(), reason, payload });
  }
}
