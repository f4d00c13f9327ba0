import type { AppContext } from '../../app-context';
import { DATASET_KINDS, type DatasetKind } from '../../import/dataset';
import { resolve } from 'node:path';
import { importFile } from '../../import/import-file';
import { UsageError, type CliIo } from '../io';

export async function importCommand(ctx: AppContext, io: CliIo, file: string, args: { kind?: string; cwd?: string }): Promise<number> {
  if (args.kind && !(DATASET_KINDS as readonly string[]).includes(args.kind)) throw new UsageError(`--kind must be one of ${DATASET_KINDS.join(', ')}; got "${args.kind}"`);
  const counts = await importFile(ctx, ctx.defaultPortalId, resolve(args.cwd ?? process.cwd(), file), args.kind as DatasetKind | undefined);
  const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  io.stdout.write(`imported ${parts.join(', ') || 'nothing (the file has no rows)'} from ${file}\n`);
  return 0;
}
