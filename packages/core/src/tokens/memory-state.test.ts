import { describeTokenPoolStateContract } from './state-contract.js';
import { createMemoryTokenPoolState } from './memory-state.js';

describeTokenPoolStateContract('memory', () => createMemoryTokenPoolState());
