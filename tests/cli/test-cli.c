/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cli-runner.h"

/* End-to-end tests of calbench-cli: each runs the real program and checks
 * its exit status, its output and its messages. */

static void
run_cli (Run        *run,
         const char *first_arg,
         ...)
{
  va_list args;

  va_start (args, first_arg);
  run_cli_v (run, NULL, first_arg, args);
  va_end (args);
}

static char *
data_file (const char *name)
{
  return g_build_filename (TEST_DATA_DIR, name, NULL);
}

static char *
write_temp (const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("calbench-cli-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_temp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_usage (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "uncertainty"));

  run_clear (&run);
  run_cli (&run, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "mcm"));
  g_assert_nonnull (strstr (run.out, "decide"));

  run_clear (&run);
  run_cli (&run, "frobnicate", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "frobnicate"));
}

static void
test_round (void)
{
  static const struct { const char *value, *option, *arg, *expected; } cases[] = {
    { "2.675", "--interval", "0.01", "2.68" },
    { "12.1498", "--interval", "0.1", "12.1" },
    { "1.050", "--interval", "0.1", "1.0" },
    { "60.28", "--interval", "0.5", "60.5" },
    { "832", "--interval", "20", "840" },
    { "-355", "--interval", "10", "-360" },
    { "15.4546", "--interval", "1", "15" },
    { "2500", "--sig", "1", "2×10^3" },
    { "3500", "--sig", "1", "4×10^3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (&run, "round", cases[i].value, cases[i].option, cases[i].arg, NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (g_strstrip (run.out), ==, cases[i].expected);
    }
}

static void
test_round_mark_and_json (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) object = NULL;

  run_cli (&run, "round", "15.4546", "--interval", "0.1", "--mark", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "result"), ==, "15.5(-)");
  g_assert_cmpstr (json_object_get_string_member (object, "mark"), ==, "-");
}

static void
test_round_errors (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "round", "12.3x", "--interval", "0.1", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "position"));
  g_assert_nonnull (strstr (run.err, "12.3x"));

  run_clear (&run);
  run_cli (&run, "round", "12.3", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--interval"));

  run_clear (&run);
  run_cli (&run, "round", "12.3", "--interval", "0", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "interval"));

  run_clear (&run);
  run_cli (&run, "round", "--bogus", "--interval", "1", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--bogus"));
}

static void
test_report (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) object = NULL;

  run_cli (&run, "report", "--value", "6.3", "--U", "0.25", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (g_strstrip (run.out), ==, "6.30 ± 0.25");

  run_clear (&run);
  run_cli (&run, "report", "--value", "10.05762", "--U", "0.02743", "--round-up", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "value"), ==, "10.058");
  g_assert_cmpstr (json_object_get_string_member (object, "U"), ==, "0.028");

  run_clear (&run);
  run_cli (&run, "report", "--value", "10.05762", "--U", "-0.1", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "U"));
}

static void
test_judge (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) rounded = NULL;
  g_autoptr(JsonObject) full = NULL;

  run_cli (&run, "judge", "--value", "96.96", "--limit", ">=97.0", "--method", "rounded", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  rounded = parse_json (run.out);
  g_assert_true (json_object_get_boolean_member (rounded, "conforms"));
  g_assert_cmpstr (json_object_get_string_member (rounded, "compared"), ==, "97.0");

  run_clear (&run);
  run_cli (&run, "judge", "--value", "96.96", "--limit", ">=97.0", "--method", "full", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  full = parse_json (run.out);
  g_assert_false (json_object_get_boolean_member (full, "conforms"));

  run_clear (&run);
  run_cli (&run, "judge", "--value", "96.96", "--limit", ">=97.0", "--method", "nearest", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--method"));

  run_clear (&run);
  run_cli (&run, "judge", "--value", "96.96", "--limit", "=>abc", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--limit"));
}

static void
test_uncertainty_gum_h1 (void)
{
  g_autofree char *path = data_file ("gum-h1.json");
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) object = NULL;
  JsonObject *l;
  JsonObject *reported;
  JsonArray *budget;

  run_cli (&run, "uncertainty", path, "--json", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  object = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "method"), ==, "GUM");
  l = json_object_get_object_member (json_object_get_object_member (object, "outputs"), "l");
  g_assert_nonnull (l);
  /* GUM H.1: l = 50 000 838 nm, u_c = 32 nm, ν_eff = 16, U99 = 93 nm. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (l, "value"), 50000838.0, 1.0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (l, "u"), 32.0, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (l, "dof"), ==, 16.0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (l, "k"), 2.92, 0.005);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (l, "U"), 93.0, 1.0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (l, "p"), 0.99, 1e-9);
  budget = json_object_get_array_member (l, "budget");
  g_assert_cmpuint (json_array_get_length (budget), >=, 6);
  for (guint i = 0; i < json_array_get_length (budget); i++)
    {
      JsonObject *row = json_array_get_object_element (budget, i);

      g_assert_true (json_object_has_member (row, "input"));
      g_assert_true (json_object_has_member (row, "sensitivity"));
      g_assert_true (json_object_has_member (row, "contribution"));
      g_assert_true (json_object_has_member (row, "dof"));
    }
  reported = json_object_get_object_member (l, "reported");
  /* JJF 1059.1: U = 93 nm starts with 9, so one significant digit, and
   * the value is rounded to the same place. */
  g_assert_cmpstr (json_object_get_string_member (reported, "value"), ==, "50000840");
  g_assert_cmpstr (json_object_get_string_member (reported, "U"), ==, "90");

  /* The readable form shows the same reported pair. */
  run_clear (&run);
  run_cli (&run, "uncertainty", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "l = 50000840 ± 90"));
}

static void
test_uncertainty_several_outputs (void)
{
  g_autofree char *path = data_file ("gum-h2.json");
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) object = NULL;
  JsonObject *correlation;

  run_cli (&run, "uncertainty", path, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_json (run.out);
  correlation = json_object_get_object_member (object, "correlation");
  g_assert_nonnull (correlation);
  /* GUM H.2, Table H.4: r(R, X) = −0.588, r(X, Z) = 0.993. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (correlation, "R"), "X"), -0.588, 0.002);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (correlation, "X"), "Z"), 0.993, 0.002);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (correlation, "R"), "R"), ==, 1.0);
}

static void
test_uncertainty_errors (void)
{
  static const struct { const char *json, *expected; } cases[] = {
    { "{ \"inputs\": { \"a\": {\"value\": 1, \"u\": 0.1} }, ", "malformed JSON" },
    { "{ \"inputs\": { \"a\": {\"value\": 1, \"u\": 0.1} }, \"outputs\": { \"y\": \"a + b\" } }", "'b'" },
    { "{ \"inputs\": { \"a\": {\"value\": 1, \"u\": -0.1} }, \"outputs\": { \"y\": \"a\" } }", "inputs.a.u" },
    { "{ \"inputs\": { \"a\": {\"value\": 1, \"u\": 0.1} }, \"outputs\": { \"y\": \"a + z\", \"z\": \"y * 2\" } }", "cycle" },
    { "{ \"inputs\": { \"a\": {\"value\": 1, \"u\": 0.1} }, \"observations\": { \"V\": [1, 2, 3], \"I\": [1, 2] }, \"outputs\": { \"y\": \"a*V*I\" } }", "observations" },
    { "{ \"inputs\": { \"a\": {\"value\": 1, \"u\": 0.1} }, \"outputs\": { \"y\": \"a * (2\" } }", "outputs.y" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_temp ("budget.json", cases[i].json);
      g_auto(Run) run = { 0 };

      run_cli (&run, "uncertainty", path, NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      if (strstr (run.err, cases[i].expected) == NULL)
        g_error ("case %u: expected “%s” in the message, got “%s”", i, cases[i].expected, run.err);
      remove_temp (path);
    }

  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "uncertainty", "/nonexistent/budget.json", NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "/nonexistent/budget.json"));
  }
}

static void
test_mcm (void)
{
  g_autofree char *path = data_file ("gum-h1.json");
  g_auto(Run) first = { 0 };
  g_auto(Run) second = { 0 };
  g_autoptr(JsonObject) object = NULL;
  JsonObject *l;

  run_cli (&first, "mcm", path, "--trials", "200000", "--seed", "7", "--json", NULL);
  g_assert_cmpint (first.status, ==, 0);
  run_cli (&second, "mcm", path, "--trials", "200000", "--seed", "7", "--threads", "1", "--json", NULL);
  g_assert_cmpint (second.status, ==, 0);
  /* A seed reproduces the result exactly, whatever the thread count. */
  g_assert_cmpstr (first.out, ==, second.out);

  object = parse_json (first.out);
  g_assert_cmpstr (json_object_get_string_member (object, "method"), ==, "MCM");
  g_assert_cmpint (json_object_get_int_member (object, "trials"), ==, 200000);
  l = json_object_get_object_member (json_object_get_object_member (object, "outputs"), "l");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (l, "value"), 50000838.0, 2.0);
  /* JCGM 101 9.5: the Monte Carlo u is larger than the GUM's 32 nm. */
  g_assert_cmpfloat (json_object_get_double_member (l, "u"), >, 31.0);
  g_assert_cmpfloat (json_object_get_double_member (l, "u"), <, 40.0);
  g_assert_cmpfloat (json_array_get_double_element (json_object_get_array_member (l, "shortest"), 0), <,
                     json_object_get_double_member (l, "value"));

  run_clear (&first);
  run_cli (&first, "mcm", path, "--trials", "abc", NULL);
  g_assert_cmpint (first.status, ==, 2);
  g_assert_nonnull (strstr (first.err, "--trials"));

  run_clear (&first);
  run_cli (&first, "mcm", path, "--trials", "1000", "--adaptive", NULL);
  g_assert_cmpint (first.status, ==, 2);
}

static void
test_fit (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) object = NULL;
  JsonObject *prediction;

  /* GUM H.3, thermometer calibration. */
  run_cli (&run, "fit",
           "--x", "21.521,22.012,22.512,23.003,23.507,23.999,24.513,25.002,25.503,26.010,26.511",
           "--y", "-0.171,-0.169,-0.166,-0.159,-0.164,-0.165,-0.156,-0.157,-0.159,-0.161,-0.160",
           "--x0", "20", "--at", "30", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_json (run.out);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "intercept"), -0.1712, 0.00005);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "slope"), 0.00218, 0.000005);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "correlation"), -0.930, 0.0005);
  g_assert_cmpint (json_object_get_int_member (object, "n"), ==, 11);
  prediction = json_object_get_object_member (object, "prediction");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (prediction, "y"), -0.1494, 0.00005);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (prediction, "u"), 0.0041, 0.00005);
  g_assert_cmpfloat (json_object_get_double_member (prediction, "dof"), ==, 9);

  run_clear (&run);
  run_cli (&run, "fit", "--x", "1,2,3,4", "--y", "3,5,7,9", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "4 points"));

  run_clear (&run);
  run_cli (&run, "fit", "--x", "1,2,3", "--y", "1,2", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--y"));

  run_clear (&run);
  run_cli (&run, "fit", "--x", "1,2,x", "--y", "1,2,3", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--x item 3"));

  run_clear (&run);
  run_cli (&run, "fit", "--x", "2,2,2", "--y", "1,2,3", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--x"));
}

/* LANGUAGE chooses the messages' language, even with no locale set (as
 * under systemd): a Chinese lab's server and shell speak Chinese. */
static void
test_language (void)
{
  const char *languages[] = { "zh_CN", "" };
  const char *expected[] = { "需要子命令", "expected a subcommand" };

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                           | G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_subprocess_launcher_unsetenv (launcher, "LC_ALL");
      g_subprocess_launcher_unsetenv (launcher, "LC_MESSAGES");
      g_subprocess_launcher_unsetenv (launcher, "LANG");
      g_subprocess_launcher_setenv (launcher, "LANGUAGE", languages[i], TRUE);
      process = g_subprocess_launcher_spawn (launcher, &error, CALBENCH_CLI, "keys", NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      if (strstr (err, expected[i]) == NULL)
        g_error ("with LANGUAGE=%s: “%s” lacks “%s”", languages[i], err, expected[i]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/language", test_language);
  g_test_add_func ("/cli/round/examples", test_round);
  g_test_add_func ("/cli/round/mark-json", test_round_mark_and_json);
  g_test_add_func ("/cli/round/errors", test_round_errors);
  g_test_add_func ("/cli/report", test_report);
  g_test_add_func ("/cli/judge", test_judge);
  g_test_add_func ("/cli/uncertainty/gum-h1", test_uncertainty_gum_h1);
  g_test_add_func ("/cli/uncertainty/several-outputs", test_uncertainty_several_outputs);
  g_test_add_func ("/cli/uncertainty/errors", test_uncertainty_errors);
  g_test_add_func ("/cli/mcm", test_mcm);
  g_test_add_func ("/cli/fit", test_fit);

  return g_test_run ();
}
