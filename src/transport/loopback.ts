/** Loopback hosts: where plain `http://` (and plaintext gRPC) may go without `allowInsecureHttp`. */

/** True for `localhost`, `[::1]` and `127.x.y.z`. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
