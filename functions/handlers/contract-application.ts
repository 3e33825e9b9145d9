import { builtOnFirstCall, ordersFromEnvironment } from '../wiring/dependencies';
import { inboundHandler } from './inbound-handler';
import { applicationSchema } from '../schemas/orders/application';
import { processApplication } from '../use-cases/process-application';

/** ContractApplicationSubmitted -> ContractCreated | ContractApplicationRejected. */
export const createContractApplicationHandler = inboundHandler('ContractApplicationSubmitted', applicationSchema, processApplication);

export const handler = builtOnFirstCall(() => createContractApplicationHandler(ordersFromEnvironment()));
