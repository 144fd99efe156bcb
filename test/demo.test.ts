/** The demo (test/helpers/demo-run.ts) at a quarter of its durations: the same story, told faster. */
import { describeDemo } from './helpers/demo-run';

describeDemo(0.25);
