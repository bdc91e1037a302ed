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
  /** With a norm set (ScoreOptions, or the instrument's default set loaded): `attune score --json`'s member. */
  norms?: Norms;
}

/** The context of one person's norms (docs/norms.md); either part may be left out (the whole sample). */
export interface NormGroup { gender?: 'female' | 'male' | string; age?: number }

export interface ScoreOptions {
  /** The cell's context, as the CLI's --norm-group gender=female,age=30 (a string of that form passes as it is). */
  normGroup?: NormGroup | string;
  /** A set loaded with loadNormSet() by its id, or 'none' (default: the instrument's). */
  normSet?: string;
  /** Answers on another response scale than the set's: 'linear' (approximate; docs/irt.md). */
  convertResponseScale?: 'linear';
}

export interface ScaleNormStanding {
  mean_score: number | null;
  z: number | null;
  percentile: number | null;
  percentile_basis: string;
  norm_source: string;
  norm_sd?: number;
  norm_alpha?: number;
}

export interface Norms {
  set: string;
  name?: string;
  source: string;
  sample: string;
  cell: { id: string; label: string; n: number };
  context: string;
  conversion?: string;
  scales: Record<string, ScaleNormStanding>;
  meaning: string;
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

export interface PlanContext {
  stage?: 'single' | 'dating' | 'long_term' | 'parenting' | 'separating';
  parent?: boolean;
  partnered?: boolean;
  start?: string;  // 'YYYY-MM-DD': first day of the 30-day schedule; absent: days without dates
}

export interface PlanWhy {
  rule: string;
  text: string;
  relevance?: number;
  driver?: string | null;
  terms?: { term: string; contribution: number; score?: number; weight?: number; value?: string }[];
  triggers?: { on: string; value: string }[];
}

export interface PlanSource { article: string; title: string; section: string }

export interface PlanEntry {
  id: string;
  title: string;
  body: { type: 'paragraph' | 'bullet' | 'step'; text: string }[];
  source: PlanSource;
}

/** The JSON of `attune plan --format json` (docs/guidance.md); show `disclaimer` with it. */
export interface Plan {
  format: string;
  lang: string;
  instrument: string;
  headline: string;
  lead: 'focus' | 'more_help';
  context: { stage: string | null; parent: boolean | null; partnered: boolean | null; start: string | null };
  more_help: { why: PlanWhy; items: PlanEntry[] } | null;
  focus: { rank: number; id: string; kind: string; title: string; why: PlanWhy; source: PlanSource; [key: string]: unknown }[];
  disclaimer: string;
  [key: string]: unknown;
}

export interface Instrument {
  id: string;
  name: string;
  responseScale: { min: number; max: number; anchors?: Record<string, string> };
  items: { id: string; position: number; label: string }[];
  score(answers: Record<string, number | null>, options?: ScoreOptions): Result;
  scoreArray(values: ArrayLike<number>): { anxiety: number; avoidance: number; categoryMask: number };
  /** The recommendation plan for these answers (the English guidance pack is embedded). */
  plan(answers: Record<string, number | null>, context?: PlanContext): Plan;
  free(): void;
}

/** Item response theory (docs/cat.md): theta for one person and the adaptive test's stateless step. */
export interface CatRules {
  se_target?: number; min_items?: number; max_items?: number; max_total?: number;
  min_se_change?: number; randomesque?: number; seed?: number;
}
export interface CatStep {
  stop: boolean;
  reason: 'se_target' | 'max_items' | 'se_change' | 'bank_exhausted' | 'max_total' | null;
  next_item: string | null;
  next_scale: string | null;
  asked: number;
  scales: Record<string, { theta: number; se: number; asked: number; answered: number; stopped: string | null }>;
}
export interface Calibration {
  theta(answers: Record<string, number | null>, method?: 'eap' | 'map'): {
    method: string; scales: Record<string, { theta: number; se: number; answered: number }>;
  };
  catStep(answers: [string, number | null][], rules?: 'promis' | CatRules): CatStep;
  /** The bank's item and scale ids (bank order, the indices catStepArray uses). */
  itemIds: string[];
  scaleIds: string[];
  /** The same step without JSON: bank indices and raw responses (NaN = skipped); reason: 0 going on,
   * else attune_cat_stop (1 se_target, 2 max_items, 3 se_change, 4 bank_exhausted, 5 max_total). */
  catStepArray(items: ArrayLike<number>, responses: ArrayLike<number>, rules?: 'promis' | CatRules): {
    next: number; reason: number; theta: number[]; se: number[];
  };
  free(): void;
}

/** A saved result: what score() returns, or the JSON (text or parsed) of `attune score --json` or `attune take --format json`. */
export type SavedResult = Result | string | object;

export interface ChangeOptions {
  /** SD and reliability of a scale for its SEM (both, for each scale given). */
  sd?: Record<string, number>;
  reliability?: Record<string, number>;
  /** compare only: the dates taken, 'YYYY-MM-DD' (default: each result's "taken"). */
  before_date?: string;
  after_date?: string;
  /** compare only: a norm set loaded with loadNormSet(), whose whole sample judges results that name no set. */
  norm_set?: string;
  /** compare only: 'linear' judges scores on another response scale than the set's (docs/change.md). */
  convert_response_scale?: 'linear';
  /** couple only: two names instead of Partner A and Partner B. */
  names?: [string, string];
}

export interface ScaleChange {
  id: string; label: string; metric: 'raw' | 'theta';
  before: number | null; after: number | null; difference: number | null;
  rci: number | null; mdc95: number | null; reliable: boolean | null;
  se_before: number | null; se_after: number | null; s_diff: number | null;
  basis: string;
  verdict: 'reliable_up' | 'reliable_down' | 'same' | 'within' | 'unknown' | 'missing';
  verdict_text: string;
}

/** The document of `attune compare --format json`. */
export interface Comparison {
  instrument: { id: string; name: string };
  days_apart: number | null;
  interval_warning: string | null;
  criterion: string;
  scales: ScaleChange[];
  disclaimer: string;
  [more: string]: unknown;
}

export interface Attune {
  /** Two results of one person per scale (Jacobson & Truax 1991): the same document as `attune compare --format json`. */
  compare(before: SavedResult, after: SavedResult, options?: ChangeOptions): Comparison;
  /** Two partners' results: the same document as `attune couple --format json` (never a compatibility score). */
  couple(a: SavedResult, b: SavedResult, options?: ChangeOptions): { people: object[]; differences: object[]; practices: object[]; not_a_score: string; [more: string]: unknown };
  /** A calibration (item bank) from its JSON text, e.g. instruments/calibrations/ecr-openpsychometrics-1to5.json. */
  loadCalibration(jsonText: string, sourceName?: string): Calibration;
  /** A norm set from its JSON text (e.g. instruments/norms/ecr-openpsychometrics-1to5.json), for score()'s norms; returns its id. */
  loadNormSet(jsonText: string): string;
  version: string;
  disclaimer: string;
  loadInstrument(jsonText: string, sourceName?: string, options?: InstrumentOptions): Instrument;
  /** Same as instrument.plan(answers, context). */
  plan(instrument: Instrument, answers: Record<string, number | null>, context?: PlanContext): Plan;
}

export function load(moduleOptions?: object): Promise<Attune>;
