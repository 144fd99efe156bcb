/** The client budget (test/engine/budget.ts): the promise flavour, and N concurrent calls of one client. */
import { describe, expect, test } from 'vitest';
import { AsyncOperationsClient } from 'yc-operation';
import { FLAVOURS } from '../helpers/flavours';
import { arrivals, busiestSecond, describeBudget, useEmulator } from './budget';

const emulator = useEmulator();

describe('promise flavour: N concurrent calls on one client', () => {
  test('20 getStatus calls and waits with maxRequestsPerSecond: 10 start about 10 per second', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => emulator().create({ donePolls: 1, response: { '@type': 'x' } })));
    const client = new AsyncOperationsClient({ endpoint: emulator().url, auth: null, maxRequestsPerSecond: 10 });
    await Promise.all(
      ids.map((id, i) =>
        i % 2 ? client.operation(id).getStatus({ timeout: 10 }) : client.operation(id).wait({ pollInterval: 0.05, timeout: 10 }),
      ),
    );
    client.close();
    const times = await arrivals(ids);
    expect(times).toHaveLength(20);
    // 10 per second, plus the burst of the first second's slot and some arrival jitter (the
    // emulator's thread stamps arrivals late on a busy machine): 20 at once would be 20.
    expect(busiestSecond(times)).toBeLessThanOrEqual(13);
    // Spread over about 1.9 s (slots every 100 ms), not sent at once.
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(1500);
  });
});

describeBudget(FLAVOURS.find((f) => f.name === 'async')!);
