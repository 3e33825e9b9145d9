import { mapLimit } from '../../../functions/use-cases/concurrency';
import { application, inboundEvent } from '../support/fixtures';
import { useTable } from '../support/suite';
import { countContracts, countStalled, drillCounts, printDrill, shuffled } from './support/drills';

/**
 * Fault drill: a duplicate storm. 1,000 applications, each delivered twice, the 2,000
 * deliveries shuffled and handed to the application function 16 at a time (a copy may
 * run beside its twin or long after it): one contract and one outcome per order, no
 * dead letter, no failed delivery.
 */
const ORDERS = 1_000;
const AT_A_TIME = 16;

const t = useTable('drill-duplicates');

it('turns 1,000 applications delivered twice into 1,000 contracts and 1,000 outcomes', async () => {
  const details = Array.from({ length: ORDERS }, () => application());
  const deliveries = shuffled([...details, ...details], 20240229).map((detail) => inboundEvent('ContractApplicationSubmitted', detail));

  const results = await mapLimit(deliveries, AT_A_TIME, (event) => t.handlers.apply(event));

  const outcomes = t.h.bus.published;
  const drill = drillCounts(
    deliveries.map((event) => event.detail.orderId),
    outcomes.map((event) => event.detail.eventKey as string),
    t.h.deadLetters.letters.map(() => ''),
    await countStalled(t.table.client, t.table.settings.tableName),
  );
  const counts = {
    deliveries: results.length,
    contracts: await countContracts(t.table),
    outcomes: outcomes.length,
    ordersWithOutcome: new Set(outcomes.map((event) => event.detail.orderId)).size,
    contractCreated: outcomes.filter((event) => event.detailType === 'ContractCreated').length,
    firstDeliveries: results.filter((result) => 'duplicate' in result && !result.duplicate).length,
    duplicateDeliveries: results.filter((result) => 'duplicate' in result && result.duplicate).length,
    deadLetters: t.h.deadLetters.letters.length,
  };
  printDrill('duplicate storm', drill, counts);
  expect(drill).toEqual({ delivered: 2 * ORDERS, outcomes: ORDERS, duplicates: 0, deadLetters: 0, lost: 0, stalled: 0 });
  expect(counts).toEqual({
    deliveries: 2 * ORDERS,
    contracts: ORDERS,
    outcomes: ORDERS,
    ordersWithOutcome: ORDERS,
    contractCreated: ORDERS,
    firstDeliveries: ORDERS,
    duplicateDeliveries: ORDERS,
    deadLetters: 0,
  });
}, 300_000);
