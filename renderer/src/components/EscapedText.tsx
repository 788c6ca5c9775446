// Text with invisible and bidi characters shown as ⟦U+XXXX⟧ markers (see lib/escape-text.ts).
import { escapeText } from '../../../shared/escape-text';

export function EscapedText({ text }: { text: string }) {
  return (
    <>
      {escapeText(text).map((segment, i) =>
        segment.kind === 'text' ? (
          <span key={i}>{segment.text}</span>
        ) : (
          <mark
            key={i}
            className="char-marker"
            title={segment.name}
            aria-label={`${segment.name}, ${segment.label}`}
          >
            {segment.label}
          </mark>
        ),
      )}
    </>
  );
}
