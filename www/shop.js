// The shop's own server (examples/merchant-server) as the page sees it in
// customer mode: it signs each payment as an intent, which the page then
// pays through the proxy. Its refusals become BdpayErrors like the
// library's, so the forms explain them the same way. Nothing here holds a
// token or a PIN: the shop's server and the proxy keep those.

/** The shop's settings (`config.json` beside the page), or null when no shop serves the page. */
export async function shopConfig() {
  try {
    const res = await fetch('config.json', { cache: 'no-store' });
    const config = res.ok ? await res.json() : null;
    return config && typeof config.proxyUrl === 'string' ? config : null;
  } catch {
    return null;
  }
}

/** `{ maxAmount, intent(order), bill(billerId, values) }` over the shop's server. */
export function shopClient(BdpayError, config) {
  async function post(path, body) {
    let res;
    try {
      res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (cause) {
      // The shop only signs; nothing is paid before the proxy is called.
      throw new BdpayError('The shop could not be reached.', {
        kind: 'network',
        messageBn: 'দোকানের সার্ভারে পৌঁছানো যায়নি।',
        notCommitted: true,
        cause,
      });
    }
    const answer = await res.json().catch(() => null);
    if (res.ok && answer) return answer;
    const wait = Number(res.headers.get('retry-after'));
    // The shop says why in both languages (feedback.js picks one).
    throw new BdpayError(answer?.message || `The shop answered ${res.status}.`, {
      kind: answer?.kind ?? 'server',
      code: answer?.code,
      status: res.status,
      messageBn: answer?.message_bn || `দোকানের সার্ভার অনুরোধটি গ্রহণ করেনি (${res.status})।`,
      fieldErrors: answer?.fieldErrors,
      retryAfterMs: wait > 0 ? wait * 1000 : undefined,
    });
  }

  return {
    /** The largest payment the shop signs, in taka (decimal text). */
    maxAmount: config.maxAmount,
    /** The intent of one gateway payment: the shop sets its ref_id and price. */
    intent: async (order) => (await post('intents', order)).intent,
    /** `{ summary, intent }`: the bill as the shop read it, and the execute it signed. */
    bill: (billerId, values) => post('bill-intents', { biller_id: billerId, values }),
  };
}
