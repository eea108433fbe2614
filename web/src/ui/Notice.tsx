/** An inline error or information line (API refusals are shown where the action was taken). */
export function Notice({ kind, children }: { kind: 'error' | 'info'; children: React.ReactNode }) {
  return <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>{children}</div>;
}
