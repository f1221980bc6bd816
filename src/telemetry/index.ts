export { activityAttributes, pathTemplate } from './attributes';
export { describeTracing, type TracingSettings } from './settings';
export {
  annotateCurrentSpan,
  recordFailure,
  traceClientCall,
  traceInboundRequest,
  traceOutboundCall,
  tracingEnabled,
  type InboundRequest,
  type OutboundCall,
  type OutboundCallRecord,
} from './spans';
export { TracedLlmClient, withLlmTracing } from './traced-llm-client';
export { startTracing, type Tracing } from './tracing';
