/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <string.h>

#include "record-test-util.h"

/* JJG 52-2013, a 0–1.6 MPa gauge of class 1.6 with a 0.05 MPa division.
 * Span 1.6 MPa; MPE = 1.6 % × 1.6 = 0.0256 MPa up to 90 % of the upper
 * limit (1.44 MPa), 2.5 % × 1.6 = 0.040 MPa above it.  Points at 0, 20 … 100 %:
 * 0, 0.32, 0.64, 0.96, 1.28, 1.6 MPa.  Readings to 1/5 division (0.01 MPa):
 *                up before/after   down before/after   |e|max  hyst.  tap
 *   0            0.00  0.00        0.00  0.00          0.00    0.00   0.00
 *   0.32         0.33  0.32        0.33  0.33          0.01    0.01   0.01
 *   0.64         0.65  0.65        0.66  0.66          0.02    0.01   0.00
 *   0.96         0.95  0.96        0.97  0.97          0.01    0.02   0.01
 *   1.28         1.29  1.29        1.30  1.30          0.02    0.01   0.00
 *   1.6          1.62  1.62        1.63  1.63          0.03    0.01   0.00
 * Every error is within its MPE (0.03 ≤ 0.040 at the top point only because
 * of the 90 % rule), hysteresis within MPE, tapping within MPE/2 (0.0128):
 * 合格（1.6级）.  The standard's MPE 0.0016 MPa is within 0.0256/4 = 0.0064. */
static const char *const gauge_readings[6][4] = {
  { "0.00", "0.00", "0.00", "0.00" },
  { "0.33", "0.32", "0.33", "0.33" },
  { "0.65", "0.65", "0.66", "0.66" },
  { "0.95", "0.96", "0.97", "0.97" },
  { "1.29", "1.29", "1.30", "1.30" },
  { "1.62", "1.62", "1.63", "1.63" },
};

static void
test_pressure_gauge (void)
{
  static const char *const names[] = { "up_before", "up_after", "down_before", "down_after" };
  g_autoptr(CbTemplate) tmpl = record_test_load_template ("jjg52-2013-pressure-gauge.json");
  g_autoptr(CbRecord) record = cb_record_new (tmpl);
  g_autoptr(GError) error = NULL;
  const char *text;

  g_assert_cmpstr (cb_template_get_method_code (tmpl), ==, "JJG 52-2013");
  g_assert_cmpuint (cb_record_get_n_points (record, 0), ==, 6);
  g_assert_cmpstr (record_test_text (record, "indication/2/p"), ==, "0.32");
  g_assert_cmpstr (record_test_text (record, "mpe"), ==, "0.0256");
  g_assert_cmpstr (record_test_text (record, "mpe_top"), ==, "0.0400");

  record_test_set (record, "std_mpe", "0.0016");
  record_test_set (record, "temperature", "20.5");
  record_test_set (record, "humidity", "55");
  for (guint p = 0; p < 6; p++)
    for (guint k = 0; k < 4; k++)
      {
        g_autofree char *id = g_strdup_printf ("indication/%u/%s", p + 1, names[k]);

        record_test_set (record, id, gauge_readings[p][k]);
      }

  g_assert_cmpstr (record_test_text (record, "indication/5/mpe_p"), ==, "0.0256");
  g_assert_cmpstr (record_test_text (record, "indication/6/mpe_p"), ==, "0.0400");
  g_assert_cmpstr (record_test_text (record, "indication/6/e_max"), ==, "0.03");
  g_assert_cmpstr (record_test_text (record, "indication/4/e_up"), ==, "0.00");
  g_assert_cmpstr (record_test_text (record, "indication/4/hysteresis"), ==, "0.02");
  g_assert_cmpstr (record_test_text (record, "indication/2/tapping"), ==, "0.01");
  g_assert_cmpstr (record_test_text (record, "max_error"), ==, "0.03");
  g_assert_cmpstr (record_test_text (record, "max_hysteresis"), ==, "0.02");
  g_assert_cmpstr (record_test_decision (record, NULL, 0, "standard"), ==, "pass");
  g_assert_cmpint (cb_record_get_conclusion (record, &text), ==, CB_CONCLUSION_PASS);
  g_assert_cmpstr (text, ==, "合格（1.6级）");
  g_assert_true (cb_record_is_complete (record, &error));
  g_assert_no_error (error);

  /* 0.03 MPa at 1.28 MPa is beyond 0.0256: the gauge fails there. */
  record_test_set (record, "indication/5/up_after", "1.31");
  g_assert_cmpstr (record_test_decision (record, "indication", 5, "indication"), ==, "fail");
  {
    gboolean decided = FALSE;

    g_assert_false (cb_record_point_passes (record, 0, 5, &decided));
    g_assert_true (decided);
    g_assert_true (cb_record_point_passes (record, 0, 4, &decided));
  }
  g_assert_cmpstr (record_test_decision (record, "indication", 5, "tapping"), ==, "fail");
  g_assert_cmpint (cb_record_get_conclusion (record, &text), ==, CB_CONCLUSION_FAIL);
  g_assert_cmpstr (text, ==, "不合格");
  record_test_set (record, "indication/5/up_after", "1.29");

  /* A class 2.5 gauge has 0.040 and 0.064 MPa. */
  record_test_set (record, "class", "2.5");
  g_assert_cmpstr (record_test_text (record, "mpe_top"), ==, "0.0640");
  g_assert_cmpint (cb_record_get_conclusion (record, &text), ==, CB_CONCLUSION_PASS);
  g_assert_cmpstr (text, ==, "合格（2.5级）");
  g_assert_false (cb_record_set_value (record, "class", "2.0", &error));
  g_assert_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INVALID);
  g_clear_error (&error);

  /* 26 °C is outside (20 ± 5) °C: a warning, and the record cannot be completed. */
  record_test_set (record, "temperature", "26");
  g_assert_nonnull (cb_record_get_warnings (record)[0]);
  g_assert_nonnull (strstr (cb_record_get_warnings (record)[0], "26"));
  g_assert_false (cb_record_is_complete (record, &error));
  g_assert_error (error, CB_RECORD_ERROR, CB_RECORD_ERROR_INCOMPLETE);
}

/* JJF 1587-2016, the 10 V point of the 10 V DC range (a 34401A against a
 * 5520A).  Ten readings 10.00002, …03, …01, …02, …04, …02, …03, …01, …02,
 * …00 V: mean 10.00002 V, s = √(12×10⁻¹⁰/9) = 1.1547×10⁻⁵ V.
 *   u_cal = (12 ppm × 10 V + 20 µV) / 2.58 = 140 µV / 2.58 = 54.264 µV
 *   u_res = 10 µV / (2√3) = 2.8868 µV
 *   u_rep = 11.547 µV / √10 = 3.6515 µV
 *   u_c = √(54.264² + 2.8868² + 3.6515²) µV = 54.463 µV, U = 108.93 µV → 0.00011 V
 *   e = 0.00002 V at U's last place; spec ±(0.0035 % × 10 + 0.0005 % × 10) V
 *   = ±0.00040 V: within. */
static void
test_multimeter (void)
{
  static const char *const readings[] = {
    "10.00002", "10.00003", "10.00001", "10.00002", "10.00004",
    "10.00002", "10.00003", "10.00001", "10.00002", "10.00000",
  };
  g_autoptr(CbTemplate) tmpl = record_test_load_template ("jjf1587-2016-digital-multimeter.json");
  g_autoptr(CbRecord) record = cb_record_new (tmpl);

  g_assert_cmpstr (cb_template_get_method_code (tmpl), ==, "JJF 1587-2016");
  g_assert_cmpuint (cb_template_get_n_blocks (tmpl), ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (readings); i++)
    {
      g_autofree char *id = g_strdup_printf ("dcv/3/r/%u", i + 1);

      record_test_set (record, id, readings[i]);
    }
  g_assert_cmpfloat_with_epsilon (record_test_value (record, "dcv/3/u_cal"), 54.264e-6, 1e-9);
  g_assert_cmpfloat_with_epsilon (record_test_value (record, "dcv/3/u_res"), 2.8868e-6, 1e-10);
  g_assert_cmpfloat_with_epsilon (record_test_value (record, "dcv/3/u_rep"), 3.6515e-6, 1e-10);
  g_assert_cmpfloat_with_epsilon (record_test_value (record, "dcv/3/uc"), 54.463e-6, 1e-9);
  g_assert_cmpstr (record_test_text (record, "dcv/3/U"), ==, "0.00011");
  g_assert_cmpstr (record_test_text (record, "dcv/3/e"), ==, "0.00002");
  g_assert_cmpstr (record_test_text (record, "dcv/3/mpe"), ==, "0.00040");
  g_assert_cmpstr (record_test_decision (record, "dcv", 3, "spec"), ==, "pass");

  /* The point's budget: the calibrator's share 54.264²/54.463² = 99.27 %;
   * only repeatability has finite dof (9), so
   * ν_eff = u_c⁴ / (u_rep⁴ / 9) = 9 × (54.463 / 3.6515)⁴ ≈ 4.454 × 10⁵. */
  {
    g_autoptr(CbPointBudget) budget = cb_record_get_point_budget (record, 0, 3);
    g_autoptr(CbPointBudget) empty = cb_record_get_point_budget (record, 0, 2);
    double shares = 0;

    g_assert_nonnull (budget);
    g_assert_cmpuint (budget->n_lines, ==, 3);
    g_assert_cmpstr (budget->lines[0].name, ==, "u_cal");
    g_assert_cmpstr (budget->unit, ==, "V");
    g_assert_cmpfloat_with_epsilon (budget->lines[0].share, 0.99270, 1e-4);
    g_assert_cmpfloat (budget->lines[0].dof, ==, INFINITY);
    g_assert_cmpfloat (budget->lines[2].dof, ==, 9);
    for (guint i = 0; i < budget->n_lines; i++)
      shares += budget->lines[i].share;
    g_assert_cmpfloat_with_epsilon (shares, 1.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (budget->combined, 54.463e-6, 1e-9);
    g_assert_cmpfloat_with_epsilon (budget->effective_dof / 1e5, 4.454, 0.001);
    g_assert_cmpfloat (budget->k, ==, 2);
    g_assert_cmpstr (budget->expanded_text, ==, "0.00011");
    /* A point not measured yet: the budget is there, its values are not. */
    g_assert_nonnull (empty);
    g_assert_true (isnan (empty->combined));
    g_assert_null (empty->expanded_text);
  }
  /* Other points are still to be measured. */
  g_assert_cmpint (cb_record_get_conclusion (record, NULL), ==, CB_CONCLUSION_INCOMPLETE);
}

static void
set_repeats (CbRecord    *record,
             const char  *prefix,
             guint        n,
             const char  *text)
{
  for (guint k = 0; k < n; k++)
    {
      g_autofree char *id = g_strdup_printf ("%s/%u", prefix, k + 1);

      record_test_set (record, id, text);
    }
}

/* A Pt100 channel against a standard platinum resistance thermometer, 6
 * equal readings of each at every point (so the repeatability term is 0):
 *   t_ind  −0.04   24.98   49.99   75.00   100.02 °C
 *   t_std   0.012  25.008  50.011  75.004  99.995 °C
 *   Δt      0.052   0.028   0.021   0.004  −0.025 °C
 * x̄ = 49.99, ȳ = 0.016, Sxx = 6257.002, Sxy = −4.45255:
 *   b = Sxy/Sxx = −7.1161×10⁻⁴, a = ȳ − b x̄ = 0.051573 °C,
 *   s = √(Σ residual²/3) = 0.0063644 °C.
 * Per point: u_std = 0.010/2 = 0.005, u_unif = 0.010/√3, u_stab = 0.005/√3,
 * u_res = 0.01/(2√3): u_c = 0.0086603 °C, U = 0.017 °C.
 * U_line = 2√(s² + u_c²) = 0.021 °C. */
static void
test_temperature (void)
{
  static const char *const indicated[] = { "-0.04", "24.98", "49.99", "75.00", "100.02" };
  static const char *const standard[] = { "0.012", "25.008", "50.011", "75.004", "99.995" };
  g_autoptr(CbTemplate) tmpl = record_test_load_template ("jjf1366-2012-temperature-correction.json");
  g_autoptr(CbRecord) record = cb_record_new (tmpl);
  const char *text;

  record_test_set (record, "std_U", "0.010");
  record_test_set (record, "std_k", "2");
  for (guint p = 0; p < 5; p++)
    {
      g_autofree char *ind = g_strdup_printf ("points/%u/t_ind", p + 1);
      g_autofree char *std = g_strdup_printf ("points/%u/t_std", p + 1);

      set_repeats (record, ind, 6, indicated[p]);
      set_repeats (record, std, 6, standard[p]);
    }
  g_assert_cmpstr (record_test_text (record, "points/1/corr"), ==, "0.052");
  g_assert_cmpstr (record_test_text (record, "points/5/corr"), ==, "-0.025");
  g_assert_cmpfloat_with_epsilon (record_test_value (record, "points/3/uc"), 0.0086603, 1e-7);
  g_assert_cmpstr (record_test_text (record, "points/3/U"), ==, "0.017");
  g_assert_cmpfloat_with_epsilon (record_test_value (record, "line_b"), -7.1161e-4, 1e-8);
  g_assert_cmpfloat_with_epsilon (record_test_value (record, "line_a"), 0.051573, 1e-6);
  g_assert_cmpfloat_with_epsilon (record_test_value (record, "line_s"), 0.0063644, 1e-7);
  g_assert_cmpstr (record_test_text (record, "U_line"), ==, "0.021");
  g_assert_cmpstr (record_test_text (record, "intercept"), ==, "0.052");
  g_assert_cmpstr (record_test_text (record, "slope"), ==, "-0.000712");
  /* Without checks, the record is concluded once everything is there. */
  g_assert_cmpint (cb_record_get_conclusion (record, NULL), ==, CB_CONCLUSION_INCOMPLETE);
  record_test_set (record, "temperature", "22.4");
  record_test_set (record, "humidity", "45");
  g_assert_cmpint (cb_record_get_conclusion (record, &text), ==, CB_CONCLUSION_PASS);
  g_assert_cmpstr (text, ==, "修正曲线 Δt = 0.052 °C + -0.000712 × t，U = 0.021 °C (k=2)");
}

/* JJG 678-2007: gases of 0.50, 1.50 and 3.50 % CH4, 3 readings each.
 *   0.50: 0.52 0.53 0.52 → mean 0.5233, e = +0.02 (limit 0.10)
 *   1.50: 1.58 1.60 1.59 → 1.59, e = +0.09 (limit 0.20: above 1.00 %)
 *   3.50: 3.61 3.63 3.62 → 3.62, e = +0.12 (limit 0.30: above 2.00 %)
 * Alarm at 1.02, 1.03, 1.01 % for a 1.00 % set value: +0.02 (limit 0.05).
 * Response 12, 14, 13 s: 13 s (limit 20 s).  合格.  Readings of 1.75, 1.72,
 * 1.73 % on the 1.50 % gas give +0.23 > 0.20: 不合格. */
static void
test_methane (void)
{
  g_autoptr(CbTemplate) tmpl = record_test_load_template ("jjg678-2007-methane-detector.json");
  g_autoptr(CbRecord) record = cb_record_new (tmpl);
  const char *text;

  record_test_set (record, "indication/1/r/1", "0.52");
  record_test_set (record, "indication/1/r/2", "0.53");
  record_test_set (record, "indication/1/r/3", "0.52");
  record_test_set (record, "indication/2/r/1", "1.58");
  record_test_set (record, "indication/2/r/2", "1.60");
  record_test_set (record, "indication/2/r/3", "1.59");
  record_test_set (record, "indication/3/r/1", "3.61");
  record_test_set (record, "indication/3/r/2", "3.63");
  record_test_set (record, "indication/3/r/3", "3.62");
  record_test_set (record, "alarm/1/a_at/1", "1.02");
  record_test_set (record, "alarm/1/a_at/2", "1.03");
  record_test_set (record, "alarm/1/a_at/3", "1.01");
  record_test_set (record, "response/1/t90/1", "12");
  record_test_set (record, "response/1/t90/2", "14");
  record_test_set (record, "response/1/t90/3", "13 s");

  g_assert_cmpstr (record_test_text (record, "indication/1/e"), ==, "0.02");
  g_assert_cmpstr (record_test_text (record, "indication/1/mpe_c"), ==, "0.10");
  g_assert_cmpstr (record_test_text (record, "indication/2/mpe_c"), ==, "0.20");
  g_assert_cmpstr (record_test_text (record, "indication/3/mpe_c"), ==, "0.30");
  g_assert_cmpstr (record_test_text (record, "indication/3/e"), ==, "0.12");
  g_assert_cmpstr (record_test_text (record, "max_error"), ==, "0.12");
  g_assert_cmpstr (record_test_text (record, "alarm/1/a_err"), ==, "0.02");
  g_assert_cmpstr (record_test_text (record, "response/1/t_resp"), ==, "13");
  g_assert_cmpint (cb_record_get_conclusion (record, &text), ==, CB_CONCLUSION_PASS);
  g_assert_cmpstr (text, ==, "合格");

  record_test_set (record, "indication/2/r/1", "1.75");
  record_test_set (record, "indication/2/r/2", "1.72");
  record_test_set (record, "indication/2/r/3", "1.73");
  g_assert_cmpstr (record_test_text (record, "indication/2/e"), ==, "0.23");
  g_assert_cmpstr (record_test_decision (record, "indication", 2, "indication"), ==, "fail");
  g_assert_cmpint (cb_record_get_conclusion (record, &text), ==, CB_CONCLUSION_FAIL);
  g_assert_cmpstr (text, ==, "不合格");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/records/procedures/jjg52-pressure-gauge", test_pressure_gauge);
  g_test_add_func ("/records/procedures/jjf1587-multimeter", test_multimeter);
  g_test_add_func ("/records/procedures/jjf1366-temperature", test_temperature);
  g_test_add_func ("/records/procedures/jjg678-methane", test_methane);

  return g_test_run ();
}
