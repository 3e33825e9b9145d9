import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/** Whether each invocation of one handler is its first: Lambda's cold start. One per handler. */
export class Invocations {
  private invoked = false;

  /** Call once at the start of every invocation. */
  next(): { coldStart: boolean } {
    const coldStart = !this.invoked;
    this.invoked = true;
    return { coldStart };
  }
}

/**
 * The logger of one invocation: a child of the function's logger, so that the keys it
 * appends (orderId, contractId) stay its own (the local stack runs invocations side by
 * side on one logger), with the Lambda context. A child is a new Powertools utility: the
 * first `addContext` on it reports a cold start and every later one does not, so a warm
 * invocation takes the second. Off Lambda, and on provisioned concurrency, Powertools
 * reports none.
 */
export function invocationLogger(parent: Logger, context: Context | undefined, invocation: { coldStart: boolean }): Logger {
  const logger = parent.createChild();
  if (context) {
    logger.addContext(context);
    if (!invocation.coldStart) logger.addContext(context);
  }
  return logger;
}
