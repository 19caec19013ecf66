/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include "core/cb-conformity.h"

/* Φ at a few points, for checking the probabilities independently of
 * cb-stats. */
#define PHI_1       0.8413447460685429
#define PHI_2       0.9772498680518208
#define PHI_MINUS_2 0.022750131948179195
#define PHI_MINUS_9 1.1285884059538408e-19
#define PHI_MINUS_10 7.619853024160527e-24

/* Helpers */

static CbMpe *
mpe_parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  CbMpe *mpe = cb_mpe_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (mpe);
  return mpe;
}

static double
mpe_value (const char *text,
           double      reading,
           double      range,
           double      resolution)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbMpe) mpe = mpe_parse_ok (text);
  double value = NAN;

  g_assert_true (cb_mpe_evaluate (mpe, reading, range, resolution, &value, &error));
  g_assert_no_error (error);
  return value;
}

static void
assert_parse_error (const char *text,
                    const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbMpe) mpe = cb_mpe_parse (text, &error);

  g_assert_null (mpe);
  g_assert_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, expected);
}

static CbDecisionResult
decide (CbDecisionRule rule,
        double         e,
        double         mpe,
        double         U,
        double         guard_factor)
{
  g_autoptr(GError) error = NULL;
  CbDecisionResult result;

  memset (&result, 0xff, sizeof result);
  g_assert_true (cb_conformity_decide (rule, e, mpe, U, 2.0, guard_factor, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.rule, ==, rule);
  return result;
}

static CbDecision
decision (CbDecisionRule rule,
          double         e,
          double         mpe,
          double         U)
{
  return decide (rule, e, mpe, U, 1.0).decision;
}

static void
assert_close (double actual,
              double expected,
              double relative)
{
  g_assert_cmpfloat (fabs (actual - expected), <=, relative * fabs (expected));
}

/* MPE formulas */

static void
test_mpe_examples (void)
{
  /* 0.05 % of 10 V + 0.01 % of 20 V + 2 × 0.001 V = 0.005 + 0.002 + 0.002. */
  assert_close (mpe_value ("0.05%rdg+0.01%FS+2d", 10, 20, 0.001), 0.009, 1e-14);
  assert_close (mpe_value ("±(0.05% of reading + 0.01% of range + 2 digits)", 10, 20, 0.001), 0.009, 1e-14);
  assert_close (mpe_value ("± 0.05 ％读数 ＋ 0.01％满量程 ＋ 2字", 10, 20, 0.001), 0.009, 1e-14);
  assert_close (mpe_value ("±（0.05%示值+0.01%量程+2个字）", 10, 20, 0.001), 0.009, 1e-14);

  /* The reading's sign does not matter. */
  assert_close (mpe_value ("±(0.5%RD+3d)", -2.5, NAN, 0.01), 0.0425, 1e-14);
  assert_close (mpe_value ("0.5%rdg ± 3 dgt", 2.5, NAN, 0.01), 0.0425, 1e-14);
  assert_close (mpe_value ("1.5%FS", NAN, 100, NAN), 1.5, 1e-15);
  assert_close (mpe_value ("1.5 % F.S.", NAN, 100, NAN), 1.5, 1e-15);
  assert_close (mpe_value ("0.1 % of full scale", NAN, 50, NAN), 0.05, 1e-15);
  assert_close (mpe_value ("10ppm rdg + 5 ppm of range", 1, 10, NAN), 6e-5, 1e-12);

  /* Absolute terms need nothing. */
  g_assert_cmpfloat (mpe_value ("0.02", NAN, NAN, NAN), ==, 0.02);
  g_assert_cmpfloat (mpe_value ("±0.02", NAN, NAN, NAN), ==, 0.02);
  g_assert_cmpfloat (mpe_value ("+/-0.02", NAN, NAN, NAN), ==, 0.02);
  g_assert_cmpfloat (mpe_value ("+-2e-2", NAN, NAN, NAN), ==, 0.02);
  assert_close (mpe_value ("±(0.1%rdg + 0.005)", 3, NAN, NAN), 0.008, 1e-14);

  /* Accuracy class: the index is a percent of the range. */
  assert_close (mpe_value ("class 0.4", NAN, 10, NAN), 0.04, 1e-15);
  assert_close (mpe_value ("0.4级", NAN, 10, NAN), 0.04, 1e-15);
  assert_close (mpe_value ("0.4 级", NAN, 10, NAN), 0.04, 1e-15);
  assert_close (mpe_value ("Cl. 2.5", NAN, 4, NAN), 0.1, 1e-15);
}

static void
test_mpe_terms (void)
{
  g_autoptr(CbMpe) full = mpe_parse_ok ("0.05%rdg+0.01%FS+2d");
  g_autoptr(CbMpe) ppm = mpe_parse_ok ("10 ppm rdg");
  g_autoptr(CbMpe) absolute = mpe_parse_ok ("±0.02");
  g_autoptr(CbMpe) klass = mpe_parse_ok ("0.4级");
  g_autoptr(CbMpe) copy = cb_mpe_copy (full);
  double a, b, n, c;

  g_assert_cmpint (cb_mpe_get_needs (full), ==,
                   CB_MPE_NEEDS_READING | CB_MPE_NEEDS_RANGE | CB_MPE_NEEDS_RESOLUTION);
  g_assert_cmpint (cb_mpe_get_needs (absolute), ==, CB_MPE_NEEDS_NOTHING);
  g_assert_cmpint (cb_mpe_get_needs (klass), ==, CB_MPE_NEEDS_RANGE);
  g_assert_cmpint (cb_mpe_get_needs (ppm), ==, CB_MPE_NEEDS_READING);

  cb_mpe_get_terms (copy, &a, &b, &n, &c);
  g_assert_cmpfloat (a, ==, 0.05);
  g_assert_cmpfloat (b, ==, 0.01);
  g_assert_cmpfloat (n, ==, 2);
  g_assert_cmpfloat (c, ==, 0);
  cb_mpe_get_terms (ppm, &a, NULL, NULL, NULL);
  assert_close (a, 0.001, 1e-15);
  cb_mpe_get_terms (klass, NULL, &b, NULL, NULL);
  g_assert_cmpfloat (b, ==, 0.4);
}

static void
test_mpe_to_string (void)
{
  static const struct { const char *text, *expected; } cases[] = {
    { "0.05%rdg+0.01%FS+2d", "±(0.05%rdg + 0.01%FS + 2d)" },
    { "±(0.5%RD+3d)", "±(0.5%rdg + 3d)" },
    { "1.5%FS", "±1.5%FS" },
    { "0.02", "±0.02" },
    { "+/- 0.020", "±0.02" },
    { "2d + 0.1%rdg", "±(0.1%rdg + 2d)" },
    { "0.4级", "class 0.4" },
    { "class 1", "class 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbMpe) mpe = mpe_parse_ok (cases[i].text);
      g_autofree char *text = cb_mpe_to_string (mpe);
      g_autoptr(CbMpe) again = mpe_parse_ok (text);
      g_autofree char *text_again = cb_mpe_to_string (again);

      g_assert_cmpstr (text, ==, cases[i].expected);
      /* The canonical text reads back to the same formula. */
      g_assert_cmpstr (text_again, ==, text);
      g_assert_cmpint (cb_mpe_get_needs (again), ==, cb_mpe_get_needs (mpe));
    }
}

static void
test_mpe_parse_errors (void)
{
  assert_parse_error ("", "expected a maximum permissible error such as ±(0.05%rdg + 2d), found empty text");
  assert_parse_error ("  ", "expected a maximum permissible error such as ±(0.05%rdg + 2d), found empty text");
  assert_parse_error ("0.05%", "position 6: expected rdg (of reading) or FS (of range) after “%”, found the end of the text");
  assert_parse_error ("0.05%xyz+2d", "position 6: expected rdg (of reading) or FS (of range) after “%”, found 'xyz'");
  assert_parse_error ("10 ppm", "position 7: expected rdg (of reading) or FS (of range) after “ppm”, found the end of the text");
  assert_parse_error ("0.05 mV", "position 6: expected a unit: %rdg, %FS, ppm or d (digits), found 'mV'");
  assert_parse_error ("0.5 rdg", "position 5: expected “%” or “ppm” before the word for reading or range, found 'rdg'");
  assert_parse_error ("0.05%rdg+", "position 10: expected a number, found the end of the text");
  assert_parse_error ("0.05%rdg++2d", "position 10: expected a number, found '+'");
  assert_parse_error ("%rdg", "position 1: expected a number, found '%'");
  assert_parse_error ("±(0.5%RD+3d", "position 12: expected “+” or “)”, found the end of the text");
  assert_parse_error ("0.5%RD+3d)", "position 10: expected “+” or the end of the text, found ')'");
  assert_parse_error ("0.05%rdg 2d", "position 10: expected “+” or the end of the text, found '2'");
  assert_parse_error ("0.5%rdg+0.1%RD", "position 9: expected each kind of term once (combine the repeated one), found '0.1'");
  assert_parse_error ("0.01 + 0.02", "position 8: expected each kind of term once (combine the repeated one), found '0.02'");
  assert_parse_error ("-0.02", "position 1: unexpected '-': a maximum permissible error is a magnitude, write it as ±… and its terms with +");
  assert_parse_error ("0.05%rdg−2d", "position 9: unexpected '−': a maximum permissible error is a magnitude, write it as ±… and its terms with +");
  assert_parse_error ("0.05#", "position 5: unexpected character '#'");
  assert_parse_error ("class", "position 6: expected the accuracy class index, a number, found the end of the text");
  assert_parse_error ("class 0", "position 7: expected a positive accuracy class index, found '0'");
  assert_parse_error ("class 0.4 + 2d", "position 11: expected the end of the text after the accuracy class, found '+'");
  assert_parse_error ("0.1%rdg + 0.4级", "position 14: expected an accuracy class alone, as in “class 0.4” or “0.4级”, found '级'");
  assert_parse_error ("1e999%FS", "position 1: the number '1e999' is too large");
  /* Positions count characters, not bytes. */
  assert_parse_error ("±（0.05％读数＋2字", "position 13: expected “+” or “)”, found the end of the text");
  assert_parse_error ("±0.05％读书", "position 7: expected rdg (of reading) or FS (of range) after “%”, found '读书'");
  assert_parse_error ("0.5\xff", "position 4: the text is not valid UTF-8");
  assert_parse_error (NULL, "expected a maximum permissible error such as ±(0.05%rdg + 2d), found empty text");
}

static void
test_mpe_evaluate_errors (void)
{
  g_autoptr(CbMpe) range = mpe_parse_ok ("1.5%FS");
  g_autoptr(CbMpe) reading = mpe_parse_ok ("0.05%rdg");
  g_autoptr(CbMpe) digits = mpe_parse_ok ("±(0.05%rdg+2d)");
  g_autoptr(GError) error = NULL;
  double value = -1;

  g_assert_false (cb_mpe_evaluate (range, 1, NAN, NAN, &value, &error));
  g_assert_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_MISSING);
  g_assert_cmpstr (error->message, ==,
                   "the maximum permissible error ±1.5%FS needs the range (full-scale value), which was not given");
  g_clear_error (&error);

  g_assert_false (cb_mpe_evaluate (reading, NAN, 10, 0.1, &value, &error));
  g_assert_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "the reading"));
  g_clear_error (&error);

  g_assert_false (cb_mpe_evaluate (digits, 1, NAN, NAN, &value, &error));
  g_assert_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "resolution"));
  g_clear_error (&error);

  g_assert_false (cb_mpe_evaluate (digits, 1, NAN, 0, &value, &error));
  g_assert_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "resolution: expected a positive number, found 0");
  g_clear_error (&error);

  g_assert_false (cb_mpe_evaluate (range, NAN, -20, NAN, &value, &error));
  g_assert_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "range: expected a positive number, found -20");
  g_clear_error (&error);

  g_assert_false (cb_mpe_evaluate (reading, INFINITY, NAN, NAN, &value, &error));
  g_assert_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "reading: expected a finite number, found inf");
  g_clear_error (&error);

  /* Nothing was written on failure. */
  g_assert_cmpfloat (value, ==, -1);
}

/* Conformance probability */

static void
test_probability_at_limit (void)
{
  /* JCGM 106 7.3: a result on a single limit is as likely inside as outside. */
  g_assert_cmpfloat (cb_conformance_probability (1.0, 0.1, -INFINITY, 1.0), ==, 0.5);
  g_assert_cmpfloat (cb_conformance_probability (1.0, 0.1, 1.0, INFINITY), ==, 0.5);
  /* Two-sided, y = 1.0 at the upper limit and the lower limit far away. */
  assert_close (cb_conformance_probability (1.0, 0.1, -100.0, 1.0), 0.5, 1e-15);
  assert_close (cb_conformity_specific_risk (1.0, 0.1, -100.0, 1.0), 0.5, 1e-15);
}

static void
test_probability_one_sided (void)
{
  /* Upper limit T_U: p_c = Φ((T_U − y)/u). */
  assert_close (cb_conformance_probability (8.0, 1.0, -INFINITY, 10.0), PHI_2, 1e-14);
  assert_close (cb_conformance_probability (9.0, 1.0, -INFINITY, 10.0), PHI_1, 1e-14);
  assert_close (cb_conformance_probability (12.0, 1.0, -INFINITY, 10.0), PHI_MINUS_2, 1e-13);
  /* Lower limit T_L: p_c = Φ((y − T_L)/u). */
  assert_close (cb_conformance_probability (0.7, 0.05, 0.6, INFINITY), PHI_2, 1e-13);
  assert_close (cb_conformance_probability (0.5, 0.05, 0.6, INFINITY), PHI_MINUS_2, 1e-12);
  /* JCGM 106 8.3.2: guarded acceptance with w = U = 2u keeps the specific
   * risk at the acceptance limit T_U − 2u below 2.3 %. */
  assert_close (cb_conformity_specific_risk (10.0 - 2 * 0.25, 0.25, -INFINITY, 10.0), PHI_MINUS_2, 1e-13);
}

static void
test_probability_two_sided (void)
{
  /* Centred in ±2u: 2Φ(2) − 1. */
  assert_close (cb_conformance_probability (0.0, 0.5, -1.0, 1.0), 2 * PHI_2 - 1, 1e-14);
  /* Off centre: Φ((T_U − y)/u) − Φ((T_L − y)/u). */
  assert_close (cb_conformance_probability (0.5, 0.5, -1.0, 1.0), PHI_1 - (1 - 0.9986501019683699), 1e-13);
  /* Small risks keep their precision: 2Φ(−10). */
  assert_close (cb_conformity_specific_risk (0.0, 1.0, -10.0, 10.0), 2 * PHI_MINUS_10, 1e-9);
  /* Far outside, p_c is tiny but not rounded to 0: Φ(−9) − Φ(−11). */
  assert_close (cb_conformance_probability (10.0, 1.0, -1.0, 1.0), PHI_MINUS_9, 1e-8);
  assert_close (cb_conformance_probability (-10.0, 1.0, -1.0, 1.0), PHI_MINUS_9, 1e-8);
  g_assert_cmpfloat (cb_conformity_specific_risk (10.0, 1.0, -1.0, 1.0), ==, 1.0);
}

static void
test_probability_degenerate (void)
{
  g_assert_cmpfloat (cb_conformance_probability (0.5, 0, -1, 1), ==, 1.0);
  g_assert_cmpfloat (cb_conformance_probability (1.0, 0, -1, 1), ==, 1.0);
  g_assert_cmpfloat (cb_conformance_probability (1.5, 0, -1, 1), ==, 0.0);
  g_assert_cmpfloat (cb_conformity_specific_risk (1.5, 0, -1, 1), ==, 1.0);
  g_assert_true (isnan (cb_conformance_probability (0, -1, -1, 1)));
  g_assert_true (isnan (cb_conformance_probability (0, 1, 1, -1)));
  g_assert_true (isnan (cb_conformance_probability (NAN, 1, -1, 1)));
  g_assert_true (isnan (cb_conformance_probability (0, INFINITY, -1, 1)));
  g_assert_true (isnan (cb_conformity_specific_risk (0, 1, NAN, 1)));
}

/* Decision rules */

static void
test_rule_simple (void)
{
  CbDecisionResult r = decide (CB_DECISION_RULE_SIMPLE, 0.9, 1.0, 0.5, 1.0);

  g_assert_cmpint (r.decision, ==, CB_DECISION_PASS);
  g_assert_cmpfloat (r.acceptance_limit, ==, 1.0);
  g_assert_cmpfloat (r.rejection_limit, ==, 1.0);
  g_assert_cmpfloat (r.guard_band, ==, 0.0);
  g_assert_cmpfloat (r.ratio, ==, 0.5);
  /* u = 0.25: p_c = Φ(0.4) − Φ(−7.6). */
  assert_close (r.conformance_probability, 0.6554217416103242, 1e-12);
  /* At the limit itself a simple acceptance risks 50 %. */
  assert_close (r.acceptance_limit_risk, 0.5, 1e-12);

  g_assert_cmpint (decision (CB_DECISION_RULE_SIMPLE, -1.0, 1.0, 0.5), ==, CB_DECISION_PASS);
  g_assert_cmpint (decision (CB_DECISION_RULE_SIMPLE, 1.1, 1.0, 0.0), ==, CB_DECISION_FAIL);
  g_assert_cmpint (decision (CB_DECISION_RULE_SIMPLE, -1.1, 1.0, 0.0), ==, CB_DECISION_FAIL);
}

static void
test_rule_guarded_acceptance (void)
{
  CbDecisionResult r = decide (CB_DECISION_RULE_GUARDED_ACCEPTANCE, 0.8, 1.0, 0.2, 1.0);

  g_assert_cmpint (r.decision, ==, CB_DECISION_PASS);
  assert_close (r.guard_band, 0.2, 1e-15);
  assert_close (r.acceptance_limit, 0.8, 1e-15);
  g_assert_cmpfloat (r.rejection_limit, ==, r.acceptance_limit);
  /* w = U, k = 2: the risk at the acceptance limit is Φ(−2) (JCGM 106 8.3.2). */
  assert_close (r.acceptance_limit_risk, PHI_MINUS_2, 1e-9);

  g_assert_cmpint (decision (CB_DECISION_RULE_GUARDED_ACCEPTANCE, -0.85, 1.0, 0.2), ==, CB_DECISION_FAIL);
  g_assert_cmpint (decision (CB_DECISION_RULE_GUARDED_ACCEPTANCE, 1.0, 1.0, 0.2), ==, CB_DECISION_FAIL);
  /* r = 0.5 halves the guard band. */
  r = decide (CB_DECISION_RULE_GUARDED_ACCEPTANCE, 0.85, 1.0, 0.2, 0.5);
  g_assert_cmpint (r.decision, ==, CB_DECISION_PASS);
  assert_close (r.acceptance_limit, 0.9, 1e-15);
  /* w > MPE leaves no acceptance zone: even a zero error fails. */
  r = decide (CB_DECISION_RULE_GUARDED_ACCEPTANCE, 0.0, 1.0, 1.5, 1.0);
  g_assert_cmpint (r.decision, ==, CB_DECISION_FAIL);
  g_assert_true (isnan (r.acceptance_limit_risk));
}

static void
test_rule_guarded_rejection (void)
{
  CbDecisionResult r = decide (CB_DECISION_RULE_GUARDED_REJECTION, 1.2, 1.0, 0.2, 1.0);

  g_assert_cmpint (r.decision, ==, CB_DECISION_PASS);
  assert_close (r.acceptance_limit, 1.2, 1e-15);
  g_assert_cmpfloat (r.rejection_limit, ==, r.acceptance_limit);
  g_assert_cmpint (decision (CB_DECISION_RULE_GUARDED_REJECTION, 0.5, 1.0, 0.2), ==, CB_DECISION_PASS);
  g_assert_cmpint (decision (CB_DECISION_RULE_GUARDED_REJECTION, -1.25, 1.0, 0.2), ==, CB_DECISION_FAIL);
}

static void
test_rule_jjf1094 (void)
{
  CbDecisionResult r;

  /* U ≤ MPEV/3: decide on |e| ≤ MPEV alone. */
  r = decide (CB_DECISION_RULE_JJF1094, 0.95, 1.0, 0.3, 1.0);
  g_assert_true (r.direct);
  g_assert_cmpint (r.decision, ==, CB_DECISION_PASS);
  g_assert_cmpfloat (r.acceptance_limit, ==, 1.0);
  g_assert_cmpfloat (r.guard_band, ==, 0.0);
  r = decide (CB_DECISION_RULE_JJF1094, -1.05, 1.0, 0.3, 1.0);
  g_assert_true (r.direct);
  g_assert_cmpint (r.decision, ==, CB_DECISION_FAIL);
  /* Exactly one third, as written in decimals, still counts as direct. */
  g_assert_true (decide (CB_DECISION_RULE_JJF1094, 0.29, 0.3, 0.1, 1.0).direct);
  g_assert_true (decide (CB_DECISION_RULE_JJF1094, 0.0, 3.0, 1.0, 1.0).direct);

  /* U > MPEV/3: pass ≤ MPEV − U95, fail ≥ MPEV + U95, undetermined between. */
  r = decide (CB_DECISION_RULE_JJF1094, 0.5, 1.0, 0.5, 1.0);
  g_assert_false (r.direct);
  g_assert_cmpint (r.decision, ==, CB_DECISION_PASS);
  g_assert_cmpfloat (r.acceptance_limit, ==, 0.5);
  g_assert_cmpfloat (r.rejection_limit, ==, 1.5);
  g_assert_cmpfloat (r.guard_band, ==, 0.5);
  g_assert_cmpint (decision (CB_DECISION_RULE_JJF1094, 0.7, 1.0, 0.5), ==, CB_DECISION_UNDETERMINED);
  g_assert_cmpint (decision (CB_DECISION_RULE_JJF1094, -1.2, 1.0, 0.5), ==, CB_DECISION_UNDETERMINED);
  g_assert_cmpint (decision (CB_DECISION_RULE_JJF1094, 1.5, 1.0, 0.5), ==, CB_DECISION_FAIL);
  g_assert_cmpint (decision (CB_DECISION_RULE_JJF1094, -2.0, 1.0, 0.5), ==, CB_DECISION_FAIL);
  /* 0.7 − 0.5 is 0.19999999999999996 in binary: 0.2 is still on the limit. */
  g_assert_cmpint (decision (CB_DECISION_RULE_JJF1094, 0.2, 0.7, 0.5), ==, CB_DECISION_PASS);
  g_assert_cmpint (decision (CB_DECISION_RULE_JJF1094, 1.2, 0.7, 0.5), ==, CB_DECISION_FAIL);
  /* The guard factor plays no part. */
  g_assert_cmpint (decide (CB_DECISION_RULE_JJF1094, 0.5, 1.0, 0.5, 0.0).decision, ==, CB_DECISION_PASS);
}

static void
test_rule_ilac_g8 (void)
{
  static const struct { double e; CbDecision expected; } cases[] = {
    { 0.0, CB_DECISION_PASS },
    { 0.8, CB_DECISION_PASS },
    { -0.8, CB_DECISION_PASS },
    { 0.9, CB_DECISION_CONDITIONAL_PASS },
    { -1.0, CB_DECISION_CONDITIONAL_PASS },
    { 1.1, CB_DECISION_CONDITIONAL_FAIL },
    { -1.2, CB_DECISION_CONDITIONAL_FAIL },
    { 1.3, CB_DECISION_FAIL },
    { -5.0, CB_DECISION_FAIL },
  };
  CbDecisionResult r;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (decision (CB_DECISION_RULE_ILAC_G8, cases[i].e, 1.0, 0.2), ==, cases[i].expected);

  r = decide (CB_DECISION_RULE_ILAC_G8, 1.0, 1.0, 0.2, 1.0);
  assert_close (r.acceptance_limit, 0.8, 1e-15);
  assert_close (r.rejection_limit, 1.2, 1e-15);
  /* On the limit, p_c = Φ(0) − Φ(−20) (u = 0.1). */
  assert_close (r.conformance_probability, 0.5, 1e-12);
  assert_close (r.acceptance_limit_risk, PHI_MINUS_2, 1e-9);

  /* Without uncertainty the conditional zones vanish. */
  g_assert_cmpint (decision (CB_DECISION_RULE_ILAC_G8, 1.0, 1.0, 0.0), ==, CB_DECISION_PASS);
  g_assert_cmpint (decision (CB_DECISION_RULE_ILAC_G8, 1.01, 1.0, 0.0), ==, CB_DECISION_FAIL);
  /* r = 2 doubles the guard band. */
  g_assert_cmpint (decide (CB_DECISION_RULE_ILAC_G8, 1.3, 1.0, 0.2, 2.0).decision, ==, CB_DECISION_CONDITIONAL_FAIL);
}

static void
test_decide_errors (void)
{
  static const struct { double e, mpe, U, k, r; const char *message; } cases[] = {
    { NAN, 1, 0.1, 2, 1, "error: expected a finite number, found nan" },
    { 0, 0, 0.1, 2, 1, "MPE: expected a positive number, found 0" },
    { 0, -1, 0.1, 2, 1, "MPE: expected a positive number, found -1" },
    { 0, 1, -3, 2, 1, "U: expected a non-negative number, found -3" },
    { 0, 1, INFINITY, 2, 1, "U: expected a non-negative number, found inf" },
    { 0, 1, 0.1, 0, 1, "k: expected a positive number, found 0" },
    { 0, 1, 0.1, 2, -1, "guard factor: expected a non-negative number, found -1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      CbDecisionResult result = { 0 };

      g_assert_false (cb_conformity_decide (CB_DECISION_RULE_ILAC_G8, cases[i].e, cases[i].mpe,
                                            cases[i].U, cases[i].k, cases[i].r, &result, &error));
      g_assert_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  {
    g_autoptr(GError) error = NULL;
    CbDecisionResult result = { 0 };

    g_assert_false (cb_conformity_decide ((CbDecisionRule) 42, 0, 1, 0.1, 2, 1, &result, &error));
    g_assert_error (error, CB_CONFORMITY_ERROR, CB_CONFORMITY_ERROR_INVALID);
  }
}

static void
test_names (void)
{
  static const CbDecisionRule rules[] = {
    CB_DECISION_RULE_SIMPLE, CB_DECISION_RULE_GUARDED_ACCEPTANCE, CB_DECISION_RULE_GUARDED_REJECTION,
    CB_DECISION_RULE_JJF1094, CB_DECISION_RULE_ILAC_G8,
  };
  static const struct { CbDecision decision; const char *name; } decisions[] = {
    { CB_DECISION_PASS, "pass" },
    { CB_DECISION_CONDITIONAL_PASS, "conditional-pass" },
    { CB_DECISION_CONDITIONAL_FAIL, "conditional-fail" },
    { CB_DECISION_FAIL, "fail" },
    { CB_DECISION_UNDETERMINED, "undetermined" },
  };
  CbDecisionRule rule;

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      const char *name = cb_decision_rule_to_string (rules[i]);

      g_assert_nonnull (name);
      g_assert_true (cb_decision_rule_from_string (name, &rule));
      g_assert_cmpint (rule, ==, rules[i]);
      g_assert_nonnull (cb_decision_rule_get_title (rules[i]));
      for (guint j = 0; j < G_N_ELEMENTS (decisions); j++)
        g_assert_nonnull (cb_decision_get_statement (rules[i], decisions[j].decision));
    }
  g_assert_cmpstr (cb_decision_rule_to_string (CB_DECISION_RULE_JJF1094), ==, "jjf1094");
  g_assert_cmpstr (cb_decision_rule_to_string (CB_DECISION_RULE_ILAC_G8), ==, "ilac-g8");
  g_assert_true (cb_decision_rule_from_string ("guard", &rule));
  g_assert_cmpint (rule, ==, CB_DECISION_RULE_GUARDED_ACCEPTANCE);
  g_assert_true (cb_decision_rule_from_string ("ILAC", &rule));
  g_assert_cmpint (rule, ==, CB_DECISION_RULE_ILAC_G8);
  g_assert_false (cb_decision_rule_from_string ("strict", &rule));
  g_assert_false (cb_decision_rule_from_string (NULL, &rule));

  for (guint j = 0; j < G_N_ELEMENTS (decisions); j++)
    g_assert_cmpstr (cb_decision_to_string (decisions[j].decision), ==, decisions[j].name);

  g_assert_cmpstr (cb_decision_get_statement (CB_DECISION_RULE_SIMPLE, CB_DECISION_PASS), ==, "Pass");
  g_assert_cmpstr (cb_decision_get_statement (CB_DECISION_RULE_ILAC_G8, CB_DECISION_CONDITIONAL_PASS), ==,
                   "Conditional pass (the error is within the limit but the expanded uncertainty interval crosses it)");
  g_assert_cmpstr (cb_decision_get_statement (CB_DECISION_RULE_JJF1094, CB_DECISION_UNDETERMINED), ==,
                   "Undetermined (JJF 1094: |e| is within MPEV ± U95)");
  /* The guarded rules say which limit was applied. */
  g_assert_nonnull (strstr (cb_decision_get_statement (CB_DECISION_RULE_GUARDED_ACCEPTANCE, CB_DECISION_FAIL),
                            "MPE − w"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/conformity/mpe/examples", test_mpe_examples);
  g_test_add_func ("/core/conformity/mpe/terms", test_mpe_terms);
  g_test_add_func ("/core/conformity/mpe/to-string", test_mpe_to_string);
  g_test_add_func ("/core/conformity/mpe/parse-errors", test_mpe_parse_errors);
  g_test_add_func ("/core/conformity/mpe/evaluate-errors", test_mpe_evaluate_errors);
  g_test_add_func ("/core/conformity/probability/at-limit", test_probability_at_limit);
  g_test_add_func ("/core/conformity/probability/one-sided", test_probability_one_sided);
  g_test_add_func ("/core/conformity/probability/two-sided", test_probability_two_sided);
  g_test_add_func ("/core/conformity/probability/degenerate", test_probability_degenerate);
  g_test_add_func ("/core/conformity/rule/simple", test_rule_simple);
  g_test_add_func ("/core/conformity/rule/guarded-acceptance", test_rule_guarded_acceptance);
  g_test_add_func ("/core/conformity/rule/guarded-rejection", test_rule_guarded_rejection);
  g_test_add_func ("/core/conformity/rule/jjf1094", test_rule_jjf1094);
  g_test_add_func ("/core/conformity/rule/ilac-g8", test_rule_ilac_g8);
  g_test_add_func ("/core/conformity/decide-errors", test_decide_errors);
  g_test_add_func ("/core/conformity/names", test_names);

  return g_test_run ();
}
