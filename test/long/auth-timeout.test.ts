/** A hung OAuth token exchange (test/helpers/hung-exchange.ts) at the exchange's real timeout, 10 s. */
import { describeHungExchange } from '../helpers/hung-exchange';

describeHungExchange(10);
