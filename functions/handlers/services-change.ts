import { servicesChangeSchema } from '../schemas/inbound';
import { changeServices } from '../use-cases/change-services';
import { inboundHandler } from './inbound';
import { inboundHandlerDepsFromEnv } from './inbound-deps';
import { fromEnvironment } from './lookup-deps';

/** ServicesChangeRequested -> ContractServicesChanged | ServicesChangeRejected. */
export const createServicesChangeHandler = inboundHandler('ServicesChangeRequested', servicesChangeSchema, changeServices);

export const handler = fromEnvironment(() => createServicesChangeHandler(inboundHandlerDepsFromEnv()));
