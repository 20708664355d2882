// The point-of-sale Worker (examples/worker/pos.js): payments without
// intents pass only with a valid Cloudflare Access JWT, checked by the
// proxy's authorize hook against the team's keys (served here on loopback).
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { startSandbox } from '../clients/sandbox.mjs';
import { PATHS, Record, exampleVars, post, sandboxAdmin, startProxy, startTap } from './harness.mjs';

const AUD = 'pos-app-audience-tag';
const record = new Record();
let sandbox;
let admin;
let token;
let tap;
let team;
let teamUrl;
let proxy;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** An Access JWT as Cloudflare signs one (RS256, kid of the team's key). */
function jwt(claims, { key = privateKey, kid = 'team-key-1', alg = 'RS256' } = {}) {
  const head = `${b64({ alg, kid, typ: 'JWT' })}.${b64(claims)}`;
  return `${head}.${sign('sha256', Buffer.from(head), key).toString('base64url')}`;
}

const claims = (extra = {}) => ({
  aud: [AUD],
  email: 'alice@reseller.example',
  iss: teamUrl,
  exp: Math.floor(Date.now() / 1000) + 600,
  iat: Math.floor(Date.now() / 1000),
  ...extra,
});

before(async () => {
  sandbox = await startSandbox();
  admin = sandboxAdmin(sandbox.url);
  token = await admin.account({ rate_limit: false });
  tap = await startTap(sandbox.url, token);
  team = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'team-key-1', alg: 'RS256', use: 'sig' }] }));
  });
  await new Promise((r) => team.listen(0, '127.0.0.1', r));
  teamUrl = `http://127.0.0.1:${team.address().port}`;
  proxy = await startProxy(record, {
    main: 'pos.js',
    bindings: {
      ...exampleVars(),
      BDPAY_UPSTREAM_URL: tap.url,
      BDPAY_TOKEN: token,
      BDPAY_ACCESS_TEAM_URL: teamUrl,
      BDPAY_ACCESS_AUD: AUD,
    },
  });
});

after(async () => {
  await proxy?.stop();
  await tap?.stop();
  team?.close();
  await sandbox?.stop();
});

test('a payment passes only with a valid Access JWT for the app, within the operator cap', async () => {
  let n = 0;
  const pay = (assertion, amount = 100) =>
    proxy.fetch(
      PATHS.request,
      post(
        { type: 'recharge', operator_code: 'GP', phone: '01712345678', amount, ref_id: `POS-${(n += 1)}` },
        { headers: assertion ? { 'cf-access-jwt-assertion': assertion } : {} },
      ),
    );
  const refused = [
    ['no JWT', undefined],
    ['garbage', 'a.b.c'],
    ['another audience', jwt(claims({ aud: ['other-app'] }))],
    ['another issuer', jwt(claims({ iss: 'https://evil.cloudflareaccess.com' }))],
    ['expired', jwt(claims({ exp: Math.floor(Date.now() / 1000) - 5 }))],
    ['signed by a stranger', jwt(claims(), { key: stranger })],
    ['an unknown kid', jwt(claims(), { kid: 'other' })],
    ['alg none', `${b64({ alg: 'none', kid: 'team-key-1' })}.${b64(claims())}.`],
    ['over the operator cap', jwt(claims()), 2500],
  ];
  for (const [name, assertion, amount] of refused) {
    const calls = tap.calls.length;
    const res = await pay(assertion, amount);
    assert.equal(res.status, 403, name);
    assert.equal(JSON.parse(await res.text()).code, 'denied', name);
    assert.equal(tap.calls.length, calls, `${name}: nothing upstream`);
  }
  const before = await admin.count(token);
  const ok = await pay(jwt(claims()));
  assert.equal(ok.status, 200, `${await ok.clone().text()} ${record.logs.slice(-5).join(' | ')}`);
  assert.equal(await admin.count(token), before + 1, 'exactly one transaction');
  const status = await proxy.fetch(PATHS.status, post({ ref_id: `POS-${n}` }, { headers: { 'cf-access-jwt-assertion': jwt(claims()) } }));
  assert.equal(status.status, 200, 'the operator reads status too');
});

test('no answer and no log line of this file holds the token', async () => {
  await new Promise((r) => setTimeout(r, 200));
  record.assertNothingHolds([token]);
});
