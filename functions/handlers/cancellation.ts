import { cancellationSchema } from '../schemas/inbound';
import { cancelContract } from '../use-cases/cancel-contract';
import { inboundHandler } from './inbound';
import { inboundHandlerDepsFromEnv } from './inbound-deps';
import { fromEnvironment } from './lookup-deps';

/** CancellationRequested -> ContractCancelled | CancellationRejected. */
export const createCancellationHandler = inboundHandler('CancellationRequested', cancellationSchema, cancelContract);

export const handler = fromEnvironment(() => createCancellationHandler(inboundHandlerDepsFromEnv()));
