import { builtOnFirstCall, ordersFromEnvironment } from '../wiring/dependencies';
import { inboundHandler } from './inbound-handler';
import { servicesChangeSchema } from '../schemas/orders/services-change';
import { processServicesChange } from '../use-cases/process-services-change';

/** ServicesChangeRequested -> ContractServicesChanged | ServicesChangeRejected. */
export const createServicesChangeHandler = inboundHandler('ServicesChangeRequested', servicesChangeSchema, processServicesChange);

export const handler = builtOnFirstCall(() => createServicesChangeHandler(ordersFromEnvironment()));
