// Throwaway TLS material for ZooKeeper's secureClientPort, made once per process with openssl:
// a CA, a server certificate (SAN IP:127.0.0.1, DNS:localhost) in a PKCS12 keystore, a client
// certificate and key for Node (the server requires a client certificate by default), and a
// second, unrelated CA that a client can use to see verification fail.
// The truststore is the CA's PEM file: ZooKeeper 3.8 accepts ssl.trustStore.type=PEM, which
// spares keytool (an openssl-made PKCS12 without a key has no Java "trusted certificate" entry).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { makeTempDir } from './processes';

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
  caPath: string;
  certPath: string;
  keyPath: string;
  wrongCaPath: string;
  servername: string;
}

/** What the server config needs on top of the client's material. */
export interface TlsFiles extends TlsMaterial {
  keyStorePath: string;
  keyStorePassword: string;
  trustStorePath: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const DAYS = ['-days', '7'];
let cached: Promise<TlsFiles> | undefined;

export function ensureTlsMaterial(): Promise<TlsFiles> {
  cached ??= generate().catch((e: unknown) => {
    cached = undefined; // let a later call retry
    throw e;
  });
  return cached;
}

async function generate(): Promise<TlsFiles> {
  const dir = makeTempDir('tls');
  const openssl = (args: string[]): Promise<void> => runOpenssl(args, dir);
  await Promise.all([selfSignedCa(openssl, 'ca', 'zk-harness test CA'), selfSignedCa(openssl, 'wrong-ca', 'zk-harness unrelated CA')]);
  await Promise.all([issue(openssl, dir, 'server', 'localhost', 'serverAuth'), issue(openssl, dir, 'client', 'zk-harness client', 'clientAuth')]);
  const keyStorePassword = randomBytes(12).toString('hex');
  await openssl(['pkcs12', '-export', '-in', 'server.pem', '-inkey', 'server.key', '-certfile', 'ca.pem', '-name', 'server', '-out', 'server.p12', '-passout', `pass:${keyStorePassword}`]);
  const path = (name: string): string => join(dir, name);
  return {
    caPem: readFileSync(path('ca.pem'), 'utf8'),
    certPem: readFileSync(path('client.pem'), 'utf8'),
    keyPem: readFileSync(path('client.key'), 'utf8'),
    caPath: path('ca.pem'),
    certPath: path('client.pem'),
    keyPath: path('client.key'),
    wrongCaPath: path('wrong-ca.pem'),
    servername: 'localhost',
    keyStorePath: path('server.p12'),
    keyStorePassword,
    trustStorePath: path('ca.pem'),
  };
}

type Openssl = (args: string[]) => Promise<void>;

function selfSignedCa(openssl: Openssl, name: string, cn: string): Promise<void> {
  return openssl(['req', '-x509', ...EC_KEY, ...DAYS, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', `/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

/** A leaf certificate signed by ca.pem; both leaves name 127.0.0.1 and localhost. */
async function issue(openssl: Openssl, dir: string, name: string, cn: string, usage: 'serverAuth' | 'clientAuth'): Promise<void> {
  writeFileSync(join(dir, `${name}.ext`), [
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    `extendedKeyUsage=${usage}`,
    'keyUsage=critical,digitalSignature,keyAgreement',
  ].join('\n'));
  await openssl(['req', '-new', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  const serial = `0x${randomBytes(8).toString('hex')}`; // no shared ca.srl between parallel issues
  await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', serial, ...DAYS,
    '-out', `${name}.pem`, '-extfile', `${name}.ext`]);
}

function runOpenssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd, timeout: 20_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(new Error(missing
        ? 'TLS test material needs `openssl`: install with `apt-get install -y openssl`'
        : `openssl ${args.slice(0, 2).join(' ')} failed: ${stderr.trim() || error.message}`));
    });
  });
}
