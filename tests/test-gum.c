/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include "core/cb-budget.h"
#include "core/cb-stats.h"

static CbBudget *
load_data_file (const char *name,
                gboolean    second_order)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  CbBudget *budget;
  JsonNode *root;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  if (second_order)
    json_object_set_boolean_member (json_node_get_object (root), "second_order", TRUE);

  budget = cb_budget_new_from_json (root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (budget);
  return budget;
}

static CbGumResult *
evaluate (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbBudget) budget = cb_budget_new_from_data (json, -1, &error);
  CbGumResult *result;

  g_assert_no_error (error);
  g_assert_nonnull (budget);
  result = cb_budget_evaluate_gum (budget, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static const CbGumOutput *
output_named (const CbBudget    *budget,
              const CbGumResult *result,
              const char        *name)
{
  int i = cb_budget_find_output (budget, name);

  g_assert_cmpint (i, >=, 0);
  return cb_gum_result_get_output (result, (guint) i);
}

static const CbBudgetRow *
row_named (const CbGumOutput *output,
           const char        *input)
{
  for (guint i = 0; i < output->n_rows; i++)
    if (g_strcmp0 (output->rows[i].input, input) == 0)
      return &output->rows[i];
  g_error ("no row for %s in %s", input, output->name);
  return NULL;
}

/* GUM H.1, end gauge: l = 50 000 838 nm, u_c = 32 nm, ν_eff = 16.7 → 16,
 * k = t_99(16) = 2.92, U99 = 93 nm; sensitivities as in GUM Table H.2. */
static void
test_end_gauge (void)
{
  g_autoptr(CbBudget) budget = load_data_file ("gum-h1.json", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbGumResult) result = cb_budget_evaluate_gum (budget, &error);
  const double ls = 50000623;
  const CbGumOutput *l, *theta;
  const CbBudgetRow *row;

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (cb_gum_result_get_n_outputs (result), ==, 2);

  l = output_named (budget, result, "l");
  g_assert_cmpstr (l->name, ==, "l");
  g_assert_cmpfloat_with_epsilon (l->value, 50000838, 1e-6);
  g_assert_cmpfloat_with_epsilon (l->u, 32, 0.5);
  g_assert_cmpfloat_with_epsilon (l->u, 31.66, 0.01);
  g_assert_cmpfloat (l->dof, ==, 16);
  g_assert_cmpfloat (l->p, ==, 0.99);
  g_assert_cmpfloat_with_epsilon (l->k, cb_stats_t_coverage_factor (0.99, 16), 1e-12);
  g_assert_cmpfloat_with_epsilon (l->k, 2.92, 0.005);
  g_assert_cmpfloat_with_epsilon (l->expanded, l->k * l->u, 1e-9);
  g_assert_cmpfloat_with_epsilon (l->expanded, 93, 0.6);

  /* all nine inputs, in the order of the file */
  g_assert_cmpuint (l->n_rows, ==, 9);
  g_assert_cmpstr (l->rows[0].input, ==, "ls");
  g_assert_cmpstr (l->rows[8].input, ==, "dt");

  row = row_named (l, "ls");
  g_assert_cmpfloat_with_epsilon (row->sensitivity, 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (row->contribution, 25, 1e-9);
  g_assert_cmpfloat (row->dof, ==, 18);
  g_assert_cmpfloat (row->value, ==, ls);

  for (guint i = 0; i < 3; i++)
    {
      static const char * const names[] = { "d", "d1", "d2" };

      row = row_named (l, names[i]);
      g_assert_cmpfloat_with_epsilon (row->sensitivity, 1, 1e-12);
    }
  g_assert_cmpfloat_with_epsilon (row_named (l, "d")->contribution, 5.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (row_named (l, "d1")->contribution, 3.9, 0.01);
  g_assert_cmpfloat_with_epsilon (row_named (l, "d2")->contribution, 20.0 / 3, 1e-12);

  /* c(δα) = −l_s θ = +5 mm·°C = 5e6 nm·°C, u_i(y) = 2.9 nm */
  row = row_named (l, "da");
  g_assert_cmpfloat_with_epsilon (row->sensitivity, -ls * -0.1, 1e-3);
  g_assert_cmpfloat_with_epsilon (row->contribution, 2.9, 0.05);
  g_assert_cmpfloat_with_epsilon (row->contribution, ls * 0.1 * 1e-6 / sqrt (3), 1e-9);
  g_assert_cmpfloat (row->dof, ==, 50);

  /* c(δθ) = −l_s α_s = −575 nm/°C, u_i(y) = 16.6 nm */
  row = row_named (l, "dt");
  g_assert_cmpfloat_with_epsilon (row->sensitivity, -ls * 11.5e-6, 1e-6);
  g_assert_cmpfloat_with_epsilon (row->sensitivity, -575, 0.01);
  g_assert_cmpfloat_with_epsilon (row->contribution, 16.6, 0.01);
  g_assert_cmpfloat (row->dof, ==, 2);

  /* c(α_s) = −l_s δθ = 0 and c(θ) = −l_s δα = 0, through the output θ */
  g_assert_cmpfloat (row_named (l, "as")->sensitivity, ==, 0);
  g_assert_cmpfloat (row_named (l, "theta_bar")->sensitivity, ==, 0);
  g_assert_cmpfloat (row_named (l, "Delta")->sensitivity, ==, 0);

  /* θ: u = sqrt(0.2² + 0.35²) = 0.41 °C */
  theta = output_named (budget, result, "theta");
  g_assert_cmpfloat_with_epsilon (theta->value, -0.1, 1e-15);
  g_assert_cmpfloat_with_epsilon (theta->u, sqrt (0.04 + 0.125), 1e-12);
  g_assert_cmpuint (theta->n_rows, ==, 2);
  g_assert_true (isinf (theta->dof));
}

/* GUM H.1.7: the dominant second-order term, (l_s u(δα) u(θ))², brings u_c
 * from 32 nm to 34 nm.  Checked against Σ over pairs of (∂²l/∂x_i∂x_j)² u_i² u_j²
 * worked out by hand for l = l_s + d + d1 + d2 − l_s (δα θ + α_s δθ). */
static void
test_end_gauge_second_order (void)
{
  g_autoptr(CbBudget) first = load_data_file ("gum-h1.json", FALSE);
  g_autoptr(CbBudget) budget = load_data_file ("gum-h1.json", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbGumResult) result1 = cb_budget_evaluate_gum (first, &error);
  g_autoptr(CbGumResult) result = cb_budget_evaluate_gum (budget, &error);
  const CbGumOutput *l, *l1, *theta;
  double ls = 50000623, theta0 = -0.1, as = 11.5e-6, da = 0, dt = 0;
  double u_ls = 25, u_as = 2e-6 / sqrt (3), u_da = 1e-6 / sqrt (3), u_dt = 0.05 / sqrt (3);
  double u_theta2 = 0.04 + 0.125;
  double second;

  g_assert_no_error (error);
  g_assert_true (cb_budget_get_second_order (budget));
  l = output_named (budget, result, "l");
  l1 = output_named (first, result1, "l");

  second = ls * ls * u_da * u_da * u_theta2              /* ∂²l/∂δα∂θ = −l_s */
           + ls * ls * u_as * u_as * u_dt * u_dt         /* ∂²l/∂α_s∂δθ = −l_s */
           + theta0 * theta0 * u_ls * u_ls * u_da * u_da /* ∂²l/∂l_s∂δα = −θ */
           + as * as * u_ls * u_ls * u_dt * u_dt         /* ∂²l/∂l_s∂δθ = −α_s */
           + da * da * u_ls * u_ls * u_theta2            /* ∂²l/∂l_s∂θ = −δα */
           + dt * dt * u_ls * u_ls * u_as * u_as;        /* ∂²l/∂l_s∂α_s = −δθ */

  g_assert_cmpfloat_with_epsilon (l->u * l->u, l1->u * l1->u + second, 1e-9 * l->u * l->u);
  g_assert_cmpfloat_with_epsilon (l->u, 34, 0.5);
  g_assert_cmpfloat (l->value, ==, l1->value);

  /* θ is linear: no second-order term */
  theta = output_named (budget, result, "theta");
  g_assert_cmpfloat_with_epsilon (theta->u, sqrt (u_theta2), 1e-12);
}

/* GUM H.2, Table H.4: R = 127.732 Ω, u 0.071 Ω; X = 219.847 Ω, u 0.295 Ω;
 * Z = 254.260 Ω, u 0.236 Ω; r(R,X) = −0.588, r(R,Z) = −0.485, r(X,Z) = 0.993. */
static void
test_resistance_reactance (void)
{
  g_autoptr(CbBudget) budget = load_data_file ("gum-h2.json", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbGumResult) result = cb_budget_evaluate_gum (budget, &error);
  int r = cb_budget_find_output (budget, "R");
  int x = cb_budget_find_output (budget, "X");
  int z = cb_budget_find_output (budget, "Z");
  const CbGumOutput *out;
  const guint *reported;
  guint n_reported;
  double cov;

  g_assert_no_error (error);
  g_assert_nonnull (result);

  /* Z is used by R and X: evaluated first, reported in the written order */
  g_assert_cmpint (z, ==, 0);
  reported = cb_budget_get_reported (budget, &n_reported);
  g_assert_cmpuint (n_reported, ==, 3);
  g_assert_cmpuint (reported[0], ==, (guint) r);
  g_assert_cmpuint (reported[1], ==, (guint) x);
  g_assert_cmpuint (reported[2], ==, (guint) z);

  /* all three come from the same five sets: 4 dof, as for the mean of the
   * five values of R, X or Z (GUM H.2.4) */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpfloat (cb_gum_result_get_output (result, i)->dof, ==, 4);

  out = cb_gum_result_get_output (result, (guint) r);
  g_assert_cmpfloat_with_epsilon (out->value, 127.732, 0.0005);
  g_assert_cmpfloat_with_epsilon (out->u, 0.071, 0.0005);
  g_assert_cmpuint (out->n_rows, ==, 3);

  out = cb_gum_result_get_output (result, (guint) x);
  g_assert_cmpfloat_with_epsilon (out->value, 219.847, 0.0005);
  g_assert_cmpfloat_with_epsilon (out->u, 0.295, 0.001);

  out = cb_gum_result_get_output (result, (guint) z);
  g_assert_cmpfloat_with_epsilon (out->value, 254.260, 0.0005);
  g_assert_cmpfloat_with_epsilon (out->u, 0.236, 0.0005);
  /* Z = 1000 V / I does not depend on φ */
  g_assert_cmpuint (out->n_rows, ==, 2);
  g_assert_cmpfloat_with_epsilon (row_named (out, "V")->sensitivity, 1000 / 19.661, 1e-9);

  g_assert_cmpfloat_with_epsilon (cb_gum_result_get_correlation (result, (guint) r, (guint) x), -0.588, 0.0005);
  g_assert_cmpfloat_with_epsilon (cb_gum_result_get_correlation (result, (guint) r, (guint) z), -0.485, 0.0005);
  g_assert_cmpfloat_with_epsilon (cb_gum_result_get_correlation (result, (guint) x, (guint) z), 0.993, 0.0005);
  g_assert_cmpfloat (cb_gum_result_get_correlation (result, (guint) z, (guint) x), ==,
                     cb_gum_result_get_correlation (result, (guint) x, (guint) z));
  g_assert_cmpfloat (cb_gum_result_get_correlation (result, (guint) r, (guint) r), ==, 1);

  cov = cb_gum_result_get_covariance (result, (guint) r, (guint) x);
  g_assert_cmpfloat_with_epsilon (cov, cb_gum_result_get_correlation (result, (guint) r, (guint) x)
                                       * cb_gum_result_get_output (result, (guint) r)->u
                                       * cb_gum_result_get_output (result, (guint) x)->u, 1e-15);
  g_assert_cmpfloat_with_epsilon (cb_gum_result_get_covariance (result, (guint) r, (guint) r),
                                  pow (cb_gum_result_get_output (result, (guint) r)->u, 2), 1e-15);
}

/* y = 2a − 3b + c: u² = 4u_a² + 9u_b² + u_c² and
 * ν_eff = u⁴ / ((2u_a)⁴/4 + (u_c)⁴/10) = 0.1225 / 0.00056 = 218.75 → 218. */
static void
test_linear_sum (void)
{
  g_autoptr(CbGumResult) result = evaluate (
    "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 0.1, \"dof\": 4},"
    " \"b\": {\"value\": 2, \"distribution\": \"rectangular\", \"half_width\": 0.3},"
    " \"c\": {\"value\": 3, \"U\": 0.4, \"k\": 2, \"dof\": 10}},"
    " \"outputs\": {\"y\": \"2*a - 3*b + c\"}, \"coverage\": {\"p\": 0.95}}");
  g_autoptr(CbGumResult) with_k = evaluate (
    "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 0.1, \"dof\": 4},"
    " \"b\": {\"value\": 2, \"distribution\": \"rectangular\", \"half_width\": 0.3},"
    " \"c\": {\"value\": 3, \"U\": 0.4, \"k\": 2, \"dof\": 10}},"
    " \"outputs\": {\"y\": \"2*a - 3*b + c\"}, \"coverage\": {\"k\": 2}}");
  const CbGumOutput *y = cb_gum_result_get_output (result, 0);
  const CbGumOutput *yk = cb_gum_result_get_output (with_k, 0);

  g_assert_cmpfloat_with_epsilon (y->value, 2 - 6 + 3, 1e-15);
  g_assert_cmpfloat_with_epsilon (y->u, sqrt (0.35), 1e-15);
  g_assert_cmpuint (y->n_rows, ==, 3);
  g_assert_cmpfloat (y->rows[0].sensitivity, ==, 2);
  g_assert_cmpfloat (y->rows[1].sensitivity, ==, -3);
  g_assert_cmpfloat (y->rows[2].sensitivity, ==, 1);
  g_assert_cmpfloat_with_epsilon (y->rows[1].contribution, 3 * 0.3 / sqrt (3), 1e-15);
  g_assert_cmpfloat (y->dof, ==, 218);
  g_assert_cmpfloat (y->p, ==, 0.95);
  g_assert_cmpfloat_with_epsilon (y->k, cb_stats_t_coverage_factor (0.95, 218), 1e-15);
  g_assert_cmpfloat_with_epsilon (y->expanded, y->k * sqrt (0.35), 1e-12);

  g_assert_cmpfloat (yk->k, ==, 2);
  g_assert_cmpfloat_with_epsilon (yk->p, cb_stats_t_coverage_probability (2, 218), 1e-15);
  g_assert_cmpfloat_with_epsilon (yk->expanded, 2 * sqrt (0.35), 1e-12);
}

/* One input with finite dof: ν_eff is exactly its dof; all infinite: infinite. */
static void
test_effective_dof (void)
{
  g_autoptr(CbGumResult) single = evaluate (
    "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 0.3, \"dof\": 4}, \"b\": {\"value\": 1, \"u\": 0.1}},"
    " \"outputs\": {\"y\": \"3 * a\"}, \"coverage\": {\"p\": 0.95}}");
  g_autoptr(CbGumResult) infinite = evaluate (
    "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 0.3}, \"b\": {\"value\": 1, \"u\": 0.1}},"
    " \"outputs\": {\"y\": \"a + b\"}}");
  g_autoptr(CbGumResult) readings = evaluate (
    "{\"inputs\": {\"r\": {\"readings\": [10.1, 10.3, 10.2, 10.4, 10.0, 10.2]}},"
    " \"outputs\": {\"y\": \"r\"}, \"coverage\": {\"p\": 0.95}}");
  g_autoptr(CbGumResult) mixed = evaluate (
    "{\"inputs\": {\"a\": {\"value\": 0, \"u\": 1, \"dof\": 10}},"
    " \"observations\": {\"q\": [1, 2, 3], \"w\": [2, 2, 5]},"
    " \"outputs\": {\"y\": \"q + w + a\"}}");
  const CbGumOutput *y;

  y = cb_gum_result_get_output (single, 0);
  g_assert_cmpfloat (y->dof, ==, 4);
  g_assert_cmpfloat_with_epsilon (y->k, 2.776445, 1e-5);
  g_assert_cmpuint (y->n_rows, ==, 1);

  /* default coverage k = 2 */
  y = cb_gum_result_get_output (infinite, 0);
  g_assert_true (isinf (y->dof));
  g_assert_cmpfloat (y->k, ==, 2);
  g_assert_cmpfloat_with_epsilon (y->p, 0.9544997, 1e-6);

  y = cb_gum_result_get_output (readings, 0);
  g_assert_cmpfloat (y->dof, ==, 5);
  g_assert_cmpfloat_with_epsilon (y->value, 10.2, 1e-12);

  /* q + w from three simultaneous sets (sums 3, 4, 8: variance of the mean
   * 7/3, 2 dof) plus a with u 1, 10 dof:
   * ν = (10/3)² / ((7/3)²/2 + 1/10) = 3.94 → 3 */
  y = cb_gum_result_get_output (mixed, 0);
  g_assert_cmpfloat_with_epsilon (y->u * y->u, 10.0 / 3, 1e-12);
  g_assert_cmpfloat (y->dof, ==, 3);
}

/* y = a + b with r = ±1, 0.5 and y = a − b: u = u_a ± u_b. */
static void
test_correlated (void)
{
  static const struct
  {
    const char *model;
    double      r;
    double      u;
  } cases[] = {
    { "a + b", 1, 0.7 },
    { "a + b", -1, 0.1 },
    { "a + b", 0.5, 0.6082762530298219 },  /* sqrt(0.09 + 0.16 + 0.12) */
    { "a - b", 1, 0.1 },
    { "a - b", -1, 0.7 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 0.3}, \"b\": {\"value\": 2, \"u\": 0.4}},"
        " \"correlations\": [[\"a\", \"b\", %g]], \"outputs\": {\"y\": \"%s\"}}",
        cases[i].r, cases[i].model);
      g_autoptr(CbGumResult) result = evaluate (json);

      g_assert_cmpfloat_with_epsilon (cb_gum_result_get_output (result, 0)->u, cases[i].u, 1e-14);
    }
}

/* Fully anticorrelated and equal: the sum is exact. */
static void
test_correlated_cancel (void)
{
  g_autoptr(CbGumResult) result = evaluate (
    "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 0.3, \"dof\": 5}, \"b\": {\"value\": 2, \"u\": 0.3, \"dof\": 5}},"
    " \"correlations\": [[\"a\", \"b\", -1]], \"outputs\": {\"y\": \"a + b\"}, \"coverage\": {\"p\": 0.95}}");
  const CbGumOutput *y = cb_gum_result_get_output (result, 0);

  g_assert_cmpfloat_with_epsilon (y->u, 0, 1e-15);
  g_assert_cmpfloat_with_epsilon (y->expanded, 0, 1e-13);
  g_assert_true (isfinite (y->k));
  g_assert_cmpfloat (y->dof, >=, 1);
}

/* y1 = a + b, y2 = a − b: cov = u_a² − u_b². */
static void
test_output_covariance (void)
{
  g_autoptr(CbGumResult) result = evaluate (
    "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 0.3}, \"b\": {\"value\": 2, \"u\": 0.4}},"
    " \"outputs\": {\"s\": \"a + b\", \"d\": \"a - b\"}}");

  g_assert_cmpfloat_with_epsilon (cb_gum_result_get_covariance (result, 0, 1), 0.09 - 0.16, 1e-15);
  g_assert_cmpfloat_with_epsilon (cb_gum_result_get_covariance (result, 1, 0), 0.09 - 0.16, 1e-15);
  g_assert_cmpfloat_with_epsilon (cb_gum_result_get_correlation (result, 0, 1), -0.07 / 0.25, 1e-14);
  g_assert_cmpfloat_with_epsilon (cb_gum_result_get_output (result, 0)->u, 0.5, 1e-15);
}

/* Second order against exact variances of normal inputs:
 * V(ab) = b²u_a² + a²u_b² + 2ab ρ u_a u_b + u_a²u_b²(1 + ρ²), V(a²) = 4a²u² + 2u⁴. */
static void
test_second_order_exact (void)
{
  g_autoptr(CbGumResult) product = evaluate (
    "{\"inputs\": {\"a\": {\"value\": 2, \"u\": 0.5}, \"b\": {\"value\": 3, \"u\": 0.7}},"
    " \"outputs\": {\"y\": \"a * b\", \"q\": \"a^2\"}, \"second_order\": true}");
  g_autoptr(CbGumResult) correlated = evaluate (
    "{\"inputs\": {\"a\": {\"value\": 2, \"u\": 0.5}, \"b\": {\"value\": 3, \"u\": 0.7}},"
    " \"correlations\": [[\"a\", \"b\", 0.6]],"
    " \"outputs\": {\"y\": \"a * b\"}, \"second_order\": true}");
  g_autoptr(CbGumResult) first = evaluate (
    "{\"inputs\": {\"a\": {\"value\": 2, \"u\": 0.5}, \"b\": {\"value\": 3, \"u\": 0.7}},"
    " \"outputs\": {\"y\": \"a * b\", \"q\": \"a^2\"}}");
  double ua2 = 0.25, ub2 = 0.49, rho = 0.6;

  g_assert_cmpfloat_with_epsilon (pow (cb_gum_result_get_output (product, 0)->u, 2),
                                  9 * ua2 + 4 * ub2 + ua2 * ub2, 1e-12);
  g_assert_cmpfloat_with_epsilon (pow (cb_gum_result_get_output (product, 1)->u, 2),
                                  4 * 4 * ua2 + 2 * ua2 * ua2, 1e-12);
  /* Cov(ab, a²) = 2a·b u_a² + ... + ½ tr(H_y V H_q V) = 6·... checked in closed form:
   * first order 2a·b·u_a² = 2·2·3·0.25 = 3; second order u_a²·u_b²·0 + ... = 0 */
  g_assert_cmpfloat_with_epsilon (cb_gum_result_get_covariance (product, 0, 1), 3, 1e-12);

  g_assert_cmpfloat_with_epsilon (pow (cb_gum_result_get_output (correlated, 0)->u, 2),
                                  9 * ua2 + 4 * ub2 + 2 * 2 * 3 * rho * 0.5 * 0.7
                                  + ua2 * ub2 * (1 + rho * rho), 1e-12);

  g_assert_cmpfloat_with_epsilon (pow (cb_gum_result_get_output (first, 0)->u, 2),
                                  9 * ua2 + 4 * ub2, 1e-12);
}

/* An output through an earlier output carries the chain rule:
 * s = a + b, y = s² ⇒ ∂y/∂a = 2s, ∂²y/∂a∂b = 2. */
static void
test_chain_rule (void)
{
  g_autoptr(CbGumResult) result = evaluate (
    "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 0.1}, \"b\": {\"value\": 2, \"u\": 0.2}},"
    " \"outputs\": {\"y\": \"s^2\", \"s\": \"a + b\"}, \"second_order\": true}");
  const CbGumOutput *y = cb_gum_result_get_output (result, 1);
  double us2 = 0.01 + 0.04;

  g_assert_cmpstr (y->name, ==, "y");
  g_assert_cmpfloat_with_epsilon (y->value, 9, 1e-15);
  g_assert_cmpuint (y->n_rows, ==, 2);
  g_assert_cmpfloat_with_epsilon (y->rows[0].sensitivity, 6, 1e-14);
  g_assert_cmpfloat_with_epsilon (y->rows[1].sensitivity, 6, 1e-14);
  /* V(s²) = 4s²u_s² + 2u_s⁴ for normal s */
  g_assert_cmpfloat_with_epsilon (y->u * y->u, 4 * 9 * us2 + 2 * us2 * us2, 1e-12);
}

static void
test_evaluation_errors (void)
{
  static const char * const budgets[] = {
    "{\"inputs\": {\"x\": {\"value\": -1, \"u\": 0.1}}, \"outputs\": {\"y\": \"ln(x)\"}}",
    "{\"inputs\": {\"x\": {\"value\": 1, \"u\": 0.1}, \"z\": {\"value\": 0, \"u\": 0.1}},"
    " \"outputs\": {\"y\": \"x / z\"}}",
    "{\"inputs\": {\"x\": {\"value\": 1, \"u\": 0.1}},"
    " \"outputs\": {\"w\": \"x - 1\", \"y\": \"x / w\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (budgets); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbBudget) budget = cb_budget_new_from_data (budgets[i], -1, &error);
      g_autoptr(CbGumResult) result = NULL;

      g_assert_no_error (error);
      result = cb_budget_evaluate_gum (budget, &error);
      g_assert_null (result);
      g_assert_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_EVALUATION);
      g_assert_true (g_str_has_prefix (error->message, "outputs.y: "));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/gum/end-gauge", test_end_gauge);
  g_test_add_func ("/core/gum/end-gauge-second-order", test_end_gauge_second_order);
  g_test_add_func ("/core/gum/resistance-reactance", test_resistance_reactance);
  g_test_add_func ("/core/gum/linear-sum", test_linear_sum);
  g_test_add_func ("/core/gum/effective-dof", test_effective_dof);
  g_test_add_func ("/core/gum/correlated", test_correlated);
  g_test_add_func ("/core/gum/correlated-cancel", test_correlated_cancel);
  g_test_add_func ("/core/gum/output-covariance", test_output_covariance);
  g_test_add_func ("/core/gum/second-order-exact", test_second_order_exact);
  g_test_add_func ("/core/gum/chain-rule", test_chain_rule);
  g_test_add_func ("/core/gum/evaluation-errors", test_evaluation_errors);

  return g_test_run ();
}
