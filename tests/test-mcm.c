/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/cb-mcm.h"

/* Statistical checks use a fixed seed, with bounds of about five standard
 * errors for the number of trials: wide enough not to depend on the seed,
 * narrow enough to tell, say, an arcsine from a rectangular distribution. */

#define MILLION G_GUINT64_CONSTANT (1000000)

static CbBudget *
budget_from_data (const char *json)
{
  g_autoptr(GError) error = NULL;
  CbBudget *budget = cb_budget_new_from_data (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (budget);
  return budget;
}

static CbBudget *
budget_from_file (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  CbBudget *budget = cb_budget_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (budget);
  return budget;
}

static CbMcmResult *
run_fixed (const CbBudget *budget,
           guint64         trials,
           guint64         seed,
           guint           n_threads)
{
  g_autoptr(GError) error = NULL;
  CbMcmOptions options;
  CbMcmResult *result;

  cb_mcm_options_init (&options);
  options.trials = trials;
  options.seed = seed;
  options.n_threads = n_threads;
  result = cb_mcm_run (budget, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (cb_mcm_result_get_trials (result), ==, trials);
  return result;
}

static const CbMcmOutput *
output_named (const CbBudget    *budget,
              const CbMcmResult *result,
              const char        *name)
{
  int index = cb_budget_find_output (budget, name);
  const CbMcmOutput *output;

  g_assert_cmpint (index, >=, 0);
  output = cb_mcm_result_get_output (result, (guint) index);
  g_assert_cmpstr (output->name, ==, name);
  return output;
}

static void
test_generator (void)
{
  const char *name = cb_mcm_generator_name ();

  g_assert_nonnull (name);
  g_assert_nonnull (strstr (name, "xoshiro256**"));
}

/* JCGM 101 9.2.2: four N(0, 1) inputs; Table 2: u(y) = 2.00 and the 95 %
 * interval [−3.92, 3.92] (exactly ±1.959964 × 2). */
static void
test_additive_normal (void)
{
  g_autoptr(CbBudget) budget = budget_from_file ("mcm-additive-normal.json");
  g_autoptr(CbMcmResult) result = run_fixed (budget, MILLION, 1, 0);
  const CbMcmOutput *y = output_named (budget, result, "Y");

  g_assert_cmpfloat_with_epsilon (cb_mcm_result_get_p (result), 0.95, 1e-15);
  g_assert_cmpfloat_with_epsilon (y->value, 0, 0.01);
  g_assert_cmpfloat_with_epsilon (y->u, 2.00, 0.007);
  g_assert_cmpfloat_with_epsilon (y->symmetric_low, -3.9199, 0.02);
  g_assert_cmpfloat_with_epsilon (y->symmetric_high, 3.9199, 0.02);
  /* The shortest interval's width is well determined, its place less so. */
  g_assert_cmpfloat_with_epsilon (y->high - y->low, 7.8399, 0.02);
  g_assert_cmpfloat_with_epsilon (y->low, -3.92, 0.06);
  g_assert_cmpfloat_with_epsilon (y->high, 3.92, 0.06);
}

/* JCGM 101 9.2.3: four rectangular inputs of standard deviation 1; Table 3:
 * u(y) = 2.00 and [−3.88, 3.88] (exactly ±3.8798 from the Irwin–Hall
 * distribution), narrower than the normal case by 0.08. */
static void
test_additive_rectangular (void)
{
  g_autoptr(CbBudget) budget = budget_from_file ("mcm-additive-rectangular.json");
  g_autoptr(CbMcmResult) result = run_fixed (budget, MILLION, 1, 0);
  const CbMcmOutput *y = output_named (budget, result, "Y");
  gsize n = 0;
  const double *sorted = cb_mcm_result_get_sorted_values (result, 0, &n);

  g_assert_cmpfloat_with_epsilon (y->value, 0, 0.01);
  g_assert_cmpfloat_with_epsilon (y->u, 2.00, 0.005);
  g_assert_cmpfloat_with_epsilon (y->symmetric_low, -3.8798, 0.02);
  g_assert_cmpfloat_with_epsilon (y->symmetric_high, 3.8798, 0.02);
  g_assert_cmpfloat_with_epsilon (y->high - y->low, 7.7595, 0.02);
  g_assert_cmpfloat_with_epsilon (y->low, -3.88, 0.06);
  g_assert_cmpfloat_with_epsilon (y->high, 3.88, 0.06);

  /* bounded by 4√3 */
  g_assert_cmpuint (n, ==, MILLION);
  g_assert_cmpfloat (sorted[0], >=, -4 * sqrt (3));
  g_assert_cmpfloat (sorted[n - 1], <=, 4 * sqrt (3));
  g_assert_cmpfloat (sorted[0], <=, sorted[n / 2]);
  g_assert_cmpfloat (sorted[n / 2], <=, sorted[n - 1]);
}

/* Curvilinear trapezoid (JCGM 101 6.4.3) with half-width a ± d: upper tail
 * and density at x ≥ 0. */
static double
ctrap_tail (double a,
            double d,
            double x)
{
  double l = MAX (x, a - d);

  if (x >= a + d)
    return 0;
  return ((a + d - l) - x * log ((a + d) / l)) / (4 * d);
}

static double
ctrap_pdf (double a,
           double d,
           double x)
{
  return log ((a + d) / MAX (x, a - d)) / (4 * d);
}

static double
ctrap_upper_quantile (double a,
                      double d,
                      double tail)
{
  double lo = 0, hi = a + d;

  for (int i = 0; i < 200; i++)
    {
      double mid = (lo + hi) / 2;

      if (ctrap_tail (a, d, mid) > tail)
        lo = mid;
      else
        hi = mid;
    }
  return (lo + hi) / 2;
}

static double
t_pdf (double t,
       double dof)
{
  return tgamma ((dof + 1) / 2) / (sqrt (dof * G_PI) * tgamma (dof / 2))
         * pow (1 + t * t / dof, -(dof + 1) / 2);
}

typedef struct
{
  const char *output;
  double      mean;
  double      sd;
  double      kurtosis;   /* NAN: not checked (infinite eighth moment) */
  double      q975;       /* upper end of the symmetric 95 % interval */
  double      pdf975;     /* density there, for the standard error */
  double      lower;      /* support, or ±INFINITY */
  double      upper;
} Expected;

static double
sample_kurtosis (const double *x,
                 gsize         n,
                 double        mean)
{
  double m2 = 0, m4 = 0;

  for (gsize i = 0; i < n; i++)
    {
      double d = (x[i] - mean) * (x[i] - mean);

      m2 += d;
      m4 += d * d;
    }
  m2 /= n;
  m4 /= n;
  return m4 / (m2 * m2);
}

/* Each kind of input against its mean, standard deviation, kurtosis, 97.5 %
 * point and support. */
static void
test_distributions (void)
{
  const char *json =
    "{\"inputs\": {"
    "  \"n\": {\"value\": 1, \"u\": 2},"
    "  \"k\": {\"value\": 5, \"U\": 4, \"k\": 2},"
    "  \"r\": {\"value\": 2, \"distribution\": \"rectangular\", \"half_width\": 3},"
    "  \"tri\": {\"value\": 0, \"distribution\": \"triangular\", \"half_width\": 1},"
    "  \"arc\": {\"value\": 0, \"distribution\": \"arcsine\", \"half_width\": 1},"
    "  \"trap\": {\"value\": 0, \"distribution\": \"trapezoidal\", \"half_width\": 1, \"beta\": 0.5},"
    "  \"ct\": {\"value\": 0, \"distribution\": \"curvilinear_trapezoidal\", \"half_width\": 1, \"d\": 0.5},"
    "  \"t\": {\"value\": 0, \"distribution\": \"t\", \"u\": 2, \"dof\": 5},"
    "  \"A\": {\"readings\": [10.1, 10.3, 10.2, 10.4, 10.0, 10.2]},"
    "  \"Ut\": {\"value\": 0, \"U\": 10, \"p\": 0.95, \"dof\": 5},"
    "  \"uf\": {\"value\": 3, \"u\": 1, \"dof\": 5}"
    "},"
    "\"outputs\": {\"Yn\": \"n\", \"Yk\": \"k\", \"Yr\": \"r\", \"Ytri\": \"tri\", \"Yarc\": \"arc\","
    "  \"Ytrap\": \"trap\", \"Yct\": \"ct\", \"Yt\": \"t\", \"YA\": \"A\", \"YUt\": \"Ut\", \"Yuf\": \"uf\"},"
    "\"coverage\": {\"p\": 0.95}}";
  const double t5 = 2.5705818366147395;   /* t_0.975(5) */
  const double z = 1.959963984540054;
  const double scale_a = sqrt (0.02 / 6);  /* s/√n of the readings */
  const double ct_q = ctrap_upper_quantile (1, 0.5, 0.025);
  const double ct_w2 = 1 + 0.25 / 3, ct_w4 = 1 + 2 * 0.25 + 0.0625 / 5;
  const Expected expected[] = {
    { "Yn", 1, 2, 3, 1 + 2 * z, exp (-z * z / 2) / sqrt (2 * G_PI) / 2, -INFINITY, INFINITY },
    { "Yk", 5, 2, 3, 5 + 2 * z, exp (-z * z / 2) / sqrt (2 * G_PI) / 2, -INFINITY, INFINITY },
    { "Yr", 2, sqrt (3), 1.8, 2 + 0.95 * 3, 1.0 / 6, -1, 5 },
    { "Ytri", 0, 1 / sqrt (6), 2.4, 1 - sqrt (0.05), sqrt (0.05), -1, 1 },
    { "Yarc", 0, 1 / sqrt (2), 1.5, sin (0.475 * G_PI),
      1 / (G_PI * cos (0.475 * G_PI)), -1, 1 },
    /* sum of uniforms of half-widths 0.75 and 0.25 */
    { "Ytrap", 0, sqrt (1.25 / 6),
      3 - 2.0 / 15 * (pow (0.75, 4) + pow (0.25, 4)) / pow (1.25 / 6, 2),
      1 - sqrt (0.0375), sqrt (0.0375) / 0.75, -1, 1 },
    { "Yct", 0, sqrt (1.0 / 3 + 0.25 / 9), 9 * ct_w4 / (5 * ct_w2 * ct_w2),
      ct_q, ctrap_pdf (1, 0.5, ct_q), -1.5, 1.5 },
    { "Yt", 0, 2 * sqrt (5.0 / 3), NAN, 2 * t5, t_pdf (t5, 5) / 2, -INFINITY, INFINITY },
    /* JCGM 101 6.4.9: t_{n−1}(mean, s/√n) */
    { "YA", 10.2, scale_a * sqrt (5.0 / 3), NAN, 10.2 + scale_a * t5,
      t_pdf (t5, 5) / scale_a, -INFINITY, INFINITY },
    /* U at 95 % with 5 dof: the 97.5 % point is U itself */
    { "YUt", 0, 10 / t5 * sqrt (5.0 / 3), NAN, 10, t_pdf (t5, 5) * t5 / 10, -INFINITY, INFINITY },
    { "Yuf", 3, sqrt (5.0 / 3), NAN, 3 + t5, t_pdf (t5, 5), -INFINITY, INFINITY },
  };
  g_autoptr(CbBudget) budget = budget_from_data (json);
  g_autoptr(CbMcmResult) result = run_fixed (budget, MILLION, 3, 0);
  const double m = (double) MILLION;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const Expected *e = &expected[i];
      const CbMcmOutput *y = output_named (budget, result, e->output);
      guint index = (guint) cb_budget_find_output (budget, e->output);
      double kurtosis = isnan (e->kurtosis) ? 9 : e->kurtosis;
      gsize n = 0;
      const double *sorted = cb_mcm_result_get_sorted_values (result, index, &n);
      double q_se = sqrt (0.025 * 0.975 / m) / e->pdf975;

      g_test_message ("%s: mean %.6g sd %.6g q975 %.6g", e->output, y->value, y->u, y->symmetric_high);
      g_assert_cmpuint (n, ==, MILLION);
      g_assert_cmpfloat_with_epsilon (y->value, e->mean, 5 * e->sd / sqrt (m));
      g_assert_cmpfloat_with_epsilon (y->u, e->sd, 6 * e->sd * sqrt ((kurtosis - 1) / (4 * m)));
      g_assert_cmpfloat_with_epsilon (y->symmetric_high, e->q975, 6 * q_se);
      g_assert_cmpfloat_with_epsilon (y->symmetric_low, 2 * e->mean - e->q975, 6 * q_se);
      if (!isnan (e->kurtosis))
        g_assert_cmpfloat_with_epsilon (sample_kurtosis (sorted, n, y->value), e->kurtosis, 0.03);
      if (isfinite (e->lower))
        {
          double width = e->upper - e->lower;

          g_assert_cmpfloat (sorted[0], >=, e->lower);
          g_assert_cmpfloat (sorted[n - 1], <=, e->upper);
          g_assert_cmpfloat (sorted[0], <, e->lower + 0.01 * width);
          g_assert_cmpfloat (sorted[n - 1], >, e->upper - 0.01 * width);
        }
    }
}

/* Same seed: bit-identical results with one and two threads, also for a
 * number of trials that is not a whole number of blocks; another seed gives
 * other results. */
static void
test_reproducible (void)
{
  g_autoptr(CbBudget) budget = budget_from_file ("mcm-gauge-block.json");
  g_autoptr(CbMcmResult) one = run_fixed (budget, 100003, 7, 1);
  g_autoptr(CbMcmResult) two = run_fixed (budget, 100003, 7, 2);
  g_autoptr(CbMcmResult) other = run_fixed (budget, 100003, 8, 2);
  guint n = cb_mcm_result_get_n_outputs (one);

  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (cb_mcm_result_get_n_outputs (two), ==, n);
  for (guint j = 0; j < n; j++)
    {
      const CbMcmOutput *a = cb_mcm_result_get_output (one, j);
      const CbMcmOutput *b = cb_mcm_result_get_output (two, j);
      const CbMcmOutput *c = cb_mcm_result_get_output (other, j);
      gsize na, nb;
      const double *va = cb_mcm_result_get_sorted_values (one, j, &na);
      const double *vb = cb_mcm_result_get_sorted_values (two, j, &nb);

      g_assert_true (memcmp (&a->value, &b->value, sizeof (double)) == 0);
      g_assert_true (memcmp (&a->u, &b->u, sizeof (double)) == 0);
      g_assert_true (a->low == b->low && a->high == b->high);
      g_assert_true (a->symmetric_low == b->symmetric_low && a->symmetric_high == b->symmetric_high);
      g_assert_cmpuint (na, ==, nb);
      g_assert_true (memcmp (va, vb, na * sizeof (double)) == 0);
      for (guint k = 0; k < n; k++)
        g_assert_true (cb_mcm_result_get_correlation (one, j, k)
                       == cb_mcm_result_get_correlation (two, j, k));

      g_assert_true (a->value != c->value);
      g_assert_true (a->u != c->u);
    }
}

/* Correlated normal inputs (JCGM 101 6.4.8) give back the correlation
 * matrix, and a sum the variance with its covariance terms. */
static void
test_correlated (void)
{
  const char *json =
    "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 1}, \"b\": {\"value\": 2, \"u\": 2},"
    "  \"c\": {\"value\": 3, \"u\": 3}, \"e\": {\"value\": 0, \"u\": 1}},"
    " \"correlations\": [[\"a\", \"b\", 0.8], [\"b\", \"c\", -0.5]],"
    " \"outputs\": {\"Ya\": \"a\", \"Yb\": \"b\", \"Yc\": \"c\", \"Ye\": \"e\", \"S\": \"a + b + c\"}}";
  g_autoptr(CbBudget) budget = budget_from_data (json);
  g_autoptr(CbMcmResult) result = run_fixed (budget, 400000, 11, 0);
  guint ia = (guint) cb_budget_find_output (budget, "Ya");
  guint ib = (guint) cb_budget_find_output (budget, "Yb");
  guint ic = (guint) cb_budget_find_output (budget, "Yc");
  guint ie = (guint) cb_budget_find_output (budget, "Ye");
  const CbMcmOutput *s = output_named (budget, result, "S");

  g_assert_cmpfloat_with_epsilon (cb_mcm_result_get_correlation (result, ia, ib), 0.8, 0.005);
  g_assert_cmpfloat_with_epsilon (cb_mcm_result_get_correlation (result, ib, ia), 0.8, 0.005);
  g_assert_cmpfloat_with_epsilon (cb_mcm_result_get_correlation (result, ib, ic), -0.5, 0.005);
  g_assert_cmpfloat_with_epsilon (cb_mcm_result_get_correlation (result, ia, ic), 0, 0.006);
  g_assert_cmpfloat_with_epsilon (cb_mcm_result_get_correlation (result, ia, ie), 0, 0.006);
  g_assert_cmpfloat (cb_mcm_result_get_correlation (result, ia, ia), ==, 1);

  g_assert_cmpfloat_with_epsilon (output_named (budget, result, "Ya")->u, 1, 0.007);
  g_assert_cmpfloat_with_epsilon (output_named (budget, result, "Yb")->u, 2, 0.014);
  g_assert_cmpfloat_with_epsilon (output_named (budget, result, "Yc")->value, 3, 0.025);
  /* u² = 1 + 4 + 9 + 2 (0.8·1·2 − 0.5·2·3) = 11.2 */
  g_assert_cmpfloat_with_epsilon (s->u, sqrt (11.2), 0.02);
  g_assert_cmpfloat_with_epsilon (s->value, 6, 0.03);
}

/* A coefficient of 1 is a semi-definite matrix: the two inputs move as one. */
static void
test_fully_correlated (void)
{
  const char *json =
    "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 1}, \"b\": {\"value\": 1, \"u\": 1}},"
    " \"correlations\": [[\"a\", \"b\", 1]],"
    " \"outputs\": {\"D\": \"a - b\", \"S\": \"a + b\"}}";
  g_autoptr(CbBudget) budget = budget_from_data (json);
  g_autoptr(CbMcmResult) result = run_fixed (budget, 20000, 1, 1);

  g_assert_cmpfloat (output_named (budget, result, "D")->u, <, 1e-12);
  g_assert_cmpfloat_with_epsilon (output_named (budget, result, "S")->u, 2, 0.06);
}

/* N = 2 quantities observed together n = 10 times: the multivariate
 * t_{n−N}(x̄, (n − 1)/(n − N) · S/n) of JCGM 102 keeps their correlation,
 * with the variances (n − 1)/(n − N − 2) · s²/n. */
static void
test_observations (void)
{
  const char *too_few =
    "{\"inputs\": {}, \"observations\": {\"x\": [1.0, 1.1], \"y\": [2.0, 2.3]},"
    " \"outputs\": {\"R\": \"y / x\"}}";
  const char *json =
    "{\"inputs\": {},"
    " \"observations\": {"
    "  \"x\": [1.02, 0.98, 1.05, 0.97, 1.01, 1.00, 0.99, 1.03, 0.96, 1.04],"
    "  \"y\": [2.05, 1.97, 2.08, 1.95, 2.00, 2.01, 1.97, 2.07, 1.93, 2.06]},"
    " \"outputs\": {\"Yx\": \"x\", \"Yy\": \"y\", \"R\": \"y / x\"}}";
  g_autoptr(CbBudget) budget = budget_from_data (json);
  g_autoptr(CbMcmResult) result = run_fixed (budget, MILLION, 5, 0);
  int ix = cb_budget_find_input (budget, "x");
  int iy = cb_budget_find_input (budget, "y");
  const CbInput *x = cb_budget_get_input (budget, (guint) ix);
  const CbInput *y = cb_budget_get_input (budget, (guint) iy);
  double r = cb_budget_get_correlation (budget, (guint) ix, (guint) iy);
  guint ox = (guint) cb_budget_find_output (budget, "Yx");
  guint oy = (guint) cb_budget_find_output (budget, "Yy");

  g_assert_cmpfloat (r, >, 0.9);
  g_assert_cmpfloat (x->dof, ==, 9);
  g_assert_cmpfloat_with_epsilon (cb_mcm_result_get_correlation (result, ox, oy), r, 0.003);
  /* t_8 with the scales enlarged by √(9/8) */
  g_assert_cmpfloat_with_epsilon (output_named (budget, result, "Yx")->u / (x->u * sqrt (9.0 / 6)), 1, 0.008);
  g_assert_cmpfloat_with_epsilon (output_named (budget, result, "Yy")->u / (y->u * sqrt (9.0 / 6)), 1, 0.008);
  g_assert_cmpfloat_with_epsilon (output_named (budget, result, "Yx")->value, x->value, 5 * x->u * 1.3 / 1000);

  /* n = N = 2: S/n is singular, no t applies */
  {
    g_autoptr(CbBudget) few = budget_from_data (too_few);
    g_autoptr(GError) error = NULL;

    g_assert_null (cb_mcm_run (few, NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "observations:"));
  }
}

/* Outputs may use earlier outputs; their correlation comes out too. */
static void
test_dependent_outputs (void)
{
  const char *json =
    "{\"inputs\": {\"a\": {\"value\": 0, \"u\": 1}, \"b\": {\"value\": 10, \"u\": 1}},"
    " \"outputs\": {\"T\": \"a + b\", \"A\": \"T - b\"}, \"report\": [\"A\"]}";
  g_autoptr(CbBudget) budget = budget_from_data (json);
  g_autoptr(CbMcmResult) result = run_fixed (budget, 200000, 2, 0);
  guint it = (guint) cb_budget_find_output (budget, "T");
  guint ia = (guint) cb_budget_find_output (budget, "A");

  g_assert_cmpuint (cb_mcm_result_get_n_outputs (result), ==, 2);
  g_assert_cmpfloat_with_epsilon (output_named (budget, result, "A")->u, 1, 0.01);
  g_assert_cmpfloat_with_epsilon (output_named (budget, result, "T")->u, sqrt (2), 0.015);
  g_assert_cmpfloat_with_epsilon (output_named (budget, result, "T")->value, 10, 0.02);
  g_assert_cmpfloat_with_epsilon (cb_mcm_result_get_correlation (result, it, ia), sqrt (0.5), 0.006);
  /* fixed mode: no tolerance */
  g_assert_true (isnan (cb_mcm_result_get_tolerance (result, ia)));
}

/* JCGM 101 7.9: the adaptive procedure, with δ from two significant digits
 * of u(y) = 2.0 (δ = 0.05) and with a given δ; each result then lies within
 * 2δ of the exact one (2δ is four standard deviations of the average). */
static void
check_adaptive (double tolerance,
                double expected_tolerance,
                guint  n_threads)
{
  g_autoptr(CbBudget) budget = budget_from_file ("mcm-additive-normal.json");
  g_autoptr(CbMcmResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CbMcmOptions options;
  const CbMcmOutput *y;
  double delta;
  guint64 trials;

  cb_mcm_options_init (&options);
  options.adaptive = TRUE;
  options.tolerance = tolerance;
  options.seed = 21;
  options.n_threads = n_threads;
  result = cb_mcm_run (budget, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  y = cb_mcm_result_get_output (result, 0);
  delta = cb_mcm_result_get_tolerance (result, 0);
  trials = cb_mcm_result_get_trials (result);
  g_test_message ("adaptive δ %g: M = %" G_GUINT64_FORMAT ", y %g, u %g, [%g, %g]",
                  delta, trials, y->value, y->u, y->low, y->high);

  g_assert_cmpfloat_with_epsilon (delta, expected_tolerance, 1e-12);
  /* batches of max(100/(1 − p), 10^4) = 10^4, at least two */
  g_assert_cmpuint (trials % 10000, ==, 0);
  g_assert_cmpuint (trials, >=, 20000);
  g_assert_cmpfloat_with_epsilon (y->value, 0, 2 * delta);
  g_assert_cmpfloat_with_epsilon (y->u, 2, 2 * delta);
  g_assert_cmpfloat_with_epsilon (y->low, -3.92, 2 * delta);
  g_assert_cmpfloat_with_epsilon (y->high, 3.92, 2 * delta);
  g_assert_cmpfloat_with_epsilon (y->symmetric_low, -3.92, 2 * delta);
  g_assert_cmpfloat_with_epsilon (y->symmetric_high, 3.92, 2 * delta);
}

static void
test_adaptive_derived (void)
{
  check_adaptive (0, 0.05, 0);
}

static void
test_adaptive_given (void)
{
  check_adaptive (0.01, 0.01, 0);
}

static void
test_adaptive_reproducible (void)
{
  g_autoptr(CbBudget) budget = budget_from_file ("mcm-gauge-block.json");
  g_autoptr(CbMcmResult) one = NULL;
  g_autoptr(CbMcmResult) two = NULL;
  g_autoptr(GError) error = NULL;
  CbMcmOptions options;
  const CbMcmOutput *a, *b;
  int dev = cb_budget_find_output (budget, "dev");

  cb_mcm_options_init (&options);
  options.adaptive = TRUE;
  options.tolerance = 2;    /* nm: a few batches */
  options.seed = 4;
  options.n_threads = 1;
  one = cb_mcm_run (budget, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  options.n_threads = 2;
  two = cb_mcm_run (budget, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (cb_mcm_result_get_trials (one), ==, cb_mcm_result_get_trials (two));
  a = cb_mcm_result_get_output (one, (guint) dev);
  b = cb_mcm_result_get_output (two, (guint) dev);
  g_assert_true (a->value == b->value && a->u == b->u && a->low == b->low && a->high == b->high);
  g_assert_cmpfloat (cb_mcm_result_get_tolerance (one, (guint) dev), ==, 2);
  /* theta is not reported: no tolerance applies to it */
  g_assert_true (isnan (cb_mcm_result_get_tolerance (one, (guint) cb_budget_find_output (budget, "theta"))));
  /* p = 0.99: batches of 10^4 */
  g_assert_cmpuint (cb_mcm_result_get_trials (one) % 10000, ==, 0);
}

static void
test_adaptive_not_converged (void)
{
  g_autoptr(CbBudget) budget = budget_from_file ("mcm-additive-normal.json");
  g_autoptr(GError) error = NULL;
  CbMcmOptions options;
  CbMcmResult *result;

  cb_mcm_options_init (&options);
  options.adaptive = TRUE;
  options.tolerance = 1e-4;
  options.max_trials = 60000;
  result = cb_mcm_run (budget, &options, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CB_MCM_ERROR, CB_MCM_ERROR_NOT_CONVERGED);
  g_assert_true (g_str_has_prefix (error->message, "max_trials:"));
  g_assert_nonnull (strstr (error->message, "60000"));
}

typedef struct
{
  const char *field;
  guint64     trials;
  double      p;
  double      tolerance;
  gboolean    adaptive;
  guint64     max_trials;
} BadOptions;

static void
test_bad_options (void)
{
  const BadOptions cases[] = {
    { "p:", 0, 1.5, 0, FALSE, 0 },
    { "p:", 0, 1.0, 0, FALSE, 0 },
    { "p:", 0, -0.1, 0, FALSE, 0 },
    { "p:", 0, NAN, 0, FALSE, 0 },
    /* 100/(1 − 0.95) = 2000 at the least */
    { "trials:", 1999, 0, 0, FALSE, 0 },
    { "trials:", 9999, 0.99, 0, FALSE, 0 },
    { "trials:", 100, 0, 0, TRUE, 0 },
    { "tolerance:", 0, 0, -0.5, TRUE, 0 },
    { "tolerance:", 0, 0, NAN, TRUE, 0 },
    { "tolerance:", 0, 0, INFINITY, TRUE, 0 },
    { "max_trials:", 10000, 0, 0, TRUE, 15000 },
    { "trials:", G_GUINT64_CONSTANT (100000000000000), 0, 0, FALSE, 0 },
  };
  g_autoptr(CbBudget) budget = budget_from_file ("mcm-additive-normal.json");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      CbMcmOptions options;
      CbMcmResult *result;

      cb_mcm_options_init (&options);
      options.trials = cases[i].trials;
      options.p = cases[i].p;
      options.tolerance = cases[i].tolerance;
      options.adaptive = cases[i].adaptive;
      options.max_trials = cases[i].max_trials;
      result = cb_mcm_run (budget, &options, NULL, NULL, NULL, &error);
      g_assert_null (result);
      g_assert_error (error, CB_MCM_ERROR, CB_MCM_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].field));
    }

  /* the least number of trials is accepted */
  {
    g_autoptr(CbMcmResult) result = run_fixed (budget, 2000, 1, 0);

    g_assert_cmpfloat (cb_mcm_result_get_output (result, 0)->low, <, 0);
  }
}

static void
test_evaluation_error (void)
{
  const char *json =
    "{\"inputs\": {\"x\": {\"value\": 4, \"u\": 1}}, \"outputs\": {\"y\": \"sqrt(x)\"}}";
  g_autoptr(CbBudget) budget = budget_from_data (json);
  g_autofree char *first = NULL;

  for (guint threads = 1; threads <= 2; threads++)
    {
      g_autoptr(GError) error = NULL;
      CbMcmOptions options;
      CbMcmResult *result;

      cb_mcm_options_init (&options);
      options.trials = 200000;
      options.n_threads = threads;
      result = cb_mcm_run (budget, &options, NULL, NULL, NULL, &error);
      g_assert_null (result);
      g_assert_error (error, CB_MCM_ERROR, CB_MCM_ERROR_EVALUATION);
      g_assert_true (g_str_has_prefix (error->message, "outputs.y: "));
      /* the same sample fails whatever the thread count */
      if (first == NULL)
        first = g_strdup (error->message);
      else
        g_assert_cmpstr (error->message, ==, first);
    }
}

typedef struct
{
  GCancellable *cancellable;
  GMutex        lock;
  GArray       *fractions;
} ProgressLog;

static void
on_progress (double   fraction,
             gpointer user_data)
{
  ProgressLog *log = user_data;

  g_mutex_lock (&log->lock);
  g_array_append_val (log->fractions, fraction);
  g_mutex_unlock (&log->lock);
  if (log->cancellable != NULL)
    g_cancellable_cancel (log->cancellable);
}

static void
test_progress (void)
{
  g_autoptr(CbBudget) budget = budget_from_file ("mcm-additive-normal.json");
  g_autoptr(CbMcmResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProgressLog log = { NULL };
  CbMcmOptions options;

  g_mutex_init (&log.lock);
  log.fractions = g_array_new (FALSE, FALSE, sizeof (double));
  cb_mcm_options_init (&options);
  options.trials = 100000;
  options.n_threads = 2;
  result = cb_mcm_run (budget, &options, on_progress, &log, NULL, &error);
  g_assert_no_error (error);

  /* one call per block of 8192 trials at most, rising to 1 */
  g_assert_cmpuint (log.fractions->len, >=, 2);
  g_assert_cmpuint (log.fractions->len, <=, 13);
  for (guint i = 1; i < log.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (log.fractions, double, i), >, g_array_index (log.fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (log.fractions, double, 0), >, 0);
  g_assert_cmpfloat (g_array_index (log.fractions, double, log.fractions->len - 1), ==, 1);

  g_array_unref (log.fractions);
  g_mutex_clear (&log.lock);
}

static void
test_cancel (void)
{
  g_autoptr(CbBudget) budget = budget_from_file ("mcm-additive-normal.json");

  /* cancelled before the start */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GError) error = NULL;

    g_cancellable_cancel (cancellable);
    g_assert_null (cb_mcm_run (budget, NULL, NULL, NULL, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  /* cancelled from the first progress report, in fixed and adaptive mode */
  for (guint adaptive = 0; adaptive <= 1; adaptive++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      ProgressLog log = { cancellable };
      CbMcmOptions options;

      g_mutex_init (&log.lock);
      log.fractions = g_array_new (FALSE, FALSE, sizeof (double));
      cb_mcm_options_init (&options);
      options.trials = adaptive ? 0 : 4 * MILLION;
      options.adaptive = adaptive;
      options.tolerance = 1e-4;
      options.n_threads = 2;
      g_assert_null (cb_mcm_run (budget, &options, on_progress, &log, cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      /* it stopped within a block or two of each thread */
      g_assert_cmpuint (log.fractions->len, >=, 1);
      g_assert_cmpuint (log.fractions->len, <=, 4);

      g_array_unref (log.fractions);
      g_mutex_clear (&log.lock);
    }
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* JCGM 101 7.7 on small samples with known answers, and the sort against
 * qsort over signs, zeros, subnormals and huge magnitudes. */
static void
test_intervals (void)
{
  double values[100], low, high, slow, shigh;
  g_autofree double *mixed = g_new (double, 5000);
  g_autofree double *copy = g_new (double, 5000);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  /* 100, 99, … 1 with p = 0.9: q = 90; every interval is 90 wide, the first
   * is [1, 91]; the symmetric one has r = (100 − 90)/2 = 5: [5, 95]. */
  for (int i = 0; i < 100; i++)
    values[i] = 100 - i;
  g_assert_true (cb_mcm_coverage_intervals (values, 100, 0.9, &low, &high, &slow, &shigh));
  g_assert_cmpfloat (low, ==, 1);
  g_assert_cmpfloat (high, ==, 91);
  g_assert_cmpfloat (slow, ==, 5);
  g_assert_cmpfloat (shigh, ==, 95);
  for (int i = 1; i < 100; i++)
    g_assert_cmpfloat (values[i - 1], <, values[i]);

  /* skewed: squares, the shortest interval sits at the low end */
  for (int i = 0; i < 100; i++)
    values[(i * 37) % 100] = (double) (i + 1) * (i + 1);
  g_assert_true (cb_mcm_coverage_intervals (values, 100, 0.9, &low, &high, &slow, &shigh));
  g_assert_cmpfloat (low, ==, 1);
  g_assert_cmpfloat (high, ==, 91 * 91);
  g_assert_cmpfloat (slow, ==, 25);
  g_assert_cmpfloat (shigh, ==, 95 * 95);

  /* M − q = 1: r = (M − q + 1)/2 = 1 */
  for (int i = 0; i < 100; i++)
    values[i] = -i;
  g_assert_true (cb_mcm_coverage_intervals (values, 100, 0.99, NULL, NULL, &slow, &shigh));
  g_assert_cmpfloat (slow, ==, -99);
  g_assert_cmpfloat (shigh, ==, 0);
  /* q = M: too few values */
  g_assert_false (cb_mcm_coverage_intervals (values, 100, 0.999, &low, &high, NULL, NULL));
  g_assert_false (cb_mcm_coverage_intervals (values, 0, 0.95, &low, &high, NULL, NULL));

  for (int i = 0; i < 5000; i++)
    {
      double x;

      switch (i % 8)
        {
        case 0:
          x = g_rand_double_range (rand, -1, 1);
          break;
        case 1:
          x = ldexp (g_rand_double_range (rand, -1, 1), g_rand_int_range (rand, -1070, 1020));
          break;
        case 2:
          x = (i % 16 == 2) ? -0.0 : 0.0;
          break;
        case 3:
          x = -ldexp (1, g_rand_int_range (rand, -1074, 1023));
          break;
        default:
          x = g_rand_double_range (rand, 1e6, 1e6 + 1);
          break;
        }
      mixed[i] = x;
    }
  memcpy (copy, mixed, 5000 * sizeof (double));
  qsort (copy, 5000, sizeof (double), compare_doubles);
  g_assert_true (cb_mcm_coverage_intervals (mixed, 5000, 0.5, NULL, NULL, NULL, NULL));
  for (int i = 0; i < 5000; i++)
    g_assert_true (mixed[i] == copy[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/mcm/generator", test_generator);
  g_test_add_func ("/core/mcm/intervals", test_intervals);
  g_test_add_func ("/core/mcm/jcgm101-9.2.2-normal", test_additive_normal);
  g_test_add_func ("/core/mcm/jcgm101-9.2.3-rectangular", test_additive_rectangular);
  g_test_add_func ("/core/mcm/distributions", test_distributions);
  g_test_add_func ("/core/mcm/reproducible", test_reproducible);
  g_test_add_func ("/core/mcm/correlated", test_correlated);
  g_test_add_func ("/core/mcm/fully-correlated", test_fully_correlated);
  g_test_add_func ("/core/mcm/observations", test_observations);
  g_test_add_func ("/core/mcm/dependent-outputs", test_dependent_outputs);
  g_test_add_func ("/core/mcm/adaptive/derived-tolerance", test_adaptive_derived);
  g_test_add_func ("/core/mcm/adaptive/given-tolerance", test_adaptive_given);
  g_test_add_func ("/core/mcm/adaptive/reproducible", test_adaptive_reproducible);
  g_test_add_func ("/core/mcm/adaptive/not-converged", test_adaptive_not_converged);
  g_test_add_func ("/core/mcm/bad-options", test_bad_options);
  g_test_add_func ("/core/mcm/evaluation-error", test_evaluation_error);
  g_test_add_func ("/core/mcm/progress", test_progress);
  g_test_add_func ("/core/mcm/cancel", test_cancel);

  return g_test_run ();
}
