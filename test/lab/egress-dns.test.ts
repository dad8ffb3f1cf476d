// Lab scenario "egress-dns" end to end (src/lab/scenarios.ts): real namespaces, nftables and agents.
import t from 'tap';
import { EGRESS_DNS } from '../../src/lab/scenarios.js';
import { runScenario } from '../helpers/lab-scenario.js';

t.test(EGRESS_DNS.summary, (t) => runScenario(t, EGRESS_DNS));
