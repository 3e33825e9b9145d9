import { builtOnFirstCall, ordersFromEnvironment } from '../commons/dependencies';
import { inboundHandler } from '../commons/inbound-handler';
import { planChangeSchema } from '../schemas/orders/plan-change';
import { processPlanChange } from '../use-cases/process-plan-change';

/** PlanChangeRequested -> ContractPlanChanged | PlanChangeRejected. */
export const createPlanChangeHandler = inboundHandler('PlanChangeRequested', planChangeSchema, processPlanChange);

export const handler = builtOnFirstCall(() => createPlanChangeHandler(ordersFromEnvironment()));
