/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cb-budget.h"

G_BEGIN_DECLS

/*
 * Propagation of distributions by Monte Carlo (JCGM 101, GUM Supplement 1)
 * for a CbBudget.  Each input is sampled from its distribution: normal for u
 * and U kinds with infinite dof, scaled and shifted t for finite dof (JCGM 101
 * 6.4.9), the named distributions otherwise; correlated inputs as a
 * multivariate normal (Cholesky).  The generator is named and seedable: the
 * same seed and trials give bit-identical results whatever the thread count.
 *
 * Details:
 * - u and U inputs with finite dof are t_ν(x, u) as in JCGM 101 9.5 (the
 *   stated u is the scale); Type A inputs are t_{n−1}(mean, s/√n); an input
 *   given by a named distribution keeps it whatever its dof.
 * - Correlated inputs (any non-zero coefficient) are sampled together as a
 *   multivariate normal with their standard uncertainties; N quantities
 *   observed together n times as the multivariate t of JCGM 102 (GUM
 *   Supplement 2), t_{n−N}(x̄, (n − 1)/(n − N) · S/n), which needs n > N.
 *   A semi-definite matrix (|r| = 1) is accepted; an indefinite one is an
 *   error.
 * - Trials run in blocks of 8192, each with its own generator stream derived
 *   from the seed and the block's index.
 * - Fixed mode: M = trials.  Adaptive mode (JCGM 101 7.9.4): batches of
 *   M = trials (default max(100/(1−p), 10^4)) until, for every reported
 *   output, twice the standard deviation of the average of the batch means,
 *   standard deviations and endpoints of both intervals is at most δ; δ is
 *   the tolerance, or ½·10^l with u = c × 10^l, c of two digits.
 * - cb_mcm_run() takes NULL options for the defaults; a cancelled run fails
 *   with G_IO_ERROR_CANCELLED.
 */

#define CB_MCM_ERROR (cb_mcm_error_quark ())

typedef enum
{
  CB_MCM_ERROR_INVALID,     /* bad options */
  CB_MCM_ERROR_EVALUATION,  /* the model failed on a sample */
  CB_MCM_ERROR_NOT_CONVERGED,
} CbMcmError;

typedef struct
{
  guint64  trials;        /* M; 0 means the default 10^6 (fixed mode); adaptive: batch size */
  gboolean adaptive;      /* JCGM 101 7.9 */
  double   tolerance;     /* adaptive: numerical tolerance δ; 0 derives it from 2 significant digits of u */
  guint64  seed;          /* 1 after cb_mcm_options_init() */
  guint    n_threads;     /* 0: one per core */
  double   p;             /* coverage probability; 0 takes the budget's (0.95 when it gives k) */
  guint64  max_trials;    /* adaptive: cap on the total; 0 means 10^7 */
} CbMcmOptions;

typedef struct
{
  const char *name;
  double      value;      /* mean of the model values */
  double      u;          /* standard deviation */
  double      low;        /* shortest coverage interval */
  double      high;
  double      symmetric_low;  /* probabilistically symmetric interval */
  double      symmetric_high;
} CbMcmOutput;

typedef struct _CbMcmResult CbMcmResult;

/* Called from a worker thread with the fraction done (0..1). */
typedef void (*CbMcmProgressFunc) (double fraction, gpointer user_data);

GQuark             cb_mcm_error_quark            (void);
const char        *cb_mcm_generator_name         (void);
void               cb_mcm_options_init           (CbMcmOptions       *options);
CbMcmResult       *cb_mcm_run                    (const CbBudget     *budget,
                                                  const CbMcmOptions *options,
                                                  CbMcmProgressFunc   progress,
                                                  gpointer            user_data,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void               cb_mcm_result_free            (CbMcmResult        *result);
guint64            cb_mcm_result_get_trials      (const CbMcmResult  *result);
double             cb_mcm_result_get_p           (const CbMcmResult  *result);
/* Indexed like the budget's outputs. */
guint              cb_mcm_result_get_n_outputs   (const CbMcmResult  *result);
const CbMcmOutput *cb_mcm_result_get_output      (const CbMcmResult  *result,
                                                  guint               index);
double             cb_mcm_result_get_correlation (const CbMcmResult  *result,
                                                  guint               i,
                                                  guint               j);
/* Adaptive mode: the numerical tolerance δ the output met; NAN otherwise
 * (fixed mode, or an output not reported). */
double             cb_mcm_result_get_tolerance   (const CbMcmResult  *result,
                                                  guint               index);
/* The model values of an output in ascending order (for histograms);
 * @n_values receives their number, the trials. */
const double      *cb_mcm_result_get_sorted_values (const CbMcmResult *result,
                                                    guint              index,
                                                    gsize             *n_values);

/* Sorts @values (@n_values finite numbers) in place and computes the shortest
 * (JCGM 101 7.7.2) and the probabilistically symmetric (7.7.1) coverage
 * intervals for @p, with q = pM rounded to an integer.  Any interval pointer
 * may be NULL.  FALSE when there are too few values for @p (M − q < 1) or
 * memory runs out. */
gboolean           cb_mcm_coverage_intervals     (double             *values,
                                                  gsize               n_values,
                                                  double              p,
                                                  double             *low,
                                                  double             *high,
                                                  double             *symmetric_low,
                                                  double             *symmetric_high);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbMcmResult, cb_mcm_result_free)

G_END_DECLS
