// The tools in force: the name table built from every upstream's listing, rebuilt when one changes. Each listing is
// first shown to the pins (a changed definition is held), and a tool newly hidden by the name rules is reported once.
import type { ToolPins } from '../state/pins.js';
import { buildNameTable, type NameTable, type ToolListing } from '../names/name-table.js';

export interface ToolCatalogDeps {
  pins: ToolPins;
  /** Servers whose definition changes are taken without asking (settings.json `trustedServers`). */
  trusted: (server: string) => boolean;
  /** The table changed: clients hear list_changed, the live view the new count. */
  changed: (count: number) => void;
  diagnostics: (line: string) => void;
}

export class ToolCatalog {
  private current: NameTable = buildNameTable([]);

  constructor(private readonly deps: ToolCatalogDeps) {}

  get table(): NameTable {
    return this.current;
  }

  rebuild(listings: ToolListing[]): void {
    for (const listing of listings) {
      const trusted = this.deps.trusted(listing.server);
      this.deps.pins.observeListing(listing.server, listing.tools, trusted);
    }
    const table = buildNameTable(listings);
    for (const hidden of table.hidden) {
      if (!this.current.hidden.some((h) => h.server === hidden.server && h.tool === hidden.tool)) {
        this.deps.diagnostics(`tool "${hidden.tool}" of server "${hidden.server}" is hidden: ${hidden.why}`);
      }
    }
    this.current = table;
    this.deps.changed([...table.entries()].length);
  }
}
