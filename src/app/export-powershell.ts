/** Use case: the config as an Exchange Management Shell script. Refuses a config that does not validate (exit 1). */
import { loadConfig, requireTopology } from '../config/load.js';
import { exportPowerShell } from '../core/export/powershell.js';

export async function exportPowerShellScript(options: { config?: string; cwd?: string; version: string }): Promise<string> {
  const loaded = await loadConfig(options);
  const topology = requireTopology(loaded);
  // The plain data tells which keys the file writes; a .js/.ts config has none, and every parsed key counts.
  return exportPowerShell({ raw: loaded.data?.value, written: loaded.written!, topology, sourceFile: loaded.displayFile, version: options.version });
}
