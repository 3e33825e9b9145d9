import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { MatchedRoute } from '../functions/http/routes';
import { LOCAL_ACCOUNT } from './lambda-runtime';

/**
 * API Gateway's single- and multi-value maps of the names the caller sent. Gathered in a Map
 * and made own properties by Object.fromEntries: a name such as `__proto__` or `toString`
 * is a name like any other, never one of Object.prototype's.
 */
function singleAndMulti(pairs: Iterable<[string, string]>): { single: Record<string, string>; multi: Record<string, string[]> } | null {
  const multi = new Map<string, string[]>();
  for (const [key, value] of pairs) {
    const values = multi.get(key);
    if (values) values.push(value);
    else multi.set(key, [value]);
  }
  if (multi.size === 0) return null;
  // API Gateway keeps the last value in the single-value map.
  const single = [...multi].map(([key, values]): [string, string] => [key, values[values.length - 1]]);
  return { single: Object.fromEntries(single), multi: Object.fromEntries(multi) };
}

function headerPairs(headers: IncomingHttpHeaders): [string, string][] {
  return Object.entries(headers).flatMap(([name, value]) =>
    value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]),
  );
}

/**
 * What API Gateway (REST API, Lambda proxy integration) hands the lookup function: a v1
 * proxy event with the matched resource, its path parameters and the query string.
 */
export function toProxyEvent(request: {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
  sourceIp: string;
  match: MatchedRoute;
}): APIGatewayProxyEvent {
  const headers = singleAndMulti(headerPairs(request.headers));
  const query = singleAndMulti(request.url.searchParams.entries());
  const now = Date.now();
  return {
    resource: request.match.resource,
    path: request.url.pathname,
    httpMethod: request.method,
    headers: headers?.single ?? {},
    multiValueHeaders: headers?.multi ?? {},
    queryStringParameters: query?.single ?? null,
    multiValueQueryStringParameters: query?.multi ?? null,
    pathParameters: Object.keys(request.match.params).length > 0 ? request.match.params : null,
    stageVariables: null,
    body: request.body.length > 0 ? request.body : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      // IAM authorization is not enforced locally: any caller is let through anonymously.
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: request.headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/local${request.url.pathname}`,
      stage: 'local',
      requestId: randomUUID(),
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: request.match.resource,
    },
  };
}

/** What API Gateway answers when the integration fails (a thrown error or a result without a status). */
export const INTEGRATION_FAILURE: APIGatewayProxyResult = {
  statusCode: 502,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message: 'Internal server error' }),
};

export function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as APIGatewayProxyResult).statusCode === 'number' &&
    typeof (value as APIGatewayProxyResult).body === 'string'
  );
}
