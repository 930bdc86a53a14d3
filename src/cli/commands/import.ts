/** `mxt import exchange FILE…`: app/import-exchange does the work; this prints the config or where it went, and the findings. */
import { importExchangeDumps } from '../../app/import-exchange.js';
import { DUMP_KINDS, type DumpKind } from '../../core/import/kinds.js';
import { ExitError } from '../../errors.js';
import type { CliContext } from '../context.js';

function summary(objects: Partial<Record<DumpKind, number>>, dropped: number, skipped: string[]): string {
  const read = DUMP_KINDS.filter((kind) => objects[kind]).map((kind) => `${objects[kind]} ${kind}`).join(', ');
  return (
    `read ${read || 'no objects'}; ${dropped} propert${dropped === 1 ? 'y' : 'ies'} not mapped (read-only, or not modelled by mxt)` +
    (skipped.length > 0 ? `; left out servers that are neither Mailbox nor Edge: ${skipped.join(', ')}` : '')
  );
}

export async function importExchangeCommand(files: string[], opts: { output?: string; force?: boolean }, ctx: CliContext): Promise<void> {
  const result = await importExchangeDumps({ files, output: opts.output, force: opts.force, cwd: ctx.cwd });
  const said = summary(result.outcome.objects, result.outcome.dropped, result.outcome.skippedServers);
  if (result.file) ctx.out(`wrote ${result.file}: ${said}`);
  else {
    ctx.out(result.text.trimEnd());
    ctx.err(said);
  }
  if (result.findings.length > 0) {
    const { renderFindingsText } = await import('../render/findings-text.js');
    ctx.err(renderFindingsText(result.findings, result.sources, ctx.colorLevel));
  }
  // Forced past errors: written as asked, and still an invalid topology.
  if (result.findings.some((f) => f.severity === 'error')) throw new ExitError(1);
}
