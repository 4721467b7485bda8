import { Metrics } from '@aws-lambda-powertools/metrics';
import { pipelineMetrics } from '@fanout/config';
import { EmfTotals, emfMetricsOf } from './emf-metrics.js';

/** The lines Powertools Metrics prints for one publication, captured from stdout as the function host reads them. */
function printedBy(publish: (metrics: Metrics) => void): string[] {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter((line) => line.length > 0));
    return true;
  });
  try {
    publish(new Metrics({ namespace: pipelineMetrics.namespace, serviceName: 'test-sqs2ddb' }));
  } finally {
    write.mockRestore();
  }
  return lines;
}

describe('emfMetricsOf', () => {
  it('reads the figures of a line Powertools Metrics printed, by metric name', () => {
    // Prepare
    const [line] = printedBy((metrics) => {
      metrics.addMetric(pipelineMetrics.messagesWritten, 'Count', 25);
      metrics.addMetric(pipelineMetrics.messagesUnwritten, 'Count', 0);
      metrics.addMetric(pipelineMetrics.runDuration, 'Milliseconds', 840);
      metrics.publishStoredMetrics();
    });

    // Act
    const figures = emfMetricsOf(line ?? '');

    // Assess
    expect(figures).toEqual({ MessagesWritten: 25, MessagesUnwritten: 0, RunDuration: 840 });
  });

  it('adds up a metric added twice in one publication, and ignores ordinary log lines and broken JSON', () => {
    // Prepare
    const [line] = printedBy((metrics) => {
      metrics.addMetric(pipelineMetrics.messagesRetried, 'Count', 2);
      metrics.addMetric(pipelineMetrics.messagesRetried, 'Count', 3);
      metrics.publishStoredMetrics();
    });

    // Act
    const figures = [emfMetricsOf(line ?? ''), emfMetricsOf('{"level":"INFO","message":"drain run finished","written":25}'), emfMetricsOf('{"_aws": {')];

    // Assess
    expect(figures).toEqual([{ MessagesRetried: 5 }, {}, {}]);
  });
});

describe('EmfTotals', () => {
  it('keeps running totals across lines and functions', () => {
    // Prepare
    const totals = new EmfTotals();
    const lines = [
      ...printedBy((metrics) => {
        metrics.addMetric(pipelineMetrics.messagesEnqueued, 'Count', 10);
        metrics.publishStoredMetrics();
      }),
      ...printedBy((metrics) => {
        metrics.addMetric(pipelineMetrics.messagesWritten, 'Count', 7);
        metrics.publishStoredMetrics();
        metrics.addMetric(pipelineMetrics.messagesWritten, 'Count', 3);
        metrics.publishStoredMetrics();
      }),
      'START RequestId: 1',
    ];

    // Act
    for (const line of lines) totals.add(line);

    // Assess
    expect(totals.totals).toEqual({ MessagesEnqueued: 10, MessagesWritten: 10 });
  });
});
