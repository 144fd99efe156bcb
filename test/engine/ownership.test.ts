/**
 * Issue 10, "Must show" 4: statuses are deeply immutable, and every result a caller gets is its
 * own: two waits that share one poll get different objects, and mutating one changes nothing the
 * other sees (its result, its `lastKnownStatus.response`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AsyncOperationsClient } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FLAVOURS } from '../helpers/flavours';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

const RESPONSE = { '@type': 'type.googleapis.com/example.List', items: [{ n: 1, tags: ['a'] }], meta: { deep: { er: [1, 2] } } };

/** True when `value` and every plain object or array inside it is frozen. */
function deeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (!Object.isFrozen(value)) return false;
  return Object.values(value).every(deeplyFrozen);
}

type Items = { items: Array<Record<string, unknown>>; meta: { deep: { er: number[] } } };

describe('promise flavour: two concurrent waits on one operation', () => {
  test("share one poll, get different objects; mutating A changes neither B's result nor B's lastKnownStatus", async () => {
    const id = await emu.create({ donePolls: 1, response: RESPONSE, metadata: [{ step: { n: 1 } }] });
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const a = client.operation(id);
    const b = client.operation(id);
    await emu.clearRequests();
    const [ra, rb] = (await Promise.all([a.wait({ pollInterval: 0.05 }), b.wait({ pollInterval: 0.05 })])) as [Items, Items];
    expect((await emu.requests()).filter((r) => r.operationId === id)).toHaveLength(1); // one shared Get
    expect(ra).not.toBe(rb);
    expect(ra).toEqual(RESPONSE);
    ra.items.push({ n: 2 });
    (ra.items[0]!.tags as string[]).push('mutated');
    ra.meta.deep.er.length = 0;
    expect(rb).toEqual(RESPONSE);
    expect(b.lastKnownStatus!.response).toEqual(RESPONSE);
    expect(a.lastKnownStatus!.response).toEqual(RESPONSE);
    expect(deeplyFrozen(b.lastKnownStatus)).toBe(true);
    expect(deeplyFrozen(a.lastKnownStatus!.response)).toBe(true);
    expect(deeplyFrozen(a.lastKnownStatus!.metadata)).toBe(true);
    client.close();
  });
});

describe.each(FLAVOURS)('$name: ownership', (flavour) => {
  test('statuses are deeply frozen; changing them throws in strict mode and changes nothing', async () => {
    const id = await emu.create({ donePolls: 1, response: RESPONSE, metadata: [{ step: { n: [1] } }] });
    const client = flavour.client({ endpoint: emu.url, auth: null });
    const op = client.operation(id);
    const status = await op.getStatus();
    expect(deeplyFrozen(status)).toBe(true);
    expect(deeplyFrozen(status.response)).toBe(true);
    expect(deeplyFrozen(status.metadata)).toBe(true);
    expect(() => (status.response as Items).items.push({})).toThrow(TypeError);
    expect(() => ((status.metadata as { step: { n: number[] } }).step.n[0] = 9)).toThrow(TypeError);
    expect(status.response).toEqual(RESPONSE);
    client.close();
  });

  test('getResult() twice gives two independent, mutable copies', async () => {
    const id = await emu.create({ donePolls: 1, response: RESPONSE });
    const client = flavour.client({ endpoint: emu.url, auth: null });
    const op = client.operation(id);
    const first = (await op.wait({ pollInterval: 0.05 })) as Items;
    const r1 = (await op.getResult()) as Items;
    const r2 = (await op.getResult()) as Items;
    expect(r1).not.toBe(r2);
    expect(r1).not.toBe(first);
    expect(r1.items).not.toBe(r2.items);
    expect(Object.isFrozen(r1)).toBe(false);
    r1.items.push({ n: 2 });
    r1.meta.deep.er.push(3);
    first.items.length = 0;
    expect(r2).toEqual(RESPONSE);
    expect(await op.getResult()).toEqual(RESPONSE);
    expect(op.lastKnownStatus!.response).toEqual(RESPONSE);
    client.close();
  });

  test("a wait's result and the operation's last known status do not share objects", async () => {
    const id = await emu.create({ donePolls: 2, response: RESPONSE });
    const client = flavour.client({ endpoint: emu.url, auth: null });
    const op = client.operation(id);
    const result = (await op.wait({ pollInterval: 0.05 })) as Items;
    expect(result).not.toBe(op.lastKnownStatus!.response);
    result.items[0]!.n = 99;
    expect((op.lastKnownStatus!.response as Items).items[0]!.n).toBe(1);
    client.close();
  });
});
