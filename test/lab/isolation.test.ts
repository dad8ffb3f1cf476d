// Lab scenario "isolation" end to end (src/lab/scenarios.ts): real namespaces, nftables and agents.
import t from 'tap';
import { ISOLATION } from '../../src/lab/scenarios.js';
import { runScenario } from '../helpers/lab-scenario.js';

t.test(ISOLATION.summary, (t) => runScenario(t, ISOLATION));
