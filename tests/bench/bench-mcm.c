/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cb-mcm.h"

/*
 * Monte Carlo speed on the JCGM 101 9.5 gauge block calibration, 10^6
 * trials, with one thread and with one per core; then the shortest coverage
 * interval of the 10^6 model values (radix sort and scan) against qsort.
 * Exits 1 when the results leave JCGM 101 Table 17's (MCM, 10^6 trials):
 * deviation 838 nm, u 36 nm, shortest 99 % interval [745, 932] nm, or when
 * one and several threads differ.
 */

#define TRIALS G_GUINT64_CONSTANT (1000000)
/* The machine is shared: the fastest of a few runs is the figure. */
#define REPEATS 3

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static CbMcmResult *
timed_run (const CbBudget *budget,
           guint           n_threads,
           double         *seconds)
{
  CbMcmResult *result = NULL;
  CbMcmOptions options;

  cb_mcm_options_init (&options);
  options.trials = TRIALS;
  options.seed = 2008;
  options.n_threads = n_threads;

  *seconds = INFINITY;
  for (guint i = 0; i < REPEATS; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      g_clear_pointer (&result, cb_mcm_result_free);
      result = cb_mcm_run (budget, &options, NULL, NULL, NULL, &error);
      *seconds = MIN (*seconds, (g_get_monotonic_time () - start) / 1e6);
      if (result == NULL)
        {
          fprintf (stderr, "bench-mcm: %s\n", error->message);
          exit (1);
        }
    }
  return result;
}

static gboolean
same_output (const CbMcmOutput *a,
             const CbMcmOutput *b)
{
  return a->value == b->value && a->u == b->u && a->low == b->low && a->high == b->high
         && a->symmetric_low == b->symmetric_low && a->symmetric_high == b->symmetric_high;
}

static gboolean
check (const char *what,
       double      value,
       double      expected,
       double      tolerance)
{
  gboolean ok = fabs (value - expected) <= tolerance;

  printf ("  %-28s %8.2f  (JCGM 101: %.0f ± %.1f)  %s\n",
          what, value, expected, tolerance, ok ? "ok" : "FAILED");
  return ok;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbBudget) budget = NULL;
  g_autoptr(CbMcmResult) one = NULL;
  g_autoptr(CbMcmResult) all = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autofree double *shuffled = NULL;
  g_autofree double *work = NULL;
  const CbMcmOutput *dev;
  const double *sorted;
  double seconds_one, seconds_all, low, high;
  gsize n = 0, q, best = 0;
  gint64 start;
  double radix_ms, qsort_ms, width;
  gboolean ok = TRUE;
  int index;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-mcm mcm-gauge-block.json\n");
      return 2;
    }
  budget = cb_budget_new_from_file (argv[1], &error);
  if (budget == NULL)
    {
      fprintf (stderr, "bench-mcm: %s\n", error->message);
      return 1;
    }
  index = cb_budget_find_output (budget, "dev");
  if (index < 0)
    {
      fprintf (stderr, "bench-mcm: the budget has no output \"dev\"\n");
      return 1;
    }

  one = timed_run (budget, 1, &seconds_one);
  all = timed_run (budget, 0, &seconds_all);

  printf ("JCGM 101 9.5 gauge block, %" G_GUINT64_FORMAT " trials, generator %s\n",
          TRIALS, cb_mcm_generator_name ());
  printf ("  fastest of %d runs, sampling, model and statistics:\n", REPEATS);
  printf ("  1 thread:    %.3f s, %.3g trials/s\n", seconds_one, TRIALS / seconds_one);
  printf ("  %u threads:   %.3f s, %.3g trials/s\n", g_get_num_processors (),
          seconds_all, TRIALS / seconds_all);

  dev = cb_mcm_result_get_output (all, (guint) index);
  ok &= check ("deviation from 50 mm / nm", dev->value, 838, 1.0);
  ok &= check ("u / nm", dev->u, 36, 0.5);
  /* The place of the shortest interval wanders more than its width. */
  ok &= check ("99 % shortest low / nm", dev->low, 745, 2.5);
  ok &= check ("99 % shortest high / nm", dev->high, 932, 2.5);
  ok &= check ("99 % shortest width / nm", dev->high - dev->low, 187, 1.0);
  printf ("  99 %% probabilistically symmetric interval [%.2f, %.2f] nm\n",
          dev->symmetric_low, dev->symmetric_high);
  if (!same_output (dev, cb_mcm_result_get_output (one, (guint) index)))
    {
      printf ("  FAILED: 1 thread and %u threads differ\n", g_get_num_processors ());
      ok = FALSE;
    }

  /* The interval from shuffled values, as they come out of the model. */
  sorted = cb_mcm_result_get_sorted_values (all, (guint) index, &n);
  shuffled = g_memdup2 (sorted, n * sizeof (double));
  for (gsize i = n - 1; i > 0; i--)
    {
      gsize j = (gsize) g_rand_int_range (rand, 0, (gint32) (i + 1));
      double t = shuffled[i];

      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }

  work = g_new (double, n);
  radix_ms = qsort_ms = INFINITY;
  for (guint i = 0; i < REPEATS; i++)
    {
      memcpy (work, shuffled, n * sizeof (double));
      start = g_get_monotonic_time ();
      if (!cb_mcm_coverage_intervals (work, n, 0.99, &low, &high, NULL, NULL))
        return 1;
      radix_ms = MIN (radix_ms, (g_get_monotonic_time () - start) / 1e3);
    }

  for (guint i = 0; i < REPEATS; i++)
    {
      memcpy (work, shuffled, n * sizeof (double));
      start = g_get_monotonic_time ();
      qsort (work, n, sizeof (double), compare_doubles);
      q = (gsize) floor (0.99 * n + 0.5);
      best = 0;
      width = work[q] - work[0];
      for (gsize r = 1; r + q < n; r++)
        if (work[r + q] - work[r] < width)
          {
            width = work[r + q] - work[r];
            best = r;
          }
      qsort_ms = MIN (qsort_ms, (g_get_monotonic_time () - start) / 1e3);
    }

  printf ("shortest 99 %% coverage interval of %" G_GSIZE_FORMAT " values, fastest of %d:\n",
          n, REPEATS);
  printf ("  radix sort + scan: %.1f ms\n", radix_ms);
  printf ("  qsort + scan:      %.1f ms\n", qsort_ms);
  if (low != work[best] || high != work[best + q] || low != dev->low || high != dev->high)
    {
      printf ("  FAILED: the two sorts give different intervals\n");
      ok = FALSE;
    }

  return ok ? 0 : 1;
}
