import { builtOnFirstCall, ordersFromEnvironment } from '../commons/dependencies';
import { inboundHandler } from '../commons/inbound-handler';
import { oneOffServiceSchema } from '../schemas/orders/one-off-service';
import { processOneOffOrder } from '../use-cases/process-one-off-order';

/** OneOffServiceOrdered -> OneOffFeeCharged | OneOffServiceRejected. */
export const createOneOffServiceHandler = inboundHandler('OneOffServiceOrdered', oneOffServiceSchema, processOneOffOrder);

export const handler = builtOnFirstCall(() => createOneOffServiceHandler(ordersFromEnvironment()));
