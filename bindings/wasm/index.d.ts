// Types for attune-wasm: the attune C++ core compiled to WebAssembly.

export type CategoryName = 'secure' | 'anxious' | 'avoidant' | 'fearful';
export const CATEGORIES: CategoryName[];

export interface InstrumentOptions {
  profileMethod?: string;
  dataScale?: [number, number];
}

export interface ScaleScore {
  id: string;
  label: string;
  raw: number | null;
  z: number | null;
  percentile: number | null;
  sem: number | null;
  ci95: [number, number] | null;
  answered: number;
  members: number;
  min_answered: number;
  explanation: string;
}

export interface Profile {
  method: string;
  category: string | null;            // ties joined by '|'
  confidence: number | null;
  confidence_basis?: string;
  dimensions: Record<CategoryName, number | null>;
  plane?: { anxiety: number | null; avoidance: number | null };
  explanation: string;
  standardization?: string;
  [key: string]: unknown;
}

export interface Result {
  attune_version: string;
  disclaimer: string;
  instrument: { id: string; version: string; name: string; citation: string };
  response_scale: { min: number; max: number };
  scales: ScaleScore[];
  profile: Profile;
  notes: string[];
}

export class AttuneError extends Error {
  code: number;       // the C ABI's stable negative code
  kind: 'usage' | 'instrument' | 'answer' | 'data' | 'io' | 'text_pack' | 'limit' | 'internal' | 'unknown';
  reason: string;
  expected: string;
  file: string;
  columnName: string;
  item: string;
  value: string;
  jsonPath: string;
}

export interface Instrument {
  id: string;
  name: string;
  responseScale: { min: number; max: number; anchors?: Record<string, string> };
  items: { id: string; position: number; label: string }[];
  score(answers: Record<string, number | null>): Result;
  scoreArray(values: ArrayLike<number>): { anxiety: number; avoidance: number; categoryMask: number };
  free(): void;
}

export interface Attune {
  version: string;
  disclaimer: string;
  loadInstrument(jsonText: string, sourceName?: string, options?: InstrumentOptions): Instrument;
  /** The plan (guidance); null until the guidance module is part of the WebAssembly build. */
  plan(result: Result): unknown | null;
}

export function load(moduleOptions?: object): Promise<Attune>;
