import type { ContractsResponse } from '../../functions/http/lookup-responses';

export type {
  ChargesResponse,
  ContractResponse,
  ContractsResponse,
  CustomersResponse,
  LineContractsResponse,
  LookupError,
  OrderResponse,
  QuoteResponse,
  RenewalsResponse,
  TariffResponse,
} from '../../functions/http/lookup-responses';

/** A contract as every response shows it (interface §2). */
export type ContractView = ContractsResponse['contracts'][number];

/**
 * One line of a bill or an invoice as the console reads it: the charges lookup's lines
 * (interface §3) and the invoice's (§7.1) alike, with the notes the API adds on proration,
 * inclusions, discounts and waivers.
 */
export interface BillLineView {
  kind?: string;
  item: string;
  label?: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  clause: string;
  placeholder?: boolean;
  prorated?: { liveDays: number; daysInMonth: number; fullAmount: number };
  includedQuantity?: number;
  discount?: { perUnit: number; clause: string };
  waived?: { unitPrice: number; clause: string };
  taxable?: boolean;
  taxLabel?: string;
  date?: string;
  orderId?: string;
  adjusts?: { invoiceId: string; month: string; kind?: string };
}

export interface BillTax {
  ratePercent: number;
  taxableSubtotal: number;
  consumptionTax: number;
  total: number;
}

/** The invoice (interface §7.1). */
export interface Invoice {
  invoiceId: string;
  contractId: string;
  month: string;
  issueDate: string;
  issuer: { name: string; registrationNumber: string; placeholder: boolean };
  customer: { customerId: string; name: string };
  billingMethod: string;
  revision: string;
  lines: BillLineView[];
  subtotal: number;
  tax: BillTax;
  placeholder?: boolean;
}

/** GET /contracts/{contractId}/invoices (interface §7.3), newest month first. */
export interface InvoicesResponse {
  invoices: Invoice[];
  nextToken: string | null;
}

/** A contract the billing run could not bill, and why (rules.md I3). */
export interface RunFailure {
  contractId: string;
  reason: string | { code?: string; message?: string; clause?: string };
}

/** GET /billing-runs/{month} (interface §7.3). */
export interface BillingRun {
  month: string;
  status: 'not-run' | 'running' | 'completed' | 'completed-with-failures';
  invoices: number;
  adjustments: number;
  subtotal: number;
  consumptionTax: number;
  total: number;
  failed: RunFailure[];
  startedAt: string | null;
  completedAt: string | null;
}

/** GET /billing-runs/{month}/export (interface §7.3). */
export interface BillingExport {
  /** `part`: the file's name (part-003.csv: shard 3 of the run's shards, from 0). */
  files: Array<{ format: 'csv' | 'jsonl'; part: number | string; rows: number; sha256: string; url: string }>;
  manifest: string;
  expiresAt: string;
}

/** A refusal's reason (interface §1.2). */
export interface Reason {
  code: string;
  message: string;
  clause: string;
  fields?: Array<{ path: string; message: string }>;
  moreFields?: number;
}
