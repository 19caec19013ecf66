/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "cb-repeatability.h"
#include "cb-stats.h"

G_DEFINE_QUARK (cb-repeatability-error-quark, cb_repeatability_error)

/* JJF 1059.1-2012 Table 3 (n = 2…9), continued with the same d2 constants
 * of the range of normal samples up to n = 20. */
static const double range_coefficients[] = {
  1.13, 1.69, 2.06, 2.33, 2.53, 2.70, 2.85, 2.97,
  3.08, 3.17, 3.26, 3.34, 3.41, 3.47, 3.53, 3.59, 3.64, 3.69, 3.74,
};

static gboolean
check_readings (const double  *values,
                guint          n,
                guint          minimum,
                const char    *field,
                GError       **error)
{
  if (n < minimum)
    {
      g_set_error (error, CB_REPEATABILITY_ERROR, CB_REPEATABILITY_ERROR_INVALID,
                   _("%s: expected at least %u readings, found %u"), field, minimum, n);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!isfinite (values[i]))
      {
        g_set_error (error, CB_REPEATABILITY_ERROR, CB_REPEATABILITY_ERROR_INVALID,
                     _("%s reading %u: expected a finite number"), field, i + 1);
        return FALSE;
      }
  return TRUE;
}

/* Mean and sum of squared deviations, by two passes for accuracy. */
static void
mean_and_ss (const double *values,
             guint         n,
             double       *mean,
             double       *ss)
{
  double m = 0, s = 0;

  for (guint i = 0; i < n; i++)
    m += values[i];
  m /= n;
  for (guint i = 0; i < n; i++)
    s += (values[i] - m) * (values[i] - m);
  *mean = m;
  *ss = s;
}

gboolean
cb_sample_stats (const double   *values,
                 guint           n,
                 CbSampleStats  *stats,
                 GError        **error)
{
  double ss;

  if (!check_readings (values, n, 2, _("readings"), error))
    return FALSE;

  mean_and_ss (values, n, &stats->mean, &ss);
  stats->n = n;
  stats->dof = n - 1;
  stats->s = sqrt (ss / (n - 1));
  stats->s_mean = stats->s / sqrt (n);
  return TRUE;
}

double
cb_range_coefficient (guint n)
{
  if (n < 2 || n - 2 >= G_N_ELEMENTS (range_coefficients))
    return NAN;
  return range_coefficients[n - 2];
}

gboolean
cb_range_stddev (const double  *values,
                 guint          n,
                 double        *s,
                 GError       **error)
{
  double lo, hi;

  if (!check_readings (values, n, 2, _("readings"), error))
    return FALSE;
  if (isnan (cb_range_coefficient (n)))
    {
      g_set_error (error, CB_REPEATABILITY_ERROR, CB_REPEATABILITY_ERROR_INVALID,
                   _("readings: the range method needs 2 to %u readings, found %u"),
                   (guint) G_N_ELEMENTS (range_coefficients) + 1, n);
      return FALSE;
    }

  lo = hi = values[0];
  for (guint i = 1; i < n; i++)
    {
      lo = MIN (lo, values[i]);
      hi = MAX (hi, values[i]);
    }
  *s = (hi - lo) / cb_range_coefficient (n);
  return TRUE;
}

static gboolean
check_groups (const double * const *groups,
              const guint          *sizes,
              guint                 n_groups,
              guint                 minimum_groups,
              GError              **error)
{
  if (n_groups < minimum_groups)
    {
      g_set_error (error, CB_REPEATABILITY_ERROR, CB_REPEATABILITY_ERROR_INVALID,
                   _("groups: expected at least %u groups, found %u"), minimum_groups, n_groups);
      return FALSE;
    }
  for (guint g = 0; g < n_groups; g++)
    {
      g_autofree char *field = g_strdup_printf (_("group %u"), g + 1);

      if (!check_readings (groups[g], sizes[g], 1, field, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
cb_pooled_stddev (const double * const *groups,
                  const guint          *sizes,
                  guint                 n_groups,
                  double               *s,
                  double               *dof,
                  GError              **error)
{
  double ss_total = 0, dof_total = 0;

  if (!check_groups (groups, sizes, n_groups, 1, error))
    return FALSE;

  for (guint g = 0; g < n_groups; g++)
    {
      double mean, ss;

      mean_and_ss (groups[g], sizes[g], &mean, &ss);
      ss_total += ss;
      dof_total += sizes[g] - 1;
    }
  if (dof_total < 1)
    {
      g_set_error (error, CB_REPEATABILITY_ERROR, CB_REPEATABILITY_ERROR_INVALID,
                   _("groups: a pooled standard deviation needs a group of at least 2 readings"));
      return FALSE;
    }

  *s = sqrt (ss_total / dof_total);
  *dof = dof_total;
  return TRUE;
}

gboolean
cb_anova_one_way (const double * const *groups,
                  const guint          *sizes,
                  guint                 n_groups,
                  CbAnova              *anova,
                  GError              **error)
{
  double grand = 0, ss_within = 0, ss_between = 0, sum_n2 = 0;
  guint total = 0;

  if (!check_groups (groups, sizes, n_groups, 2, error))
    return FALSE;

  for (guint g = 0; g < n_groups; g++)
    {
      for (guint i = 0; i < sizes[g]; i++)
        grand += groups[g][i];
      total += sizes[g];
      sum_n2 += (double) sizes[g] * sizes[g];
    }
  if (total <= n_groups)
    {
      g_set_error (error, CB_REPEATABILITY_ERROR, CB_REPEATABILITY_ERROR_INVALID,
                   _("groups: analysis of variance needs more readings than groups, found %u readings in %u groups"),
                   total, n_groups);
      return FALSE;
    }
  grand /= total;

  for (guint g = 0; g < n_groups; g++)
    {
      double mean, ss;

      mean_and_ss (groups[g], sizes[g], &mean, &ss);
      ss_within += ss;
      ss_between += sizes[g] * (mean - grand) * (mean - grand);
    }

  anova->groups = n_groups;
  anova->total = total;
  anova->grand_mean = grand;
  anova->dof_between = n_groups - 1;
  anova->dof_within = total - n_groups;
  anova->ms_between = ss_between / anova->dof_between;
  anova->ms_within = ss_within / anova->dof_within;
  anova->n0 = (total - sum_n2 / total) / (n_groups - 1);
  anova->s_r = sqrt (anova->ms_within);
  anova->s_between = anova->ms_between > anova->ms_within
                     ? sqrt ((anova->ms_between - anova->ms_within) / anova->n0)
                     : 0;
  anova->s_R = hypot (anova->s_r, anova->s_between);
  if (anova->ms_within > 0)
    {
      anova->f = anova->ms_between / anova->ms_within;
      anova->p_value = cb_stats_f_sf (anova->f, anova->dof_between, anova->dof_within);
    }
  else
    {
      anova->f = anova->ms_between > 0 ? INFINITY : NAN;
      anova->p_value = anova->ms_between > 0 ? 0 : NAN;
    }
  return TRUE;
}
