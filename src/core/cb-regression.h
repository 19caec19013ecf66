/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Least-squares straight line y = a + b (x − x0) with the uncertainties of
 * its parameters (GUM H.3): the residual standard deviation s has n − 2
 * degrees of freedom, and so does every prediction.
 */

#define CB_REGRESSION_ERROR (cb_regression_error_quark ())

typedef enum
{
  CB_REGRESSION_ERROR_INVALID,   /* too few points, unequal lengths, non-finite values */
  CB_REGRESSION_ERROR_DEGENERATE,/* every x the same */
} CbRegressionError;

typedef struct
{
  guint  n;
  double x0;              /* centring: the line is a + b (x − x0) */
  double intercept;       /* a */
  double slope;           /* b */
  double u_intercept;     /* u(a) */
  double u_slope;         /* u(b) */
  double correlation;     /* r(a, b) */
  double s;               /* residual standard deviation */
  double dof;             /* n − 2 */
  /* Internal sums kept for predictions. */
  double mean_x;
  double sxx;
} CbLine;

typedef struct
{
  double x;
  double y;               /* a + b (x − x0) */
  double u;               /* standard uncertainty of the line at x */
  double u_observation;   /* of a new single observation at x */
  double dof;
} CbLinePrediction;

GQuark    cb_regression_error_quark (void);

gboolean  cb_line_fit               (const double     *x,
                                     const double     *y,
                                     guint             n_x,
                                     guint             n_y,
                                     double            x0,
                                     CbLine           *line,
                                     GError          **error);
void      cb_line_predict           (const CbLine     *line,
                                     double            x,
                                     CbLinePrediction *prediction);

G_END_DECLS
