import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { OutboundEvent } from '../domain/outbound-events';
import type { Reason } from '../domain/reasons';

/**
 * The business metrics (CloudWatch EMF through Powertools), named once here and charted by
 * the stack's dashboard (lib/constructs/dashboard.ts). A refusal counts once per reason
 * code, under the dimension `reason`, in its own EMF record.
 */
export const METRIC = {
  applicationsAccepted: 'ApplicationsAccepted',
  applicationsRejected: 'ApplicationsRejected',
  servicesChanged: 'ServicesChanged',
  servicesChangesRejected: 'ServicesChangesRejected',
  cancellations: 'Cancellations',
  cancellationsRejected: 'CancellationsRejected',
  planChanges: 'PlanChanges',
  planChangesRejected: 'PlanChangesRejected',
  oneOffOrders: 'OneOffOrders',
  oneOffOrdersRejected: 'OneOffOrdersRejected',
  oneOffFeesYen: 'OneOffFeesYen',
  terminationFeesYen: 'TerminationFeesYen',
  renewalNotices: 'RenewalNotices',
  contractsRenewed: 'ContractsRenewed',
  termsRenewed: 'TermsRenewed',
  renewalFailures: 'RenewalFailures',
  invoicesIssued: 'InvoicesIssued',
  invoicedYen: 'InvoicedYen',
  billingFailures: 'BillingFailures',
  outcomesPublished: 'OutcomesPublished',
  deadLetters: 'DeadLetters',
} as const;

export const REASON_DIMENSION = 'reason';

const ACCEPTED: Record<string, string> = {
  ContractCreated: METRIC.applicationsAccepted,
  ContractServicesChanged: METRIC.servicesChanged,
  ContractCancelled: METRIC.cancellations,
  ContractPlanChanged: METRIC.planChanges,
  OneOffFeeCharged: METRIC.oneOffOrders,
};
const REJECTED: Record<string, string> = {
  ContractApplicationRejected: METRIC.applicationsRejected,
  ServicesChangeRejected: METRIC.servicesChangesRejected,
  CancellationRejected: METRIC.cancellationsRejected,
  PlanChangeRejected: METRIC.planChangesRejected,
  OneOffServiceRejected: METRIC.oneOffOrdersRejected,
};

/** Counts a new order's outcome; a redelivery's stored outcome was counted when it was new. */
export function countOutcome(metrics: Metrics, outcome: OutboundEvent): void {
  const accepted = ACCEPTED[outcome.detailType];
  if (accepted) metrics.addMetric(accepted, MetricUnit.Count, 1);
  const fee = (outcome.detail.terminationFee as { amount?: unknown } | null | undefined)?.amount;
  if (typeof fee === 'number') metrics.addMetric(METRIC.terminationFeesYen, MetricUnit.NoUnit, fee);
  const oneOff = (outcome.detail.fee as { subtotal?: unknown } | undefined)?.subtotal;
  if (typeof oneOff === 'number') metrics.addMetric(METRIC.oneOffFeesYen, MetricUnit.NoUnit, oneOff);
  const rejected = REJECTED[outcome.detailType];
  if (!rejected) return;
  const codes = new Set(((outcome.detail.reasons as Reason[] | undefined) ?? []).map((reason) => reason.code));
  for (const code of codes) {
    const single = metrics.singleMetric();
    single.addDimension(REASON_DIMENSION, code);
    single.addMetric(rejected, MetricUnit.Count, 1);
  }
}

/** Flushes what an invocation stored; an invocation that stored nothing writes nothing (no warning). */
export function flushMetrics(metrics: Metrics): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
