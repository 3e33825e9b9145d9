import { builtOnFirstCall, ordersFromEnvironment } from '../wiring/dependencies';
import { inboundHandler } from './inbound-handler';
import { cancellationSchema } from '../schemas/orders/cancellation';
import { processCancellation } from '../use-cases/process-cancellation';

/** CancellationRequested -> ContractCancelled | CancellationRejected. */
export const createCancellationHandler = inboundHandler('CancellationRequested', cancellationSchema, processCancellation);

export const handler = builtOnFirstCall(() => createCancellationHandler(ordersFromEnvironment()));
