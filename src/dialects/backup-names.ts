/** `20240120-143022-123` (UTC): the time part of every backup's name, so backups sort in time order. */
export function backupStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '')
}
