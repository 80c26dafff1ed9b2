// Dates, names and kinds written for people, in the browser's locale.
import type { Service } from './gql/graphql';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function when(iso: string | null | undefined, allDay = false): string {
  if (!iso) return '';
  const d = new Date(iso);
  return (allDay ? dateOnly : dateTime).format(d);
}

export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return dateOnly.format(new Date(iso));
}

export const serviceName: Record<Service, string> = { GMAIL: 'Gmail', CALENDAR: 'Calendar', DRIVE: 'Drive' };

export function person(a: { name: string; email: string }): string {
  return a.name ? `${a.name} <${a.email}>` : a.email;
}

/** fileKind names a MIME type the way people say it. */
export function fileKind(mime: string): string {
  const known: Record<string, string> = {
    'application/vnd.google-apps.document': 'Document',
    'application/vnd.google-apps.spreadsheet': 'Spreadsheet',
    'application/vnd.google-apps.presentation': 'Presentation',
    'application/vnd.google-apps.folder': 'Folder',
    'application/pdf': 'PDF',
    'text/plain': 'Text',
    'text/markdown': 'Markdown',
    'text/csv': 'CSV',
  };
  return known[mime] ?? (mime.startsWith('image/') ? 'Image' : mime);
}

/** The file types the file filter offers. */
export const fileTypes: [string, string][] = [
  ['', 'Any type'],
  ['application/vnd.google-apps.document', 'Documents'],
  ['application/vnd.google-apps.spreadsheet', 'Spreadsheets'],
  ['application/vnd.google-apps.presentation', 'Presentations'],
  ['application/pdf', 'PDFs'],
  ['text/plain', 'Text files'],
  ['text/markdown', 'Markdown'],
];
