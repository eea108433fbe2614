import { formatBytes } from '../ui/format';

/** The members of a restore run's result (or progress) this page reads; others are ignored. */
interface RestoreCounts {
  bytes?: unknown;
  files?: unknown;
  alreadyCorrectFiles?: unknown;
  alreadyCorrectBytes?: unknown;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * What a restore wrote and what the target already held as the snapshot has it, in the CLI's words
 * ("0 B written, 0 files; 412 files (1.2 GiB) already correct"): a restore onto an up-to-date
 * system writes nothing, and "0 B, 0 files" alone reads as an empty snapshot. Undefined when the
 * result is not a restore's.
 */
export function restoreSummary(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null || !('files' in result) || !('bytes' in result)) return undefined;
  const r = result as RestoreCounts;
  const files = count(r.alreadyCorrectFiles);
  const correct = files > 0 ? `; ${files.toLocaleString('en')} files (${formatBytes(count(r.alreadyCorrectBytes))}) already correct` : '';
  return `${formatBytes(count(r.bytes))} written, ${count(r.files).toLocaleString('en')} files${correct}`;
}
