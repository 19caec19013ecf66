/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <string.h>

#include "core/cb-repeatability.h"

static void
test_bessel (void)
{
  /* 10.1, 10.3, 10.2: mean 10.2, s = 0.1, s/√3. */
  const double readings[] = { 10.1, 10.3, 10.2 };
  CbSampleStats stats;

  g_assert_true (cb_sample_stats (readings, 3, &stats, NULL));
  g_assert_cmpfloat_with_epsilon (stats.mean, 10.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (stats.s, 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (stats.s_mean, 0.1 / sqrt (3), 1e-12);
  g_assert_cmpfloat (stats.dof, ==, 2);
}

static void
test_range (void)
{
  /* JJF 1059.1 Table 3 coefficients. */
  static const double table[] = { 1.13, 1.69, 2.06, 2.33, 2.53, 2.70, 2.85, 2.97 };
  const double readings[] = { 10.0, 10.4, 10.1, 10.2, 10.3 };
  double s;

  for (guint n = 2; n <= 9; n++)
    g_assert_cmpfloat (cb_range_coefficient (n), ==, table[n - 2]);
  g_assert_true (isnan (cb_range_coefficient (1)));
  g_assert_true (isnan (cb_range_coefficient (100)));

  g_assert_true (cb_range_stddev (readings, 5, &s, NULL));
  g_assert_cmpfloat_with_epsilon (s, 0.4 / 2.33, 1e-12);
}

static void
test_pooled (void)
{
  const double g1[] = { 1, 2, 3 };        /* s² = 1, 2 dof */
  const double g2[] = { 10, 14 };         /* s² = 8, 1 dof */
  const double *groups[] = { g1, g2 };
  const guint sizes[] = { 3, 2 };
  double s, dof;

  g_assert_true (cb_pooled_stddev (groups, sizes, 2, &s, &dof, NULL));
  g_assert_cmpfloat (dof, ==, 3);
  g_assert_cmpfloat_with_epsilon (s, sqrt ((2 * 1.0 + 1 * 8.0) / 3), 1e-12);
}

static void
test_anova (void)
{
  const double d1[] = { 1, 2, 3 };
  const double d2[] = { 4, 5, 6 };
  const double d3[] = { 7, 8, 9 };
  const double *groups[] = { d1, d2, d3 };
  const guint sizes[] = { 3, 3, 3 };
  CbAnova anova;

  g_assert_true (cb_anova_one_way (groups, sizes, 3, &anova, NULL));
  g_assert_cmpfloat_with_epsilon (anova.grand_mean, 5, 1e-12);
  g_assert_cmpfloat_with_epsilon (anova.ms_within, 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (anova.ms_between, 27, 1e-12);
  g_assert_cmpfloat (anova.dof_between, ==, 2);
  g_assert_cmpfloat (anova.dof_within, ==, 6);
  g_assert_cmpfloat_with_epsilon (anova.n0, 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (anova.s_r, 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (anova.s_between, sqrt (26.0 / 3), 1e-12);
  g_assert_cmpfloat_with_epsilon (anova.s_R, sqrt (1 + 26.0 / 3), 1e-12);
  g_assert_cmpfloat_with_epsilon (anova.f, 27, 1e-12);
  /* With 2 numerator dof, P(F > f) = (1 + 2f/ν₂)^(−ν₂/2) = 10^-3. */
  g_assert_cmpfloat_with_epsilon (anova.p_value, 1e-3, 1e-12);
}

static void
test_anova_no_between_effect (void)
{
  const double d1[] = { 1, 5, 3 };
  const double d2[] = { 2, 4, 3 };
  const double *groups[] = { d1, d2 };
  const guint sizes[] = { 3, 3 };
  CbAnova anova;

  g_assert_true (cb_anova_one_way (groups, sizes, 2, &anova, NULL));
  g_assert_cmpfloat (anova.ms_between, <, anova.ms_within);
  g_assert_cmpfloat (anova.s_between, ==, 0);
  g_assert_cmpfloat_with_epsilon (anova.s_R, anova.s_r, 1e-15);
  g_assert_cmpfloat_with_epsilon (anova.p_value, 1, 1e-12);
}

static void
test_anova_unequal (void)
{
  const double d1[] = { 1, 3 };
  const double d2[] = { 4, 5, 6, 9 };
  const double *groups[] = { d1, d2 };
  const guint sizes[] = { 2, 4 };
  CbAnova anova;
  double s, dof;

  g_assert_true (cb_anova_one_way (groups, sizes, 2, &anova, NULL));
  /* n0 = (N − Σn²/N)/(m − 1) = 6 − 20/6. */
  g_assert_cmpfloat_with_epsilon (anova.n0, 6 - 20.0 / 6, 1e-12);
  /* The within mean square is the pooled variance. */
  g_assert_true (cb_pooled_stddev (groups, sizes, 2, &s, &dof, NULL));
  g_assert_cmpfloat_with_epsilon (anova.s_r, s, 1e-12);
  g_assert_cmpfloat (anova.dof_within, ==, dof);
}

static void
test_errors (void)
{
  const double one[] = { 1 };
  const double bad[] = { 1, INFINITY };
  const double *groups[] = { one };
  const guint sizes[] = { 1 };
  CbSampleStats stats;
  CbAnova anova;

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_sample_stats (one, 1, &stats, &error));
    g_assert_error (error, CB_REPEATABILITY_ERROR, CB_REPEATABILITY_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "at least 2"));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_sample_stats (bad, 2, &stats, &error));
    g_assert_nonnull (strstr (error->message, "reading 2"));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cb_anova_one_way (groups, sizes, 1, &anova, &error));
    g_assert_nonnull (strstr (error->message, "at least 2 groups"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/repeatability/bessel", test_bessel);
  g_test_add_func ("/core/repeatability/range", test_range);
  g_test_add_func ("/core/repeatability/pooled", test_pooled);
  g_test_add_func ("/core/repeatability/anova", test_anova);
  g_test_add_func ("/core/repeatability/anova-no-between", test_anova_no_between_effect);
  g_test_add_func ("/core/repeatability/anova-unequal", test_anova_unequal);
  g_test_add_func ("/core/repeatability/errors", test_errors);

  return g_test_run ();
}
