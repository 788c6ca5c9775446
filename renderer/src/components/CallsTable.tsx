// The calls as a virtualized grid: only the rows in view are in the DOM, so 100,000 records scroll smoothly.
// Keyboard: the grid takes focus; arrows, Page Up/Down, Home and End move the selection (aria-activedescendant).
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import type { CallRecord } from '../../../shared/call-record';
import type { CallStore } from '../lib/call-store';
import { argumentsPreview } from '../../../shared/escape-text';
import { formatLatency, formatTime } from '../lib/format';
import { useVirtualizer } from '@tanstack/react-virtual';
import { StatusBadge } from './StatusBadge';

const ROW_HEIGHT = 36;
/** The sticky header row inside the scroller: it covers the top of the rows' viewport. */
const HEAD_HEIGHT = ROW_HEIGHT;
const LOAD_MORE_WITHIN = 100;

export interface CallsTableProps {
  store: CallStore;
  version: number;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  hasMore: boolean;
  loadMore: () => void;
}

const COLUMNS = ['Time', 'Client', 'Server', 'Tool', 'Status', 'Latency', 'Arguments'];

function rowId(call: CallRecord): string {
  return `call-row-${call.id}`;
}

function CallRow({
  call,
  row,
  selected,
  onSelect,
}: {
  call: CallRecord;
  row: number;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  return (
    <div
      role="row"
      id={rowId(call)}
      aria-rowindex={row + 2}
      aria-selected={selected}
      className={`calls-row${selected ? ' is-selected' : ''}`}
      style={{ transform: `translateY(${row * ROW_HEIGHT}px)` }}
      onClick={() => onSelect(call.id)}
      data-status={call.status}
    >
      <div role="gridcell" title={call.ts}>
        {formatTime(call.ts)}
      </div>
      <div role="gridcell">{call.grant}</div>
      <div role="gridcell">{call.server}</div>
      <div role="gridcell" title={call.exposedName}>
        {call.tool}
      </div>
      <div role="gridcell">
        <StatusBadge call={call} compact />
      </div>
      <div role="gridcell" className="num">
        {formatLatency(call.durationMs, call.status === 'pending')}
      </div>
      <div role="gridcell" className="mono preview">
        {argumentsPreview(call.arguments)}
      </div>
    </div>
  );
}

export function CallsTable({ store, version, selectedId, onSelect, hasMore, loadMore }: CallsTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const liveCount = useRef(store.liveCount);
  const count = store.size;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollPaddingStart: HEAD_HEIGHT,
    initialRect: { width: 800, height: 600 },
  });
  const viewport = Math.max(0, (virtualizer.scrollRect?.height ?? 600) - HEAD_HEIGHT);

  // New calls arrive at the top: someone reading further down keeps their place instead of being pushed along.
  useLayoutEffect(() => {
    const added = store.liveCount - liveCount.current;
    liveCount.current = store.liveCount;
    const el = scroller.current;
    if (el && added > 0 && el.scrollTop > 0) el.scrollTop += added * ROW_HEIGHT;
  }, [store, version]);

  const items = virtualizer.getVirtualItems();
  const range = {
    start: items[0]?.index ?? 0,
    end: (items[items.length - 1]?.index ?? -1) + 1,
    totalHeight: virtualizer.getTotalSize(),
  };
  useEffect(() => {
    if (hasMore && range.end >= count - LOAD_MORE_WITHIN) loadMore();
  }, [hasMore, range.end, count, loadMore]);

  const activeRow = selectedId !== undefined ? store.rowOf(selectedId) : -1;

  const moveTo = (row: number) => {
    if (count === 0) return;
    const target = Math.max(0, Math.min(count - 1, row));
    const call = store.at(target);
    if (!call) return;
    onSelect(call.id);
    virtualizer.scrollToIndex(target, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const from = activeRow < 0 ? -1 : activeRow;
    const moves: Record<string, number> = {
      ArrowDown: from + 1,
      ArrowUp: Math.max(0, from - 1),
      PageDown: from + page,
      PageUp: from - page,
      Home: 0,
      End: count - 1,
    };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    moveTo(target);
  };

  const rows: CallRecord[] = [];
  for (let row = range.start; row < range.end; row++) {
    const call = store.at(row);
    if (call) rows.push(call);
  }
  const active = activeRow >= range.start && activeRow < range.end ? store.at(activeRow) : undefined;

  return (
    <div
      role="grid"
      aria-label="Calls, newest first"
      aria-rowcount={count + 1}
      aria-colcount={COLUMNS.length}
      aria-activedescendant={active ? rowId(active) : undefined}
      tabIndex={0}
      className="calls-grid"
      onKeyDown={onKeyDown}
    >
      {/* The header scrolls with the rows horizontally and stays on top (sticky), so the columns always line up. */}
      <div className="calls-scroll" ref={scroller}>
        <div role="rowgroup" className="calls-head">
          <div role="row" aria-rowindex={1} className="calls-row is-head">
            {COLUMNS.map((name) => (
              <div role="columnheader" key={name}>
                {name}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="calls-body" style={{ height: range.totalHeight }}>
          {rows.map((call, i) => (
            <CallRow
              key={call.id}
              call={call}
              row={range.start + i}
              selected={call.id === selectedId}
              onSelect={onSelect}
            />
          ))}
        </div>
      </div>
    </div>
  );
}
