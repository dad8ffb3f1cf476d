import t from 'tap';
import { allowedMetricNames, metricNamesIn } from '../../src/alerts/exported-metrics.js';

t.test('metricNamesIn finds selected metrics, not functions, labels, keywords or durations', async (t) => {
  t.same(
    metricNamesIn(
      'max by (cluster, path) (pathprobe_path_result{result="timeout", path=~"$path"} == 1)' +
        ' * on (cluster, path) group_left (source) topk by (path) (1, pathprobe_path_info offset 15m)' +
        ' or histogram_quantile(0.95, sum by (le) (rate(pathprobe_scheduler_lag_seconds_bucket[$__rate_interval])))' +
        ' unless on (path) up{job="x"} > 3 * time() - 2e3',
    ),
    ['pathprobe_path_info', 'pathprobe_path_result', 'pathprobe_scheduler_lag_seconds_bucket', 'up'],
  );
  t.same(metricNamesIn('label_replace(made_up_metric, "a", "$1", "b", "(.+)")'), ['made_up_metric']);
});

t.test('the allowed names are the contract metrics plus histogram series and up', async (t) => {
  const allowed = allowedMetricNames();
  t.ok(allowed.has('pathprobe_probe_duration_seconds_bucket'));
  t.ok(allowed.has('pathprobe_policy_verdict'));
  t.ok(allowed.has('up'));
  t.notOk(allowed.has('probe_success'));
  t.notOk(allowed.has('pathprobe_path_status'));
});
