/** The client budget (test/engine/budget.ts): the blocking flavour. */
import { FLAVOURS } from '../helpers/flavours';
import { describeBudget, useEmulator } from './budget';

useEmulator();
describeBudget(FLAVOURS.find((f) => f.name === 'blocking')!);
