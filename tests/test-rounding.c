/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "core/cb-rounding.h"

/* Helpers */

static CbDecimal *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  CbDecimal *decimal = cb_decimal_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (decimal);
  return decimal;
}

static void
assert_decimal (const CbDecimal *decimal,
                const char      *expected)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (decimal);
  text = cb_decimal_to_string (decimal);
  g_assert_cmpstr (text, ==, expected);
}

static void
assert_interval (const char *value,
                 const char *interval,
                 const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDecimal) v = parse_ok (value);
  g_autoptr(CbDecimal) i = parse_ok (interval);
  g_autoptr(CbDecimal) r = cb_round_to_interval (v, i, &error);

  g_assert_no_error (error);
  assert_decimal (r, expected);
}

static void
assert_interval_sci (const char *value,
                     const char *interval,
                     const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDecimal) v = parse_ok (value);
  g_autoptr(CbDecimal) i = parse_ok (interval);
  g_autoptr(CbDecimal) r = cb_round_to_interval (v, i, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (r);
  text = cb_decimal_to_string_sci (r);
  g_assert_cmpstr (text, ==, expected);
}

static void
assert_significant (const char *value,
                    guint       digits,
                    const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDecimal) v = parse_ok (value);
  g_autoptr(CbDecimal) r = cb_round_to_significant (v, digits, &error);

  g_assert_no_error (error);
  assert_decimal (r, expected);
}

static void
assert_report_mark (const char *value,
                    int         place,
                    const char *expected)
{
  g_autoptr(CbDecimal) v = parse_ok (value);
  g_autoptr(CbDecimal) r = cb_round_for_report (v, place);

  assert_decimal (r, expected);
}

static void
assert_parse_error (const char *text,
                    int         code,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDecimal) decimal = cb_decimal_parse (text, &error);

  g_assert_null (decimal);
  g_assert_error (error, CB_ROUNDING_ERROR, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
assert_report (const char *value,
               const char *expanded,
               guint       sig,
               gboolean    round_up,
               const char *expected_value,
               const char *expected_expanded)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDecimal) y = parse_ok (value);
  g_autoptr(CbDecimal) U = parse_ok (expanded);
  g_autoptr(CbDecimal) y_out = NULL;
  g_autoptr(CbDecimal) U_out = NULL;

  g_assert_true (cb_report_result (y, U, sig, round_up, &y_out, &U_out, &error));
  g_assert_no_error (error);
  assert_decimal (y_out, expected_value);
  assert_decimal (U_out, expected_expanded);
}

static void
assert_judge (const char *value,
              const char *limit,
              gboolean    full_conforms,
              const char *rounded,
              gboolean    rounded_conforms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDecimal) v = parse_ok (value);
  g_autoptr(CbDecimal) full_compared = NULL;
  g_autoptr(CbDecimal) rounded_compared = NULL;
  gboolean conforms = !full_conforms;

  g_assert_true (cb_limit_judge (v, limit, CB_LIMIT_METHOD_FULL, &conforms, &full_compared, &error));
  g_assert_no_error (error);
  g_assert_cmpint (conforms, ==, full_conforms);
  g_assert_cmpint (cb_decimal_compare (full_compared, v), ==, 0);

  conforms = !rounded_conforms;
  g_assert_true (cb_limit_judge (v, limit, CB_LIMIT_METHOD_ROUNDED, &conforms, &rounded_compared, &error));
  g_assert_no_error (error);
  g_assert_cmpint (conforms, ==, rounded_conforms);
  assert_decimal (rounded_compared, rounded);
}

static void
assert_judge_error (const char *limit,
                    int         code,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDecimal) v = parse_ok ("1.0");
  g_autoptr(CbDecimal) compared = NULL;
  gboolean conforms = FALSE;

  g_assert_false (cb_limit_judge (v, limit, CB_LIMIT_METHOD_ROUNDED, &conforms, &compared, &error));
  g_assert_error (error, CB_ROUNDING_ERROR, code);
  g_assert_null (compared);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

/* GB/T 8170-2008 3.2: the progression rules with the standard's examples */

static void
test_rules (void)
{
  /* 3.2.1: the first dropped digit is below 5. */
  assert_interval ("12.1498", "0.1", "12.1");
  assert_interval ("12.1498", "1", "12");
  /* 3.2.2: above 5. */
  assert_interval_sci ("1268", "100", "1.3×10^3");
  assert_interval ("1268", "100", "1300");
  assert_interval ("1268", "10", "1270");
  /* 3.2.3: exactly 5 followed by a non-zero digit. */
  assert_interval ("10.5002", "1", "11");
  assert_interval ("1.0501", "0.1", "1.1");
  /* 3.2.4: exactly 5 and then nothing or zeros: to even. */
  assert_interval ("1.050", "0.1", "1.0");
  assert_interval ("0.35", "0.1", "0.4");
  assert_interval ("0.350", "0.1", "0.4");
  assert_interval_sci ("2500", "1000", "2×10^3");
  assert_interval ("2500", "1000", "2000");
  assert_interval_sci ("3500", "1000", "4×10^3");
  assert_interval ("2500", "1e3", "2000");
  /* 3.2.5: negative numbers by their absolute value. */
  assert_interval ("-355", "10", "-360");
  assert_interval ("-325", "10", "-320");
  assert_interval ("-0.0365", "0.001", "-0.036");
  assert_interval_sci ("-0.0365", "0.001", "-3.6×10^-2");
}

static void
test_half_even (void)
{
  /* The decimal digits decide, not the nearest double (2.675 is stored as
   * 2.67499999999999982236431605997495353221893310546875). */
  assert_interval ("2.675", "0.01", "2.68");
  assert_interval ("2.665", "0.01", "2.66");
  assert_interval ("1.005", "0.01", "1.00");
  assert_interval ("0.125", "0.01", "0.12");
  assert_interval ("0.135", "0.01", "0.14");
  assert_interval ("0.5", "1", "0");
  assert_interval ("1.5", "1", "2");
  assert_interval ("-2.5", "1", "-2");
  assert_interval ("9.95", "0.1", "10.0");
  assert_interval ("99.96", "0.1", "100.0");
  /* A value below half the interval rounds to zero, without a sign. */
  assert_interval ("-0.04", "0.1", "0.0");
  assert_interval ("0.0004", "1000", "0");
  /* Fewer digits than the interval: zeros are added, the value kept. */
  assert_interval ("6.3", "0.01", "6.30");
  assert_interval ("12", "0.001", "12.000");
}

static void
test_no_successive (void)
{
  g_autoptr(CbDecimal) v = parse_ok ("15.4546");
  g_autoptr(CbDecimal) step = cb_round_to_place (v, -3);
  g_autoptr(CbDecimal) step2 = NULL;
  g_autoptr(CbDecimal) step3 = NULL;
  g_autoptr(CbDecimal) direct = cb_round_to_place (v, 0);
  g_autoptr(CbDecimal) successive = NULL;

  /* GB/T 8170 3.3.1: 15.4546 at 1 is 15; stepwise it would become 16. */
  assert_decimal (direct, "15");
  assert_decimal (step, "15.455");
  step2 = cb_round_to_place (step, -2);
  assert_decimal (step2, "15.46");
  step3 = cb_round_to_place (step2, -1);
  assert_decimal (step3, "15.5");
  successive = cb_round_to_place (step3, 0);
  assert_decimal (successive, "16");

  assert_significant ("8.53459", 3, "8.53");
}

/* GB/T 8170 3.4: 0.5 and 0.2 units, and any other interval */

static void
test_half_unit (void)
{
  assert_interval ("60.25", "0.5", "60.0");
  assert_interval ("60.38", "0.5", "60.5");
  assert_interval ("60.28", "0.5", "60.5");
  assert_interval ("-60.75", "0.5", "-61.0");
  assert_interval ("60.10", "0.5", "60.0");
  assert_interval ("63.37", "0.5", "63.5");
  assert_interval ("63.37", "5", "65");
}

static void
test_fifth_unit (void)
{
  assert_interval ("830", "20", "840");
  assert_interval ("842", "20", "840");
  assert_interval ("832", "20", "840");
  assert_interval ("-930", "20", "-920");
  assert_interval ("1075.2", "2", "1076");
  assert_interval ("0.53", "0.2", "0.6");
  assert_interval ("0.3", "0.2", "0.4");
  assert_interval ("0.1", "0.2", "0.0");
}

/* The interval rule must agree with the standard's own procedure for 0.5
 * and 0.2 units (round 2X or 5X at the unit, then divide) for every value
 * on a fine grid. */
static void
test_interval_procedures (void)
{
  int i;

  for (i = -2000; i <= 2000; i++)
    {
      g_autofree char *x = g_strdup_printf ("%s%d.%03d", i < 0 ? "-" : "", ABS (i) / 1000, ABS (i) % 1000);
      g_autofree char *x2 = g_strdup_printf ("%s%d.%03d", i < 0 ? "-" : "", ABS (2 * i) / 1000, ABS (2 * i) % 1000);
      g_autofree char *x5 = g_strdup_printf ("%s%d.%03d", i < 0 ? "-" : "", ABS (5 * i) / 1000, ABS (5 * i) % 1000);
      g_autoptr(CbDecimal) v = parse_ok (x);
      g_autoptr(CbDecimal) v2 = parse_ok (x2);
      g_autoptr(CbDecimal) v5 = parse_ok (x5);
      g_autoptr(CbDecimal) half = parse_ok ("0.05");
      g_autoptr(CbDecimal) fifth = parse_ok ("0.02");
      g_autoptr(CbDecimal) r_half = cb_round_to_interval (v, half, NULL);
      g_autoptr(CbDecimal) r_fifth = cb_round_to_interval (v, fifth, NULL);
      g_autoptr(CbDecimal) r2 = cb_round_to_place (v2, -1);
      g_autoptr(CbDecimal) r5 = cb_round_to_place (v5, -1);
      double expected_half = cb_decimal_to_double (r2) / 2;
      double expected_fifth = cb_decimal_to_double (r5) / 5;

      g_assert_nonnull (r_half);
      g_assert_nonnull (r_fifth);
      g_assert_cmpfloat_with_epsilon (cb_decimal_to_double (r_half), expected_half, 1e-12);
      g_assert_cmpfloat_with_epsilon (cb_decimal_to_double (r_fifth), expected_fifth, 1e-12);
      g_assert_cmpint (cb_decimal_get_last_place (r_half), ==, -2);
      g_assert_cmpint (cb_decimal_get_last_place (r_fifth), ==, -2);
    }
}

static void
test_any_interval (void)
{
  assert_interval ("1.125", "0.25", "1.00");
  assert_interval ("1.375", "0.25", "1.50");
  assert_interval ("1.126", "0.25", "1.25");
  assert_interval ("-1.375", "0.25", "-1.50");
  assert_interval ("7.5", "3", "6");
  assert_interval ("7.6", "3", "9");
  assert_interval ("10.5", "3", "12");
  assert_interval_sci ("2500", "2×10^3", "2×10^3");
  assert_interval_sci ("3000", "2×10^3", "4×10^3");
  /* The interval's value counts, not its notation. */
  assert_interval ("12.34", "0.10", "12.3");
  assert_interval ("60.28", "0.50", "60.5");
  assert_interval ("832", "20", "840");
  {
    g_autoptr(CbDecimal) v = parse_ok ("832");
    g_autoptr(CbDecimal) i = parse_ok ("20");
    g_autoptr(CbDecimal) r = cb_round_to_interval (v, i, NULL);

    g_assert_cmpint (cb_decimal_get_last_place (r), ==, 1);
  }
  /* Same value with an interval written with more digits. */
  assert_interval ("0.123456789", "0.000025", "0.123450");
}

static void
test_long_digits (void)
{
  /* 40 and more significant digits, beyond any double. */
  assert_interval ("1234567890123456789012345678901234567890.905", "0.01",
                   "1234567890123456789012345678901234567890.90");
  assert_interval ("1234567890123456789012345678901234567890.915", "0.01",
                   "1234567890123456789012345678901234567890.92");
  assert_interval ("1234567890123456789012345678901234567890.25", "0.5",
                   "1234567890123456789012345678901234567890.0");
  assert_interval ("1234567890123456789012345678901234567890.75", "0.5",
                   "1234567890123456789012345678901234567891.0");
  assert_interval ("0.1000000000000000000000000000000000000000500000001", "1e-40",
                   "0.1000000000000000000000000000000000000001");
  assert_significant ("9999999999999999999999999999999999999999.5", 40,
                      "10000000000000000000000000000000000000000");
}

static void
test_range_errors (void)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autoptr(CbDecimal) ok = NULL;
  g_autoptr(CbDecimal) v = parse_ok ("1.5");
  g_autoptr(CbDecimal) bad_interval = parse_ok ("-0.5");
  g_autoptr(CbDecimal) zero = parse_ok ("0");
  g_autoptr(CbDecimal) r = NULL;
  g_autoptr(GError) error = NULL;
  int i;

  for (i = 0; i < CB_DECIMAL_MAX_DIGITS; i++)
    g_string_append_c (digits, (char) ('1' + i % 9));
  ok = parse_ok (digits->str);
  g_assert_cmpuint (strlen (ok->coefficient), ==, CB_DECIMAL_MAX_DIGITS);

  /* One digit more is refused, naming the first digit too many. */
  g_string_append_c (digits, '7');
  assert_parse_error (digits->str, CB_ROUNDING_ERROR_RANGE,
                      "position 101: more than 100 significant digits; at most 100 are supported");
  /* Leading zeros do not count. */
  g_string_prepend (digits, "0.0000");
  g_string_truncate (digits, digits->len - 1);
  g_clear_pointer (&ok, cb_decimal_free);
  ok = parse_ok (digits->str);

  g_clear_pointer (&ok, cb_decimal_free);
  ok = parse_ok ("1e400");
  g_clear_pointer (&ok, cb_decimal_free);
  ok = parse_ok ("1e-400");
  assert_parse_error ("1e401", CB_ROUNDING_ERROR_RANGE, NULL);
  assert_parse_error ("12e400", CB_ROUNDING_ERROR_RANGE, NULL);
  assert_parse_error ("1.5e-400", CB_ROUNDING_ERROR_RANGE, NULL);
  assert_parse_error ("1e99999999999999999999", CB_ROUNDING_ERROR_RANGE, NULL);
  assert_parse_error ("2×10^-401", CB_ROUNDING_ERROR_RANGE,
                      "position 2: the number is out of the supported range: its digits must lie between 10^-400 and 10^400");

  r = cb_round_to_interval (v, bad_interval, &error);
  g_assert_null (r);
  g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "interval: expected a positive number, found -0.5");
  g_clear_error (&error);

  r = cb_round_to_interval (v, zero, &error);
  g_assert_null (r);
  g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID);
  g_clear_error (&error);

  r = cb_round_to_interval (NULL, v, &error);
  g_assert_null (r);
  g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID);
  g_clear_error (&error);

  r = cb_round_to_significant (v, 0, &error);
  g_assert_null (r);
  g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID);
  g_clear_error (&error);

  r = cb_round_to_significant (v, CB_DECIMAL_MAX_DIGITS + 1, &error);
  g_assert_null (r);
  g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_RANGE);
  g_clear_error (&error);

  g_assert_null (cb_round_to_place (v, 2 * CB_DECIMAL_MAX_EXPONENT + 1));
  g_assert_null (cb_round_to_place (v, G_MININT));
  g_assert_null (cb_round_to_place (NULL, 0));
  g_assert_null (cb_round_for_report (NULL, 0));

  /* Far-apart scales still round exactly. */
  g_clear_pointer (&ok, cb_decimal_free);
  ok = parse_ok ("1e400");
  r = cb_round_to_place (ok, -2 * CB_DECIMAL_MAX_EXPONENT);
  g_assert_nonnull (r);
  g_assert_cmpuint (strlen (r->coefficient), ==, 3 * CB_DECIMAL_MAX_EXPONENT + 1);
  g_clear_pointer (&r, cb_decimal_free);
  r = cb_round_to_place (ok, 2 * CB_DECIMAL_MAX_EXPONENT);
  assert_decimal (r, "0");
}

static void
test_significant (void)
{
  assert_significant ("0.0152", 2, "0.015");
  assert_significant ("1234.5", 4, "1234");
  assert_significant ("1235.5", 4, "1236");
  assert_significant ("1268", 3, "1270");
  assert_significant ("1268", 2, "1300");
  assert_significant ("2500", 1, "2000");
  assert_significant ("3500", 1, "4000");
  assert_significant ("-0.0365", 2, "-0.036");
  assert_significant ("0.0320", 3, "0.0320");
  assert_significant ("3.2", 4, "3.200");
  /* A carry adds a digit: 9.96 to two digits is 10, still two digits. */
  assert_significant ("9.96", 2, "10");
  assert_significant ("0.09996", 3, "0.100");
  assert_significant ("0", 3, "0");
  assert_significant ("0.000", 2, "0.000");

  {
    g_autoptr(CbDecimal) v = parse_ok ("2500");
    g_autoptr(CbDecimal) r = cb_round_to_significant (v, 1, NULL);
    g_autoptr(CbDecimal) v2 = parse_ok ("1268");
    g_autoptr(CbDecimal) r2 = cb_round_to_significant (v2, 3, NULL);
    g_autofree char *sci = cb_decimal_to_string_sci (r);
    g_autofree char *sci2 = cb_decimal_to_string_sci (r2);

    g_assert_cmpstr (sci, ==, "2×10^3");
    g_assert_cmpint (cb_decimal_get_last_place (r), ==, 3);
    g_assert_cmpstr (sci2, ==, "1.27×10^3");
  }
}

/* GB/T 8170 3.3.2: the (+) and (−) marks */

static void
test_marks (void)
{
  struct
  {
    const char *measured;
    const char *reported;
    const char *final;
  } cases[] = {
    /* The standard's table: measured, reported at 0.1, rounded at 1. */
    { "15.4546", "15.5(-)", "15" },
    { "16.5203", "16.5(+)", "17" },
    { "17.5000", "17.5", "18" },
    { "-15.4546", "-15.5(-)", "-15" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbDecimal) measured = parse_ok (cases[i].measured);
      g_autoptr(CbDecimal) reported = cb_round_for_report (measured, -1);
      g_autofree char *text = NULL;
      g_autoptr(CbDecimal) reparsed = NULL;
      g_autoptr(CbDecimal) final = NULL;
      g_autoptr(CbDecimal) direct = cb_round_to_place (measured, 0);

      assert_decimal (reported, cases[i].reported);
      /* The mark survives a round trip through text. */
      text = cb_decimal_to_string (reported);
      reparsed = parse_ok (text);
      g_assert_cmpint (reparsed->mark, ==, reported->mark);
      final = cb_round_to_place (reparsed, 0);
      assert_decimal (final, cases[i].final);
      /* And agrees with rounding the measured value once. */
      assert_decimal (direct, cases[i].final);
    }

  /* Typed marks, with either minus sign. */
  {
    g_autoptr(CbDecimal) a = parse_ok ("15.5(−)");
    g_autoptr(CbDecimal) b = parse_ok ("15.5(+)");
    g_autoptr(CbDecimal) c = parse_ok ("16.5(+)");
    g_autoptr(CbDecimal) d = parse_ok ("16.5");
    g_autoptr(CbDecimal) e = parse_ok ("15.5");
    g_autoptr(CbDecimal) ra = cb_round_to_place (a, 0);
    g_autoptr(CbDecimal) rb = cb_round_to_place (b, 0);
    g_autoptr(CbDecimal) rc = cb_round_to_place (c, 0);
    g_autoptr(CbDecimal) rd = cb_round_to_place (d, 0);
    g_autoptr(CbDecimal) re = cb_round_to_place (e, 0);
    g_autoptr(CbDecimal) same = cb_round_to_place (a, -1);

    g_assert_cmpint (a->mark, ==, CB_ROUND_MARK_MINUS);
    assert_decimal (ra, "15");
    assert_decimal (rb, "16");
    assert_decimal (rc, "17");
    assert_decimal (rd, "16");
    assert_decimal (re, "16");
    /* Rounding that changes nothing keeps the mark. */
    assert_decimal (same, "15.5(-)");
  }

  /* A mark breaks the tie at any interval: 60.25(+) lies above 60.25. */
  assert_interval ("60.25(+)", "0.5", "60.5");
  assert_interval ("60.25(-)", "0.5", "60.0");
  assert_interval ("60.25", "0.5", "60.0");
  /* It does not override a dropped part that is not a tie. */
  assert_interval ("15.45(+)", "1", "15");
  assert_interval ("15.45(+)", "0.1", "15.5");
  assert_interval ("15.45(-)", "0.1", "15.4");

  /* Marks only on a final 5 that was rounded. */
  assert_report_mark ("15.4246", -1, "15.4");
  assert_report_mark ("17.50", -1, "17.5");
  assert_report_mark ("17.5", -1, "17.5");
  assert_report_mark ("2.45", -1, "2.4");
  assert_report_mark ("2.451", -1, "2.5(-)");
  assert_report_mark ("2.549", -1, "2.5(+)");
  assert_report_mark ("-2.549", -1, "-2.5(+)");
  assert_report_mark ("1249", 1, "1250(-)");
  assert_report_mark ("1251", 1, "1250(+)");
  assert_report_mark ("15.5(-)", -1, "15.5(-)");
  assert_report_mark ("16.5(+)", -1, "16.5(+)");
  assert_report_mark ("16.5(+)", 0, "17");
  assert_report_mark ("15.5(-)", -2, "15.50");
}

/* JJF 1059.1-2012 5.3.7: reporting with the expanded uncertainty */

static void
test_report (void)
{
  /* The specification's examples (U in the value's unit). */
  assert_report ("10.05762", "0.027", 0, FALSE, "10.058", "0.027");
  assert_report ("10.05762", "0.02743", 0, FALSE, "10.058", "0.027");
  assert_report ("6.3250", "0.25", 0, FALSE, "6.32", "0.25");
  assert_report ("1039.56", "10", 0, FALSE, "1040", "10");
  assert_report ("1500.05", "10.015", 0, FALSE, "1500", "10");
  /* Too few digits in y: zeros are added, U is not changed. */
  assert_report ("6.3", "0.25", 0, FALSE, "6.30", "0.25");
  assert_report ("50.03", "0.005", 0, FALSE, "50.030", "0.005");
  /* One digit when the first is 3 or more, unless asked. */
  assert_report ("1.23456", "0.568", 0, FALSE, "1.2", "0.6");
  assert_report ("1.23456", "0.568", 2, FALSE, "1.23", "0.57");
  assert_report ("1.23456", "0.0123", 1, FALSE, "1.23", "0.01");
  /* A carry: 0.0996 to one digit is 0.1. */
  assert_report ("3.14159", "0.0996", 0, FALSE, "3.1", "0.1");
  assert_report ("3.14159", "0.0996", 2, FALSE, "3.14", "0.10");
  /* Negative results are rounded by their absolute value. */
  assert_report ("-0.01235", "0.0032", 0, FALSE, "-0.012", "0.003");
  /* Large U: the result is rounded to tens. */
  assert_report ("12345.6", "37", 0, FALSE, "12350", "40");
}

static void
test_report_round_up (void)
{
  assert_report ("10.05762", "0.02743", 2, TRUE, "10.058", "0.028");
  assert_report ("10.05762", "0.02743", 0, TRUE, "10.058", "0.028");
  /* 0.0243 raised is 0.025 with two digits, 0.03 with one. */
  assert_report ("1.2345", "0.0243", 2, TRUE, "1.234", "0.025");
  assert_report ("1.2345", "0.0243", 1, TRUE, "1.23", "0.03");
  /* Nothing non-zero dropped: nothing raised. */
  assert_report ("1.2345", "0.0250", 2, TRUE, "1.234", "0.025");
  assert_report ("1.2345", "0.025", 2, TRUE, "1.234", "0.025");
  /* Raising can carry into a new digit. */
  assert_report ("1.2345", "0.0991", 1, TRUE, "1.2", "0.1");
  assert_report ("1.2345", "0.0991", 2, TRUE, "1.23", "0.10");
  assert_report ("1.2345", "0.561", 1, TRUE, "1.2", "0.6");
}

static void
test_report_errors (void)
{
  g_autoptr(CbDecimal) y = parse_ok ("1.0");
  g_autoptr(CbDecimal) negative = parse_ok ("-3");
  g_autoptr(CbDecimal) zero = parse_ok ("0.00");
  g_autoptr(CbDecimal) U = parse_ok ("0.1");
  g_autoptr(CbDecimal) y_out = NULL;
  g_autoptr(CbDecimal) U_out = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (cb_report_result (y, negative, 0, FALSE, &y_out, &U_out, &error));
  g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "U: expected a positive number, found -3");
  g_clear_error (&error);

  g_assert_false (cb_report_result (y, zero, 0, FALSE, &y_out, &U_out, &error));
  g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "U: expected a positive number, found 0.00");
  g_clear_error (&error);

  g_assert_false (cb_report_result (y, U, 3, FALSE, &y_out, &U_out, &error));
  g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (cb_report_result (NULL, U, 0, FALSE, &y_out, &U_out, &error));
  g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "y:"));
  g_clear_error (&error);

  g_assert_false (cb_report_result (y, NULL, 0, FALSE, &y_out, &U_out, &error));
  g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "U:"));
  g_clear_error (&error);

  g_assert_null (y_out);
  g_assert_null (U_out);
}

/* GB/T 8170 4.3: limit judgment by both methods */

static void
test_limit_table (void)
{
  /* The standard's example for ≥97.0: full value, then rounded value. */
  assert_judge ("97.01", "≥97.0", TRUE, "97.0", TRUE);
  assert_judge ("97.00", "≥97.0", TRUE, "97.0", TRUE);
  assert_judge ("96.96", "≥97.0", FALSE, "97.0", TRUE);
  assert_judge ("96.94", "≥97.0", FALSE, "96.9", FALSE);
  /* A limit in hundreds. */
  assert_judge ("1451", "≥14×10^2", TRUE, "1500", TRUE);
  assert_judge ("1449", "≥14×10^2", TRUE, "1400", TRUE);
  assert_judge ("1350", "≥14×10^2", FALSE, "1400", TRUE);
  assert_judge ("1349", "≥14×10^2", FALSE, "1300", FALSE);
  /* An upper limit. */
  assert_judge ("0.452", "≤0.5", TRUE, "0.5", TRUE);
  assert_judge ("0.500", "≤0.5", TRUE, "0.5", TRUE);
  assert_judge ("0.549", "≤0.5", FALSE, "0.5", TRUE);
  assert_judge ("0.551", "≤0.5", FALSE, "0.6", FALSE);
  /* A range, inclusive. */
  assert_judge ("1.151", "1.2~1.6", FALSE, "1.2", TRUE);
  assert_judge ("1.200", "1.2~1.6", TRUE, "1.2", TRUE);
  assert_judge ("1.649", "1.2~1.6", FALSE, "1.6", TRUE);
  assert_judge ("1.651", "1.2~1.6", FALSE, "1.7", FALSE);
  /* A nominal value with a tolerance. */
  assert_judge ("9.89", "10.0±0.1", FALSE, "9.9", TRUE);
  assert_judge ("9.85", "10.0±0.1", FALSE, "9.8", FALSE);
  assert_judge ("10.10", "10.0±0.1", TRUE, "10.1", TRUE);
  assert_judge ("10.16", "10.0±0.1", FALSE, "10.2", FALSE);
}

static void
test_limit_forms (void)
{
  const char *same[] = { "≥97.0", ">=97.0", " >= 97.0 ", "⩾97.0" };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (same); i++)
    assert_judge ("96.96", same[i], FALSE, "97.0", TRUE);

  /* Strict limits. */
  assert_judge ("97.4", ">97", TRUE, "97", FALSE);
  assert_judge ("97.6", ">97", TRUE, "98", TRUE);
  assert_judge ("0.46", "<0.5", TRUE, "0.5", FALSE);
  assert_judge ("0.44", "<0.5", TRUE, "0.4", TRUE);
  assert_judge ("0.46", "<=0.5", TRUE, "0.5", TRUE);
  assert_judge ("0.54", "⩽0.5", FALSE, "0.5", TRUE);
  assert_judge ("10.04", "=10.0", FALSE, "10.0", TRUE);
  /* Negative bounds and the full-width tilde. */
  assert_judge ("-0.96", "-1.0~-0.5", TRUE, "-1.0", TRUE);
  assert_judge ("-1.04", "-1.0～-0.5", FALSE, "-1.0", TRUE);
  assert_judge ("-1.06", "-1.0 ~ -0.5", FALSE, "-1.1", FALSE);
  /* Bounds with different places: the finer one decides. */
  assert_judge ("10.04", "9.9~10.05", TRUE, "10.04", TRUE);
  /* A marked value rounds by its mark. */
  assert_judge ("96.95(+)", "≥97.0", FALSE, "97.0", TRUE);
  assert_judge ("96.95(-)", "≥97.0", FALSE, "96.9", FALSE);
  assert_judge ("96.95", "≥97.0", FALSE, "97.0", TRUE);
}

static void
test_limit_errors (void)
{
  assert_judge_error ("97.0", CB_ROUNDING_ERROR_SYNTAX,
                      "position 1: expected >=, ≥, >, <=, ≤, <, = or a range such as 10.0~12.0, found '9'");
  assert_judge_error ("≥9.7q", CB_ROUNDING_ERROR_SYNTAX,
                      "position 5: expected a digit or the end of the number, found 'q'");
  assert_judge_error ("1.2~", CB_ROUNDING_ERROR_SYNTAX,
                      "position 5: expected a number, found the end of the text");
  assert_judge_error ("~1.2", CB_ROUNDING_ERROR_SYNTAX, "position 1: expected a number, found '~'");
  assert_judge_error (" ±1.2", CB_ROUNDING_ERROR_SYNTAX, "position 2: expected a number, found '±'");
  assert_judge_error ("1.6~1.2", CB_ROUNDING_ERROR_INVALID,
                      "the lower limit 1.6 is above the upper limit 1.2");
  assert_judge_error ("10.0±-0.1", CB_ROUNDING_ERROR_INVALID, NULL);
  assert_judge_error (">=15.5(+)", CB_ROUNDING_ERROR_INVALID, NULL);
  assert_judge_error ("", CB_ROUNDING_ERROR_INVALID, NULL);
  assert_judge_error ("  ", CB_ROUNDING_ERROR_INVALID, NULL);
  assert_judge_error (NULL, CB_ROUNDING_ERROR_INVALID, NULL);
  assert_judge_error (">=", CB_ROUNDING_ERROR_SYNTAX,
                      "position 3: expected a number, found the end of the text");
  assert_judge_error ("\xff>=1", CB_ROUNDING_ERROR_SYNTAX, NULL);

  {
    g_autoptr(GError) error = NULL;
    gboolean conforms = TRUE;

    g_assert_false (cb_limit_judge (NULL, ">=1", CB_LIMIT_METHOD_FULL, &conforms, NULL, &error));
    g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_INVALID);
  }
}

/* Entering numbers */

static void
test_parse (void)
{
  struct
  {
    const char *text;
    gboolean negative;
    const char *coefficient;
    int exponent;
    CbRoundMark mark;
    const char *plain;
  } cases[] = {
    { "12.30", FALSE, "1230", -2, CB_ROUND_MARK_NONE, "12.30" },
    { "-0.05", TRUE, "5", -2, CB_ROUND_MARK_NONE, "-0.05" },
    { "+3", FALSE, "3", 0, CB_ROUND_MARK_NONE, "3" },
    { ".5", FALSE, "5", -1, CB_ROUND_MARK_NONE, "0.5" },
    { "5.", FALSE, "5", 0, CB_ROUND_MARK_NONE, "5" },
    { "1.2e-3", FALSE, "12", -4, CB_ROUND_MARK_NONE, "0.0012" },
    { "1.2E+3", FALSE, "12", 2, CB_ROUND_MARK_NONE, "1200" },
    { "2×10^3", FALSE, "2", 3, CB_ROUND_MARK_NONE, "2000" },
    { "2x10^3", FALSE, "2", 3, CB_ROUND_MARK_NONE, "2000" },
    { "2 × 10^-3", FALSE, "2", -3, CB_ROUND_MARK_NONE, "0.002" },
    { "2×10³", FALSE, "2", 3, CB_ROUND_MARK_NONE, "2000" },
    { "1.5×10⁻³", FALSE, "15", -4, CB_ROUND_MARK_NONE, "0.0015" },
    { "-36×10", TRUE, "36", 1, CB_ROUND_MARK_NONE, "-360" },
    { "10×10^-1", FALSE, "10", -1, CB_ROUND_MARK_NONE, "1.0" },
    { "  15.5(+)  ", FALSE, "155", -1, CB_ROUND_MARK_PLUS, "15.5(+)" },
    { "15.5(-)", FALSE, "155", -1, CB_ROUND_MARK_MINUS, "15.5(-)" },
    { "15.5 (−)", FALSE, "155", -1, CB_ROUND_MARK_MINUS, "15.5(-)" },
    { "−2.5", TRUE, "25", -1, CB_ROUND_MARK_NONE, "-2.5" },
    { "0.000", FALSE, "0", -3, CB_ROUND_MARK_NONE, "0.000" },
    { "-0", FALSE, "0", 0, CB_ROUND_MARK_NONE, "0" },
    { "007.50", FALSE, "750", -2, CB_ROUND_MARK_NONE, "7.50" },
    { "0.00500", FALSE, "500", -5, CB_ROUND_MARK_NONE, "0.00500" },
    { "\t42\n", FALSE, "42", 0, CB_ROUND_MARK_NONE, "42" },
    /* The zeros after a marked 5 in an integer hold places. */
    { "1250(+)", FALSE, "125", 1, CB_ROUND_MARK_PLUS, "1250(+)" },
    { "-500000(-)", TRUE, "5", 5, CB_ROUND_MARK_MINUS, "-500000(-)" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbDecimal) d = parse_ok (cases[i].text);

      g_assert_cmpint (d->negative, ==, cases[i].negative);
      g_assert_cmpstr (d->coefficient, ==, cases[i].coefficient);
      g_assert_cmpint (d->exponent, ==, cases[i].exponent);
      g_assert_cmpint (d->mark, ==, cases[i].mark);
      g_assert_true (cb_decimal_is_valid (d));
      assert_decimal (d, cases[i].plain);
    }

  /* A number inside a longer text. */
  {
    const char *text = "R = 12.5 Ω";
    g_autoptr(GError) error = NULL;
    g_autoptr(CbDecimal) d = cb_decimal_parse_span (text, 3, 5, &error);
    g_autoptr(CbDecimal) bad = NULL;

    g_assert_no_error (error);
    assert_decimal (d, "12.5");
    bad = cb_decimal_parse_span (text, 3, 8, &error);
    g_assert_null (bad);
    g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_SYNTAX);
    g_assert_cmpstr (error->message, ==, "position 10: expected the end of the number, found 'Ω'");
  }
}

static void
test_parse_errors (void)
{
  assert_parse_error ("1ex", CB_ROUNDING_ERROR_SYNTAX, "position 3: expected a digit, found 'x'");
  assert_parse_error ("-.x", CB_ROUNDING_ERROR_SYNTAX, "position 3: expected a digit, found 'x'");
  assert_parse_error ("abc", CB_ROUNDING_ERROR_SYNTAX, "position 1: expected a digit, found 'a'");
  assert_parse_error ("1,5", CB_ROUNDING_ERROR_SYNTAX,
                      "position 2: expected a digit or the end of the number, found ','");
  assert_parse_error ("1.2.3", CB_ROUNDING_ERROR_SYNTAX,
                      "position 4: expected a digit or the end of the number, found '.'");
  assert_parse_error ("12 34", CB_ROUNDING_ERROR_SYNTAX,
                      "position 4: expected the end of the number, found '3'");
  assert_parse_error ("1e", CB_ROUNDING_ERROR_SYNTAX,
                      "position 3: expected a digit, found the end of the text");
  assert_parse_error ("2×10^", CB_ROUNDING_ERROR_SYNTAX,
                      "position 6: expected a digit, found the end of the text");
  assert_parse_error ("2×11", CB_ROUNDING_ERROR_SYNTAX,
                      "position 4: expected “10”, found '1'");
  assert_parse_error ("15.5(*)", CB_ROUNDING_ERROR_SYNTAX,
                      "position 6: expected “(+)” or “(−)”, found '*'");
  assert_parse_error ("15.5(+", CB_ROUNDING_ERROR_SYNTAX,
                      "position 7: expected “(+)” or “(−)”, found the end of the text");
  assert_parse_error ("15.4(+)", CB_ROUNDING_ERROR_SYNTAX,
                      "position 5: a (+) or (−) mark may only follow a final digit 5");
  assert_parse_error ("15.50(+)", CB_ROUNDING_ERROR_SYNTAX, NULL);
  assert_parse_error ("1250.(+)", CB_ROUNDING_ERROR_SYNTAX, NULL);
  assert_parse_error ("1200(+)", CB_ROUNDING_ERROR_SYNTAX, NULL);
  assert_parse_error ("0(-)", CB_ROUNDING_ERROR_SYNTAX, NULL);
  assert_parse_error ("15.5(+)x", CB_ROUNDING_ERROR_SYNTAX,
                      "position 8: expected the end of the number, found 'x'");
  assert_parse_error ("--1", CB_ROUNDING_ERROR_SYNTAX, "position 2: expected a digit, found '-'");
  assert_parse_error ("- 1", CB_ROUNDING_ERROR_SYNTAX, "position 2: expected a digit, found ' '");
  assert_parse_error ("1\x01", CB_ROUNDING_ERROR_SYNTAX,
                      "position 2: expected a digit or the end of the number, found 'U+0001'");
  assert_parse_error ("", CB_ROUNDING_ERROR_SYNTAX, "expected a number, found empty text");
  assert_parse_error ("   ", CB_ROUNDING_ERROR_SYNTAX, "expected a number, found empty text");
  assert_parse_error (NULL, CB_ROUNDING_ERROR_SYNTAX, NULL);
  assert_parse_error ("nan", CB_ROUNDING_ERROR_SYNTAX, "position 1: expected a finite number, found 'nan'");
  assert_parse_error ("-inf", CB_ROUNDING_ERROR_SYNTAX, "position 2: expected a finite number, found 'inf'");
  assert_parse_error ("Infinity", CB_ROUNDING_ERROR_SYNTAX, NULL);
  assert_parse_error ("NaN", CB_ROUNDING_ERROR_SYNTAX, NULL);
  assert_parse_error ("0x1F", CB_ROUNDING_ERROR_SYNTAX, NULL);
  assert_parse_error ("１２", CB_ROUNDING_ERROR_SYNTAX, "position 1: expected a digit, found '１'");
  assert_parse_error ("1\xff", CB_ROUNDING_ERROR_SYNTAX, NULL);
}

static void
test_to_string (void)
{
  struct
  {
    const char *text;
    const char *plain;
    const char *sci;
  } cases[] = {
    { "6.30", "6.30", "6.30" },
    { "-0.0050", "-0.0050", "-5.0×10^-3" },
    { "2500", "2500", "2.500×10^3" },
    { "2×10^3", "2000", "2×10^3" },
    { "127×10", "1270", "1.27×10^3" },
    { "0", "0", "0" },
    { "0e3", "0", "0×10^3" },
    { "0.00", "0.00", "0.00" },
    { "-15.5(-)", "-15.5(-)", "-1.55×10^1(-)" },
    { "1e-300", NULL, "1×10^-300" },
    { "123456789.125", "123456789.125", "1.23456789125×10^8" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbDecimal) d = parse_ok (cases[i].text);
      g_autofree char *plain = cb_decimal_to_string (d);
      g_autofree char *sci = cb_decimal_to_string_sci (d);

      if (cases[i].plain != NULL)
        g_assert_cmpstr (plain, ==, cases[i].plain);
      g_assert_cmpstr (sci, ==, cases[i].sci);
    }
}

static void
test_from_double (void)
{
  const double values[] = {
    0.1, 1e-300, 123456789.125, 2.675, 0.1 + 0.2, -1.5, 100.0, 1.0 / 3.0,
    DBL_MAX, DBL_MIN, 5e-324, -0.0, 6.02214076e23, 299792458.0,
  };
  const char *shortest[] = {
    "0.1", NULL, "123456789.125", "2.675", "0.30000000000000004", "-1.5", "100", "0.3333333333333333",
    NULL, NULL, NULL, "0", "602214076000000000000000", "299792458",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(CbDecimal) d = cb_decimal_from_double (values[i]);

      g_assert_nonnull (d);
      g_assert_true (cb_decimal_is_valid (d));
      /* It reads back as the very same double. */
      g_assert_true (cb_decimal_to_double (d) == values[i]);
      if (shortest[i] != NULL)
        assert_decimal (d, shortest[i]);
    }

  {
    g_autoptr(CbDecimal) tiny = cb_decimal_from_double (1e-300);
    g_autoptr(CbDecimal) huge = cb_decimal_from_double (DBL_MAX);
    g_autoptr(CbDecimal) x = cb_decimal_from_double (2.675);
    g_autoptr(CbDecimal) r = cb_round_to_place (x, -2);

    g_assert_cmpstr (tiny->coefficient, ==, "1");
    g_assert_cmpint (tiny->exponent, ==, -300);
    g_assert_cmpstr (huge->coefficient, ==, "17976931348623157");
    g_assert_cmpint (huge->exponent, ==, 292);
    /* The shortest form is what rounding sees: 2.68, not 2.67. */
    assert_decimal (r, "2.68");
  }

  /* Against the definition, on doubles of every magnitude and on the
   * short decimals instruments give: the first precision that reads back. */
  for (i = 0; i < 20000; i++)
    {
      guint64 bits = ((guint64) g_test_rand_int () << 32) | (guint32) g_test_rand_int ();
      double value;
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      g_autoptr(CbDecimal) d = NULL;
      g_autoptr(CbDecimal) expected = NULL;

      if (i % 2 == 0)
        memcpy (&value, &bits, sizeof value);
      else
        value = (double) g_test_rand_int_range (-999999, 999999) / pow (10, g_test_rand_int_range (0, 9));
      if (!isfinite (value))
        continue;
      for (int precision = 0; precision <= 16; precision++)
        {
          char format[8];

          g_snprintf (format, sizeof format, "%%.%de", precision);
          g_ascii_formatd (buffer, sizeof buffer, format, value);
          if (g_ascii_strtod (buffer, NULL) == value)
            break;
        }
      d = cb_decimal_from_double (value);
      expected = cb_decimal_parse (buffer, NULL);
      g_assert_nonnull (d);
      g_assert_cmpstr (d->coefficient, ==, expected->coefficient);
      g_assert_cmpint (d->exponent, ==, expected->exponent);
      g_assert_cmpint (d->negative, ==, expected->negative);
    }

  g_assert_null (cb_decimal_from_double (NAN));
  g_assert_null (cb_decimal_from_double (INFINITY));
  g_assert_null (cb_decimal_from_double (-INFINITY));
}

static void
test_compare (void)
{
  struct
  {
    const char *a;
    const char *b;
    int expected;
  } cases[] = {
    { "1.0", "1.00", 0 },
    { "1", "1.000001", -1 },
    { "-1", "0", -1 },
    { "-2", "-1", -1 },
    { "0.1", "0.09", 1 },
    { "1e3", "999.9", 1 },
    { "-0", "0.000", 0 },
    { "15.5(+)", "15.5", 0 },
    { "-0.001", "-0.0001", -1 },
    { "2×10^3", "2000", 0 },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbDecimal) a = parse_ok (cases[i].a);
      g_autoptr(CbDecimal) b = parse_ok (cases[i].b);

      g_assert_cmpint (cb_decimal_compare (a, b), ==, cases[i].expected);
      g_assert_cmpint (cb_decimal_compare (b, a), ==, -cases[i].expected);
    }
}

static void
test_copy_and_validity (void)
{
  g_autoptr(CbDecimal) d = parse_ok ("-15.5(+)");
  g_autoptr(CbDecimal) copy = cb_decimal_copy (d);
  CbDecimal leading_zero = { FALSE, (char *) "012", 0, CB_ROUND_MARK_NONE };
  CbDecimal negative_zero = { TRUE, (char *) "0", 0, CB_ROUND_MARK_NONE };
  CbDecimal not_digits = { FALSE, (char *) "1a", 0, CB_ROUND_MARK_NONE };
  CbDecimal bad_mark = { FALSE, (char *) "14", 0, CB_ROUND_MARK_PLUS };
  CbDecimal far = { FALSE, (char *) "1", G_MAXINT, CB_ROUND_MARK_NONE };
  CbDecimal no_digits = { FALSE, NULL, 0, CB_ROUND_MARK_NONE };
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDecimal) r = NULL;

  g_assert_true (copy != d);
  g_assert_true (copy->coefficient != d->coefficient);
  assert_decimal (copy, "-15.5(+)");

  g_assert_false (cb_decimal_is_valid (&leading_zero));
  g_assert_false (cb_decimal_is_valid (&negative_zero));
  g_assert_false (cb_decimal_is_valid (&not_digits));
  g_assert_false (cb_decimal_is_valid (&bad_mark));
  g_assert_false (cb_decimal_is_valid (&far));
  g_assert_false (cb_decimal_is_valid (&no_digits));
  g_assert_false (cb_decimal_is_valid (NULL));

  /* Malformed input is refused, not trusted. */
  r = cb_round_to_significant (&far, 2, &error);
  g_assert_null (r);
  g_assert_error (error, CB_ROUNDING_ERROR, CB_ROUNDING_ERROR_RANGE);
  g_assert_null (cb_round_to_place (&not_digits, 0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/rounding/rules", test_rules);
  g_test_add_func ("/core/rounding/half-even", test_half_even);
  g_test_add_func ("/core/rounding/no-successive", test_no_successive);
  g_test_add_func ("/core/rounding/half-unit", test_half_unit);
  g_test_add_func ("/core/rounding/fifth-unit", test_fifth_unit);
  g_test_add_func ("/core/rounding/interval-procedures", test_interval_procedures);
  g_test_add_func ("/core/rounding/any-interval", test_any_interval);
  g_test_add_func ("/core/rounding/long-digits", test_long_digits);
  g_test_add_func ("/core/rounding/range-errors", test_range_errors);
  g_test_add_func ("/core/rounding/significant", test_significant);
  g_test_add_func ("/core/rounding/marks", test_marks);
  g_test_add_func ("/core/rounding/report", test_report);
  g_test_add_func ("/core/rounding/report-round-up", test_report_round_up);
  g_test_add_func ("/core/rounding/report-errors", test_report_errors);
  g_test_add_func ("/core/rounding/limit-table", test_limit_table);
  g_test_add_func ("/core/rounding/limit-forms", test_limit_forms);
  g_test_add_func ("/core/rounding/limit-errors", test_limit_errors);
  g_test_add_func ("/core/decimal/parse", test_parse);
  g_test_add_func ("/core/decimal/parse-errors", test_parse_errors);
  g_test_add_func ("/core/decimal/to-string", test_to_string);
  g_test_add_func ("/core/decimal/from-double", test_from_double);
  g_test_add_func ("/core/decimal/compare", test_compare);
  g_test_add_func ("/core/decimal/copy-and-validity", test_copy_and_validity);

  return g_test_run ();
}
