// The Worker's default export keeps one proxy per isolate and builds a new
// one when a binding it reads changes: whether the env object is new or the
// same one changed in place, and never on an unchanged env.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { PATHS, Record, startProxy } from './harness.mjs';

const record = new Record();
let proxy;

// A Worker around the default export: `x-origins` changes BDPAY_ALLOWED_ORIGINS
// in the env it was given (in place); `x-fresh-env` hands over a copy instead.
const script = `import worker from 'bdpay/worker';
export default {
  fetch(request, env) {
    const origins = request.headers.get('x-origins');
    if (origins !== null) env.BDPAY_ALLOWED_ORIGINS = origins;
    return worker.fetch(request, request.headers.has('x-fresh-env') ? { ...env } : env);
  },
};`;

before(async () => {
  proxy = await startProxy(record, {
    script,
    bindings: {
      BDPAY_UPSTREAM_URL: 'https://gateway.example.com',
      BDPAY_TOKEN: 'bindings-test-token-0000',
      BDPAY_ALLOWED_ORIGINS: 'https://a.example',
      BDPAY_OPERATIONS: 'packages',
    },
  });
});

after(async () => {
  await proxy?.stop();
});

/** A preflight from `origin`: the status and the origin it allows. */
async function preflight(origin, headers = {}) {
  const res = await proxy.fetch(PATHS.packages, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', ...headers },
  });
  await res.arrayBuffer();
  return [res.status, res.headers.get('access-control-allow-origin')];
}

test('an unchanged env keeps its proxy; a binding changed in place or in a new env makes a new one', async () => {
  assert.deepEqual(await preflight('https://a.example'), [204, 'https://a.example']);
  assert.deepEqual(await preflight('https://b.example'), [403, null]);
  // The same env, unchanged: the same answers.
  assert.deepEqual(await preflight('https://a.example'), [204, 'https://a.example']);
  // The same env object, one binding changed in place.
  assert.deepEqual(await preflight('https://b.example', { 'x-origins': 'https://b.example' }), [204, 'https://b.example']);
  assert.deepEqual(await preflight('https://a.example'), [403, null]);
  // A new env object with other values.
  assert.deepEqual(await preflight('https://a.example', { 'x-origins': 'https://a.example', 'x-fresh-env': '1' }), [204, 'https://a.example']);
  assert.deepEqual(await preflight('https://b.example', { 'x-fresh-env': '1' }), [403, null]);
  record.assertNothingHolds(['bindings-test-token-0000']);
});
