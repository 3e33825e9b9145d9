import { builtOnFirstCall, ordersFromEnvironment } from '../wiring/dependencies';
import { inboundHandler } from './inbound-handler';
import { oneOffOrderSchema } from '../schemas/orders/one-off-order';
import { processOneOffOrder } from '../use-cases/process-one-off-order';

/** OneOffServiceOrdered -> OneOffFeeCharged | OneOffServiceRejected. */
export const createOneOffOrderHandler = inboundHandler('OneOffServiceOrdered', oneOffOrderSchema, processOneOffOrder);

export const handler = builtOnFirstCall(() => createOneOffOrderHandler(ordersFromEnvironment()));
