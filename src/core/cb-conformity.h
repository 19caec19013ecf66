/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Conformity assessment of a measuring instrument's error against its
 * maximum permissible error (MPE, 最大允许误差): the MPE formula of a
 * specification, decision rules (simple acceptance, guard bands per
 * JCGM 106:2012 8.3, the JJF 1094-2002 rule, the non-binary statements of
 * ILAC-G8:09/2019) and the conformance probability of JCGM 106 7.
 */

#define CB_CONFORMITY_ERROR (cb_conformity_error_quark ())

typedef enum
{
  CB_CONFORMITY_ERROR_SYNTAX,   /* an MPE formula that does not parse: names the token and position */
  CB_CONFORMITY_ERROR_MISSING,  /* the formula needs a reading, range or resolution that was not given */
  CB_CONFORMITY_ERROR_INVALID,  /* a value outside its domain (negative U, MPE not positive, NaN…) */
} CbConformityError;

GQuark          cb_conformity_error_quark      (void);

/* ------------------------------------------------------------------ */
/* Maximum permissible error                                           */
/* ------------------------------------------------------------------ */

/*
 * MPE = a % × |reading| + b % × range + n × resolution + c.
 *
 * cb_mpe_parse() accepts, with spaces anywhere between tokens:
 *   "0.05%rdg+0.01%FS+2d", "±(0.5%RD+3d)", "±(0.05% of reading + 2 digits)",
 *   "1.5%FS", "0.02", "±0.02", "+/-0.02", "10ppm rdg + 5ppm FS",
 *   "class 0.4", "0.4级" (0.4 % of the range),
 *   full-width "％", "（", "）" and Chinese unit words.
 * Words after % or ppm: of reading (rdg, rd, reading, 读数, 示值) or of the
 * range (FS, F.S., range, full scale, 量程, 满量程, 满度); digits are d, dgt,
 * digit(s), count(s), 字.  A bare number is an absolute term.  A lone "%"
 * is refused as ambiguous, as is a repeated kind of term.  Errors name the
 * position (in characters from 1) and the offending token.
 */
typedef struct _CbMpe CbMpe;

typedef enum
{
  CB_MPE_NEEDS_NOTHING    = 0,
  CB_MPE_NEEDS_READING    = 1 << 0,
  CB_MPE_NEEDS_RANGE      = 1 << 1,
  CB_MPE_NEEDS_RESOLUTION = 1 << 2,
} CbMpeNeeds;

CbMpe          *cb_mpe_parse                   (const char          *text,
                                                GError             **error);
CbMpe          *cb_mpe_copy                    (const CbMpe         *mpe);
void            cb_mpe_free                    (CbMpe               *mpe);
/* What cb_mpe_evaluate() needs besides nothing: a flag for each kind of term present. */
CbMpeNeeds      cb_mpe_get_needs               (const CbMpe         *mpe);
/* The coefficients as parsed: percent of reading, percent of range (ppm
 * converted to percent, a class index is a percent of range), number of
 * digits, absolute term; 0 for terms not present.  Any pointer may be NULL. */
void            cb_mpe_get_terms               (const CbMpe         *mpe,
                                                double              *reading_percent,
                                                double              *range_percent,
                                                double              *digits,
                                                double              *absolute);
/* The MPE value (a magnitude) at @reading (its absolute value is used), for
 * a range (full-scale value) and resolution (value of one digit).  Pass NAN
 * for what is not known; it is an error only when a term needs it. */
gboolean        cb_mpe_evaluate                (const CbMpe         *mpe,
                                                double               reading,
                                                double               range,
                                                double               resolution,
                                                double              *value,
                                                GError             **error);
/* Canonical text that cb_mpe_parse() reads back: "±(0.05%rdg + 0.01%FS + 2d)",
 * "±1.5%FS", "±0.02", "class 0.4". */
char           *cb_mpe_to_string               (const CbMpe         *mpe);

/* ------------------------------------------------------------------ */
/* Conformance probability (JCGM 106:2012 7)                           */
/* ------------------------------------------------------------------ */

/* Probability that the measurand lies in [lower, upper], its state of
 * knowledge being normal with mean @y and standard uncertainty @u.  Pass
 * -INFINITY as @lower for a single upper limit (7.3: Φ((T_U − y)/u)) and
 * INFINITY as @upper for a single lower limit (Φ((y − T_L)/u)).  With u = 0
 * the result is 1 or 0.  NAN for a negative or non-finite u, NaN arguments
 * or lower > upper. */
double          cb_conformance_probability     (double               y,
                                                double               u,
                                                double               lower,
                                                double               upper);
/* Specific risk 1 − p_c, computed from the tails so that small risks keep
 * their precision: the probability of a false accept when a result @y is
 * accepted, of a false reject when it is rejected. */
double          cb_conformity_specific_risk    (double               y,
                                                double               u,
                                                double               lower,
                                                double               upper);

/* ------------------------------------------------------------------ */
/* Decision rules                                                      */
/* ------------------------------------------------------------------ */

/*
 * e is the error found, ±MPE the tolerance, U the expanded uncertainty of e
 * with coverage factor k, w = r·U the guard band.
 *
 *  SIMPLE              pass if |e| ≤ MPE, else fail (ILAC-G8 4.2.1, w = 0).
 *  GUARDED_ACCEPTANCE  binary, acceptance zone shrunk by w (JCGM 106 8.3.2):
 *                      pass if |e| ≤ MPE − w, else fail.  Low risk of a
 *                      false accept; with w ≥ MPE nothing passes.
 *  GUARDED_REJECTION   binary, acceptance zone widened by w (JCGM 106 8.3.3):
 *                      fail only if |e| > MPE + w.  Low risk of a false reject.
 *  JJF1094             JJF 1094-2002: if U ≤ MPE/3 (U95 ≤ MPEV/3), pass if
 *                      |e| ≤ MPE, else fail, uncertainty ignored; otherwise
 *                      pass if |e| ≤ MPE − U, fail if |e| ≥ MPE + U, and
 *                      undetermined (待定) in between.  r is not used.
 *  ILAC_G8             ILAC-G8:09/2019 4.2.3 non-binary statements:
 *                      pass (|e| ≤ MPE − w), conditional pass (≤ MPE),
 *                      conditional fail (≤ MPE + w), fail (> MPE + w).
 *
 * Comparisons allow a relative slack of 1e-12 so that a result written
 * exactly on a limit (e 0.2, MPE 0.3, U 0.1) is on it despite binary
 * rounding of MPE − U.
 */
typedef enum
{
  CB_DECISION_RULE_SIMPLE,
  CB_DECISION_RULE_GUARDED_ACCEPTANCE,
  CB_DECISION_RULE_GUARDED_REJECTION,
  CB_DECISION_RULE_JJF1094,
  CB_DECISION_RULE_ILAC_G8,
} CbDecisionRule;

typedef enum
{
  CB_DECISION_PASS,
  CB_DECISION_CONDITIONAL_PASS,
  CB_DECISION_CONDITIONAL_FAIL,
  CB_DECISION_FAIL,
  CB_DECISION_UNDETERMINED,
} CbDecision;

typedef struct
{
  CbDecisionRule rule;
  CbDecision     decision;
  double         indication_error;  /* e as given */
  double         mpe;               /* MPE as given */
  double         expanded;          /* U as given */
  double         k;                 /* coverage factor of U */
  double         guard_band;        /* w used (0 for simple, U for JJF 1094 unless direct) */
  double         acceptance_limit;  /* pass when |e| ≤ this (may be negative: nothing passes) */
  double         rejection_limit;   /* fail when |e| beyond this (≥ for JJF 1094, > otherwise) */
  double         ratio;             /* U / MPE */
  gboolean       direct;            /* JJF 1094 with U ≤ MPE/3: decided on |e| ≤ MPE alone */
  /* Probability that the true error lies within ±MPE: normal with mean e
   * and standard uncertainty U/k (JCGM 106 7.4). */
  double         conformance_probability;
  /* Specific risk of a false accept for a result measured exactly at the
   * acceptance limit, 1 − p_c there; NAN when nothing can pass. */
  double         acceptance_limit_risk;
} CbDecisionResult;

/* Decides by @rule.  @k > 0 (commonly 2) only serves the probabilities;
 * @guard_factor r ≥ 0 sets w = r·U for the guarded and ILAC-G8 rules (pass
 * 1 for w = U).  Errors name the argument: "U: expected a non-negative
 * number, found -3". */
gboolean        cb_conformity_decide           (CbDecisionRule       rule,
                                                double               indication_error,
                                                double               mpe,
                                                double               expanded,
                                                double               k,
                                                double               guard_factor,
                                                CbDecisionResult    *result,
                                                GError             **error);

/* Stable machine names: "simple", "guarded-acceptance", "guarded-rejection",
 * "jjf1094", "ilac-g8". */
const char     *cb_decision_rule_to_string     (CbDecisionRule       rule);
/* Reads the machine names and the short forms "guard" (guarded acceptance)
 * and "ilac"; FALSE for anything else. */
gboolean        cb_decision_rule_from_string   (const char          *text,
                                                CbDecisionRule      *rule);
/* Translated name of the rule: "JJF 1094-2002 (undetermined zone MPEV ± U95)". */
const char     *cb_decision_rule_get_title     (CbDecisionRule       rule);
/* Stable machine names: "pass", "conditional-pass", "conditional-fail",
 * "fail", "undetermined". */
const char     *cb_decision_to_string          (CbDecision           decision);
/* Translated statement for a certificate or record, e.g. "Conditional pass
 * (the error is within the limit but the expanded uncertainty interval
 * crosses it)"; the wording depends on the rule. */
const char     *cb_decision_get_statement      (CbDecisionRule       rule,
                                                CbDecision           decision);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbMpe, cb_mpe_free)

G_END_DECLS
