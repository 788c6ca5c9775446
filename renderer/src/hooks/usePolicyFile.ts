// policy.json as the Policy view holds it: the text as last read (with its ETag and the version in force), the draft
// being edited, and the file's changes on disk, followed live through the gateway's `policy` event. With no draft the
// view reloads by itself and says so; a draft is never overwritten: the change on disk waits for the user's choice,
// and a save still carries the ETag as read, so the gateway refuses it (409) until the user has chosen.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GatehouseApi, OperationOutput } from '../../../shared/api/operations';
import { diskChangeOf } from '../lib/policy-reload';
import type { EventStream } from './useEventStream';

type PolicyRead = OperationOutput<'getPolicy'>;

export interface PolicyFile {
  read: PolicyRead | undefined;
  readError: string | undefined;
  draft: string;
  edit: (text: string) => void;
  /** Reads the file again and drops the draft. */
  load: () => Promise<void>;
  /** The file as it is on disk, changed since it was read while a draft differs from both. */
  onDisk: PolicyRead | undefined;
  /** The view reloaded itself because the file changed on disk (no draft was lost). */
  reloaded: boolean;
  /** Drops the draft: back to the file as read, or to the file as it is on disk when that changed. */
  discard: () => void;
}

export function usePolicyFile(
  api: GatehouseApi,
  events: EventStream,
  onError: (err: unknown) => void,
): PolicyFile {
  const [read, setRead] = useState<PolicyRead>();
  const [readError, setReadError] = useState<string>();
  const [draft, setDraft] = useState('');
  const [onDisk, setOnDisk] = useState<PolicyRead>();
  const [reloaded, setReloaded] = useState(false);
  // The latest read and draft for the event handler, and the order of the reads: a slower, older read never
  // replaces a newer one.
  const latest = useRef({ read, draft });
  latest.current = { read, draft };
  const reads = useRef({ started: 0, applied: 0 });

  const getPolicy = useCallback(async () => {
    const seq = ++reads.current.started;
    const next = await api.getPolicy({});
    if (seq < reads.current.applied) return undefined;
    reads.current.applied = seq;
    return next;
  }, [api]);

  const take = useCallback((next: PolicyRead) => {
    setRead(next);
    setDraft(next.text);
    setOnDisk(undefined);
  }, []);

  const load = useCallback(
    () =>
      getPolicy().then(
        (next) => {
          if (next) take(next);
          setReloaded(false);
          setReadError(undefined);
        },
        (err: unknown) => {
          setReadError((err as Error).message);
          onError(err);
        },
      ),
    [getPolicy, take, onError],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const follow = useCallback(async () => {
    const next = await getPolicy();
    const { read: before, draft: now } = latest.current;
    if (!next) return;
    // Not read yet (this read overtook the first one): it is the first read.
    if (!before) return take(next);
    const change = diskChangeOf(before.text, now, next.text);
    if (change === 'conflict') return setOnDisk(next);
    setRead(next);
    setOnDisk(undefined);
    if (change === 'reload') {
      setDraft(next.text);
      setReloaded(true);
    }
  }, [getPolicy, take]);

  const { listen, epoch } = events;
  const epochAtOpen = useRef(epoch);
  useEffect(
    () =>
      listen((event) => {
        if (event.type === 'policy') follow().catch(onError);
      }),
    [listen, follow, onError],
  );
  // After a reconnection the stream may have missed a change.
  useEffect(() => {
    if (epoch !== epochAtOpen.current) follow().catch(onError);
  }, [epoch, follow, onError]);

  const edit = useCallback((text: string) => {
    setDraft(text);
    setReloaded(false);
  }, []);

  const discard = useCallback(() => {
    const target = onDisk ?? read;
    if (target) take(target);
  }, [onDisk, read, take]);

  return { read, readError, draft, edit, load, onDisk, reloaded, discard };
}
