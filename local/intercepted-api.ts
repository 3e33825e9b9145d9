import type { AwsApi } from '../functions/aws/aws-api';

/**
 * What SDK middleware was for the functions' clients: code around every call of an
 * AwsApi, to count, meter, capture or break requests without changing the code that
 * makes them. The bench and the tests wrap the client they give the functions.
 */
export type Interceptor = (operation: string, input: object, next: (input: object) => Promise<object>) => Promise<object>;

export class InterceptedApi implements AwsApi {
  private readonly interceptors: Interceptor[] = [];

  constructor(private readonly inner: AwsApi) {}

  /** Interceptors run in the order they were added, the first outermost. */
  use(interceptor: Interceptor): this {
    this.interceptors.push(interceptor);
    return this;
  }

  call<Output extends object>(operation: string, input: object): Promise<Output> {
    const at = (i: number, current: object): Promise<object> => {
      const interceptor = this.interceptors[i];
      return interceptor ? interceptor(operation, current, (next) => at(i + 1, next)) : this.inner.call(operation, current);
    };
    return at(0, input) as Promise<Output>;
  }
}
