// The package's one HTTP call over the runtime's `fetch`, for the clients'
// wasm (handed `send` by clients.js) and the Worker's proxy alike: no
// redirect followed (the token would go where it says), at most
// MAX_ANSWER_BYTES of an answer read, one timeout for answer and body, and
// the download of an answer not read stopped. It never logs.

/** The most of an answer's body that is read: the APIs' answers are a few kilobytes (a packages list some tens). */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** What `send` gives instead of an answer: why none was read. */
export const FAILED = Object.freeze({ timeout: 0, network: 1, redirect: 2, tooLarge: 3 });

/** A body stream read chunk by chunk, whole, or `undefined` (the stream cancelled) past `cap` bytes. */
export async function streamCapped(stream, cap) {
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

/** Whether a Content-Encoding leaves the body as it came (none, or identity). */
function identity(encoding) {
  return encoding === null || encoding.trim() === '' || encoding.trim().toLowerCase() === 'identity';
}

/**
 * An answer's body as text, or `undefined` past `cap` bytes (declared or
 * counted). A body not encoded and within the cap as declared ends where its
 * Content-Length says: read whole by the runtime, in one call (a read loop
 * costs a turn of the event loop per chunk).
 */
async function answerText(res, cap) {
  const declared = res.headers.get('content-length');
  const length = declared !== null && /^\s*\+?\d+\s*$/.test(declared) ? Number(declared) : undefined;
  if (length !== undefined && length > cap) return undefined;
  if (length !== undefined && identity(res.headers.get('content-encoding'))) {
    const text = await res.text();
    // Each UTF-16 code unit came from at least one byte.
    return text.length > cap ? undefined : text;
  }
  if (res.body === null) return '';
  const bytes = await streamCapped(res.body, cap);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

/** The runtime's words for a failed fetch, with its cause ("fetch failed (connect ECONNREFUSED …)"). */
function said(thrown) {
  if (!(thrown instanceof Error)) return typeof thrown === 'string' ? thrown : 'unknown error';
  const cause = thrown.cause instanceof Error ? thrown.cause.message : '';
  return cause ? `${thrown.message} (${cause})` : thrown.message;
}

/**
 * Sends `{ method, url, headers, body? }` (`headers` as `fetch` takes them)
 * and reads its answer: `{ status, contentType?, retryAfter?, text }`, or
 * `{ failed, status?, message? }` with `failed` one of FAILED (`status`
 * when an answer came but was not read, `message` the runtime's words when
 * it could not be reached). Never throws.
 */
export async function send(request, timeoutMs) {
  let headers;
  try {
    headers = new Headers(request.headers);
  } catch {
    // The runtime's message would quote the value (a token).
    return { failed: FAILED.network, message: 'a header value fetch refuses' };
  }
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, Math.min(Math.max(Number(timeoutMs) || 0, 0), 2 ** 31 - 1));
  try {
    const init = { method: request.method, headers, redirect: 'manual', signal: controller.signal };
    if (typeof request.body === 'string') init.body = request.body;
    const res = await globalThis.fetch(request.url, init);
    const status = res.status;
    // What a browser gives for a redirect under `manual` is status 0, "opaqueredirect".
    if ((status >= 300 && status < 400) || status === 0 || res.type === 'opaqueredirect') {
      controller.abort();
      return { failed: FAILED.redirect, status };
    }
    const contentType = res.headers.get('content-type') ?? undefined;
    const retryAfter = res.headers.get('retry-after') ?? undefined;
    const text = await answerText(res, MAX_ANSWER_BYTES);
    if (text === undefined) {
      controller.abort();
      return { failed: FAILED.tooLarge, status };
    }
    return { status, contentType, retryAfter, text };
  } catch (thrown) {
    return timedOut ? { failed: FAILED.timeout } : { failed: FAILED.network, message: said(thrown) };
  } finally {
    clearTimeout(timer);
  }
}
