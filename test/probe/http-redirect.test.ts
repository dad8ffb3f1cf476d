import t from 'tap';
import { decideRedirect } from '../../src/probe/http-redirect.js';

const from = new URL('https://svc.test:8443/a/b');
const cases: Array<[number, string | undefined, string]> = [
  [302, '/c', 'follow https://svc.test:8443/c'],
  [301, 'c?x=1', 'follow https://svc.test:8443/a/c?x=1'],
  [308, 'https://SVC.test/other', 'follow https://svc.test/other'],
  [303, 'https://svc.test:9000/', 'follow https://svc.test:9000/'],
  [302, 'http://svc.test/', 'stop'],
  [302, 'https://evil.test/', 'stop'],
  [302, 'ftp://svc.test/', 'stop'],
  [302, 'https://user:pw@svc.test/', 'stop'],
  [302, undefined, 'stop'],
  [302, 'http://[', 'stop'],
  [200, '/c', 'stop'],
  [304, '/c', 'stop'],
];

t.test('redirect policy: same host, http(s) only, no downgrade, no credentials', async (t) => {
  for (const [status, location, expected] of cases) {
    const d = decideRedirect(from, status, location);
    t.equal('follow' in d ? `follow ${d.follow.href}` : 'stop', expected, `${status} ${location}`);
  }
  const up = decideRedirect(new URL('http://svc.test/'), 301, 'https://svc.test/');
  t.ok('follow' in up, 'http → https upgrade on the same host is followed');
});
