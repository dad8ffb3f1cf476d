// Lab scenario "ingress-drop" end to end (src/lab/scenarios.ts): real namespaces, nftables and agents.
import t from 'tap';
import { INGRESS_DROP } from '../../src/lab/scenarios.js';
import { runScenario } from '../helpers/lab-scenario.js';

t.test(INGRESS_DROP.summary, (t) => runScenario(t, INGRESS_DROP));
