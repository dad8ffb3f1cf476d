// The benchmark's freePort (src/bench/free-port.ts), for tests that start programs which must be told their port.
export { freePort } from '../../src/bench/free-port.js';
