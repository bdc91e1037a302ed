/*
 * attune.h - the C ABI of attune: score adult-attachment questionnaires from C or any language with a
 * C foreign-function interface.
 *
 * Conventions (after libgit2):
 *   - Opaque handles: attune_instrument, attune_plan, attune_result. Each has exactly one free
 *     function; freeing NULL is a no-op.
 *   - Out-parameters come first. Functions return an int: 0 (ATTUNE_OK) on success, or a negative
 *     code (attune_error_code). The codes are the negated attune::ErrorKind values and are NEVER
 *     renumbered; new ones only get new numbers.
 *   - On failure the calling thread's last error holds the same detail as the C++ exception:
 *     message, kind, file, row, line, column, item, value, JSON path and what was expected. Read it
 *     with the attune_error_* functions right after the failing call. Successful calls do not clear
 *     it; attune_error_clear() does.
 *   - Strings the library allocates for the caller (char **out) are freed with attune_string_free().
 *     Strings returned as `const char *` are borrowed: valid until the owning handle is freed (or,
 *     for error fields, until the next failing call on the same thread).
 *   - Option structs carry a version field: initialize with the *_INIT macro or *_init() function,
 *     then set fields. A struct from an older header keeps working with a newer library.
 *   - No entry point lets a C++ exception escape.
 *
 * Declarations are C89-compatible. Scores describe tendencies on a continuum; they are not a diagnosis.
 */
#ifndef ATTUNE_H
#define ATTUNE_H

#include <stddef.h>

#if defined(_WIN32)
#  if defined(ATTUNE_C_BUILDING)
#    define ATTUNE_EXTERN(type) __declspec(dllexport) type
#  else
#    define ATTUNE_EXTERN(type) __declspec(dllimport) type
#  endif
#else
#  define ATTUNE_EXTERN(type) __attribute__((visibility("default"))) type
#endif

/* A 64-bit integer without requiring C99 (`__extension__` keeps gcc -std=c89 -pedantic quiet). */
#if defined(_MSC_VER)
typedef __int64 attune_int64;
#elif defined(__GNUC__)
__extension__ typedef long long attune_int64;
#else
typedef long long attune_int64;
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Return codes (never renumbered) -------------------------------------------------------- */
typedef enum attune_error_code {
  ATTUNE_OK = 0,
  ATTUNE_EUSAGE = -1,       /* a caller passed something the API does not accept (NULL, bad index) */
  ATTUNE_EINSTRUMENT = -2,  /* an instrument file is malformed or inconsistent */
  ATTUNE_EANSWER = -3,      /* an answer is out of range, not an integer, or not a number */
  ATTUNE_EDATA = -4,        /* a data document is malformed (e.g. answers JSON that does not parse) */
  ATTUNE_EIO = -5,          /* a file could not be opened, read or written */
  ATTUNE_ETEXT_PACK = -6,   /* a text pack is malformed or does not fit its instrument */
  ATTUNE_ELIMIT = -7,       /* an input exceeds a documented limit */
  ATTUNE_EINTERNAL = -99    /* a bug in attune, or out of memory */
} attune_error_code;

/* Categories of the four-dimension profile, also bit positions in category masks. */
typedef enum attune_category {
  ATTUNE_SECURE = 0,
  ATTUNE_ANXIOUS = 1,
  ATTUNE_AVOIDANT = 2,
  ATTUNE_FEARFUL = 3
} attune_category;

typedef struct attune_instrument attune_instrument;
typedef struct attune_plan attune_plan;
typedef struct attune_result attune_result;
typedef struct attune_guidance attune_guidance;

/* ---- Library ---------------------------------------------------------------------------------- */
ATTUNE_EXTERN(const char *) attune_version(void);
/* The sentence every person-facing output must carry ("This is not a diagnosis. ..."). */
ATTUNE_EXTERN(const char *) attune_disclaimer(void);
/* "secure", "anxious", "avoidant", "fearful"; "" for anything else. */
ATTUNE_EXTERN(const char *) attune_category_name(int category);
/* The name of a code: "ok", "usage", "instrument", "answer", "data", "io", "text_pack", "limit",
 * "internal"; "unknown" otherwise. */
ATTUNE_EXTERN(const char *) attune_error_code_name(int code);
ATTUNE_EXTERN(void) attune_string_free(char *s);

/* ---- Last error (thread-local) -------------------------------------------------------------- */
/* The code of the last failure on this thread, or 0. */
ATTUNE_EXTERN(int) attune_error_code_last(void);
/* The full message with its location prefix, as the C++ exception's what(); "" when none. */
ATTUNE_EXTERN(const char *) attune_error_message(void);
/* The bare reason, without the location. */
ATTUNE_EXTERN(const char *) attune_error_reason(void);
/* What was expected instead ("" when not stated). */
ATTUNE_EXTERN(const char *) attune_error_expected(void);
/* Location fields; "" or -1 when they do not apply. row is the 1-based data row, line the physical
 * line, column the 1-based column; item the instrument item id; value the offending value as read. */
ATTUNE_EXTERN(const char *) attune_error_file(void);
ATTUNE_EXTERN(attune_int64) attune_error_row(void);
ATTUNE_EXTERN(attune_int64) attune_error_line(void);
ATTUNE_EXTERN(attune_int64) attune_error_column(void);
ATTUNE_EXTERN(const char *) attune_error_column_name(void);
ATTUNE_EXTERN(const char *) attune_error_item(void);
ATTUNE_EXTERN(const char *) attune_error_value(void);
ATTUNE_EXTERN(const char *) attune_error_json_path(void);
ATTUNE_EXTERN(void) attune_error_clear(void);

/* ---- Instruments ---------------------------------------------------------------------------- */
/* The built-in instrument ids as a JSON array of strings (free with attune_string_free). */
ATTUNE_EXTERN(int) attune_instrument_list(char **out_json);
/* A built-in id ("ecr-r") or the path of an instrument JSON file. */
ATTUNE_EXTERN(int) attune_instrument_load(attune_instrument **out, const char *id_or_path);
/* An instrument from JSON text; source_name (may be NULL) names it in error messages. */
ATTUNE_EXTERN(int) attune_instrument_from_json(attune_instrument **out, const char *json_text,
                                               const char *source_name);
ATTUNE_EXTERN(void) attune_instrument_free(attune_instrument *instrument);
/* Borrowed strings, valid while the instrument lives; NULL for a NULL handle. */
ATTUNE_EXTERN(const char *) attune_instrument_id(const attune_instrument *instrument);
ATTUNE_EXTERN(const char *) attune_instrument_name(const attune_instrument *instrument);
/* The validated, normalized instrument as JSON (free with attune_string_free). */
ATTUNE_EXTERN(int) attune_instrument_to_json(char **out_json, const attune_instrument *instrument);

/* ---- Scoring plans -------------------------------------------------------------------------- */
typedef enum attune_norms_source {
  ATTUNE_NORMS_INSTRUMENT = 0, /* the instrument's published norms; the scale midpoint when none */
  ATTUNE_NORMS_MIDPOINT = 1,   /* always the scale midpoint */
  ATTUNE_NORMS_USER = 2,       /* norms_json supplied by the caller */
  ATTUNE_NORMS_SAMPLE = 3      /* norms_json computed from the data being scored (labelled so) */
} attune_norms_source;

#define ATTUNE_SCORING_OPTIONS_VERSION 1
typedef struct attune_scoring_options {
  unsigned int version;       /* ATTUNE_SCORING_OPTIONS_VERSION */
  const char *profile_method; /* NULL or "": the instrument's default */
  int data_scale_min;         /* the scale the answers were collected on; both 0: the instrument's;
                                 each end within -1000..1000 (else ATTUNE_EUSAGE) */
  int data_scale_max;
  int norms_source;           /* attune_norms_source */
  const char *norms_json;     /* USER/SAMPLE: {"anxiety": {"mean": m, "sd": s, "n": k, "alpha": a}, ...} on the
                                 instrument metric (n, alpha optional); strict: a duplicate or unknown
                                 key, alpha outside (0, 1), sd < 1e-6 or |mean| > 1e6 is ATTUNE_EUSAGE */
  const char *norms_label;    /* shown in output, e.g. a file name; may be NULL */
} attune_scoring_options;
#define ATTUNE_SCORING_OPTIONS_INIT {ATTUNE_SCORING_OPTIONS_VERSION, NULL, 0, 0, ATTUNE_NORMS_INSTRUMENT, NULL, NULL}
ATTUNE_EXTERN(int) attune_scoring_options_init(attune_scoring_options *options, unsigned int version);

/* Compiles an instrument for scoring. options may be NULL (defaults). The plan does not borrow the
 * instrument: either can be freed first. A plan is immutable and may be shared between threads. */
ATTUNE_EXTERN(int) attune_plan_compile(attune_plan **out, const attune_instrument *instrument,
                                       const attune_scoring_options *options);
ATTUNE_EXTERN(void) attune_plan_free(attune_plan *plan);
ATTUNE_EXTERN(size_t) attune_plan_item_count(const attune_plan *plan);
ATTUNE_EXTERN(size_t) attune_plan_scale_count(const attune_plan *plan);
/* Item / scale id at an index (plan order, the order of answers arrays and block outputs);
 * NULL when out of range. Borrowed from the plan. */
ATTUNE_EXTERN(const char *) attune_plan_item_id(const attune_plan *plan, size_t index);
ATTUNE_EXTERN(const char *) attune_plan_scale_id(const attune_plan *plan, size_t index);
ATTUNE_EXTERN(const char *) attune_plan_method(const attune_plan *plan);

/* ---- Scoring one person --------------------------------------------------------------------- */
/* answers_json: {"q1": 5, "2": 3, "q3": null}: item ids or position numbers as strings; null or an
 * absent item is missing. */
ATTUNE_EXTERN(int) attune_score_json(attune_result **out, const attune_plan *plan, const char *answers_json);
/* answers: item_count doubles in plan order, NaN = missing. n must equal attune_plan_item_count. */
ATTUNE_EXTERN(int) attune_score_array(attune_result **out, const attune_plan *plan, const double *answers,
                                      size_t n);
ATTUNE_EXTERN(void) attune_result_free(attune_result *result);

/* The whole result as JSON (scales, profile, explanations, notes, disclaimer). indent -1: compact,
 * 0..16: spaces per level; any other indent is ATTUNE_EUSAGE.
 * Free with attune_string_free. */
ATTUNE_EXTERN(int) attune_result_to_json(char **out_json, const attune_result *result, int indent);
/* The result's standing in a norm set, as the "norms" object of `attune score --json` (set, source,
 * sample, cell, context, per scale mean_score, z, percentile, percentile_basis, norm_source), or
 * "null" when no set applies. norm_set: an id, a file or "none" (NULL or "": the instrument's
 * default, for answers on its response scale); norm_group: "gender=female,age=30" (NULL or "": the
 * whole sample); convert_linear: nonzero as --convert-response-scale linear. Free with attune_string_free. */
ATTUNE_EXTERN(int) attune_result_norms_json(char **out_json, const attune_result *result, const char *norm_set,
                                            const char *norm_group, int convert_linear);
/* One scale's raw score, z and percentile (NaN where missing or without norms). Any out may be NULL.
 * Unknown scale id: ATTUNE_EUSAGE. */
ATTUNE_EXTERN(int) attune_result_scale(double *out_raw, double *out_z, double *out_percentile,
                                       const attune_result *result, const char *scale_id);
/* The dimension score for an attune_category, standardized (NaN when the profile is unavailable). */
ATTUNE_EXTERN(int) attune_result_dimension(double *out, const attune_result *result, int category);
/* Standardized coordinates in the anxiety x avoidance plane (NaN for prototype instruments). */
ATTUNE_EXTERN(int) attune_result_plane(double *out_anxiety, double *out_avoidance, const attune_result *result);
/* The category as a bit mask (bit c = attune_category c; several bits: a tie; 0: unavailable) and
 * the confidence (NaN when the method cannot give one). */
ATTUNE_EXTERN(int) attune_result_category(unsigned int *out_mask, double *out_confidence,
                                          const attune_result *result);

/* ---- Scoring many rows ---------------------------------------------------------------------- */
/* answers: rows x item_count doubles, row-major, NaN = missing. Outputs are caller-allocated and any
 * may be NULL: raw/z/percentile rows x scale_count; dimensions rows x 4; category rows (bit masks);
 * confidence rows; bad_item rows (-1, or the index of the row's first invalid answer, in which case
 * that row has no scores). An invalid answer does not fail the call. */
ATTUNE_EXTERN(int) attune_score_block(double *out_raw, double *out_z, double *out_percentile, double *out_dimensions,
                                      unsigned char *out_category, double *out_confidence, int *out_bad_item,
                                      const attune_plan *plan, const double *answers, size_t rows);

/* ---- Guidance: the recommendation plan ------------------------------------------------------ */
/* A guidance pack (docs/guidance.md). lang_or_dir: NULL or "" for "en"; a language code ("en") looked
 * up on the default search path ($ATTUNE_GUIDANCE_PATH, the installed data, the source tree); or a
 * path containing '/' to a pack folder (e.g. "guidance/en"). Immutable; may be shared between threads. */
ATTUNE_EXTERN(int) attune_guidance_load(attune_guidance **out, const char *lang_or_dir);
ATTUNE_EXTERN(void) attune_guidance_free(attune_guidance *guidance);
/* The plan for a scored person (attune::recommend) as self-contained JSON (titles and texts included,
 * the same document as `attune plan --format json`). guidance may be NULL: the default "en" pack is
 * loaded once, on first use, from the default search path. context_json may be NULL or "{}"; keys:
 *   "stage": "single" | "dating" | "long_term" | "parenting" | "separating"
 *   "parent": true/false, "partnered": true/false
 *   "start": "YYYY-MM-DD" (first day of the 30-day schedule; absent: days without dates)
 * Unknown keys or values fail with ATTUNE_EUSAGE. Deterministic: the same result and context give the
 * same JSON. indent -1: compact, 0..16: spaces per level, else ATTUNE_EUSAGE. Free with attune_string_free. */
ATTUNE_EXTERN(int) attune_recommend_json(char **out_json, const attune_result *result,
                                         const attune_guidance *guidance, const char *context_json, int indent);

/* ---- Item response theory: one person's theta and the adaptive test (docs/irt.md, docs/cat.md) -- */
/* A calibration (item bank) from `attune calibrate`: the id of a shipped one
 * ("ecr-openpsychometrics-1to5") or a file path; or its JSON text. Immutable, thread-safe; the tables
 * for theta and the adaptive step are built once here. */
typedef struct attune_calibration attune_calibration;
ATTUNE_EXTERN(int) attune_calibration_load(attune_calibration **out, const char *id_or_path);
ATTUNE_EXTERN(int) attune_calibration_from_json(attune_calibration **out, const char *json_text,
                                                const char *source_name);
ATTUNE_EXTERN(void) attune_calibration_free(attune_calibration *calibration);
/* The bank's items (every scale's, in the file's scale order) and scales; NULL when out of range. */
ATTUNE_EXTERN(size_t) attune_calibration_item_count(const attune_calibration *calibration);
ATTUNE_EXTERN(const char *) attune_calibration_item_id(const attune_calibration *calibration, size_t index);
ATTUNE_EXTERN(size_t) attune_calibration_scale_count(const attune_calibration *calibration);
ATTUNE_EXTERN(const char *) attune_calibration_scale_id(const attune_calibration *calibration, size_t index);
/* One person's theta and SE per scale. answers_json: {"q1": 4, "q2": null} by item id, raw answers on
 * the calibration's response scale (absent or null: not answered). method: NULL/"eap" (posterior
 * mean, SE = posterior SD) or "map". out_json: {"method": "eap", "scales": {"<id>": {"answered": n,
 * "se": s, "theta": t}}}. Free with attune_string_free. */
ATTUNE_EXTERN(int) attune_calibration_theta_json(char **out_json, const attune_calibration *calibration,
                                                 const char *answers_json, const char *method);
/* Theta for many rows, beside attune_score_block: answers as there (rows x item_count, plan order, NaN = missing, raw on
 * the plan's data scale); out_theta and out_se, rows x attune_calibration_scale_count, in that order,
 * get what `attune score FILE --irt` writes as <scale>_theta and <scale>_theta_se: NaN for a row
 * with an answer off the scale and for a scale with none of its items answered. method "eap" (or
 * NULL: posterior mean and SD) or "map". A calibration of another instrument, or on another response
 * scale than the plan's data scale, is ATTUNE_EUSAGE. */
ATTUNE_EXTERN(int) attune_theta_block(double *out_theta, double *out_se, const attune_calibration *calibration,
                                      const attune_plan *plan, const double *answers, size_t rows, const char *method);
/* The adaptive step as JSON: request {"answers": [["q1", 4], ["q5", null]], "rules": "promis" or
 * {"se_target": 0.3, "min_items": 4, "max_items": 12, "max_total": 0, "min_se_change": 0,
 * "randomesque": 1, "seed": 0}}; reply {"stop": b, "reason": s|null, "next_item": s|null,
 * "next_scale": s|null, "asked": n, "scales": {"<id>": {"theta", "se", "asked", "answered",
 * "stopped"}}}. Stateless: the same answers give the same reply everywhere. */
ATTUNE_EXTERN(int) attune_cat_step_json(char **out_json, const attune_calibration *calibration, const char *request_json);
/* Why the test (or one scale) stopped; values never renumbered. */
typedef enum attune_cat_stop {
  ATTUNE_CAT_GOING_ON = 0,
  ATTUNE_CAT_SE_TARGET = 1,
  ATTUNE_CAT_MAX_ITEMS = 2,
  ATTUNE_CAT_SE_CHANGE = 3,
  ATTUNE_CAT_BANK_EXHAUSTED = 4,
  ATTUNE_CAT_MAX_TOTAL = 5
} attune_cat_stop;
#define ATTUNE_CAT_RULES_VERSION 1
typedef struct attune_cat_rules {
  unsigned int version; /* ATTUNE_CAT_RULES_VERSION */
  double se_target;     /* per scale, after min_items (0.3) */
  int min_items;        /* per scale (4) */
  int max_items;        /* per scale (12) */
  int max_total;        /* all scales together, 0 = no limit (0) */
  double min_se_change; /* 0 = off (0) */
  int randomesque;      /* 1..64 (1) */
  attune_int64 seed;    /* read as an unsigned 64-bit number (0) */
} attune_cat_rules;
/* The PROMIS-like preset: at least 4, at most 12 items per scale, SE below 0.3. */
#define ATTUNE_CAT_RULES_INIT {ATTUNE_CAT_RULES_VERSION, 0.3, 4, 12, 0, 0.0, 1, 0}
ATTUNE_EXTERN(int) attune_cat_rules_init(attune_cat_rules *rules, unsigned int version);
/* The adaptive step without JSON: items[i] is a bank index (attune_calibration_item_id), responses[i]
 * the raw answer (NaN: shown and skipped). Fills out_theta and out_se (attune_calibration_scale_count
 * values each, may be NULL), *out_next_item (bank index, -1 when the test stops) and *out_reason
 * (attune_cat_stop; ATTUNE_CAT_GOING_ON while going on). rules NULL: the preset. No allocation. */
ATTUNE_EXTERN(int) attune_cat_step(int *out_next_item, int *out_reason, double *out_theta, double *out_se,
                                   const attune_calibration *calibration, const int *items, const double *responses,
                                   size_t count, const attune_cat_rules *rules);
/* ---- Retakes and two partners (docs/change.md) ---------------------------------------------- */
/* Two saved results of one person (the JSON of `attune score --json` or `attune take --format json`),
 * compared per scale: the same JSON as `attune compare --format json` (difference, rci, mdc95,
 * reliable, basis, verdict). options_json may be NULL or "{}"; keys: "sd" and "reliability" (objects
 * by scale id, both for each scale), "before_date", "after_date" (YYYY-MM-DD), "norm_set" (an id or
 * a file, as --norm-set), "convert_response_scale" ("linear"). The norm set a result names is looked
 * up among the shipped sets, as `attune compare` does. Results of different
 * instruments or response scales fail with ATTUNE_EUSAGE. guidance NULL: the default "en" pack.
 * indent -1: compact. Free with attune_string_free. */
ATTUNE_EXTERN(int) attune_compare_json(char **out_json, const char *before_json, const char *after_json,
                                       const attune_guidance *guidance, const char *options_json, int indent);
/* Two partners' saved results: the same JSON as `attune couple --format json` (positions with 95%
 * intervals, differences, the shared plan with why, "not_a_score"). options_json: "sd",
 * "reliability" as above, "names": ["Sam", "Alex"]. Never a compatibility score. */
ATTUNE_EXTERN(int) attune_couple_json(char **out_json, const char *a_json, const char *b_json,
                                      const attune_guidance *guidance, const char *options_json, int indent);

/* TODO(reliability, issue 6): reliability / item statistics as JSON, once those C++ APIs land. */

#ifdef __cplusplus
}
#endif

#endif /* ATTUNE_H */
