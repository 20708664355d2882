// A loopback HTTP server for the tests that need a peer of their own: a
// redirect's target (which must get nothing) or an upstream that misbehaves.
import http from 'node:http';

/**
 * A loopback HTTP server: `{ url, hits, close }`, `hits` listing each
 * request it got (method, path, whether it carried an Authorization).
 */
export async function listen(handler) {
  const hits = [];
  const server = http.createServer((req, res) => {
    hits.push({ method: req.method, path: req.url, authorized: req.headers.authorization !== undefined });
    req.resume();
    handler(req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    hits,
    close: () => new Promise((resolve) => server.close(resolve).closeAllConnections()),
  };
}

/** A redirect target that answers like a gateway: following it would look like success. */
export const lookalike = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: true, trx_id: 'TRX-ELSEWHERE', ref_id: 'x', type: 'recharge', trx_status: 'Success' }));
};

