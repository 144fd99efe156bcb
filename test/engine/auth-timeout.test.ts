/**
 * A hung OAuth token exchange (test/helpers/hung-exchange.ts) with the exchange's timeout replaced
 * by 1 s: the rule is the same at any length; test/long/auth-timeout.test.ts runs it at the real 10 s.
 */
import { describeHungExchange } from '../helpers/hung-exchange';

// Read by each token request, here and in the blocking flavour's worker (started after this line).
process.env.YC_OPERATION_INTERNAL_TOKEN_TIMEOUT_MS = '1000';

describeHungExchange(1);
