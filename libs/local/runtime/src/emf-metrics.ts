/**
 * The functions' metrics as CloudWatch would read them: each log line in the embedded metric format
 * (what Powertools Metrics prints) names its metrics under `_aws.CloudWatchMetrics` and holds their
 * values at the top level. The local runtime adds them up, so its status shows what the dashboard on
 * AWS would.
 */

/** Each metric's values added up, by metric name, across every function's lines. */
export type MetricTotals = Record<string, number>;

interface EmfDocument {
  _aws?: { CloudWatchMetrics?: Array<{ Metrics?: Array<{ Name?: unknown }> }> };
  [field: string]: unknown;
}

function sumOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  // Powertools writes a metric added twice in one flush as an array of its values.
  if (Array.isArray(value) && value.every((entry) => typeof entry === 'number')) return value.reduce((sum: number, entry: number) => sum + entry, 0);
  return undefined;
}

/** The metrics one log line carries, by name; empty for a line that is not in the embedded metric format. */
export function emfMetricsOf(line: string): MetricTotals {
  if (!line.startsWith('{') || !line.includes('"_aws"')) return {};
  let document: EmfDocument;
  try {
    document = JSON.parse(line) as EmfDocument;
  } catch {
    return {};
  }
  const metrics: MetricTotals = {};
  for (const directive of document._aws?.CloudWatchMetrics ?? []) {
    for (const { Name } of directive.Metrics ?? []) {
      if (typeof Name !== 'string') continue;
      const value = sumOf(document[Name]);
      if (value !== undefined) metrics[Name] = (metrics[Name] ?? 0) + value;
    }
  }
  return metrics;
}

/** Running totals of every metric the functions have printed since the runtime started. */
export class EmfTotals {
  private readonly sums: MetricTotals = {};

  /** Reads one log line; lines that are not metrics are ignored. */
  add(line: string): void {
    for (const [name, value] of Object.entries(emfMetricsOf(line))) this.sums[name] = (this.sums[name] ?? 0) + value;
  }

  get totals(): MetricTotals {
    return { ...this.sums };
  }
}
