/** The fault matrix (test/resilience/fault-matrix.ts) for the async flavour over grpc. */
import { FLAVOURS_AND_PROTOCOLS } from '../../helpers/flavours';
import { describeFaultMatrix } from '../fault-matrix';

describeFaultMatrix(FLAVOURS_AND_PROTOCOLS.find((f) => f.name === 'async' && f.protocol === 'grpc')!);
