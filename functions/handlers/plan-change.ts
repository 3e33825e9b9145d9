import { builtOnFirstCall, ordersFromEnvironment } from '../wiring/dependencies';
import { inboundHandler } from './inbound-handler';
import { planChangeSchema } from '../schemas/orders/plan-change';
import { processPlanChange } from '../use-cases/process-plan-change';

/** PlanChangeRequested -> ContractPlanChanged | PlanChangeRejected. */
export const createPlanChangeHandler = inboundHandler('PlanChangeRequested', planChangeSchema, processPlanChange);

export const handler = builtOnFirstCall(() => createPlanChangeHandler(ordersFromEnvironment()));
