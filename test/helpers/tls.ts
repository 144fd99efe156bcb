/** Self-signed certificates for the TLS tests, made by `openssl` (loopback servers only). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A key and a certificate for `subjectAltName` (`IP:127.0.0.1`, say), written to `dir` as `<name>-key.pem` and `<name>-cert.pem`. */
export interface SelfSigned {
  keyFile: string;
  certFile: string;
  key: string;
  cert: string;
}

export function selfSigned(dir: string, name: string, subjectAltName: string, commonName = 'yc-test'): SelfSigned {
  const [keyFile, certFile] = [join(dir, `${name}-key.pem`), join(dir, `${name}-cert.pem`)];
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${commonName}`];
  execFileSync('openssl', [...args, '-addext', `subjectAltName=${subjectAltName}`, '-keyout', keyFile, '-out', certFile], {
    stdio: 'ignore',
  });
  return { keyFile, certFile, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
}
