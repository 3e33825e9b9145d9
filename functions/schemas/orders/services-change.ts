import * as z from 'zod/mini';
import { identifier, instant } from '../fields';
import { contactChange } from './contact';
import { services } from './subscription';

/** ServicesChangeRequested's detail (interface §1.1). */
export const servicesChangeSchema = z.object({
  orderId: identifier,
  requestedAt: instant,
  contractId: identifier,
  services,
  customer: contactChange,
});

export type ServicesChangeRequest = z.output<typeof servicesChangeSchema>;
