// What the Policy view does when policy.json changes on disk while it is open: nothing when the text is the one it
// read; take the new text as read when it equals the draft (the view's own save, or the same edit made elsewhere);
// reload it when there is no draft; and never overwrite a draft — the user is told and chooses. Pure.
export type DiskChange = 'same' | 'adopt' | 'reload' | 'conflict';

export function diskChangeOf(readText: string, draft: string, diskText: string): DiskChange {
  if (diskText === readText) return 'same';
  if (diskText === draft) return 'adopt';
  return draft === readText ? 'reload' : 'conflict';
}
