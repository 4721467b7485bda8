export { ApiPortInUseError, type ApiRequest } from './api-server.js';
export { PortsInUseError, type PortClaim } from './busy-ports.js';
export { Dashboard, DashboardPageMissingError, dashboardUrl, type DashboardOptions, type DashboardStatus } from './dashboard/dashboard.js';
export { localRuntimeConfig } from './local-runtime-config.js';
export { startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from './local-pipeline.js';
export type { PipelineEvent, TickTrigger, WorkerSummary } from './pipeline-events.js';
export type { PipelineActivity, PipelineStatus, QueueDepths } from './pipeline-status.js';
export { parseRate } from './tick-rate.js';
export { defaultWorkerConcurrency, localLoopsPerRun } from './worker-fleet.js';
