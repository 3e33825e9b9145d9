import type { EventBridgeEvent } from 'aws-lambda';
import type { Contract } from '../functions/domain/contract';
import type { LocalDate } from '../functions/domain/calendar';
import { createContract } from '../functions/domain/contract-lifecycle';
import { SHIPPED_CATALOG } from '../functions/domain/tariff/catalog';
import { INBOUND_SOURCE } from '../functions/topology/routing';

/**
 * Inputs of the benchmarks, the drills and the integration tests: the interface §1.1
 * example application, and Prime Plus contracts that the January 2025 run renews. Ids
 * are zero-padded so that every item of one kind has the same size.
 */

/** Term 1 of a contract starting in January 2024 ends in December (Decision L1): the 2025-01 run renews it. */
export const JANUARY_RUN = '2025-01-01T00:05:00+09:00';

export const padded = (prefix: string, n: number): string => `${prefix}-${String(n).padStart(7, '0')}`;

/** The valid Prime Plus application of interface §1.1, for the given order, line and customer. */
export function applicationDetail(orderId: string, lineId: string, customerId = 'C-001') {
  return {
    orderId,
    appliedAt: '2024-05-01T10:00:00+09:00',
    customer: { customerId, name: '株式会社サンプル', kind: 'corporation', phone: '06-0000-0000' },
    lineId,
    startDate: '2024-05-10',
    plan: { code: 'prime-plus', tier: 10 },
    services: {
      edrSecurity: { terminals: 8 },
      gatewaySecurity: { tier: 10, failureSupport24h: true },
      cloudProxy: { users: 2 },
      elgana: { ids: 5 },
    },
    billing: { method: 'account-transfer' },
  };
}

/** A Prime Plus contract started in January 2024 (any day), due in the January 2025 run. */
export function dueContract(tag: string, n: number): Contract {
  const day = String(1 + (n % 31)).padStart(2, '0');
  return createContract(
    {
      contractId: padded(`K-${tag}`, n),
      orderId: padded(`ORD-${tag}`, n),
      appliedAt: '2023-12-20T10:00:00+09:00',
      customer: { customerId: padded(`C-${tag}`, n % 1000), name: '株式会社ベンチ', kind: 'corporation', phone: '06-0000-0000' },
      lineId: padded(`L-${tag}`, n),
      startDate: `2024-01-${day}` as LocalDate,
      plan: { code: 'prime-plus', tier: 10 },
      services: { edrSecurity: { terminals: 8 }, cloudProxy: { users: 2 }, elgana: { ids: 5 } },
      billing: { method: 'account-transfer' },
    },
    SHIPPED_CATALOG,
  );
}

/** The envelope EventBridge hands an inbound function. */
export function inboundEnvelope<D extends string>(detailType: D, detail: unknown, id: string): EventBridgeEvent<D, unknown> {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source: INBOUND_SOURCE,
    account: '000000000000',
    time: '2024-06-01T01:00:00Z',
    region: 'ap-northeast-1',
    resources: [],
    detail,
  };
}
