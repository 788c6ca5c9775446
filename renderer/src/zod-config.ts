// Imported first by main.tsx: zod must not probe `new Function` (the dashboard's CSP forbids eval, and Chromium
// reports the refused probe as a console error). Schemas read this setting when they are built, so it comes first.
import { z } from 'zod';

z.config({ jitless: true });
