export declare const CHROMIUM_ARGS: string[];
export declare function seedLongLog(home: string, records: number, grant: string): void;
