/**
 * The TLS credentials of a gRPC channel: the system roots, plus an extra CA when given. grpc-js
 * always sets the TLS server name (SNI) to the target's host, and Node warns (DEP0123) when that
 * is an IP address, which RFC 6066 does not allow in a server name. For an IP host the TLS
 * connection is therefore made here, through grpc-js's `ChannelCredentials` extension point,
 * without a server name: the certificate is still checked against the IP (its IP SANs).
 */
import { isIP, type Socket } from 'node:net';
import { connect, createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import * as grpc from '@grpc/grpc-js';

/** The credentials of a TLS channel to `host`, trusting the system roots and `ca`. */
export function tlsCredentials(host: string, ca: string | Buffer | null): grpc.ChannelCredentials {
  const roots = ca === null ? null : Buffer.from(`${rootCertificates.join('\n')}\n${String(ca)}`);
  if (isIP(host) === 0) return grpc.credentials.createSsl(roots);
  return new IpHostCredentials(createSecureContext({ ca: roots ?? [...rootCertificates] }), host);
}

/** TLS to an IP address: ALPN `h2`, the certificate checked against the IP, no server name sent. */
class IpHostCredentials extends grpc.ChannelCredentials {
  constructor(
    private readonly context: SecureContext,
    private readonly host: string,
  ) {
    super();
  }

  _isSecure(): boolean {
    return true;
  }

  _equals(other: grpc.ChannelCredentials): boolean {
    return other === this;
  }

  _createSecureConnector(_target: unknown, _options: unknown, callCredentials?: grpc.CallCredentials) {
    const { context, host } = this;
    return {
      connect: (socket: Socket) =>
        new Promise<{ socket: Socket; secure: boolean }>((resolve, reject) => {
          const tlsSocket = connect({ socket, secureContext: context, host, ALPNProtocols: ['h2'] }, () => {
            if (tlsSocket.authorized) resolve({ socket: tlsSocket, secure: true });
            else reject(tlsSocket.authorizationError);
          });
          tlsSocket.on('error', reject);
        }),
      waitForReady: () => Promise.resolve(),
      getCallCredentials: () => callCredentials ?? grpc.CallCredentials.createEmpty(),
      destroy: () => {},
    };
  }
}
