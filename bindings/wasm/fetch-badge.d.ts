import type { BadgeInput, Laurel, VerifyOptions, VerifyReport } from './laurel.js';

export class FetchProblem extends Error {}
export function isImage(bytes: Uint8Array): boolean;
export function fetchDocument(url: string): Promise<Uint8Array>;
export function fetchBadge(url: string): Promise<{
  input: string | Uint8Array;
  documents: Record<string, string>;
  image: Blob | null;
}>;
export function verifyWithDocuments(laurel: Laurel, input: BadgeInput,
  documents: Record<string, string>, options?: Omit<VerifyOptions, 'documents'>):
  Promise<{ report: VerifyReport; problems: Map<string, string> }>;
