// The sandbox's loopback admin endpoints, for every JS test suite: fresh
// accounts, the transactions held, and the fault queue.

/** `settleMs` is how long a new account's transactions stay Pending. */
export function sandboxAdmin(base, { settleMs = 150 } = {}) {
  const call = async (method, target, body) => {
    const res = await fetch(base + target, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${target}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const transactions = (token) => call('GET', `/__sandbox/transactions?token=${encodeURIComponent(token)}`);
  return {
    /** A fresh account's token: no shared balance, rate limit or transactions. */
    account: (options = {}) => call('POST', '/__sandbox/accounts', { settle_ms: settleMs, ...options }).then((a) => a.token),
    /** `{ transactions, payments }` held for the token. */
    transactions,
    /** How many gateway transactions the token holds. */
    count: async (token) => (await transactions(token)).transactions.length,
    fault: (spec) => call('POST', '/__sandbox/faults', spec),
    /** `{ faults: [{ remaining, … }] }`: the faults still queued. */
    faults: () => call('GET', '/__sandbox/faults'),
    clearFaults: () => call('DELETE', '/__sandbox/faults'),
  };
}
