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
