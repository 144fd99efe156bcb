/**
 * Assistant runs, an operation kind of their own (not Operations), in both flavours against the
 * emulator: progress through PENDING and IN_PROGRESS, COMPLETED and TOOL_CALLS as successes,
 * FAILED and CANCELLED as RunErrors, cancel refused, and the kind's defaults (300 s / 0.5 s).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AIStudioError, ApiError, type AssistantRunResult, AssistantRunStatus, CancelNotSupportedError, RunError } from 'yc-operation';
import { DONE_AFTER_HEADER, type Emulator, FAIL_WITH_HEADER, RUN_STATUS_HEADER, startEmulator } from 'yc-operation/testing';
import { infoLines, PRODUCER_KEY, START_FLAVOURS } from '../helpers/producers';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ apiKey: PRODUCER_KEY });
});
afterAll(() => emu.close());

/** Creates a run on the emulator (`POST /assistants/v1/runs`) as scripted; its id. */
async function createRun(doneAfter: number, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${emu.url}/assistants/v1/runs`, {
    method: 'POST',
    headers: { authorization: `Api-Key ${PRODUCER_KEY}`, [DONE_AFTER_HEADER]: String(doneAfter), ...headers },
    body: JSON.stringify({ assistantId: 'fvtassistant', threadId: 'fvtthread' }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

describe.each(START_FLAVOURS)('$name', (flavour) => {
  test('a run goes PENDING, IN_PROGRESS, COMPLETED; wait returns the run', async () => {
    const client = flavour.client(emu);
    const pending = client.run(await createRun(60));
    expect(pending.lastKnownStatus).toBeNull();
    expect(await pending.getStatus()).toMatchObject({ state: 'PENDING', isRunning: true, statusName: 'running' });
    const id = await createRun(1.5);
    const run = client.run(id);
    const states: string[] = [];
    const result = (await run.wait({
      pollInterval: 0.05,
      onProgress: (s: AssistantRunStatus) => states.push(s.state),
    })) as AssistantRunResult;
    expect(states).toContain('IN_PROGRESS');
    expect(states.at(-1)).toBe('COMPLETED');
    expect(states.slice(0, -1).every((state) => state === 'PENDING' || state === 'IN_PROGRESS')).toBe(true);
    expect(result).toMatchObject({
      id,
      assistantId: 'fvtassistant',
      state: { status: 'COMPLETED', completedMessage: { content: { content: [{ text: { content: 'Answer of fvtassistant' } }] } } },
    });
    const status = run.lastKnownStatus as unknown as AssistantRunStatus;
    expect(status).toBeInstanceOf(AssistantRunStatus);
    expect([status.isFinished, status.statusName, String(status)]).toEqual([true, 'success', 'AssistantRunStatus<COMPLETED>']);
    const gets = (await emu.requests()).filter((r) => r.operationId === id && r.method === 'GET');
    expect(gets[0]).toMatchObject({ path: `/assistants/v1/runs/${id}` });
    client.close();
  });

  test('TOOL_CALLS counts as succeeded (assistantRun is the same call)', async () => {
    const client = flavour.client(emu);
    const run = client.run(await createRun(0.1, { [RUN_STATUS_HEADER]: 'TOOL_CALLS' }), true);
    const result = (await run.wait({ pollInterval: 0.05 })) as AssistantRunResult;
    const toolCallList = result.state.toolCallList as { toolCalls: Array<{ functionCall: { name: string } }> };
    expect(toolCallList.toolCalls[0]?.functionCall.name).toBe('lookup');
    expect(run.lastKnownStatus).toMatchObject({ isSucceeded: true, state: 'TOOL_CALLS' });
    client.close();
  });

  test.each([
    [{ [FAIL_WITH_HEADER]: JSON.stringify({ code: 13, message: 'the model is overloaded' }) }, 2, 'the model is overloaded'],
    [{ [RUN_STATUS_HEADER]: 'CANCELLED' }, 1, 'the run is CANCELLED'],
  ])('a failed run is a RunError: %o', async (headers, code, message) => {
    const client = flavour.client(emu);
    const id = await createRun(0.1, headers);
    const error = await client
      .run(id)
      .wait({ pollInterval: 0.05 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect(error).toMatchObject({ code, errorMessage: message, operationId: id });
    client.close();
  });

  test('cancel is refused with CancelNotSupportedError, and nothing is sent', async () => {
    const client = flavour.client(emu);
    const id = await createRun(60);
    await emu.clearRequests();
    const error = await client
      .run(id)
      .cancel()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelNotSupportedError);
    expect(error).toBeInstanceOf(AIStudioError);
    expect((error as Error).message).toBe(
      `Assistant run ${id} cannot be cancelled: the service has no cancel for it (as in the Python SDK)`,
    );
    expect(await emu.requests()).toHaveLength(0);
    client.close();
  });

  test("the kind's defaults: a wait with no options polls every 0.5 s within 300 s", async () => {
    const { lines, logger } = infoLines();
    const client = flavour.client(emu, {}, logger);
    const id = await createRun(0.2);
    await client.run(id).wait();
    expect(lines).toContain(`Polling operation ${id}: every 0.5 s, poll timeout 300 s`);
    client.close();
  });

  test('an unknown run is an ApiError 404 (gRPC 5); a bad id is refused before any call', async () => {
    const client = flavour.client(emu);
    await expect(client.run('fvtnosuchrun0000000').getStatus()).rejects.toMatchObject({ name: 'ApiError', grpcCode: 5, httpStatus: 404 });
    await expect(client.run('fvtnosuchrun0000000').getStatus()).rejects.toBeInstanceOf(ApiError);
    expect(() => client.run('../etc')).toThrow(RangeError);
    client.close();
  });
});
