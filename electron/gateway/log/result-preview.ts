// A short, redacted text preview of a tool result for the call log: text blocks joined, other blocks summarized.
import { redactForLog, redactString } from './redact.js';

// Redaction runs before truncation, so a cut can never leave the unredacted head of a token behind; the text is
// first narrowed to a window a little larger than the preview, ending at whitespace so no token is split there.
const REDACTION_SLACK = 4096;

/** E.g. `hello world`, `[image image/png 1.2 kB]`, `[resource file:///a.txt text/plain 120 B]`; at most maxChars. */
export function resultPreview(result: unknown, maxChars = 500): string {
  return truncate(redactedText(describe(result), maxChars), maxChars);
}

function describe(result: unknown): string {
  if (typeof result === 'string') return result;
  if (result === null || typeof result !== 'object') return String(result);
  const { content, structuredContent, toolResult } = result as Record<string, unknown>;
  if (Array.isArray(content) && content.length > 0) return content.map(describeBlock).join('\n');
  if (structuredContent !== undefined) return safeJson(redactForLog(structuredContent, true));
  if (toolResult !== undefined) return safeJson(redactForLog(toolResult, true)); // the protocol's older shape
  if (Array.isArray(content)) return '';
  return safeJson(redactForLog(result, true));
}

function describeBlock(block: unknown): string {
  if (block === null || typeof block !== 'object') return `[${typeof block}]`;
  const b = block as Record<string, unknown>;
  switch (b.type) {
    case 'text':
      return typeof b.text === 'string' ? b.text : '[text]';
    case 'image':
    case 'audio':
      return bracket(b.type, str(b.mimeType), base64Size(b.data));
    case 'resource': {
      const r = (b.resource ?? {}) as Record<string, unknown>;
      const size = typeof r.text === 'string' ? formatBytes(Buffer.byteLength(r.text)) : base64Size(r.blob);
      return bracket('resource', str(r.uri), str(r.mimeType), size);
    }
    case 'resource_link':
      return bracket('resource link', str(b.uri), str(b.mimeType));
    default:
      return bracket(typeof b.type === 'string' ? b.type : 'block');
  }
}

function bracket(...parts: (string | undefined)[]): string {
  return `[${parts.filter((p) => p !== undefined && p !== '').join(' ')}]`;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function base64Size(data: unknown): string | undefined {
  if (typeof data !== 'string') return undefined;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return formatBytes(Math.max(0, Math.floor((data.length * 3) / 4) - padding));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (err) {
    return `[unserializable result: ${(err as Error).message}]`;
  }
}

function redactedText(text: string, maxChars: number): string {
  const window = maxChars + REDACTION_SLACK;
  if (text.length <= window) return redactString(text);
  const cut = text.slice(0, window);
  const atWhitespace = cut.replace(/\S+$/, '');
  return redactString(atWhitespace === '' ? cut : atWhitespace) + '…';
}

function truncate(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return `${chars.slice(0, Math.max(0, maxChars - 1)).join('')}…`;
}
