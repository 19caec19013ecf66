/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>

#include "core/cb-stats.h"

/* An independent computation: the Student t density integrated by adaptive
 * Simpson quadrature. */
static double
t_density (double t,
           double dof)
{
  return tgamma ((dof + 1) / 2) / (sqrt (dof * G_PI) * tgamma (dof / 2)) *
         pow (1 + t * t / dof, -(dof + 1) / 2);
}

static double
simpson (double a, double b, double fa, double fm, double fb, double dof, double tol, int depth)
{
  double m = (a + b) / 2, lm = (a + m) / 2, rm = (m + b) / 2;
  double flm = t_density (lm, dof), frm = t_density (rm, dof);
  double whole = (b - a) / 6 * (fa + 4 * fm + fb);
  double left = (m - a) / 6 * (fa + 4 * flm + fm);
  double right = (b - m) / 6 * (fm + 4 * frm + fb);

  if (depth <= 0 || fabs (left + right - whole) < 15 * tol)
    return left + right + (left + right - whole) / 15;
  return simpson (a, m, fa, flm, fm, dof, tol / 2, depth - 1) +
         simpson (m, b, fm, frm, fb, dof, tol / 2, depth - 1);
}

static double
coverage_by_quadrature (double k,
                        double dof)
{
  double f0 = t_density (0, dof), fk = t_density (k, dof), fm = t_density (k / 2, dof);

  return 2 * simpson (0, k, f0, fm, fk, dof, 1e-13, 60);
}

static void
test_gum_table_g2 (void)
{
  /* GUM Table G.2, to the digits printed there. */
  static const struct { double p, dof, k; } table[] = {
    { 0.95, 1, 12.71 }, { 0.95, 2, 4.30 }, { 0.95, 5, 2.57 }, { 0.95, 16, 2.12 },
    { 0.99, 16, 2.92 }, { 0.9545, INFINITY, 2.00 }, { 0.6827, 10, 1.05 },
    { 0.9973, 3, 9.22 }, { 0.99, 18, 2.88 }, { 0.95, 24, 2.06 }, { 0.9545, 8, 2.37 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    g_assert_cmpfloat_with_epsilon (cb_stats_t_coverage_factor (table[i].p, table[i].dof),
                                    table[i].k, 0.0051);
}

static void
test_against_quadrature (void)
{
  static const double dofs[] = { 3, 4, 5.5, 7, 16, 30, 50, 120 };
  static const double ps[] = { 0.6827, 0.90, 0.95, 0.99, 0.9973 };

  for (guint i = 0; i < G_N_ELEMENTS (dofs); i++)
    for (guint j = 0; j < G_N_ELEMENTS (ps); j++)
      {
        double k = cb_stats_t_coverage_factor (ps[j], dofs[i]);

        g_assert_cmpfloat_with_epsilon (coverage_by_quadrature (k, dofs[i]), ps[j], 1e-9);
        g_assert_cmpfloat_with_epsilon (cb_stats_t_coverage_probability (k, dofs[i]), ps[j], 1e-12);
      }
}

static void
test_closed_forms (void)
{
  for (double p = 0.55; p < 0.999; p += 0.05)
    {
      g_assert_cmpfloat_with_epsilon (cb_stats_t_quantile (p, 1), tan (G_PI * (p - 0.5)), 1e-12);
      g_assert_cmpfloat_with_epsilon (cb_stats_t_quantile (p, 2), (2 * p - 1) / sqrt (2 * p * (1 - p)), 1e-12);
      /* The cdf inverts the quantile for a non-integer dof as well. */
      g_assert_cmpfloat_with_epsilon (cb_stats_t_cdf (cb_stats_t_quantile (p, 7.3), 7.3), p, 1e-12);
    }
  g_assert_cmpfloat (cb_stats_t_quantile (0.5, 9), ==, 0);
  g_assert_cmpfloat_with_epsilon (cb_stats_t_quantile (0.025, 9), -cb_stats_t_quantile (0.975, 9), 1e-14);
  g_assert_true (isnan (cb_stats_t_quantile (1.5, 9)));
  g_assert_true (isnan (cb_stats_t_coverage_factor (0.95, -1)));
}

static void
test_normal (void)
{
  g_assert_cmpfloat_with_epsilon (cb_stats_normal_quantile (0.975), 1.959963984540054, 1e-13);
  g_assert_cmpfloat_with_epsilon (cb_stats_normal_quantile (0.5), 0, 1e-15);
  for (double p = 1e-10; p < 1; p *= 7)
    g_assert_cmpfloat_with_epsilon (cb_stats_normal_cdf (cb_stats_normal_quantile (p)) / p, 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (cb_stats_normal_cdf (1), 0.8413447460685429, 1e-15);
  g_assert_cmpfloat_with_epsilon (cb_stats_normal_pdf (0), 1 / sqrt (2 * G_PI), 1e-15);
  /* A t distribution with infinite dof is the normal one. */
  g_assert_cmpfloat (cb_stats_t_coverage_factor (0.95, INFINITY), ==, cb_stats_normal_quantile (0.975));
}

static void
test_beta_and_f (void)
{
  /* I_x(1, 1) = x; I_x(a, 1) = x^a; symmetry I_x(a, b) = 1 − I_{1−x}(b, a). */
  g_assert_cmpfloat_with_epsilon (cb_stats_incomplete_beta (1, 1, 0.3), 0.3, 1e-15);
  g_assert_cmpfloat_with_epsilon (cb_stats_incomplete_beta (2.5, 1, 0.4), pow (0.4, 2.5), 1e-14);
  g_assert_cmpfloat_with_epsilon (cb_stats_incomplete_beta (3, 4.5, 0.2),
                                  1 - cb_stats_incomplete_beta (4.5, 3, 0.8), 1e-14);
  /* With 2 numerator dof, P(F > f) = (1 + 2f/ν₂)^(−ν₂/2). */
  g_assert_cmpfloat_with_epsilon (cb_stats_f_sf (3.0, 2, 10), pow (1 + 0.6, -5), 1e-13);
  g_assert_cmpfloat (cb_stats_f_sf (0, 3, 10), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/stats/gum-table-g2", test_gum_table_g2);
  g_test_add_func ("/core/stats/t-against-quadrature", test_against_quadrature);
  g_test_add_func ("/core/stats/t-closed-forms", test_closed_forms);
  g_test_add_func ("/core/stats/normal", test_normal);
  g_test_add_func ("/core/stats/beta-and-f", test_beta_and_f);

  return g_test_run ();
}
