/** Use case: the config as written (after schema defaults) or effective (every implied default explicit). */
import { loadConfig, requireTopology } from '../config/load.js';
import type { Topology } from '../core/model/topology.js';
import type { WrittenTopology } from '../core/schema/topology.js';

export async function showConfig(options: { config?: string; cwd?: string; view: 'written' | 'effective' }): Promise<Topology | WrittenTopology> {
  const loaded = await loadConfig(options);
  const topology = requireTopology(loaded);
  return options.view === 'effective' ? topology : loaded.written!;
}
