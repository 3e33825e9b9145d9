import { applicationSchema } from '../schemas/inbound';
import { submitApplication } from '../use-cases/submit-application';
import { inboundHandler } from './inbound';
import { inboundHandlerDepsFromEnv } from './inbound-deps';
import { fromEnvironment } from './lookup-deps';

/** ContractApplicationSubmitted -> ContractCreated | ContractApplicationRejected. */
export const createContractApplicationHandler = inboundHandler('ContractApplicationSubmitted', applicationSchema, submitApplication);

export const handler = fromEnvironment(() => createContractApplicationHandler(inboundHandlerDepsFromEnv()));
