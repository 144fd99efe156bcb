/** The demo (test/helpers/demo-run.ts) at its real durations, as `npm start` runs it. */
import { describeDemo } from '../helpers/demo-run';

describeDemo(1);
