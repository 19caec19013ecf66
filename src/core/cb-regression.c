/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "cb-regression.h"

G_DEFINE_QUARK (cb-regression-error-quark, cb_regression_error)

static gboolean
check_values (const double  *values,
              guint          n,
              const char    *field,
              GError       **error)
{
  for (guint i = 0; i < n; i++)
    if (!isfinite (values[i]))
      {
        g_set_error (error, CB_REGRESSION_ERROR, CB_REGRESSION_ERROR_INVALID,
                     _("%s item %u: expected a finite number"), field, i + 1);
        return FALSE;
      }
  return TRUE;
}

gboolean
cb_line_fit (const double  *x,
             const double  *y,
             guint          n_x,
             guint          n_y,
             double         x0,
             CbLine        *line,
             GError       **error)
{
  double mean_x = 0, mean_y = 0, sxx = 0, sxy = 0, ssr = 0;
  double a, b, s2, d;
  guint n = n_x;

  g_return_val_if_fail (line != NULL, FALSE);

  if (n_x != n_y)
    {
      g_set_error (error, CB_REGRESSION_ERROR, CB_REGRESSION_ERROR_INVALID,
                   _("y: expected %u values like x, found %u"), n_x, n_y);
      return FALSE;
    }
  if (n < 3)
    {
      g_set_error (error, CB_REGRESSION_ERROR, CB_REGRESSION_ERROR_INVALID,
                   _("x: expected at least 3 points for a line with uncertainties, found %u"), n);
      return FALSE;
    }
  if (!isfinite (x0))
    {
      g_set_error (error, CB_REGRESSION_ERROR, CB_REGRESSION_ERROR_INVALID,
                   _("x0: expected a finite number"));
      return FALSE;
    }
  if (!check_values (x, n, "x", error) || !check_values (y, n, "y", error))
    return FALSE;

  /* Centred sums: accurate however far the data sit from zero. */
  for (guint i = 0; i < n; i++)
    {
      mean_x += x[i];
      mean_y += y[i];
    }
  mean_x /= n;
  mean_y /= n;
  for (guint i = 0; i < n; i++)
    {
      sxx += (x[i] - mean_x) * (x[i] - mean_x);
      sxy += (x[i] - mean_x) * (y[i] - mean_y);
    }
  if (!(sxx > 0))
    {
      g_set_error (error, CB_REGRESSION_ERROR, CB_REGRESSION_ERROR_DEGENERATE,
                   _("x: every value is the same, so no slope can be fitted"));
      return FALSE;
    }

  b = sxy / sxx;
  a = mean_y - b * (mean_x - x0);
  for (guint i = 0; i < n; i++)
    {
      double r = y[i] - (a + b * (x[i] - x0));

      ssr += r * r;
    }
  s2 = ssr / (n - 2);
  d = mean_x - x0;

  line->n = n;
  line->x0 = x0;
  line->intercept = a;
  line->slope = b;
  line->s = sqrt (s2);
  line->dof = n - 2;
  line->u_slope = sqrt (s2 / sxx);
  line->u_intercept = sqrt (s2 * (1.0 / n + d * d / sxx));
  /* cov(a, b) = −d s²/Sxx */
  line->correlation = (line->u_intercept > 0 && line->u_slope > 0)
                      ? -d * s2 / sxx / (line->u_intercept * line->u_slope)
                      : 0;
  line->mean_x = mean_x;
  line->sxx = sxx;
  return TRUE;
}

void
cb_line_predict (const CbLine     *line,
                 double            x,
                 CbLinePrediction *prediction)
{
  double s2 = line->s * line->s;
  double d = x - line->mean_x;
  double var_line = s2 * (1.0 / line->n + d * d / line->sxx);

  prediction->x = x;
  prediction->y = line->intercept + line->slope * (x - line->x0);
  prediction->u = sqrt (var_line);
  prediction->u_observation = sqrt (var_line + s2);
  prediction->dof = line->dof;
}
