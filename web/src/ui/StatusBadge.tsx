/** A run or step status with its colour: operators scan a list by colour first. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status.toLowerCase()}`} data-status={status}>{status}</span>;
}
