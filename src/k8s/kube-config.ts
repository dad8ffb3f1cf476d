// Where the explainer's API credentials come from: --kubeconfig, else the in-cluster service
// account, else the default chain (KUBECONFIG, ~/.kube/config).
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { PathprobeError } from '../errors.js';

/** The service-account token mounted in every pod that automounts one. */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Loads a KubeConfig; throws PathprobeError PP_K8S_CONFIG when none can be loaded. */
export function loadKubeConfig(opts: { kubeconfig?: string; env?: NodeJS.ProcessEnv } = {}): KubeConfig {
  const env = opts.env ?? process.env;
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else if (env['KUBERNETES_SERVICE_HOST'] && existsSync(SERVICE_ACCOUNT_TOKEN)) kc.loadFromCluster();
    else kc.loadFromDefault();
  } catch (err) {
    // The library reads the parsed document without checking its shape: an empty file or a
    // document that is not a mapping ends in a TypeError about its own internals.
    const why = err instanceof TypeError ? 'it is empty or not a kubeconfig (a mapping with apiVersion: v1, kind: Config)' : (err as Error).message;
    throw new PathprobeError(
      'PP_K8S_CONFIG', `cannot load a kubeconfig${opts.kubeconfig ? ` from ${opts.kubeconfig}` : ''}: ${why}`,
      opts.kubeconfig
        ? 'pass --kubeconfig a kubeconfig file (the one kubectl uses works), or leave it out in a pod with a service account'
        : 'run in a pod with a service account, or pass --kubeconfig / set KUBECONFIG',
      { cause: err },
    );
  }
  if (!kc.getCurrentCluster()) {
    throw new PathprobeError('PP_K8S_CONFIG', 'the kubeconfig names no current cluster', 'set current-context or pass --kubeconfig');
  }
  return kc;
}
