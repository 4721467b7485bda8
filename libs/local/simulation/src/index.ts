export { awsParameters, parameterInfo, type ParameterName, type SimulationParameters, type ParameterInfo } from './parameters.js';
export { runSimulation, simulationEpochMs, type SimulationRun, type SimulationResult, type StrategyFigures } from './run-simulation.js';
export { simulationStrategyNames, type SimulationStrategyName } from './simulation-strategies.js';
export { parseArrival, formatArrival, arrivalHelp, type Arrival } from './arrivals.js';
export { writeLimitMs } from './write-limit.js';
