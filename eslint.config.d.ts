// Types of eslint.config.js for the tests that read its layering table.
export declare const GATEWAY_LAYERS: Record<string, string[]>;
declare const config: unknown[];
export default config;
