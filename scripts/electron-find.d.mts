// Types of electron-find.mjs for the tests that import it.
export function findElectron(options: {
  electronDir: string;
  markerFile: string;
  retry?: boolean;
  download?: (electronDir: string) => string | undefined;
  now?: () => Date;
  hasDisplay?: boolean;
}): { bin: string; why?: undefined } | { why: string; bin?: undefined };
