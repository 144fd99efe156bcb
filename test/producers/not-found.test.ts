/**
 * An operation the service no longer knows (a wrong id, or one finished some two weeks ago: the
 * service answers 404 for both alike) raises OperationNotFoundError, which names both
 * possibilities and stays an ApiError (gRPC 5), in both flavours (across the worker).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, OperationNotFoundError } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FLAVOURS } from '../helpers/flavours';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

const GONE = 'd7qexpired0000000000';

describe.each(FLAVOURS)('$name', (flavour) => {
  test.each(['getStatus', 'cancel', 'wait'] as const)('%s of an unknown or expired operation', async (member) => {
    const client = flavour.client({ endpoint: emu.url, auth: null });
    const error = await client
      .operation(GONE)
      [member]()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationNotFoundError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      name: 'OperationNotFoundError',
      operationId: GONE,
      grpcCode: 5,
      httpStatus: 404,
      rawMessage: `Operation ${GONE} not found`,
    });
    const { message, requestId } = error as OperationNotFoundError;
    expect(message).toMatch(
      new RegExp(
        `^Operation ${GONE} not found: the id is wrong, or the operation expired \\(Yandex Cloud keeps finished operations about two weeks\\); `,
      ),
    );
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(message).toContain(`request id ${requestId}`);
    client.close();
  });
});
