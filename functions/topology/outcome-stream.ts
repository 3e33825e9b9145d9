/**
 * Which records of the table's stream the outcome publisher gets: the items of the one
 * outbox (orders, FACT items) whose outcome is stored unpublished, new (INSERT) or handed
 * back to the stream by a redelivery that renewed the lease (MODIFY); marking one
 * published is a MODIFY it leaves alone (docs/design.md §3). No other item has `published`. One definition, read by the CDK stack (the event source
 * mapping's filter) and by the local stack (its stream poller), so the two select alike.
 * Lambda filter syntax: exact values in arrays.
 */
export const UNPUBLISHED_OUTCOME_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { published: { BOOL: [false] } } },
} as const;

export interface StreamRecordLike {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, { BOOL?: boolean } | undefined> };
}

/** The filter above, for the subset of syntax it uses. */
export function isUnpublishedOutcome(record: StreamRecordLike): boolean {
  return (UNPUBLISHED_OUTCOME_FILTER.eventName as readonly string[]).includes(record.eventName ?? '') && record.dynamodb?.NewImage?.published?.BOOL === false;
}
