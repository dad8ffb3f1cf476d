// The dnsmasq runner lives with the benchmark (src/bench/dnsmasq.ts), which needs it outside tests.
export { ephemeralLow, findDnsmasq, randomPortBelowEphemeral, startDnsmasq, type Dnsmasq, type DnsmasqOptions } from '../../src/bench/dnsmasq.js';
