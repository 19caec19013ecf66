/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include "core/cb-budget.h"
#include "core/cb-stats.h"

static CbBudget *
load_data_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  CbBudget *budget = cb_budget_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (budget);
  return budget;
}

static CbBudget *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  CbBudget *budget = cb_budget_new_from_data (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (budget);
  return budget;
}

static const CbInput *
input_named (const CbBudget *budget,
             const char     *name)
{
  int i = cb_budget_find_input (budget, name);

  g_assert_cmpint (i, >=, 0);
  return cb_budget_get_input (budget, (guint) i);
}

/* GUM H.1: the inputs as the GUM states them. */
static void
test_end_gauge_inputs (void)
{
  g_autoptr(CbBudget) budget = load_data_file ("gum-h1.json");
  const CbInput *input;
  const guint *reported;
  guint n_reported;
  double p, k;
  int theta, l;

  g_assert_cmpuint (cb_budget_get_n_inputs (budget), ==, 9);

  input = input_named (budget, "ls");
  g_assert_cmpint (input->kind, ==, CB_INPUT_EXPANDED_K);
  g_assert_cmpfloat_with_epsilon (input->value, 50000623, 1e-9);
  g_assert_cmpfloat_with_epsilon (input->u, 25, 1e-12);
  g_assert_cmpfloat (input->dof, ==, 18);
  g_assert_cmpfloat (input->expanded, ==, 75);
  g_assert_cmpfloat (input->k, ==, 3);
  g_assert_true (isnan (input->p));
  g_assert_cmpstr (input->unit, ==, "nm");
  g_assert_nonnull (input->description);

  /* U 10 nm at 95 % with 5 dof: u = 10 / t_0.975(5) = 10 / 2.5706 = 3.9 nm */
  input = input_named (budget, "d1");
  g_assert_cmpint (input->kind, ==, CB_INPUT_EXPANDED_P);
  g_assert_cmpfloat_with_epsilon (input->u, 10 / cb_stats_t_coverage_factor (0.95, 5), 1e-12);
  g_assert_cmpfloat_with_epsilon (input->u, 3.890, 5e-4);
  g_assert_cmpfloat (input->dof, ==, 5);
  g_assert_cmpfloat (input->p, ==, 0.95);

  /* U 20 nm at three standard deviations, reliable to 25 %: 6.7 nm, 8 dof */
  input = input_named (budget, "d2");
  g_assert_cmpfloat_with_epsilon (input->u, 20.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (input->dof, 8, 1e-12);

  input = input_named (budget, "as");
  g_assert_cmpint (input->kind, ==, CB_INPUT_DISTRIBUTION);
  g_assert_cmpint (input->distribution, ==, CB_DISTRIBUTION_RECTANGULAR);
  g_assert_cmpfloat_with_epsilon (input->u, 2e-6 / sqrt (3), 1e-18);
  g_assert_true (isinf (input->dof));

  input = input_named (budget, "Delta");
  g_assert_cmpint (input->distribution, ==, CB_DISTRIBUTION_ARCSINE);
  g_assert_cmpfloat_with_epsilon (input->u, 0.5 / sqrt (2), 1e-15);

  input = input_named (budget, "da");
  g_assert_cmpfloat_with_epsilon (input->u, 0.58e-6, 0.005e-6);
  g_assert_cmpfloat (input->dof, ==, 50);

  input = input_named (budget, "dt");
  g_assert_cmpfloat_with_epsilon (input->u, 0.029, 0.0005);
  g_assert_cmpfloat (input->dof, ==, 2);

  input = input_named (budget, "theta_bar");
  g_assert_cmpint (input->kind, ==, CB_INPUT_STANDARD);
  g_assert_cmpfloat (input->value, ==, -0.1);
  g_assert_cmpfloat (input->u, ==, 0.2);
  g_assert_true (isinf (input->dof));

  /* "l" is written first but uses "theta": sorted after it */
  g_assert_cmpuint (cb_budget_get_n_outputs (budget), ==, 2);
  theta = cb_budget_find_output (budget, "theta");
  l = cb_budget_find_output (budget, "l");
  g_assert_cmpint (theta, ==, 0);
  g_assert_cmpint (l, ==, 1);
  g_assert_cmpint (cb_budget_find_output (budget, "ls"), ==, -1);
  g_assert_cmpstr (cb_budget_get_output_expression (budget, (guint) theta), ==, "theta_bar + Delta");

  for (guint i = 0; i < 9; i++)
    g_assert_true (cb_budget_output_uses_input (budget, (guint) l, i));
  g_assert_true (cb_budget_output_uses_input (budget, (guint) theta,
                                              (guint) cb_budget_find_input (budget, "Delta")));
  g_assert_false (cb_budget_output_uses_input (budget, (guint) theta,
                                               (guint) cb_budget_find_input (budget, "ls")));

  reported = cb_budget_get_reported (budget, &n_reported);
  g_assert_cmpuint (n_reported, ==, 1);
  g_assert_cmpuint (reported[0], ==, (guint) l);

  cb_budget_get_coverage (budget, &p, &k);
  g_assert_cmpfloat (p, ==, 0.99);
  g_assert_true (isnan (k));
  g_assert_false (cb_budget_get_second_order (budget));
  g_assert_true (g_str_has_prefix (cb_budget_get_description (budget), "GUM"));
}

static void
test_distributions (void)
{
  g_autoptr(CbBudget) budget = parse_ok (
    "{\"inputs\": {"
    " \"tri\": {\"value\": 1, \"distribution\": \"triangular\", \"half_width\": 0.6},"
    " \"trap\": {\"value\": 2, \"distribution\": \"trapezoidal\", \"half_width\": 0.6, \"beta\": 0.5},"
    " \"trap0\": {\"value\": 2, \"distribution\": \"trapezoidal\", \"half_width\": 0.6, \"beta\": 0},"
    " \"trap1\": {\"value\": 2, \"distribution\": \"trapezoidal\", \"half_width\": 0.6, \"beta\": 1},"
    " \"curv\": {\"value\": 3, \"distribution\": \"curvilinear_trapezoidal\", \"half_width\": 0.6, \"d\": 0.15},"
    " \"t\": {\"value\": 4, \"distribution\": \"t\", \"u\": 0.2, \"dof\": 5},"
    " \"n\": {\"value\": 5, \"distribution\": \"normal\", \"u\": 0.3, \"dof\": \"inf\"},"
    " \"nU\": {\"value\": 5, \"distribution\": \"normal\", \"U\": 0.3, \"k\": 2},"
    " \"rel\": {\"value\": 6, \"u\": 0.1, \"reliability\": 0.1},"
    " \"dofs\": {\"value\": 6, \"u\": 0.1, \"dof\": \"Infinity\"},"
    " \"pinf\": {\"value\": 7, \"U\": 1.96, \"p\": 0.95},"
    " \"r\": {\"readings\": [10.1, 10.3, 10.2]}"
    "}, \"outputs\": {\"y\": \"tri + trap + trap0 + trap1 + curv + t + n + nU + rel + dofs + pinf + r\"}}");
  const CbInput *input;

  input = input_named (budget, "tri");
  g_assert_cmpfloat_with_epsilon (input->u, 0.6 / sqrt (6), 1e-15);

  /* GUM 4.3.9: a sqrt((1 + β²)/6); β = 0 is triangular, β = 1 rectangular */
  input = input_named (budget, "trap");
  g_assert_cmpfloat_with_epsilon (input->u, 0.6 * sqrt (1.25 / 6), 1e-15);
  g_assert_cmpfloat (input->beta, ==, 0.5);
  g_assert_cmpfloat_with_epsilon (input_named (budget, "trap0")->u, 0.6 / sqrt (6), 1e-15);
  g_assert_cmpfloat_with_epsilon (input_named (budget, "trap1")->u, 0.6 / sqrt (3), 1e-15);

  /* JCGM 101 6.4.3: u² = a²/3 + d²/9 */
  input = input_named (budget, "curv");
  g_assert_cmpfloat_with_epsilon (input->u, sqrt (0.36 / 3 + 0.0225 / 9), 1e-15);
  g_assert_cmpfloat (input->d, ==, 0.15);

  /* scale sqrt(ν/(ν−2)) */
  input = input_named (budget, "t");
  g_assert_cmpint (input->distribution, ==, CB_DISTRIBUTION_STUDENT_T);
  g_assert_cmpfloat_with_epsilon (input->u, 0.2 * sqrt (5.0 / 3), 1e-15);
  g_assert_cmpfloat (input->scale, ==, 0.2);
  g_assert_cmpfloat (input->dof, ==, 5);

  input = input_named (budget, "n");
  g_assert_cmpint (input->kind, ==, CB_INPUT_DISTRIBUTION);
  g_assert_cmpint (input->distribution, ==, CB_DISTRIBUTION_NORMAL);
  g_assert_cmpfloat (input->u, ==, 0.3);
  g_assert_true (isinf (input->dof));

  input = input_named (budget, "nU");
  g_assert_cmpint (input->kind, ==, CB_INPUT_EXPANDED_K);
  g_assert_cmpfloat_with_epsilon (input->u, 0.15, 1e-15);

  /* ν = 1 / (2 r²) */
  input = input_named (budget, "rel");
  g_assert_cmpfloat_with_epsilon (input->dof, 50, 1e-9);
  g_assert_true (isinf (input_named (budget, "dofs")->dof));

  /* p without dof: normal coverage */
  input = input_named (budget, "pinf");
  g_assert_cmpfloat_with_epsilon (input->u, 1.96 / 1.959963984540054, 1e-9);

  /* Type A: mean 10.2, s = 0.1, u = s/√3, ν = 2 */
  input = input_named (budget, "r");
  g_assert_cmpint (input->kind, ==, CB_INPUT_READINGS);
  g_assert_cmpint (input->distribution, ==, CB_DISTRIBUTION_STUDENT_T);
  g_assert_cmpfloat_with_epsilon (input->value, 10.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (input->u, 0.1 / sqrt (3), 1e-12);
  g_assert_cmpfloat_with_epsilon (input->scale, input->u, 1e-15);
  g_assert_cmpfloat (input->dof, ==, 2);
  g_assert_cmpuint (input->readings->len, ==, 3);
}

/* GUM H.2, Table H.2: the correlations of the simultaneous observations are
 * r(V, I) = −0.36, r(V, φ) = 0.86, r(I, φ) = −0.65. */
static void
test_observations (void)
{
  g_autoptr(CbBudget) budget = load_data_file ("gum-h2.json");
  const CbInput *v, *i, *phi;
  int iv, ii, iphi;

  g_assert_cmpuint (cb_budget_get_n_inputs (budget), ==, 3);
  iv = cb_budget_find_input (budget, "V");
  ii = cb_budget_find_input (budget, "I");
  iphi = cb_budget_find_input (budget, "phi");
  v = cb_budget_get_input (budget, (guint) iv);
  i = cb_budget_get_input (budget, (guint) ii);
  phi = cb_budget_get_input (budget, (guint) iphi);

  g_assert_cmpint (v->kind, ==, CB_INPUT_OBSERVED);
  g_assert_cmpfloat_with_epsilon (v->value, 4.9990, 1e-9);
  g_assert_cmpfloat_with_epsilon (i->value, 19.6610, 1e-9);
  g_assert_cmpfloat_with_epsilon (phi->value, 1.04446, 1e-9);
  g_assert_cmpfloat_with_epsilon (v->u, 0.0032, 0.00005);
  g_assert_cmpfloat_with_epsilon (i->u, 0.0095, 0.00005);
  g_assert_cmpfloat_with_epsilon (phi->u, 0.00075, 0.000005);
  g_assert_cmpfloat (v->dof, ==, 4);

  g_assert_cmpfloat_with_epsilon (cb_budget_get_correlation (budget, (guint) iv, (guint) ii), -0.36, 0.005);
  g_assert_cmpfloat_with_epsilon (cb_budget_get_correlation (budget, (guint) iv, (guint) iphi), 0.86, 0.005);
  g_assert_cmpfloat_with_epsilon (cb_budget_get_correlation (budget, (guint) ii, (guint) iphi), -0.65, 0.005);
  g_assert_cmpfloat (cb_budget_get_correlation (budget, (guint) ii, (guint) iv), ==,
                     cb_budget_get_correlation (budget, (guint) iv, (guint) ii));
  g_assert_cmpfloat (cb_budget_get_correlation (budget, (guint) iphi, (guint) iphi), ==, 1);
}

static void
test_correlations (void)
{
  g_autoptr(CbBudget) budget = parse_ok (
    "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 0.1}, \"b\": {\"value\": 2, \"u\": 0.2},"
    " \"c\": {\"value\": 3, \"u\": 0.3}, \"d\": {\"value\": 4, \"u\": 0.4}},"
    " \"correlations\": [[\"b\", \"a\", 0.5], [\"a\", \"c\", -1], [\"c\", \"b\", -0.5]],"
    " \"outputs\": {\"y\": \"a + b + c + d\"}}");

  g_assert_cmpfloat (cb_budget_get_correlation (budget, 0, 1), ==, 0.5);
  g_assert_cmpfloat (cb_budget_get_correlation (budget, 1, 0), ==, 0.5);
  g_assert_cmpfloat (cb_budget_get_correlation (budget, 0, 2), ==, -1);
  g_assert_cmpfloat (cb_budget_get_correlation (budget, 1, 2), ==, -0.5);
  g_assert_cmpfloat (cb_budget_get_correlation (budget, 1, 3), ==, 0);
  g_assert_cmpfloat (cb_budget_get_correlation (budget, 2, 2), ==, 1);
}

static void
test_output_order (void)
{
  g_autoptr(CbBudget) budget = parse_ok (
    "{\"inputs\": {\"x\": {\"value\": 1, \"u\": 0.1}},"
    " \"outputs\": {\"a\": \"b + 1\", \"b\": \"2 * c\", \"c\": \"x\", \"d\": \"x + a\"},"
    " \"coverage\": {\"k\": 3}}");
  const guint *reported;
  guint n_reported;
  double p, k;

  g_assert_cmpuint (cb_budget_get_n_outputs (budget), ==, 4);
  g_assert_cmpstr (cb_budget_get_output_name (budget, 0), ==, "c");
  g_assert_cmpstr (cb_budget_get_output_name (budget, 1), ==, "b");
  g_assert_cmpstr (cb_budget_get_output_name (budget, 2), ==, "a");
  g_assert_cmpstr (cb_budget_get_output_name (budget, 3), ==, "d");
  g_assert_nonnull (cb_budget_get_output_expr (budget, 3));

  /* reported in the written order by default */
  reported = cb_budget_get_reported (budget, &n_reported);
  g_assert_cmpuint (n_reported, ==, 4);
  g_assert_cmpuint (reported[0], ==, 2);
  g_assert_cmpuint (reported[1], ==, 1);
  g_assert_cmpuint (reported[2], ==, 0);
  g_assert_cmpuint (reported[3], ==, 3);

  cb_budget_get_coverage (budget, &p, &k);
  g_assert_true (isnan (p));
  g_assert_cmpfloat (k, ==, 3);
}

static void
test_default_coverage (void)
{
  g_autoptr(CbBudget) budget = parse_ok (
    "{\"inputs\": {\"x\": {\"value\": 1, \"u\": 0.1}}, \"outputs\": {\"y\": \"x\"}}");
  double p, k;

  cb_budget_get_coverage (budget, &p, &k);
  g_assert_true (isnan (p));
  g_assert_cmpfloat (k, ==, 2);
  g_assert_null (cb_budget_get_description (budget));
}

static void
assert_same_inputs (const CbInput *a,
                    const CbInput *b)
{
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpint (a->distribution, ==, b->distribution);
  g_assert_cmpfloat (a->value, ==, b->value);
  g_assert_cmpfloat (a->u, ==, b->u);
  g_assert_cmpfloat (a->dof, ==, b->dof);
#define SAME_OR_NAN(x, y) g_assert_true ((isnan (x) && isnan (y)) || (x) == (y))
  SAME_OR_NAN (a->expanded, b->expanded);
  SAME_OR_NAN (a->k, b->k);
  SAME_OR_NAN (a->p, b->p);
  SAME_OR_NAN (a->half_width, b->half_width);
  SAME_OR_NAN (a->beta, b->beta);
  SAME_OR_NAN (a->d, b->d);
  SAME_OR_NAN (a->scale, b->scale);
#undef SAME_OR_NAN
  g_assert_cmpstr (a->unit, ==, b->unit);
  g_assert_cmpstr (a->description, ==, b->description);
  g_assert_true ((a->readings == NULL) == (b->readings == NULL));
  if (a->readings != NULL)
    {
      g_assert_cmpuint (a->readings->len, ==, b->readings->len);
      for (guint i = 0; i < a->readings->len; i++)
        g_assert_cmpfloat (g_array_index (a->readings, double, i), ==,
                           g_array_index (b->readings, double, i));
    }
}

static void
assert_round_trip (const CbBudget *budget)
{
  g_autoptr(JsonNode) node = cb_budget_to_json (budget);
  g_autofree char *text = json_to_string (node, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbBudget) again = cb_budget_new_from_data (text, -1, &error);
  g_autoptr(JsonNode) node_again = NULL;
  g_autofree char *text_again = NULL;
  const guint *r1, *r2;
  guint n1, n2;
  double p1, k1, p2, k2;

  g_assert_no_error (error);
  g_assert_nonnull (again);

  g_assert_cmpuint (cb_budget_get_n_inputs (again), ==, cb_budget_get_n_inputs (budget));
  for (guint i = 0; i < cb_budget_get_n_inputs (budget); i++)
    {
      assert_same_inputs (cb_budget_get_input (budget, i), cb_budget_get_input (again, i));
      for (guint j = 0; j < cb_budget_get_n_inputs (budget); j++)
        g_assert_cmpfloat (cb_budget_get_correlation (budget, i, j), ==,
                           cb_budget_get_correlation (again, i, j));
    }

  g_assert_cmpuint (cb_budget_get_n_outputs (again), ==, cb_budget_get_n_outputs (budget));
  for (guint i = 0; i < cb_budget_get_n_outputs (budget); i++)
    {
      g_assert_cmpstr (cb_budget_get_output_name (again, i), ==, cb_budget_get_output_name (budget, i));
      g_assert_cmpstr (cb_budget_get_output_expression (again, i), ==,
                       cb_budget_get_output_expression (budget, i));
    }

  r1 = cb_budget_get_reported (budget, &n1);
  r2 = cb_budget_get_reported (again, &n2);
  g_assert_cmpuint (n1, ==, n2);
  for (guint i = 0; i < n1; i++)
    g_assert_cmpuint (r1[i], ==, r2[i]);

  cb_budget_get_coverage (budget, &p1, &k1);
  cb_budget_get_coverage (again, &p2, &k2);
  g_assert_true ((isnan (p1) && isnan (p2)) || p1 == p2);
  g_assert_true ((isnan (k1) && isnan (k2)) || k1 == k2);
  g_assert_cmpint (cb_budget_get_second_order (budget), ==, cb_budget_get_second_order (again));
  g_assert_cmpstr (cb_budget_get_description (budget), ==, cb_budget_get_description (again));

  /* and writing it again changes nothing */
  node_again = cb_budget_to_json (again);
  text_again = json_to_string (node_again, TRUE);
  g_assert_cmpstr (text, ==, text_again);
}

static void
test_round_trip (void)
{
  g_autoptr(CbBudget) h1 = load_data_file ("gum-h1.json");
  g_autoptr(CbBudget) h2 = load_data_file ("gum-h2.json");
  g_autoptr(CbBudget) every = parse_ok (
    "{\"description\": \"every kind\","
    " \"inputs\": {"
    " \"a\": {\"value\": 1.5, \"u\": 0.1, \"dof\": 7.5},"
    " \"b\": {\"value\": -2, \"U\": 0.4, \"k\": 2.5, \"unit\": \"V\"},"
    " \"c\": {\"value\": 0.1, \"U\": 0.4, \"p\": 0.9, \"dof\": 3},"
    " \"e\": {\"value\": 4, \"distribution\": \"trapezoidal\", \"half_width\": 0.6, \"beta\": 0.3},"
    " \"f\": {\"value\": 3, \"distribution\": \"curvilinear_trapezoidal\", \"half_width\": 0.6, \"d\": 0.1},"
    " \"g\": {\"value\": 4, \"distribution\": \"t\", \"u\": 0.2, \"dof\": 5},"
    " \"h\": {\"value\": 5, \"distribution\": \"normal\", \"u\": 0.3, \"reliability\": 0.2},"
    " \"i\": {\"value\": 5, \"distribution\": \"triangular\", \"half_width\": 1e-7, \"description\": \"small\"},"
    " \"r\": {\"readings\": [10.1, 10.3, 10.2, 10]}},"
    " \"observations\": {\"q\": [1, 2, 3.5], \"w\": [2, 2.5, 2.7]},"
    " \"correlations\": [[\"a\", \"b\", 0.25], [\"q\", \"c\", -0.1]],"
    " \"outputs\": {\"y\": \"s * 2 + e + f + g + h + i + r + q * w\", \"s\": \"a + b + c\"},"
    " \"report\": [\"s\", \"y\"],"
    " \"coverage\": {\"p\": 0.95},"
    " \"second_order\": true}");

  assert_round_trip (h1);
  assert_round_trip (h2);
  assert_round_trip (every);
}

/* Bad input: each error names its place. */

typedef struct
{
  const char *json;
  int         code;
  const char *message;   /* a prefix of the message */
  const char *also;      /* and text it contains, or NULL */
} ErrorCase;

#define X(body) "{\"inputs\": {\"x\": {\"value\": 1, \"u\": 0.1}}, " body "}"
#define IN(input) "{\"inputs\": {\"x\": " input "}, \"outputs\": {\"y\": \"x\"}}"

static const ErrorCase error_cases[] = {
  /* JSON itself */
  { "{", CB_BUDGET_ERROR_PARSE, "malformed JSON", NULL },
  { "{\"inputs\": {\"x\": {\"value\": 1,}}}", CB_BUDGET_ERROR_PARSE, "malformed JSON", NULL },
  { "", CB_BUDGET_ERROR_INVALID, "budget: expected a JSON object", NULL },
  { "[1, 2]", CB_BUDGET_ERROR_INVALID, "budget: expected a JSON object, found an array", NULL },
  { X ("\"ouputs\": {\"y\": \"x\"}"), CB_BUDGET_ERROR_INVALID,
    "ouputs: unknown field (did you mean \"outputs\"?)", NULL },
  { "{\"inputs\": {\"x\": {\"value\": 1, \"u\": 0.1}, \"x\": {\"value\": 2, \"u\": 0.1}},"
    " \"outputs\": {\"y\": \"x\"}}", CB_BUDGET_ERROR_INVALID, "inputs.x: defined twice", NULL },
  { "{\"inputs\": {\"x\": {\"value\": 1, \"u\": 0.1, \"u\": 0.2}}, \"outputs\": {\"y\": \"x\"}}",
    CB_BUDGET_ERROR_INVALID, "inputs.x.u: defined twice", NULL },
  { "{\"inputs\": [], \"outputs\": {\"y\": \"x\"}}", CB_BUDGET_ERROR_INVALID,
    "inputs: expected an object, found an array", NULL },
  { "{\"outputs\": {\"y\": \"1\"}}", CB_BUDGET_ERROR_INVALID,
    "inputs: expected at least one input", NULL },
  { X ("\"outputs\": {\"y\": \"x\"}, \"description\": 3"), CB_BUDGET_ERROR_INVALID,
    "description: expected a string, found 3", NULL },

  /* inputs: numbers out of range or of the wrong type */
  { IN ("{\"value\": 1, \"U\": -3, \"k\": 2}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.U: expected a positive number, found -3", NULL },
  { IN ("{\"value\": 1, \"u\": 0}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.u: expected a positive number, found 0", NULL },
  { IN ("{\"value\": 1, \"u\": -0.5}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.u: expected a positive number, found -0.5", NULL },
  { IN ("{\"value\": 1, \"u\": \"0.1\"}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.u: expected a positive number, found \"0.1\"", NULL },
  { IN ("{\"value\": 1, \"u\": true}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.u: expected a positive number, found true", NULL },
  { IN ("{\"value\": 1, \"u\": null}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.u: expected a positive number, found null", NULL },
  { IN ("{\"value\": 1, \"U\": 3, \"k\": 0}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.k: expected a positive number, found 0", NULL },
  { IN ("{\"value\": 0, \"U\": 10, \"p\": 1.5, \"dof\": 5}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.p: expected a probability between 0 and 1, found 1.5", NULL },
  { IN ("{\"value\": 0, \"U\": 10, \"p\": 0, \"dof\": 5}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.p: expected a probability between 0 and 1, found 0", NULL },
  { IN ("{\"value\": 0, \"U\": 10, \"p\": 1}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.p: expected a probability between 0 and 1, found 1", NULL },
  { IN ("{\"value\": \"abc\", \"u\": 1}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.value: expected a number, found \"abc\"", NULL },
  { IN ("{\"value\": 1e400, \"u\": 1}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.value: expected a number, found inf", NULL },
  { IN ("{\"value\": 1, \"distribution\": \"rectangular\", \"half_width\": -1}"),
    CB_BUDGET_ERROR_INVALID, "inputs.x.half_width: expected a positive number, found -1", NULL },
  { IN ("{\"value\": 1, \"distribution\": \"rectangular\", \"half_width\": 0}"),
    CB_BUDGET_ERROR_INVALID, "inputs.x.half_width: expected a positive number, found 0", NULL },
  { IN ("{\"value\": 1, \"distribution\": \"trapezoidal\", \"half_width\": 1, \"beta\": 1.5}"),
    CB_BUDGET_ERROR_INVALID, "inputs.x.beta: expected a number from 0 to 1, found 1.5", NULL },
  { IN ("{\"value\": 1, \"distribution\": \"trapezoidal\", \"half_width\": 1, \"beta\": -0.1}"),
    CB_BUDGET_ERROR_INVALID, "inputs.x.beta: expected a number from 0 to 1, found -0.1", NULL },
  { IN ("{\"value\": 1, \"distribution\": \"trapezoidal\", \"half_width\": 1}"),
    CB_BUDGET_ERROR_INVALID, "inputs.x: missing \"beta\"", NULL },
  { IN ("{\"value\": 1, \"distribution\": \"curvilinear_trapezoidal\", \"half_width\": 1, \"d\": 2}"),
    CB_BUDGET_ERROR_INVALID, "inputs.x.d: expected a number from 0 to the half-width, found 2", NULL },
  { IN ("{\"value\": 1, \"distribution\": \"curvilinear_trapezoidal\", \"half_width\": 1}"),
    CB_BUDGET_ERROR_INVALID, "inputs.x: missing \"d\"", NULL },
  { IN ("{\"value\": 1, \"distribution\": \"t\", \"u\": 1, \"dof\": 2}"),
    CB_BUDGET_ERROR_INVALID, "inputs.x.dof: a t distribution needs", "found 2" },
  { IN ("{\"value\": 1, \"distribution\": \"t\", \"u\": 1}"),
    CB_BUDGET_ERROR_INVALID, "inputs.x.dof: a t distribution needs", "found inf" },
  { IN ("{\"value\": 1, \"distribution\": \"gauss\", \"u\": 1}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.distribution: expected one of", "found \"gauss\"" },
  { IN ("{\"value\": 1, \"distribution\": 3, \"u\": 1}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.distribution: expected one of", "found 3" },
  { IN ("{\"value\": 1, \"u\": 1, \"dof\": -1}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.dof: expected a positive number of degrees of freedom or \"inf\", found -1", NULL },
  { IN ("{\"value\": 1, \"u\": 1, \"dof\": \"many\"}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.dof: expected a positive number of degrees of freedom or \"inf\", found \"many\"", NULL },
  { IN ("{\"value\": 1, \"u\": 1, \"dof\": 4, \"reliability\": 0.1}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.reliability: cannot be used together with \"dof\"", NULL },
  { IN ("{\"value\": 1, \"u\": 1, \"reliability\": 0}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.reliability: expected a positive number, found 0", NULL },
  { IN ("{\"value\": 1, \"u\": 1, \"reliability\": 1e200}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.reliability: too large", NULL },
  { IN ("{\"value\": 1, \"u\": 1, \"unit\": 5}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.unit: expected a string, found 5", NULL },
  { IN ("3"), CB_BUDGET_ERROR_INVALID, "inputs.x: expected an object, found 3", NULL },

  /* inputs: the wrong combination of fields */
  { IN ("{\"value\": 1, \"distribution\": \"rectangular\", \"hlaf_width\": 1}"),
    CB_BUDGET_ERROR_INVALID, "inputs.x.hlaf_width: unknown field (did you mean \"half_width\"?)", NULL },
  { IN ("{\"value\": 1, \"u\": 1, \"colour\": \"blue\"}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.colour: unknown field", NULL },
  { IN ("{\"value\": 1, \"U\": 1}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x: \"U\" needs a coverage factor \"k\" or a coverage probability \"p\"", NULL },
  { IN ("{\"value\": 1, \"U\": 1, \"k\": 2, \"p\": 0.95}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x: give either \"k\" or \"p\" with \"U\", not both", NULL },
  { IN ("{\"value\": 1, \"U\": 1, \"k\": 2, \"u\": 0.5}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.u: cannot be used together with \"U\"", NULL },
  { IN ("{\"value\": 1, \"u\": 1, \"k\": 2}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.k: cannot be used together with \"u\"", NULL },
  { IN ("{\"value\": 1, \"distribution\": \"rectangular\", \"half_width\": 1, \"u\": 0.5}"),
    CB_BUDGET_ERROR_INVALID, "inputs.x.u: cannot be used together with distribution \"rectangular\"", NULL },
  { IN ("{\"value\": 1, \"distribution\": \"rectangular\", \"half_width\": 1, \"beta\": 0.5}"),
    CB_BUDGET_ERROR_INVALID, "inputs.x.beta: cannot be used together with distribution \"rectangular\"", NULL },
  { IN ("{\"value\": 1, \"distribution\": \"rectangular\"}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x: missing \"half_width\"", NULL },
  { IN ("{\"u\": 1}"), CB_BUDGET_ERROR_INVALID, "inputs.x: missing \"value\"", NULL },
  { IN ("{\"value\": 1}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x: expected \"u\", \"U\" with \"k\" or \"p\", a \"distribution\" or \"readings\"", NULL },
  { IN ("{\"readings\": [1]}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.readings: expected at least 2 readings, found 1", NULL },
  { IN ("{\"readings\": [1, \"2\", 3]}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.readings[1]: expected a number, found \"2\"", NULL },
  { IN ("{\"readings\": 5}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.readings: expected an array of readings, found 5", NULL },
  { IN ("{\"readings\": [1, 2], \"value\": 1.5}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.value: cannot be used together with \"readings\"", NULL },
  { IN ("{\"readings\": [1, 2], \"dof\": 3}"), CB_BUDGET_ERROR_INVALID,
    "inputs.x.dof: cannot be used together with \"readings\"", NULL },

  /* names */
  { "{\"inputs\": {\"pi\": {\"value\": 1, \"u\": 1}}, \"outputs\": {\"y\": \"2\"}}",
    CB_BUDGET_ERROR_INVALID, "inputs.pi: 'pi' is reserved", NULL },
  { "{\"inputs\": {\"a b\": {\"value\": 1, \"u\": 1}}, \"outputs\": {\"y\": \"2\"}}",
    CB_BUDGET_ERROR_INVALID, "inputs.a b: a name must start with a letter", NULL },
  { "{\"inputs\": {\"\": {\"value\": 1, \"u\": 1}}, \"outputs\": {\"y\": \"2\"}}",
    CB_BUDGET_ERROR_INVALID, "inputs.: a name cannot be empty", NULL },
  { X ("\"observations\": {\"x\": [1, 2]}, \"outputs\": {\"y\": \"x\"}"), CB_BUDGET_ERROR_INVALID,
    "observations.x: the name \"x\" is already used by an input", NULL },
  { X ("\"outputs\": {\"x\": \"2\"}"), CB_BUDGET_ERROR_INVALID,
    "outputs.x: the name \"x\" is already used by an input", NULL },

  /* observations */
  { X ("\"observations\": {\"q\": [1, 2, 3], \"w\": [1, 2]}, \"outputs\": {\"y\": \"x\"}"),
    CB_BUDGET_ERROR_INVALID, "observations.w: simultaneous observations need equal lengths",
    "expected 3 values like \"q\", found 2" },
  { X ("\"observations\": {\"q\": [1]}, \"outputs\": {\"y\": \"x\"}"), CB_BUDGET_ERROR_INVALID,
    "observations.q: expected at least 2 readings, found 1", NULL },
  { X ("\"observations\": {\"q\": [1, null]}, \"outputs\": {\"y\": \"x\"}"), CB_BUDGET_ERROR_INVALID,
    "observations.q[1]: expected a number, found null", NULL },
  { X ("\"observations\": [1, 2], \"outputs\": {\"y\": \"x\"}"), CB_BUDGET_ERROR_INVALID,
    "observations: expected an object, found an array", NULL },

  /* correlations */
  { X ("\"correlations\": [[\"x\", \"zz\", 0.5]], \"outputs\": {\"y\": \"x\"}"),
    CB_BUDGET_ERROR_UNKNOWN_NAME, "correlations[0][1]: unknown input \"zz\"", NULL },
  { X ("\"correlations\": [[\"x\", \"x\", 0.5]], \"outputs\": {\"y\": \"x\"}"),
    CB_BUDGET_ERROR_INVALID, "correlations[0]: an input cannot be correlated with itself", NULL },
  { "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 1}, \"b\": {\"value\": 1, \"u\": 1}},"
    " \"correlations\": [[\"a\", \"b\", 1.5]], \"outputs\": {\"y\": \"a + b\"}}",
    CB_BUDGET_ERROR_INVALID, "correlations[0][2]: expected a correlation coefficient from -1 to 1, found 1.5", NULL },
  { "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 1}, \"b\": {\"value\": 1, \"u\": 1}},"
    " \"correlations\": [[\"a\", \"b\"]], \"outputs\": {\"y\": \"a + b\"}}",
    CB_BUDGET_ERROR_INVALID, "correlations[0]: expected [name, name, r], found an array", NULL },
  { "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 1}, \"b\": {\"value\": 1, \"u\": 1}},"
    " \"correlations\": {\"a\": 1}, \"outputs\": {\"y\": \"a + b\"}}",
    CB_BUDGET_ERROR_INVALID, "correlations: expected an array of [name, name, r]", NULL },
  { "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 1}, \"b\": {\"value\": 1, \"u\": 1}},"
    " \"correlations\": [[\"a\", \"b\", 0.5], [\"b\", \"a\", 0.4]], \"outputs\": {\"y\": \"a + b\"}}",
    CB_BUDGET_ERROR_INVALID, "correlations[1]: the correlation between \"b\" and \"a\" is already given in correlations[0]", NULL },
  { "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 1}, \"b\": {\"value\": 1, \"u\": 1}, \"c\": {\"value\": 1, \"u\": 1}},"
    " \"correlations\": [[\"a\", \"b\", 1], [\"b\", \"c\", 1], [\"a\", \"c\", -1]],"
    " \"outputs\": {\"y\": \"a + b + c\"}}",
    CB_BUDGET_ERROR_INVALID, "correlations: the correlation coefficients contradict each other", NULL },
  { "{\"inputs\": {\"a\": {\"value\": 1, \"u\": 1}, \"b\": {\"value\": 1, \"u\": 1}, \"c\": {\"value\": 1, \"u\": 1}},"
    " \"correlations\": [[\"a\", \"b\", 0.9], [\"b\", \"c\", 0.9], [\"a\", \"c\", -0.9]],"
    " \"outputs\": {\"y\": \"a + b + c\"}}",
    CB_BUDGET_ERROR_INVALID, "correlations: the correlation coefficients contradict each other", NULL },
  { "{\"observations\": {\"q\": [1, 2, 3], \"w\": [1, 3, 2]},"
    " \"correlations\": [[\"q\", \"w\", 0.1]], \"outputs\": {\"y\": \"q + w\"}}",
    CB_BUDGET_ERROR_INVALID, "correlations[0]: the correlation between \"q\" and \"w\" comes from their observations", NULL },

  /* outputs */
  { "{\"inputs\": {\"x\": {\"value\": 1, \"u\": 0.1}}}", CB_BUDGET_ERROR_INVALID,
    "outputs: missing", NULL },
  { X ("\"outputs\": {}"), CB_BUDGET_ERROR_INVALID, "outputs: expected at least one output", NULL },
  { X ("\"outputs\": {\"y\": 3}"), CB_BUDGET_ERROR_INVALID, "outputs.y: expected a string, found 3", NULL },
  { X ("\"outputs\": {\"y\": \"x +\"}"), CB_BUDGET_ERROR_INVALID, "outputs.y: ", NULL },
  { X ("\"outputs\": {\"y\": \"x + xx\"}"), CB_BUDGET_ERROR_UNKNOWN_NAME, "outputs.y: ", "'xx'" },
  { X ("\"outputs\": {\"y\": \"x\", \"l\": \"y + lss\"}"), CB_BUDGET_ERROR_UNKNOWN_NAME, "outputs.l: ", "'lss'" },
  { X ("\"outputs\": {\"a\": \"b + x\", \"b\": \"2 * a\"}"), CB_BUDGET_ERROR_CYCLE,
    "outputs: cycle between 'a' → 'b' → 'a'", NULL },
  { X ("\"outputs\": {\"a\": \"a + x\"}"), CB_BUDGET_ERROR_CYCLE, "outputs: cycle between 'a' → 'a'", NULL },
  { X ("\"outputs\": {\"z\": \"x\", \"a\": \"b + z\", \"b\": \"c\", \"c\": \"a * 2\", \"d\": \"a\"}"),
    CB_BUDGET_ERROR_CYCLE, "outputs: cycle between 'a' → 'b' → 'c' → 'a'", NULL },

  /* report, coverage, second order */
  { X ("\"outputs\": {\"y\": \"x\"}, \"report\": [\"z\"]"), CB_BUDGET_ERROR_UNKNOWN_NAME,
    "report[0]: unknown output \"z\"", NULL },
  { X ("\"outputs\": {\"y\": \"x\"}, \"report\": [\"y\", \"y\"]"), CB_BUDGET_ERROR_INVALID,
    "report[1]: \"y\" is already listed", NULL },
  { X ("\"outputs\": {\"y\": \"x\"}, \"report\": []"), CB_BUDGET_ERROR_INVALID,
    "report: expected at least one output name", NULL },
  { X ("\"outputs\": {\"y\": \"x\"}, \"report\": \"y\""), CB_BUDGET_ERROR_INVALID,
    "report: expected an array of output names, found \"y\"", NULL },
  { X ("\"outputs\": {\"y\": \"x\"}, \"report\": [\"x\"]"), CB_BUDGET_ERROR_UNKNOWN_NAME,
    "report[0]: unknown output \"x\"", NULL },
  { X ("\"outputs\": {\"y\": \"x\"}, \"coverage\": {\"p\": 1.5}"), CB_BUDGET_ERROR_INVALID,
    "coverage.p: expected a probability between 0 and 1, found 1.5", NULL },
  { X ("\"outputs\": {\"y\": \"x\"}, \"coverage\": {\"k\": -2}"), CB_BUDGET_ERROR_INVALID,
    "coverage.k: expected a positive number, found -2", NULL },
  { X ("\"outputs\": {\"y\": \"x\"}, \"coverage\": {\"k\": 2, \"p\": 0.95}"), CB_BUDGET_ERROR_INVALID,
    "coverage: give either a coverage probability \"p\" or a coverage factor \"k\"", NULL },
  { X ("\"outputs\": {\"y\": \"x\"}, \"coverage\": {}"), CB_BUDGET_ERROR_INVALID,
    "coverage: give either a coverage probability \"p\" or a coverage factor \"k\"", NULL },
  { X ("\"outputs\": {\"y\": \"x\"}, \"coverage\": {\"P\": 0.95}"), CB_BUDGET_ERROR_INVALID,
    "coverage.P: unknown field (did you mean \"p\"?)", NULL },
  { X ("\"outputs\": {\"y\": \"x\"}, \"coverage\": 0.95"), CB_BUDGET_ERROR_INVALID,
    "coverage: expected an object, found 0.95", NULL },
  { X ("\"outputs\": {\"y\": \"x\"}, \"second_order\": \"yes\""), CB_BUDGET_ERROR_INVALID,
    "second_order: expected true or false, found \"yes\"", NULL },
};

#undef X
#undef IN

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(CbBudget) budget = NULL;

      g_test_message ("case %u: %s", i, c->json);
      budget = cb_budget_new_from_data (c->json, -1, &error);
      g_assert_null (budget);
      g_assert_error (error, CB_BUDGET_ERROR, c->code);
      g_test_message ("  → %s", error->message);
      if (!g_str_has_prefix (error->message, c->message))
        g_error ("case %u: expected a message starting with\n  %s\nfound\n  %s",
                 i, c->message, error->message);
      if (c->also != NULL && strstr (error->message, c->also) == NULL)
        g_error ("case %u: expected the message to contain %s, found\n  %s",
                 i, c->also, error->message);
    }
}

static void
test_json_node (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("\"just a string\"", NULL);
  g_autoptr(CbBudget) budget = cb_budget_new_from_json (node, &error);

  g_assert_null (budget);
  g_assert_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "budget: expected a JSON object"));
  g_clear_error (&error);

  g_assert_null (cb_budget_new_from_json (NULL, &error));
  g_assert_error (error, CB_BUDGET_ERROR, CB_BUDGET_ERROR_INVALID);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbBudget) budget = cb_budget_new_from_file ("/nonexistent/budget.json", &error);

  g_assert_null (budget);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

/* Every truncation and many single-byte changes of a real budget must give
 * a budget or an error, never a crash or both. */
static void
test_mangled (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "gum-h1.json", NULL);
  static const char replacements[] = { '"', '{', '}', '[', ']', ',', ':', '0', '-', 'e', '\\', ' ' };
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &text, &length, &error));
  g_assert_no_error (error);

  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr(CbBudget) budget = cb_budget_new_from_data (text, (gssize) cut, &error);

      g_assert_true ((budget == NULL) != (error == NULL));
      g_clear_error (&error);
    }

  for (gsize at = 0; at < length; at += 3)
    for (guint r = 0; r < G_N_ELEMENTS (replacements); r++)
      {
        g_autofree char *copy = g_memdup2 (text, length + 1);
        g_autoptr(CbBudget) budget = NULL;

        copy[at] = replacements[r];
        budget = cb_budget_new_from_data (copy, (gssize) length, &error);
        g_assert_true ((budget == NULL) != (error == NULL));
        if (error != NULL)
          g_assert_true (error->domain == CB_BUDGET_ERROR);
        g_clear_error (&error);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/budget/end-gauge-inputs", test_end_gauge_inputs);
  g_test_add_func ("/core/budget/distributions", test_distributions);
  g_test_add_func ("/core/budget/observations", test_observations);
  g_test_add_func ("/core/budget/correlations", test_correlations);
  g_test_add_func ("/core/budget/output-order", test_output_order);
  g_test_add_func ("/core/budget/default-coverage", test_default_coverage);
  g_test_add_func ("/core/budget/round-trip", test_round_trip);
  g_test_add_func ("/core/budget/errors", test_errors);
  g_test_add_func ("/core/budget/json-node", test_json_node);
  g_test_add_func ("/core/budget/missing-file", test_missing_file);
  g_test_add_func ("/core/budget/mangled", test_mangled);

  return g_test_run ();
}
