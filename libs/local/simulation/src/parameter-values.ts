import { formatLatency, parseLatency, type Latency } from './latency.js';
import { awsParameters, parameterInfo, type ParameterName, type SimulationParameters } from './parameters.js';

/** A parameter name or value the simulation cannot take: the message says which and what it accepts. */
export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterError';
  }
}

const names = Object.keys(awsParameters) as ParameterName[];

export function isParameterName(name: string): name is ParameterName {
  return (names as string[]).includes(name);
}

/** What a parameter accepts, in words. */
export function acceptedValues(name: ParameterName): string {
  const { kind, min, max } = parameterInfo[name];
  const range = (unit: string) =>
    min !== undefined && max !== undefined ? `${unit} from ${min} to ${max}` : min !== undefined ? `${unit} of at least ${min}` : unit;
  switch (kind) {
    case 'integer':
      return range('a whole number');
    case 'number':
      return range('a number');
    case 'share':
      return range('a share');
    case 'latency':
      return 'ms, as one number or p10/p50/p90/p99 (e.g. 7/10.2/16/27.6)';
    case 'switch':
      return '0 or 1';
  }
}

/** Reads one value for `name`, by its kind and range. */
export function parseParameterValue(name: ParameterName, text: string): number | Latency {
  const { kind, min, max } = parameterInfo[name];
  const refuse = () => new ParameterError(`${name} must be ${acceptedValues(name)}, got ${JSON.stringify(text)}.`);
  if (kind === 'latency') {
    const latency = parseLatency(text);
    if (!latency) throw refuse();
    return latency;
  }
  if (!/^\d+(\.\d+)?$/.test(text)) throw refuse();
  const value = Number(text);
  if (kind === 'integer' && !Number.isInteger(value)) throw refuse();
  if (kind === 'switch' && value !== 0 && value !== 1) throw refuse();
  if (kind === 'share' && !(value > 0 && value <= 1)) throw refuse();
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) throw refuse();
  return value;
}

/** The parameters with `name=value` settings applied over `base` (AWS's unless given). */
export function applySettings(settings: readonly string[], base: SimulationParameters = awsParameters): SimulationParameters {
  const parameters: Record<string, number | Latency> = { ...base };
  for (const setting of settings) {
    const equals = setting.indexOf('=');
    if (equals <= 0) throw new ParameterError(`--set takes name=value (e.g. dynamodb.initialWriteUnits=8000), got ${JSON.stringify(setting)}.`);
    const name = setting.slice(0, equals);
    if (!isParameterName(name)) {
      const group = name.split('.')[0] ?? '';
      const siblings = names.filter((known) => known.startsWith(`${group}.`));
      const groups = [...new Set(names.map((known) => known.split('.')[0]))];
      throw new ParameterError(
        siblings.length > 0
          ? `Unknown parameter ${JSON.stringify(name)}; the ${group}.* parameters are ${siblings.join(', ')}.`
          : `Unknown parameter ${JSON.stringify(name)}; parameters are ${groups.map((g) => `${g}.*`).join(', ')} (--help lists each).`,
      );
    }
    parameters[name] = parseParameterValue(name, setting.slice(equals + 1));
  }
  return parameters as SimulationParameters;
}

/** A parameter's value as --set takes it and --help shows it. */
export function formatParameterValue(value: number | Latency): string {
  return typeof value === 'number' ? String(value) : formatLatency(value);
}
