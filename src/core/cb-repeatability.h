/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Repeatability and reproducibility from repeated readings (JJF 1059.1-2012
 * 4.3.2): Bessel's experimental standard deviation, the range method, the
 * pooled standard deviation of several groups, and one-way analysis of
 * variance for readings taken on several days.
 */

#define CB_REPEATABILITY_ERROR (cb_repeatability_error_quark ())

typedef enum
{
  CB_REPEATABILITY_ERROR_INVALID,
} CbRepeatabilityError;

typedef struct
{
  guint  n;
  double mean;
  double s;          /* experimental standard deviation (Bessel) */
  double s_mean;     /* of the mean: s / √n */
  double dof;        /* n − 1 */
} CbSampleStats;

/* One-way analysis of variance of m groups (days, operators…). */
typedef struct
{
  guint  groups;
  guint  total;
  double grand_mean;
  double ms_between;
  double ms_within;
  double dof_between;   /* m − 1 */
  double dof_within;    /* N − m */
  double n0;            /* effective group size (the group size when equal) */
  double s_r;           /* repeatability: √MS_within */
  double s_between;     /* between-group: √((MS_b − MS_w)/n0), 0 when MS_b < MS_w */
  double s_R;           /* reproducibility: √(s_r² + s_between²) */
  double f;             /* MS_between / MS_within */
  double p_value;       /* P(F > f) */
} CbAnova;

GQuark   cb_repeatability_error_quark (void);

gboolean cb_sample_stats              (const double        *values,
                                       guint                n,
                                       CbSampleStats       *stats,
                                       GError             **error);
/* JJF 1059.1 Table 3 range coefficient C for n readings (2 ≤ n ≤ 20); NAN outside. */
double   cb_range_coefficient         (guint                n);
/* s = (max − min) / C(n). */
gboolean cb_range_stddev              (const double        *values,
                                       guint                n,
                                       double              *s,
                                       GError             **error);
/* s_p = √(Σ (n_i − 1) s_i² / Σ (n_i − 1)), with Σ (n_i − 1) degrees of freedom. */
gboolean cb_pooled_stddev             (const double * const *groups,
                                       const guint         *sizes,
                                       guint                n_groups,
                                       double              *s,
                                       double              *dof,
                                       GError             **error);
gboolean cb_anova_one_way             (const double * const *groups,
                                       const guint         *sizes,
                                       guint                n_groups,
                                       CbAnova             *anova,
                                       GError             **error);

G_END_DECLS
