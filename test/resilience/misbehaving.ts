/**
 * The misbehaving servers of test/fixtures/misbehaving-server.mjs, in a child process on
 * 127.0.0.1: started once per test file, stopped after it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Misbehaving {
  /** `http://127.0.0.1:<port>` of the REST side (and the token services). */
  rest: string;
  /** `http://127.0.0.1:<port>` of the gRPC side. */
  grpc: string;
  /**
   * What each endless answer of `id` sent, and whether it stopped because the client went away:
   * the last one, once it has stopped (the server may learn that the client went a little after
   * the client did); asked again for up to 10 s.
   */
  sent(id: string): Promise<{ id: string; bytes: number; stopped: 'client' | 'cap' } | undefined>;
  close(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('../fixtures/misbehaving-server.mjs', import.meta.url));

export async function startMisbehaving(): Promise<Misbehaving> {
  const child: ChildProcess = spawn(process.execPath, [SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const urls = await new Promise<{ rest: string; grpc: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const ready = /^READY (.*)$/m.exec(out);
      if (ready) resolve(JSON.parse(ready[1]!));
    });
    child.once('exit', (code) => reject(new Error(`the misbehaving server exited with ${code}`)));
  });
  return {
    ...urls,
    sent: async (id) => {
      type Sent = { id: string; bytes: number; stopped: 'client' | 'cap' | null };
      for (const until = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 50))) {
        const last = ((await (await fetch(`${urls.rest}/control/sent`)).json()) as Sent[]).filter((s) => s.id === id).at(-1);
        if (last?.stopped != null || Date.now() > until) return last as never;
      }
    },
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}
