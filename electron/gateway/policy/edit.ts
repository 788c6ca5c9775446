// Small, exact edits of policy.json's text: each sets or removes one JSON path and changes nothing else of the file —
// key order, the other lines' layout, indentation, line ends, `$schema` and `x-*` keys stay byte for byte. The GUI's
// edits (PATCH /api/policy) and "always allow" both go through here. Pure: text in, text out.
// jsonc-parser finds where an edit goes; its own formatter would re-lay the neighbouring line too (`{ "action": … }`
// written on one line becomes three), so the new text is laid out here, in the file's own indentation.
import { applyEdits, findNodeAtLocation, modify, parseTree, type JSONPath, type Node } from 'jsonc-parser';

export interface PolicyEdit {
  path: (string | number)[];
  /** The new value at `path`; null removes it. */
  value: unknown;
}

interface Layout {
  /** One level of indentation as the file writes it. */
  unit: string;
  eol: string;
}

function layoutOf(text: string): Layout {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const match = /\n([ \t]+)"/.exec(text);
  const first = match?.[1];
  if (!first) return { unit: '  ', eol };
  return { unit: first.startsWith('\t') ? '\t' : first, eol };
}

/** The leading white space of the line that holds `offset`. */
function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** A value as the file would write it, its later lines under `indent`. */
function pretty(value: unknown, indent: string, layout: Layout): string {
  return JSON.stringify(value, null, layout.unit).split('\n').join(`${layout.eol}${indent}`);
}

/** The deepest object of `path` that exists, and what is missing below it (to be created as one value). */
function existingParent(tree: Node | undefined, path: JSONPath): { node: Node | undefined; depth: number } {
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const node = depth === 0 ? tree : findNodeAtLocation(tree!, path.slice(0, depth));
    if (node?.type === 'object') return { node, depth };
    if (node !== undefined) return { node: undefined, depth }; // a non-object in the way: jsonc replaces it
  }
  return { node: undefined, depth: 0 };
}

/**
 * The text without the property at `path` (an array element goes through jsonc-parser). The first property takes
 * its comma and the white space up to the next one, so the next property moves into its place, indentation and all;
 * any other property takes the comma before it; the only one leaves `{}`.
 */
function removeAt(text: string, tree: Node | undefined, path: JSONPath): string {
  const value = tree && findNodeAtLocation(tree, path);
  const property = value?.parent;
  if (!value || property?.type !== 'property' || property.parent === undefined) {
    return value ? applyEdits(text, modify(text, path, undefined, {})) : text;
  }
  const object = property.parent;
  const siblings = object.children ?? [];
  const index = siblings.indexOf(property);
  const cut = (from: number, to: number) => text.slice(0, from) + text.slice(to);
  if (index > 0) {
    const previous = siblings[index - 1]!;
    return cut(previous.offset + previous.length, property.offset + property.length);
  }
  const next = siblings[1];
  if (next) return cut(property.offset, next.offset);
  return applyEdits(text, [{ offset: object.offset, length: object.length, content: '{}' }]);
}

function applyOne(text: string, edit: PolicyEdit, layout: Layout): string {
  const path = edit.path as JSONPath;
  const tree = parseTree(text);
  if (edit.value === null) return removeAt(text, tree, path);
  const existing = tree && findNodeAtLocation(tree, path);
  if (existing) {
    // A new value where the old one stood, laid out from the line it starts on.
    const content = pretty(edit.value, indentAt(text, existing.offset), layout);
    return applyEdits(text, [{ offset: existing.offset, length: existing.length, content }]);
  }
  const { node: parent, depth } = existingParent(tree, path);
  if (!parent) return applyEdits(text, modify(text, path, edit.value, {}));
  // Everything missing below the deepest existing object is one new property of it.
  let value = edit.value;
  for (let i = path.length - 1; i > depth; i--) value = { [path[i] as string]: value };
  const key = JSON.stringify(path[depth]);
  const properties = parent.children ?? [];
  const last = properties[properties.length - 1];
  if (last) {
    const indent = indentAt(text, last.offset);
    const content = `,${layout.eol}${indent}${key}: ${pretty(value, indent, layout)}`;
    const end = last.offset + last.length;
    return applyEdits(text, [{ offset: end, length: 0, content }]);
  }
  const outer = indentAt(text, parent.offset);
  const indent = outer + layout.unit;
  const content = `{${layout.eol}${indent}${key}: ${pretty(value, indent, layout)}${layout.eol}${outer}}`;
  return applyEdits(text, [{ offset: parent.offset, length: parent.length, content }]);
}

/** The text with every edit applied in order (each on the text the previous one left). */
export function applyPolicyEdits(text: string, edits: readonly PolicyEdit[]): string {
  const layout = layoutOf(text);
  return edits.reduce((next, edit) => applyOne(next, edit, layout), text);
}
