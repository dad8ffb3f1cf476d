import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { lookupHostsFile, lookupHostsText } from '../../../src/probe/dns/hosts-file.js';

const KUBELET_HOSTS = `# Kubernetes-managed hosts file.
127.0.0.1\tlocalhost
::1\tlocalhost ip6-localhost ip6-loopback
10.244.1.7\tagent-7d9f\t# the pod itself
10.0.0.5 vault.example Vault.Internal
fd00::5 vault.example
not-an-ip vault.example
`;

t.test('finds names case-insensitively, both families, in file order', async (t) => {
  t.same(lookupHostsText(KUBELET_HOSTS, 'localhost'), { v4: ['127.0.0.1'], v6: ['::1'] });
  t.same(lookupHostsText(KUBELET_HOSTS, 'vault.internal.'), { v4: ['10.0.0.5'], v6: [] });
  t.same(lookupHostsText(KUBELET_HOSTS, 'VAULT.example'), { v4: ['10.0.0.5'], v6: ['fd00::5'] });
  t.same(lookupHostsText(KUBELET_HOSTS, 'the'), { v4: [], v6: [] }, 'comments are not names');
});

t.test('reads a file; a missing file has no entries', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-hosts-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'hosts'), KUBELET_HOSTS);
  t.same((await lookupHostsFile(join(dir, 'hosts'), 'agent-7d9f')).v4, ['10.244.1.7']);
  t.same(await lookupHostsFile(join(dir, 'missing'), 'localhost'), { v4: [], v6: [] });
});

t.test('a rewritten or removed file is read again', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-hosts-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'hosts');
  await writeFile(file, KUBELET_HOSTS);
  t.same((await lookupHostsFile(file, 'vault.example')).v4, ['10.0.0.5']);
  t.same((await lookupHostsFile(file, 'vault.example')).v4, ['10.0.0.5'], 'unchanged: the same answer');
  await writeFile(file, '10.0.0.77 vault.example\n');
  t.same((await lookupHostsFile(file, 'vault.example')).v4, ['10.0.0.77'], 'rewritten (new size): read again');
  await rm(file);
  t.same(await lookupHostsFile(file, 'vault.example'), { v4: [], v6: [] }, 'removed: no entries');
});
