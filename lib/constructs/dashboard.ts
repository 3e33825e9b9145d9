import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, MathExpression, Metric, TextWidget, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { METRIC, REASON_DIMENSION } from '../../functions/observability/metrics';
import { POWERTOOLS_ENVIRONMENT } from '../../functions/topology/function-environment';

const PERIOD = Duration.hours(1);

/**
 * One CloudWatch dashboard of the business metrics the functions emit through Powertools
 * (functions/observability/metrics.ts, EMF): what came in and what became of it, refusals by
 * reason code, termination fees in yen, renewals, outcomes published and dead letters, and
 * the billing run: invoices issued, yen billed and contracts failed.
 */
export class ContractsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const namespace = POWERTOOLS_ENVIRONMENT.POWERTOOLS_METRICS_NAMESPACE;
    const service = POWERTOOLS_ENVIRONMENT.POWERTOOLS_SERVICE_NAME;
    const sum = (metricName: string, label: string) =>
      new Metric({ namespace, metricName, dimensionsMap: { service }, statistic: 'Sum', period: PERIOD, label });
    // A refusal is counted once per reason code: one line per code that occurred.
    const byReason = (metricName: string, label: string) =>
      new MathExpression({
        expression: `SEARCH('{${namespace},service,${REASON_DIMENSION}} MetricName="${metricName}"', 'Sum', ${PERIOD.toSeconds()})`,
        label,
        period: PERIOD,
      });
    const graph = (title: string, left: Array<Metric | MathExpression>): IWidget => new GraphWidget({ title, left, width: 12, height: 6 });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: 'omakase-contracts',
      widgets: [
        [
          new TextWidget({
            markdown:
              '# omakase-contracts\nOrders, refusals by reason, termination fees (yen), renewals, outcomes published and dead letters, invoices issued, yen billed and contracts failed, per hour.',
            width: 24,
            height: 2,
          }),
        ],
        [
          graph('Orders accepted', [
            sum(METRIC.applicationsAccepted, 'applications'),
            sum(METRIC.servicesChanged, 'services changes'),
            sum(METRIC.cancellations, 'cancellations'),
            sum(METRIC.planChanges, 'plan changes'),
            sum(METRIC.oneOffOrders, 'one-off orders'),
          ]),
          graph('Applications rejected, by reason', [byReason(METRIC.applicationsRejected, 'applications rejected')]),
        ],
        [
          graph('Changes and cancellations rejected, by reason', [
            byReason(METRIC.servicesChangesRejected, 'services changes'),
            byReason(METRIC.cancellationsRejected, 'cancellations'),
            byReason(METRIC.planChangesRejected, 'plan changes'),
            byReason(METRIC.oneOffOrdersRejected, 'one-off orders'),
          ]),
          graph('Termination and one-off fees (yen, 税抜)', [sum(METRIC.terminationFeesYen, 'termination fees'), sum(METRIC.oneOffFeesYen, 'one-off fees')]),
        ],
        [
          graph('Renewals', [
            sum(METRIC.contractsRenewed, 'contracts renewed'),
            sum(METRIC.termsRenewed, 'terms renewed'),
            sum(METRIC.renewalFailures, 'failed'),
            sum(METRIC.renewalNotices, 'renewal-month notices'),
          ]),
          graph('Outcomes published and dead letters', [sum(METRIC.outcomesPublished, 'outcomes published'), sum(METRIC.deadLetters, 'dead letters')]),
        ],
        [
          graph('Billing run: invoices issued and contracts failed', [
            sum(METRIC.invoicesIssued, 'invoices issued'),
            sum(METRIC.billingFailures, 'contracts failed (BillingFailures queue)'),
          ]),
          graph('Billing run: yen billed (invoice totals, 税込; credits negative)', [sum(METRIC.invoicedYen, 'yen billed')]),
        ],
      ],
    });
  }
}
