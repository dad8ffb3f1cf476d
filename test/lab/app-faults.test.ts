// Lab scenario "app-faults" end to end (src/lab/scenarios.ts): real namespaces, nftables and agents.
import t from 'tap';
import { APP_FAULTS } from '../../src/lab/scenarios.js';
import { runScenario } from '../helpers/lab-scenario.js';

t.test(APP_FAULTS.summary, (t) => runScenario(t, APP_FAULTS));
