// The OpenTelemetry side of the audit trail, loaded only when settings.json names an OTLP endpoint (the SDK is a
// tenth of a second to load): a LoggerProvider whose one processor buffers and retries, and the OTLP/HTTP JSON exporter.
import os from 'node:os';
import { ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { AuditLogRecord } from './audit-record.js';
import { BufferedLogProcessor, type BufferOptions, type ExportEvents } from './buffered-processor.js';

export interface PipelineOptions {
  /** The full URL records are posted to (…/v1/logs). */
  url: string;
  headers: Record<string, string>;
  gateway: string;
  buffer: BufferOptions;
  /** How long one export request (with the exporter's own quick retries) may take. */
  timeoutMs: number;
}

export interface Pipeline {
  emit(record: AuditLogRecord): void;
  readonly buffered: number;
  /** A last flush, then the exporter closed. */
  shutdown(): Promise<void>;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The context of a W3C `traceparent` (version 00 and later), or undefined when it is not one. */
function contextOf(traceparent: string | undefined): Context | undefined {
  const m = traceparent === undefined ? null : TRACEPARENT.exec(traceparent.trim());
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2] as string) || /^0+$/.test(m[3] as string)) return undefined;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: m[2] as string,
    spanId: m[3] as string,
    traceFlags: parseInt(m[4] as string, 16),
    isRemote: true,
  });
}

export function startPipeline(options: PipelineOptions, events: ExportEvents): Pipeline {
  const exporter = new OTLPLogExporter({
    url: options.url,
    headers: options.headers,
    timeoutMillis: options.timeoutMs,
  });
  const processor = new BufferedLogProcessor(exporter, options.buffer, events);
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({
      'service.name': 'gatehouse',
      'service.instance.id': options.gateway,
      'host.name': os.hostname(),
    }),
    processors: [processor],
  });
  const logger = provider.getLogger('gatehouse.audit');
  return {
    emit(record) {
      const context = contextOf(record.traceparent);
      logger.emit({
        timestamp: record.timestamp,
        severityNumber: record.severityNumber,
        severityText: record.severityText,
        body: record.body,
        attributes: record.attributes,
        ...(context ? { context } : {}),
      });
    },
    get buffered() {
      return processor.buffered;
    },
    shutdown: () => provider.shutdown(),
  };
}
