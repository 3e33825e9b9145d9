import { builtOnFirstCall, ordersFromEnvironment } from '../commons/dependencies';
import { inboundHandler } from '../commons/inbound-handler';
import { applicationSchema } from '../schemas/orders/application';
import { processApplication } from '../use-cases/process-application';

/** ContractApplicationSubmitted -> ContractCreated | ContractApplicationRejected. */
export const createContractApplicationHandler = inboundHandler('ContractApplicationSubmitted', applicationSchema, processApplication);

export const handler = builtOnFirstCall(() => createContractApplicationHandler(ordersFromEnvironment()));
