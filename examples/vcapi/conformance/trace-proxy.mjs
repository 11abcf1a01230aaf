// trace-proxy.mjs sits between a test suite and the vcapi server and writes
// every exchange (method, path, request body, status, response body, times)
// as one JSON line, so that conformance.sh can show what a failing test sent
// and what the server answered.
//
//	node trace-proxy.mjs LISTEN_PORT TARGET_URL CERT_DIR LOG_FILE
//
// It serves https with CERT_DIR/key.pem and CERT_DIR/cert.pem and forwards to
// TARGET_URL (the server's certificate is not checked: it is self-signed).
// Bodies are logged up to 256 KiB each.
import {appendFileSync, readFileSync} from 'node:fs';
import https from 'node:https';
import {join} from 'node:path';

const [port, target, certDir, logFile] = process.argv.slice(2);
if(!port || !target || !certDir || !logFile) {
  console.error(
    'usage: node trace-proxy.mjs LISTEN_PORT TARGET_URL CERT_DIR LOG_FILE');
  process.exit(2);
}
const limit = 256 << 10;
const agent = new https.Agent({rejectUnauthorized: false, keepAlive: true});
const upstream = new URL(target);

function body(buf, type) {
  const text = buf.subarray(0, limit).toString('utf8');
  const cut = buf.length > limit ? {truncated: buf.length} : {};
  if(/json/.test(type ?? '') || /^\s*[[{"]/.test(text)) {
    try {
      return {json: JSON.parse(text), ...cut};
    } catch {}
  }
  return {text, ...cut};
}

function collect(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', c => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

const server = https.createServer({
  key: readFileSync(join(certDir, 'key.pem')),
  cert: readFileSync(join(certDir, 'cert.pem'))
}, async (req, res) => {
  const t0 = Date.now();
  const reqBody = await collect(req);
  const headers = {...req.headers, host: upstream.host};
  const entry = {
    t0, method: req.method, path: req.url,
    contentType: req.headers['content-type'],
    request: reqBody.length ? body(reqBody, req.headers['content-type']) :
      undefined
  };
  const up = https.request({
    protocol: upstream.protocol, hostname: upstream.hostname,
    port: upstream.port, method: req.method, path: req.url, headers, agent
  }, async upRes => {
    const resBody = await collect(upRes);
    res.writeHead(upRes.statusCode, upRes.headers);
    res.end(resBody);
    entry.status = upRes.statusCode;
    entry.response = resBody.length ?
      body(resBody, upRes.headers['content-type']) : undefined;
    entry.t1 = Date.now();
    appendFileSync(logFile, JSON.stringify(entry) + '\n');
  });
  up.on('error', err => {
    res.writeHead(502, {'content-type': 'text/plain'});
    res.end(`trace-proxy: ${err.message}\n`);
    entry.status = 502;
    entry.proxyError = err.message;
    entry.t1 = Date.now();
    appendFileSync(logFile, JSON.stringify(entry) + '\n');
  });
  up.end(reqBody);
});
server.listen(Number(port), '127.0.0.1', () => {
  console.error(`trace-proxy: https://localhost:${port} -> ${target}`);
});
for(const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
  });
}
