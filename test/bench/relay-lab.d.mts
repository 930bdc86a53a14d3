export declare const RELAY_CONNECTOR: string;
export declare function writeLab(dir: string, relayPort: number, sink: { host: string; port: number }): { config: string; hosts: string };
export declare function sendOne(host: string, port: number, from: string, to: string, body: string): Promise<number | undefined>;
export declare function relayStartArgs(lab: { config: string; hosts: string }, address: string, dataDir: string): string[];
