/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <float.h>
#include <math.h>

#include "cb-stats.h"

double
cb_stats_normal_pdf (double x)
{
  return exp (-0.5 * x * x) / sqrt (2.0 * G_PI);
}

double
cb_stats_normal_cdf (double x)
{
  return 0.5 * erfc (-x / G_SQRT2);
}

/* Acklam's rational approximation (relative error 1.15e-9), refined by one
 * Halley step on erfc, which brings it to full double precision. */
double
cb_stats_normal_quantile (double p)
{
  static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
                              -2.759285104469687e+02, 1.383577518672690e+02,
                              -3.066479806614716e+01, 2.506628277459239e+00 };
  static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
                              -1.556989798598866e+02, 6.680131188771972e+01,
                              -1.328068155288572e+01 };
  static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
                              -2.400758277161838e+00, -2.549732539343734e+00,
                              4.374664141464968e+00, 2.938163982698783e+00 };
  static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
                              2.445134137142996e+00, 3.754408661907416e+00 };
  const double p_low = 0.02425;
  double q, r, x, e, u;

  if (isnan (p) || p < 0 || p > 1)
    return NAN;
  if (p == 0)
    return -INFINITY;
  if (p == 1)
    return INFINITY;

  if (p < p_low)
    {
      q = sqrt (-2 * log (p));
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
          ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
  else if (p <= 1 - p_low)
    {
      q = p - 0.5;
      r = q * q;
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
          (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
  else
    {
      q = sqrt (-2 * log1p (-p));
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }

  e = cb_stats_normal_cdf (x) - p;
  u = e * sqrt (2 * G_PI) * exp (x * x / 2);
  return x - u / (1 + x * u / 2);
}

/* Continued fraction of the incomplete beta function (modified Lentz). */
static double
beta_continued_fraction (double a,
                         double b,
                         double x)
{
  const double tiny = 1e-300;
  double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap, h;

  if (fabs (d) < tiny)
    d = tiny;
  d = 1 / d;
  h = d;

  for (int m = 1; m <= 10000; m++)
    {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      double del;

      d = 1 + aa * d;
      if (fabs (d) < tiny)
        d = tiny;
      c = 1 + aa / c;
      if (fabs (c) < tiny)
        c = tiny;
      d = 1 / d;
      h *= d * c;

      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 + aa * d;
      if (fabs (d) < tiny)
        d = tiny;
      c = 1 + aa / c;
      if (fabs (c) < tiny)
        c = tiny;
      d = 1 / d;
      del = d * c;
      h *= del;
      if (fabs (del - 1) < 1e-16)
        break;
    }

  return h;
}

double
cb_stats_incomplete_beta (double a,
                          double b,
                          double x)
{
  double front;

  if (isnan (a) || isnan (b) || isnan (x) || a <= 0 || b <= 0)
    return NAN;
  if (x <= 0)
    return 0;
  if (x >= 1)
    return 1;

  front = exp (lgamma (a + b) - lgamma (a) - lgamma (b) + a * log (x) + b * log1p (-x));
  /* The fraction converges fast on the side below the mean. */
  if (x < (a + 1) / (a + b + 2))
    return front * beta_continued_fraction (a, b, x) / a;
  return 1 - front * beta_continued_fraction (b, a, 1 - x) / b;
}

/* P(T > t) for t >= 0, computed directly so upper tails keep their digits. */
static double
t_upper_tail (double t,
              double dof)
{
  double x = dof / (dof + t * t);

  return 0.5 * cb_stats_incomplete_beta (dof / 2, 0.5, x);
}

double
cb_stats_t_cdf (double t,
                double dof)
{
  if (isnan (t) || isnan (dof) || dof <= 0)
    return NAN;
  if (isinf (dof))
    return cb_stats_normal_cdf (t);
  if (isinf (t))
    return t > 0 ? 1 : 0;
  if (t >= 0)
    return 1 - t_upper_tail (t, dof);
  return t_upper_tail (-t, dof);
}

static double
t_pdf (double t,
       double dof)
{
  return exp (lgamma ((dof + 1) / 2) - lgamma (dof / 2) - (dof + 1) / 2 * log1p (t * t / dof)) /
         sqrt (dof * G_PI);
}

double
cb_stats_t_quantile (double p,
                     double dof)
{
  double q, lo, hi, t;

  if (isnan (p) || isnan (dof) || p < 0 || p > 1 || dof <= 0)
    return NAN;
  if (isinf (dof))
    return cb_stats_normal_quantile (p);
  if (p == 0)
    return -INFINITY;
  if (p == 1)
    return INFINITY;
  if (p == 0.5)
    return 0;
  if (p < 0.5)
    return -cb_stats_t_quantile (1 - p, dof);

  /* Closed forms for one and two degrees of freedom. */
  if (dof == 1)
    return tan (G_PI * (p - 0.5));
  if (dof == 2)
    return (2 * p - 1) / sqrt (2 * p * (1 - p));

  /* Solve P(T > t) = q on the upper tail: bracket, then Newton steps kept
   * inside the bracket (bisection when a step leaves it). */
  q = 1 - p;
  lo = 0;
  hi = fmax (1, cb_stats_normal_quantile (p));
  while (t_upper_tail (hi, dof) > q && hi < 1e300)
    {
      lo = hi;
      hi *= 2;
    }
  t = 0.5 * (lo + hi);
  for (int i = 0; i < 200; i++)
    {
      double f = t_upper_tail (t, dof) - q;
      double step, next;

      if (f > 0)
        lo = t;
      else
        hi = t;
      step = f / t_pdf (t, dof);
      next = t + step;
      if (!(next > lo && next < hi))
        next = 0.5 * (lo + hi);
      if (fabs (next - t) <= 1e-15 * fabs (next))
        return next;
      t = next;
    }

  return t;
}

double
cb_stats_t_coverage_factor (double p,
                            double dof)
{
  if (isnan (p) || p <= 0 || p >= 1)
    return NAN;
  return cb_stats_t_quantile ((1 + p) / 2, dof);
}

double
cb_stats_t_coverage_probability (double k,
                                 double dof)
{
  if (isnan (k) || k < 0)
    return NAN;
  if (isinf (dof))
    return erf (k / G_SQRT2);
  if (isnan (dof) || dof <= 0)
    return NAN;
  return 1 - 2 * t_upper_tail (k, dof);
}

double
cb_stats_f_sf (double f,
               double dof1,
               double dof2)
{
  if (isnan (f) || dof1 <= 0 || dof2 <= 0)
    return NAN;
  if (f <= 0)
    return 1;
  return cb_stats_incomplete_beta (dof2 / 2, dof1 / 2, dof2 / (dof2 + dof1 * f));
}
