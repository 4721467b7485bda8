export { awsParameters, parameterInfo, type ParameterName, type SimulationParameters, type ParameterInfo } from './parameters.js';
export { runSimulation, simulationEpochMs, type SimulationRun, type SimulationResult, type StrategyFigures } from './run-simulation.js';
export { simulationStrategyNames, type SimulationStrategyName } from './simulation-strategies.js';
export { parseArrival, formatArrival, arrivalHelp, type Arrival } from './arrivals.js';
export { writeLimitMs } from './write-limit.js';
export { parseSimulateArgs, simulateUsage, SimulateUsageError, maxMessages, type SimulateOptions } from './simulate-command.js';
export { applySettings, parseParameterValue, ParameterError } from './parameter-values.js';
export { figuresTable, requestsTable, simulationJson, formatDuration, drainAfterTickMs, writeLimitRatio } from './simulation-report.js';
export { ProgressBar, renderProgress } from './progress-bar.js';
