/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <string.h>

#include "core/cb-regression.h"

/* GUM H.3: calibration of a thermometer, Table H.6. */
static const double gum_t[] = { 21.521, 22.012, 22.512, 23.003, 23.507, 23.999,
                                24.513, 25.002, 25.503, 26.010, 26.511 };
static const double gum_b[] = { -0.171, -0.169, -0.166, -0.159, -0.164, -0.165,
                                -0.156, -0.157, -0.159, -0.161, -0.160 };

static void
test_gum_h3 (void)
{
  g_autoptr(GError) error = NULL;
  CbLine line;
  CbLinePrediction at30;

  g_assert_true (cb_line_fit (gum_t, gum_b, 11, 11, 20.0, &line, &error));
  g_assert_no_error (error);
  /* GUM H.3.3 and H.3.4. */
  g_assert_cmpfloat_with_epsilon (line.intercept, -0.1712, 0.00005);
  g_assert_cmpfloat_with_epsilon (line.slope, 0.00218, 0.000005);
  g_assert_cmpfloat_with_epsilon (line.u_intercept, 0.0029, 0.00005);
  g_assert_cmpfloat_with_epsilon (line.u_slope, 0.00067, 0.000005);
  g_assert_cmpfloat_with_epsilon (line.correlation, -0.930, 0.0005);
  g_assert_cmpfloat_with_epsilon (line.s, 0.0035, 0.00005);
  g_assert_cmpfloat (line.dof, ==, 9);

  cb_line_predict (&line, 30.0, &at30);
  g_assert_cmpfloat_with_epsilon (at30.y, -0.1494, 0.00005);
  g_assert_cmpfloat_with_epsilon (at30.u, 0.0041, 0.00005);
  g_assert_cmpfloat (at30.u_observation, >, at30.u);
  g_assert_cmpfloat_with_epsilon (at30.u_observation * at30.u_observation,
                                  at30.u * at30.u + line.s * line.s, 1e-12);
}

/* Centring moves the intercept but not the line. */
static void
test_centring (void)
{
  CbLine plain, centred;
  CbLinePrediction p1, p2;

  g_assert_true (cb_line_fit (gum_t, gum_b, 11, 11, 0.0, &plain, NULL));
  g_assert_true (cb_line_fit (gum_t, gum_b, 11, 11, 20.0, &centred, NULL));
  g_assert_cmpfloat_with_epsilon (plain.slope, centred.slope, 1e-15);
  g_assert_cmpfloat_with_epsilon (plain.intercept, centred.intercept - 20.0 * centred.slope, 1e-12);
  cb_line_predict (&plain, 27.5, &p1);
  cb_line_predict (&centred, 27.5, &p2);
  g_assert_cmpfloat_with_epsilon (p1.y, p2.y, 1e-12);
  g_assert_cmpfloat_with_epsilon (p1.u, p2.u, 1e-12);
}

static void
test_exact_line (void)
{
  const double x[] = { 1, 2, 3, 4, 5 };
  const double y[] = { 5, 7, 9, 11, 13 };
  CbLine line;
  CbLinePrediction p;

  g_assert_true (cb_line_fit (x, y, 5, 5, 0, &line, NULL));
  g_assert_cmpfloat_with_epsilon (line.intercept, 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (line.slope, 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (line.s, 0, 1e-12);
  g_assert_cmpfloat_with_epsilon (line.u_slope, 0, 1e-12);
  cb_line_predict (&line, 10, &p);
  g_assert_cmpfloat_with_epsilon (p.y, 23, 1e-12);
  g_assert_cmpfloat (p.dof, ==, 3);
}

static void
test_errors (void)
{
  const double x[] = { 1, 2, 3 };
  const double y[] = { 1, 2, 3 };
  const double same[] = { 2, 2, 2 };
  const double bad[] = { 1, NAN, 3 };
  CbLine line;

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_line_fit (x, y, 3, 2, 0, &line, &error));
    g_assert_error (error, CB_REGRESSION_ERROR, CB_REGRESSION_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "y:"));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_line_fit (x, y, 2, 2, 0, &line, &error));
    g_assert_error (error, CB_REGRESSION_ERROR, CB_REGRESSION_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "at least 3"));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_line_fit (same, y, 3, 3, 0, &line, &error));
    g_assert_error (error, CB_REGRESSION_ERROR, CB_REGRESSION_ERROR_DEGENERATE);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_line_fit (x, bad, 3, 3, 0, &line, &error));
    g_assert_error (error, CB_REGRESSION_ERROR, CB_REGRESSION_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "y item 2"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/regression/gum-h3", test_gum_h3);
  g_test_add_func ("/core/regression/centring", test_centring);
  g_test_add_func ("/core/regression/exact-line", test_exact_line);
  g_test_add_func ("/core/regression/errors", test_errors);

  return g_test_run ();
}
