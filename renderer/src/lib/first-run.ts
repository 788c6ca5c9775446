// Whether Gatehouse is as a new home leaves it: policy.json still the starter (`{"version":"1","default":"approve"}`,
// DESIGN.md §2), however it is laid out.
export function isStarterPolicy(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const keys = Object.keys(value);
    const { version, default: action } = value as Record<string, unknown>;
    return keys.length === 2 && version === '1' && action === 'approve';
  } catch {
    return false; // not JSON: not the starter (the Policy view says what is wrong with it)
  }
}
