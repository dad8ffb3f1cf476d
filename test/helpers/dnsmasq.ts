// The dnsmasq runner lives with the benchmark (src/bench/dnsmasq.ts), which needs it outside tests.
export { findDnsmasq, startDnsmasq, type Dnsmasq } from '../../src/bench/dnsmasq.js';
