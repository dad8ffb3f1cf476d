// Lab scenario "rejections" end to end (src/lab/scenarios.ts): real namespaces, nftables and agents.
import t from 'tap';
import { REJECTIONS } from '../../src/lab/scenarios.js';
import { runScenario } from '../helpers/lab-scenario.js';

t.test(REJECTIONS.summary, (t) => runScenario(t, REJECTIONS));
