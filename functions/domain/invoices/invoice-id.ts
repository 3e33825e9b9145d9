import { createHash } from 'node:crypto';
import type { YearMonth } from '../calendar';

// Crockford's base32: digits and capitals without I, L, O, U, so an id read out on the phone is not misheard.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const HASH_CHARACTERS = 20;

/**
 * Decision I1: the invoice id of a contract and billing month, `INV-YYYYMM-` and 20
 * characters (100 bits) of the contract id's SHA-256: 31 characters of 0-9, A-Z and '-',
 * printable, and the same however often the run is repeated. A collision (about 1 in
 * 10^18 among a million contracts) is refused by the conditional write, not overwritten.
 */
export function invoiceIdOf(contractId: string, month: YearMonth): string {
  const digest = createHash('sha256').update(contractId, 'utf8').digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 13)) bits = (bits << 8n) | BigInt(byte);
  let encoded = '';
  for (let i = 0; i < HASH_CHARACTERS; i++) {
    encoded = ALPHABET[Number(bits & 31n)] + encoded;
    bits >>= 5n;
  }
  return `INV-${month.replace('-', '')}-${encoded}`;
}

export const INVOICE_ID_PATTERN = /^[0-9A-Z-]{1,32}$/;
