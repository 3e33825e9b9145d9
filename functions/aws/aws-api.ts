/**
 * The one thing the functions ask of an AWS service: call an operation of its JSON
 * protocol with the operation's request shape, get its response shape back. Inputs and
 * outputs are the wire shapes of the service's API reference (DynamoDB's are typed
 * AttributeValues), so the SDK's type declarations describe them.
 *
 * Production calls go through AwsJsonClient; tests and the bench wrap it to count,
 * meter or break requests, and fake EventBridge behind it.
 */
export interface AwsApi {
  call<Output extends object = Record<string, unknown>>(operation: string, input: object): Promise<Output>;
}

/** An error response of a service, or a request that never got one (`statusCode` null). */
export class AwsServiceError extends Error {
  constructor(
    /** The service's error code without its namespace, e.g. `ConditionalCheckFailedException`; for no response, the socket's code. */
    readonly code: string,
    message: string,
    readonly operation: string,
    readonly statusCode: number | null,
    /** The error response's JSON body: DynamoDB's CancellationReasons are there. */
    readonly body: Record<string, unknown>,
    readonly attempts: number,
  ) {
    super(`${operation}: ${code}: ${message}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`);
    this.name = 'AwsServiceError';
  }
}

/** The environment cannot sign requests (no credentials, no region): stops the function at its first call, naming the variable. */
export class AwsConfigurationError extends Error {
  constructor(readonly variable: string, rule: string) {
    super(`${variable} is not set: ${rule}`);
    this.name = 'AwsConfigurationError';
  }
}

export const isServiceError = (error: unknown, code: string): error is AwsServiceError => error instanceof AwsServiceError && error.code === code;
