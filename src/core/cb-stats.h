/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Probability distributions used by the uncertainty, conformity and Monte
 * Carlo code.  A degrees-of-freedom argument may be INFINITY (the normal
 * distribution).  Results are accurate to about 1e-12 relative. */

double cb_stats_normal_pdf           (double x);
double cb_stats_normal_cdf           (double x);
double cb_stats_normal_quantile      (double p);
double cb_stats_t_cdf                (double t,
                                      double dof);
/* Lower quantile: P(T <= t) = p. */
double cb_stats_t_quantile           (double p,
                                      double dof);
/* Two-sided coverage factor: k = t_{(1+p)/2}(dof), e.g. p 0.95, dof inf → 1.959964. */
double cb_stats_t_coverage_factor    (double p,
                                      double dof);
/* Coverage probability of ±k for a t distribution: 2 F(k) - 1. */
double cb_stats_t_coverage_probability (double k,
                                        double dof);
/* Regularised incomplete beta function I_x(a, b). */
double cb_stats_incomplete_beta      (double a,
                                      double b,
                                      double x);
/* Upper tail of the F distribution, P(F > f). */
double cb_stats_f_sf                 (double f,
                                      double dof1,
                                      double dof2);

G_END_DECLS
