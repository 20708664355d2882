// The fault matrix: each of the five request types × each fault the sandbox
// can inject, through GatewayClient. For every cell the caller must get a
// correct typed outcome and the sandbox must hold exactly one transaction per
// intended payment (none where nothing committed). Shared by the direct run
// and, when a proxy base URL is given, the run through the Workers proxy.

import { sandboxAdmin } from '../clients/admin.mjs';

export const REQUEST_PATH = '/api/gateway/v1/request';

/** `[name, fault spec, what the sandbox holds afterwards]`. */
export const FAULTS = [
  ['latency past the timeout', { kind: 'latency', ms: 1500, phase: 'after' }, 1],
  ['reset before commit', { kind: 'reset' }, 0],
  ['response dropped after commit', { kind: 'drop_after_commit' }, 1],
  ['503 before commit', { kind: 'status', code: 503, phase: 'before' }, 0],
  ['502 after commit', { kind: 'status', code: 502, phase: 'after', body: 'html' }, 1],
  ['429 with Retry-After', { kind: 'rate_limit', secs: 1 }, 1],
  ['malformed JSON', { kind: 'malformed_json' }, 1],
  ['wrong content type', { kind: 'wrong_content_type' }, 1],
  ['truncated body', { kind: 'truncated' }, 1],
];

export const TYPES = ['recharge', 'data', 'drive', 'mfs', 'bill'];

/** The arguments of one payment of each type. */
export function paymentArgs(type, packages) {
  switch (type) {
    case 'recharge':
      return { operator_code: 'GP', phone: '+880 1712-345678', amount: '100.50' };
    case 'data':
      return { operator_code: 'GP', phone: '01711111111', package_id: packages.data };
    case 'drive':
      return { operator_code: 'BL', phone: '01911111111', package_id: packages.drive };
    case 'mfs':
      return { operator_code: 'RK', phone: '017123456789', amount: 500 };
    case 'bill':
      return { operator_code: 'DESCO', bill_number: '1234567890', month: '04', amount: 850 };
    default:
      throw new Error(`no such type ${type}`);
  }
}

export function admin(base) {
  const sandbox = sandboxAdmin(base, { settleMs: 100 });
  let n = 0;
  return {
    ...sandbox,
    /** A fresh account; its token carries `marker` so leaks can be found. */
    account: (marker, options = {}) => sandbox.account({ token: `${marker}-${process.pid}-${++n}`, ...options }),
    /** How many transactions the token holds under one `ref_id`. */
    heldFor: async (token, refId) =>
      (await sandbox.transactions(token)).transactions.filter((t) => t.ref_id === refId).length,
  };
}

/** The `ref_id` of one cell's payment. */
export const cellRef = (type, fault) => `MX-${type}-${fault.kind}-${fault.code ?? fault.phase ?? ''}`;

/**
 * Runs one cell: returns a description of what went wrong, or `null`.
 * `client` is a GatewayClient whose calls reach the sandbox as `token`;
 * `commits` is what the fault leaves held (0 or 1); `heldFor(refId)` counts
 * the transactions the sandbox holds under the cell's `ref_id`.
 */
export async function runCell({ bdpay, client, sandbox, token, type, fault, commits, packages, heldFor }) {
  await sandbox.fault({ ...fault, path: REQUEST_PATH, token });
  const ref = cellRef(type, fault);
  const outcome = await client[type]({ ...paymentArgs(type, packages), ref_id: ref }).then(
    (t) => ({ t }),
    (e) => ({ e }),
  );
  const count = await heldFor(ref);
  if (count > 1) return `${count} transactions held: submitted more than once`;
  if (outcome.t) {
    if (count !== 1) return `resolved with ${outcome.t.trx_id} but the sandbox holds ${count}`;
    if (outcome.t.ref_id !== ref) return `resolved with another payment (${outcome.t.ref_id})`;
    if (outcome.t.type !== type) return `resolved with type ${outcome.t.type}`;
    // A reset before commit may still end in one payment: browsers and
    // runtimes may resend a POST whose reused connection was reset.
    if (commits === 0 && fault.kind !== 'reset') return 'resolved, but this fault commits nothing';
    return null;
  }
  const e = outcome.e;
  if (!(e instanceof bdpay.BdpayError)) return `threw ${e}`;
  if (count !== 0) return `the payment committed, yet the caller got ${e.kind}: ${e.message}`;
  if (commits === 1) return `expected the committed payment, got ${e.kind}: ${e.message}`;
  if (!['network', 'server', 'timeout'].includes(e.kind)) return `kind ${e.kind}`;
  if (e.notCommitted !== true) return 'not marked notCommitted though the gateway holds nothing';
  return null;
}
