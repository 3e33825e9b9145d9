import { entrySize, MAX_REQUEST_BYTES } from '../functions/events/put-events-limits';
import type { BusEntry, LocalEventBus } from './event-bus';

/**
 * The EventBridge PutEvents operation over the AWS JSON 1.1 protocol, validating like the
 * service so that code which passes here passes on AWS: the request-level limits fail the
 * whole call (ValidationException), a bad entry fails alone, in its slot, while the others
 * are put. Error codes and messages are the service's.
 */
export const PUT_EVENTS_TARGET = 'AWSEvents.PutEvents';
const MAX_ENTRIES = 10;
/** The bus every account has; it exists on AWS, so entries naming it succeed, and match no rule here. */
const DEFAULT_BUS = 'default';

export interface AwsJsonAnswer {
  status: number;
  body: unknown;
}

export function awsError(status: number, type: string, message: string): AwsJsonAnswer {
  return { status, body: { __type: type, message } };
}

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

class EntryRejection {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

const required = (field: string) => new EntryRejection('InvalidArgument', `Parameter ${field} is not valid. Reason: ${field} is a required argument.`);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** The JSON 1.1 protocol sends timestamps as epoch seconds; an RFC 3339 string is accepted too, as the service does. */
function entryTime(value: unknown, now: Date): Date | EntryRejection {
  if (value === undefined || value === null) return now;
  const at = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : null;
  return at && !Number.isNaN(at.getTime()) ? at : new EntryRejection('InvalidArgument', 'Parameter Time is not valid.');
}

/** A bus is named by name or ARN (arn:aws:events:region:account:event-bus/NAME). */
function busNameOf(value: unknown): string {
  if (!nonEmptyString(value)) return DEFAULT_BUS;
  const arn = /^arn:aws[\w-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(value);
  return arn ? arn[1] : value;
}

/**
 * No event of the interface nests more than a few levels; one nested thousands deep would
 * overflow every recursive reader after the bus (the functions' fingerprint, the
 * /_local listings), so the local bus refuses it at the door.
 */
export const MAX_DETAIL_DEPTH = 100;

/** How deep the JSON text nests, counted without parsing it (no recursion, whatever its depth). */
export function nestingDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') deepest = Math.max(deepest, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return deepest;
}

function toBusEntry(entry: unknown, localBus: string, now: Date): BusEntry | EntryRejection {
  if (!isObject(entry)) return new EntryRejection('InvalidArgument', 'Parameter Entries is not valid. Reason: an entry must be an object.');
  const eventBusName = busNameOf(entry.EventBusName);
  if (eventBusName !== localBus && eventBusName !== DEFAULT_BUS) {
    return new EntryRejection('ResourceNotFoundException', `Event bus ${eventBusName} does not exist.`);
  }
  if (!nonEmptyString(entry.Source)) return required('Source');
  if (!nonEmptyString(entry.DetailType)) return required('DetailType');
  if (!nonEmptyString(entry.Detail)) return required('Detail');
  if (entry.Source.startsWith('aws.')) {
    return new EntryRejection('NotAuthorizedForSourceException', 'Not authorized for the source.');
  }
  if (nestingDepth(entry.Detail) > MAX_DETAIL_DEPTH) {
    return new EntryRejection('MalformedDetail', `Detail is malformed: it nests deeper than ${MAX_DETAIL_DEPTH} levels (a limit of the local bus).`);
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    detail = undefined;
  }
  if (!isObject(detail)) return new EntryRejection('MalformedDetail', 'Detail is malformed.');
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || !resources.every(nonEmptyString)) {
    return new EntryRejection('InvalidArgument', 'Parameter Resources is not valid. Reason: each resource must be a string.');
  }
  const time = entryTime(entry.Time, now);
  if (time instanceof EntryRejection) return time;
  return { eventBusName, source: entry.Source, detailType: entry.DetailType, detail, resources, time };
}

export function putEvents(bus: LocalEventBus, request: unknown): AwsJsonAnswer {
  const entries = isObject(request) ? request.Entries : undefined;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
    const count = Array.isArray(entries) ? entries.length : 0;
    return awsError(
      400,
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES} (got ${count})`,
    );
  }
  if (entries.reduce<number>((sum, entry) => sum + (isObject(entry) ? entrySize(entry) : 0), 0) > MAX_REQUEST_BYTES) {
    return awsError(400, 'ValidationException', 'Total size of the entries in the request is over the limit.');
  }
  const now = new Date();
  const results: ResultEntry[] = entries.map((entry) => {
    const parsed = toBusEntry(entry, bus.busName, now);
    if (parsed instanceof EntryRejection) return { ErrorCode: parsed.code, ErrorMessage: parsed.message };
    return { EventId: bus.put(parsed).id };
  });
  const failed = results.filter((result) => 'ErrorCode' in result).length;
  return { status: 200, body: { FailedEntryCount: failed, Entries: results } };
}
